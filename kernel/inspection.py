"""Shift-Tab (inspect_request) and is_complete_request for MicroPython cells.

Inspection shows the signature and documentation of the MicroPython API from
the port's stubs (kernel/stubs.py), their reStructuredText shown as plain text
and Markdown (kernel/rst.py); for a name that lives on the board (a
variable) it adds the board's type and repr, and documents the stubs' class of
that type. is_complete answers as MicroPython's REPL continues a line.
"""

import codeop
import io
import re
import tokenize
import warnings

from boardlab.kernel import rst
from boardlab.kernel.completion import _ask, board_stubs, resolve, safe_expression

NOT_FOUND = {"status": "ok", "found": False, "data": {}, "metadata": {}}


def inspect(code, cursor_pos=None, detail_level=0, board=None):
    """The inspect_reply content for the name at (or the call around) cursor_pos."""
    cursor_pos = len(code) if cursor_pos is None else max(0, min(cursor_pos, len(code)))
    if code.lstrip().startswith("%"):
        return NOT_FOUND
    stubs = board_stubs(board)
    for name in names_at(code, cursor_pos):
        text = _describe(name, code, stubs, board, detail_level)
        if text is not None:
            plain, markdown = text
            return {"status": "ok", "found": True, "metadata": {},
                    "data": {"text/plain": plain, "text/markdown": markdown}}
    return NOT_FOUND


def names_at(code, cursor_pos):
    """The dotted names Shift-Tab may mean, best first: the one under the
    cursor, then the function whose call the cursor is in (`time.sleep_ms(|`)."""
    names = []
    left = re.search(r"[A-Za-z_][\w.]*$", code[:cursor_pos])
    right = re.match(r"\w*", code[cursor_pos:]).group()
    if left:
        word = (left.group() + right).strip(".")
        start = left.start()
        if not (start and code[start - 1] in ".)]}'\"") and safe_expression(word):
            names.append(word)
    depth = 0
    for i in range(cursor_pos - 1, -1, -1):
        c = code[i]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c != "(":
                    break
                callee = re.search(r"[A-Za-z_][\w.]*$", code[:i])
                if callee and safe_expression(callee.group()) and callee.group() not in names:
                    names.append(callee.group())
                break
            depth -= 1
        elif c == "\n" and depth == 0 and not code[:i].rstrip().endswith(("(", ",", "\\")):
            break
    return names


def _describe(name, code, stubs, board, detail_level):
    """(text/plain, text/markdown) about a dotted name, or None if nothing is known."""
    stub_name = resolve(name, code, stubs)
    value = None
    if stub_name is None:
        # A name of the board (a variable): its type and repr, and the
        # stubs' class of that type (`led.value` -> machine.Pin.value).
        head, _, rest = name.partition(".")
        value = _ask(board, "info", name)
        head_info = value if not rest else _ask(board, "info", head)
        if head_info is not None:
            cls = stubs.find_class(head_info[0])
            if cls is not None:
                stub_name = cls + ("." + rest if rest else "")
    entry = stubs.describe(stub_name) if stub_name else None
    if entry is None and value is None:
        return None
    plain, markdown = [], []
    if value is not None:
        plain += [f"Type:      {value[0]}", f"Value:     {value[1]}"]
        markdown += [f"**{name}**: `{value[0]}` = `{value[1]}`", ""]
    if entry is not None:
        title = entry.name
        plain += [f"Name:      {title} ({entry.kind})"]
        plain += [f"Signature: {s}" for s in entry.signatures]
        markdown += [f"**{title}** ({entry.kind})", ""]
        if entry.signatures:
            markdown += ["```python", *entry.signatures, "```", ""]
        blocks = rst.parse(entry.doc)
        shown = blocks if detail_level else _first_blocks(blocks)
        if shown:
            plain += ["Docstring:", rst.as_text(shown)]
            markdown += [rst.as_markdown(shown)]
        if len(shown) < len(blocks):
            plain += ["", MORE]
            markdown += ["", MORE]
        if detail_level:
            plain += [f"Source:    {stubs.source}"]
            markdown += ["", f"*{stubs.source}*"]
    return "\n".join(plain).rstrip() + "\n", "\n".join(markdown).rstrip() + "\n"


MORE = "[...] (Shift-Tab again for more)"


def _first_blocks(blocks, limit=1200):
    """Level 0 (the tooltip) shows the first paragraphs, lists and examples
    that fit in about `limit` characters; level 1 all of them."""
    shown, size = [], 0
    for block in blocks:
        size += len(rst.as_text([block]))
        if shown and size > limit:
            break
        shown.append(block)
    return shown


# -- is_complete ----------------------------------------------------------------

def is_complete(code):
    """The is_complete_reply content, as MicroPython's REPL decides whether to
    continue: an open block, bracket or string continues ('incomplete' with the
    next line's indent), and so does an indented last line until a blank line
    ends the block; magic lines are complete; a %% cell magic collects lines
    until a blank line; a syntax error is 'invalid'."""
    if code.startswith("%%"):
        return {"status": "complete"} if code.endswith("\n\n") or \
            (code.count("\n") >= 2 and not code.rsplit("\n", 1)[-1].strip()) \
            else {"status": "incomplete", "indent": ""}
    lines = ["" if line.startswith("%") else line for line in code.split("\n")]
    source = "\n".join(lines)
    if not source.strip():
        return {"status": "complete"}
    last = source.rstrip().rsplit("\n", 1)[-1]
    indent = re.match(r"[ \t]*", last).group()
    # The user ended the block: the last line is blank (the console may have
    # auto-indented it), as MicroPython's REPL ends a block on an empty line.
    ended = "\n" in source and not source.rsplit("\n", 1)[-1].strip()
    if _tokens_state(source) == "open":
        return {"status": "incomplete", "indent": indent}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = codeop.compile_command(source, "<cell>", "exec")
    except (SyntaxError, ValueError, OverflowError):
        return {"status": "invalid"}
    if compiled is None:
        if ended:
            return {"status": "invalid"}     # `if x:` then a blank line: no body
        if _code_part(last).endswith(":"):
            return {"status": "incomplete", "indent": indent + "    "}
        return {"status": "incomplete", "indent": indent}
    if indent and not ended:
        return {"status": "incomplete", "indent": indent}
    return {"status": "complete"}


def _tokens_state(source):
    """'open' inside brackets, a string, or after a backslash at the end."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(source).readline):
            pass
    except tokenize.TokenError as error:
        if "EOF in multi-line" in str(error.args[0]):
            return "open"
    except (IndentationError, SyntaxError):
        return "error"
    return "ok"


def _code_part(line):
    """The line without its comment (strings are not split on '#')."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return line.strip()
    kept = [t.string for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL,
                                                       tokenize.NEWLINE, tokenize.ENDMARKER)]
    return "".join(kept).strip()
