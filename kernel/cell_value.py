"""The value of a cell's last expression, shown as `Out[n]`.

MicroPython's own REPL prints the repr of an expression typed at its prompt,
and Jupyter shows a cell's last expression as its result; the raw REPL runs
a cell as a file and shows nothing. So before a cell goes to the board, the
kernel rewrites its last statement, when it is an expression `EXPR`, into
`_ = (EXPR)` (on the same lines, so the board's line numbers stay the
user's) and adds a line that sends repr(_) back as the signal `value` (see
signals.py). As in the REPL, `_` then holds the value and None shows nothing;
as in IPython, a trailing `;` hides it.
"""

import ast

from boardlab.kernel.signals import board_print


def with_value_sent(code):
    """`code` rewritten to send its last expression's value, or None when
    there is no value to show (or the host cannot parse the cell: it then
    runs as written and the board reports the error)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    statement = tree.body[-1]  # its span includes the expression's parentheses
    expr = statement.value
    if isinstance(expr, ast.Call) and getattr(expr.func, "id", None) == "print":
        return None  # returns None: no need to ask the board
    # ast's columns count UTF-8 bytes.
    data = code.encode()
    line_starts = [0]
    for line in data.split(b"\n")[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    start = line_starts[statement.lineno - 1] + statement.col_offset
    end = line_starts[statement.end_lineno - 1] + statement.end_col_offset
    if data[end:].split(b"\n", 1)[0].lstrip().startswith(b";"):
        return None
    rewritten = data[:start] + b"_ = (" + data[start:end] + b")" + data[end:]
    return f"{rewritten.decode()}\nif _ is not None: {board_print('value', 'repr(_)')}\n"
