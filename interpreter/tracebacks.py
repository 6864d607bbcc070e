"""Exceptions printed the way MicroPython prints them.

    Traceback (most recent call last):
      File "<stdin>", line 3, in <module>
      File "lib.py", line 2, in f
    ZeroDivisionError: divide by zero

Only frames of board code appear (cells, boot.py/main.py, modules imported from
flash): the simulator's own frames are hidden. The last line uses MicroPython's
type names (no FileNotFoundError or RecursionError on the board) and, for the
common errors, its wording.
"""

import re

from .compiler import CompileError
from .mp_errno import oserror_text

# Exception types MicroPython has as builtins.
BOARD_EXCEPTIONS = frozenset("""
    ArithmeticError AssertionError AttributeError BaseException EOFError
    Exception GeneratorExit ImportError IndentationError IndexError
    KeyboardInterrupt KeyError LookupError MemoryError NameError
    NotImplementedError OSError OverflowError RuntimeError StopAsyncIteration
    StopIteration SyntaxError SystemExit TypeError UnicodeError ValueError
    ZeroDivisionError
""".split())

_OPERATORS = {
    "+": "add", "-": "sub", "*": "mul", "/": "truediv", "//": "floordiv",
    "%": "mod", "**": "pow", "<<": "lshift", ">>": "rshift", "&": "and",
    "|": "or", "^": "xor", "@": "matmul",
}
_COMPARISONS = {"<": "lt", ">": "gt", "<=": "le", ">=": "ge"}


def _binop(match):
    op = match.group(1)
    method = _OPERATORS.get(op.rstrip("=") if op.endswith("=") and len(op) > 1 else op)
    if method is None:
        return match.group(0)
    if op.endswith("=") and len(op) > 1:
        method = "i" + method
    return f"unsupported types for __{method}__: {match.group(2)}, {match.group(3)}"


def _compare(match):
    return f"unsupported types for __{_COMPARISONS[match.group(1)]}__: {match.group(2)}, {match.group(3)}"


# (exception name, CPython message pattern, MicroPython's text or a function)
_WORDING = [
    ("ZeroDivisionError", re.compile(r".*"), "divide by zero"),
    ("NameError", re.compile(r"name '(.*)' is not defined.*"), r"name '\1' isn't defined"),
    ("NameError", re.compile(r"(cannot access local variable|local variable) .*"),
     "local variable referenced before assignment"),
    ("AttributeError", re.compile(r"module '.*' has no attribute '(.*)'"),
     r"'module' object has no attribute '\1'"),
    ("TypeError", re.compile(r"unsupported operand type\(s\) for (\S+): ('.*') and ('.*')"), _binop),
    ("TypeError", re.compile(r"'(<|>|<=|>=)' not supported between instances of ('.*') and ('.*')"), _compare),
    ("TypeError", re.compile(r'can only concatenate str \(not "(.*)"\) to str'),
     r"can't convert '\1' object to str implicitly"),
    ("TypeError", re.compile(r"('.*' object) is not (subscriptable|iterable)"), r"\1 isn't \2"),
    ("TypeError", re.compile(r".*\(\) takes (\d+) positional arguments? but (\d+) (?:was|were) given"),
     r"function takes \1 positional arguments but \2 were given"),
    ("TypeError", re.compile(r".*\(\) got an unexpected keyword argument '(.*)'"),
     r"unexpected keyword argument '\1'"),
    ("ValueError", re.compile(r"invalid literal for int\(\) with base (\d+): .*"),
     r"invalid syntax for integer with base \1"),
    ("ValueError", re.compile(r"could not convert string to float: .*"), "invalid syntax for number"),
    ("RuntimeError", re.compile(r"maximum recursion depth exceeded.*"), "maximum recursion depth exceeded"),
]


def board_type_name(exc, user_modules=()):
    """The name the board prints: the exception's own for board builtins and
    classes defined by board code, else its nearest board builtin ancestor."""
    for cls in type(exc).__mro__:
        module = getattr(cls, "__module__", "builtins")
        if module == "builtins" or cls.__name__ == "OSError":
            if cls.__name__ in BOARD_EXCEPTIONS:
                return cls.__name__
        elif module in user_modules:
            return cls.__name__
    return "Exception"


def exception_message(exc, name):
    """What follows `Name: `. MicroPython prints the single argument with
    str() (so KeyError('a') shows `a`), a tuple for several, nothing for none."""
    if isinstance(exc, CompileError):
        return exc.message
    if isinstance(exc, SyntaxError):
        return exc.msg or ""
    if isinstance(exc, OSError):
        return oserror_text(exc.args)
    cls = type(exc)
    if cls.__str__ is not BaseException.__str__ and cls.__module__ != "builtins" \
            and not isinstance(exc, KeyError):
        text = str(exc)
    elif len(exc.args) == 1:
        text = str(exc.args[0])
    elif not exc.args:
        text = ""
    else:
        text = repr(exc.args)
    for kind, pattern, replacement in _WORDING:
        if kind == name:
            match = pattern.fullmatch(text)
            if match:
                return replacement(match) if callable(replacement) else match.expand(replacement)
    return text


def board_frames(tb, user_files):
    """`  File ...` lines for the traceback's board-code frames, outermost first."""
    lines = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename in user_files:
            lines.append(f'  File "{code.co_filename}", line {tb.tb_lineno}, in {code.co_name}')
        tb = tb.tb_next
    return lines


def format_exception(exc, user_files=("<stdin>",), user_modules=("__main__",)):
    """The board's text for an uncaught exception, lines ending in \\r\\n."""
    if isinstance(exc, CompileError):
        name = exc.name
        frames = board_frames(exc.__traceback__, user_files) + exc.frames
    else:
        name = board_type_name(exc, user_modules)
        frames = board_frames(exc.__traceback__, user_files)
    lines = ["Traceback (most recent call last):"] + frames if frames else []
    lines.append(f"{name}: {exception_message(exc, name)}")
    return "\r\n".join(lines) + "\r\n"

