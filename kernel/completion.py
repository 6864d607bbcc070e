"""Tab completion: names from the live board, magics and their options, board
file paths in the file magics, module names after `import`.

The engine knows nothing of the transport: it asks a `BoardNames` (which the
kernel implements with small raw-REPL snippets) what the board has, and
falls back on the port's API stubs (kernel/stubs.py) when the board cannot
answer, e.g. while a cell runs. Only dotted names ever reach
`BoardNames.members`: never a call or a subscript, so completing cannot run
user code. Each match carries its Jupyter type (class, function, module,
constant, instance, ...), from the board's types or else the stubs' kinds.

The kernel's side, in short:

    names = NameCache(BoardNamesOfTheKernel(...))      # names.invalidate() after each cell
    complete(code, cursor_pos, names, MAGICS)          # -> complete_reply content
    inspection.inspect(code, cursor_pos, detail_level, names)
    inspection.is_complete(code)
"""

import keyword
import os
import re
from typing import Protocol

from boardlab.kernel import stubs as stubs_module

# MicroPython's builtins (docs.micropython.org, library/builtins.html).
BUILTINS = """abs all any bin bool bytearray bytes callable chr classmethod compile
complex delattr dict dir divmod enumerate eval exec filter float frozenset getattr
globals hasattr hash hex id input int isinstance issubclass iter len list locals
map max memoryview min next object oct open ord pow print property range repr
reversed round set setattr slice sorted staticmethod str sum super tuple type zip
const __import__ __name__ ArithmeticError AssertionError AttributeError
BaseException EOFError Exception GeneratorExit ImportError IndentationError
IndexError KeyError KeyboardInterrupt LookupError MemoryError NameError
NotImplementedError OSError OverflowError RuntimeError StopIteration
SyntaxError SystemExit TypeError UnicodeError ValueError ZeroDivisionError
NotImplemented Ellipsis""".split()

# Which positional arguments of the file magics are paths on the board (ALL:
# every one), and which are paths on this computer. Magics not named here get
# board paths for positionals whose dest names one (remote, path, file...).
ALL = None
BOARD_PATH_ARGS = {"ls": ALL, "cat": ALL, "rm": ALL, "get": (0,), "put": (1,),
                   "mkdir": ALL, "rmdir": ALL, "cd": ALL, "edit": ALL, "df": ALL,
                   "writefile": ALL, "sync": (1,),
                   "touch": ALL, "tree": ALL, "cp": ALL, "mv": ALL}
HOST_PATH_ARGS = {"put": (0,), "get": (1,), "run": (0,), "sync": (0,)}
BOARD_PATH_DESTS = {"remote", "path", "paths", "file", "files", "remote_path", "board_path"}
HOST_PATH_DESTS = {"local", "local_path", "host_path"}

DOTTED = re.compile(r"((?:[A-Za-z_]\w*\.)*)(\w*)$")

# The board's names of its types (MicroPython's, and CPython's for the same
# things) as Jupyter completion types; other values are constants or instances.
BOARD_TYPES = {"type": "class", "module": "module", "property": "property",
               "function": "function", "bound_method": "function", "closure": "function",
               "generator": "function", "builtin_function_or_method": "function",
               "method": "function"}
# MicroPython names its constants in capitals (Pin.OUT, machine.PWRON_RESET).
CONSTANT_TYPES = {"int", "float", "complex", "bool", "str", "bytes", "tuple", "NoneType"}

# Modules whose import does something on the board (a setup dialogue, the
# user's own program, formatting the flash): completion never imports them.
NEVER_IMPORTED = {"main", "boot", "webrepl_setup", "_boot", "_boot_fat"}


class BoardNames(Protocol):
    """What completion and inspection need from the board; the kernel
    implements it. Every method answers None when the board cannot be asked
    now (a cell is running on a real board, or no board is connected)."""

    port: str  # the board's sys.platform: 'rp2', 'esp32', ... ('' if unknown)

    def members(self, expr: str | None) -> dict[str, str] | None:
        """{attribute: the board's name of its type} of a dotted name on the
        board (`machine.Pin` -> {'OUT': 'int', 'value': 'function', ...}), or
        of its globals for None; {} if expr names nothing there."""

    def module_members(self, expr: str) -> dict[str, str] | None:
        """The same for a dotted name inside one of the board's modules
        (`machine`, `machine.Pin`), imported without binding a name; {} if
        the firmware has no such module or name."""

    def listdir(self, path: str) -> list[tuple[str, bool]] | None:
        """(name, is_dir) of a board folder; '' is the current folder."""

    def info(self, expr: str) -> tuple[str, str] | None:
        """(type name, repr) of a dotted name on the board, for Shift-Tab.
        Optional: a BoardNames without it shows no board values."""


class NameCache:
    """A BoardNames that remembers the board's answers. After a cell the
    kernel calls invalidate(): answers are asked again, but the last ones
    are still given while the board is busy. What the firmware's modules
    hold does not change from cell to cell, so those answers stay until
    clear() forgets everything (another board, a soft reset)."""

    KEPT_ACROSS_CELLS = {"module_members"}

    def __init__(self, board):
        self.board = board
        self._answers = {}
        self._stale = set()

    @property
    def port(self):
        return getattr(self.board, "port", "") if self.board is not None else ""

    def _ask(self, method, arg):
        key = (method, arg)
        if key in self._answers and key not in self._stale:
            return self._answers[key]
        ask = getattr(self.board, method, None)
        fresh = ask(arg) if ask is not None else None
        if fresh is not None:
            self._answers[key] = fresh
            self._stale.discard(key)
            return fresh
        return self._answers.get(key)

    def members(self, expr):
        return self._ask("members", expr)

    def module_members(self, expr):
        return self._ask("module_members", expr)

    def listdir(self, path):
        return self._ask("listdir", path)

    def info(self, expr):
        return self._ask("info", expr)

    def invalidate(self):
        self._stale = {key for key in self._answers if key[0] not in self.KEPT_ACROSS_CELLS}

    def clear(self):
        self._answers.clear()
        self._stale.clear()


def safe_expression(expr):
    """True for a dotted name (`machine.Pin`, `sensor.data`): the only thing
    completion may evaluate on the board."""
    return bool(re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", expr or "")) \
        and not any(keyword.iskeyword(part) for part in expr.split("."))


def board_stubs(board):
    return stubs_module.for_port(getattr(board, "port", "") if board is not None else "")


def _ask(board, method, arg):
    ask = getattr(board, method, None) if board is not None else None
    return ask(arg) if ask is not None else None


def _reply(matches, start, end, types=None):
    """A complete_reply content; `types` maps a match to its Jupyter type."""
    matches = list(dict.fromkeys(matches))
    metadata = {}
    if types is not None:
        metadata["_jupyter_types_experimental"] = [
            {"start": start, "end": end, "text": m, "type": types.get(m, "")}
            for m in matches]
    return {"status": "ok", "matches": matches, "cursor_start": start,
            "cursor_end": end, "metadata": metadata}


def _sorted(names, prefix):
    """Names that start with prefix; _private ones only when asked for."""
    keep = [n for n in names if n.startswith(prefix)
            and (prefix.startswith("_") or not n.startswith("_"))]
    return sorted(set(keep), key=lambda n: (n.lower(), n))


def complete(code, cursor_pos=None, board=None, magics=None):
    """The complete_reply content for the cursor at cursor_pos in code."""
    if magics is None:
        from boardlab.kernel.magics import MAGICS as magics
    cursor_pos = len(code) if cursor_pos is None else max(0, min(cursor_pos, len(code)))
    before = code[:cursor_pos]
    line = before.rsplit("\n", 1)[-1]
    line_start = cursor_pos - len(line)
    if line.startswith("%"):
        matches, start, types = _complete_magic(line, "\n" not in before, board, magics)
        return _reply(matches, line_start + start, cursor_pos, types)
    if code.startswith("%%"):
        return _reply([], cursor_pos, cursor_pos)   # a cell magic's body is not board code
    matches, start, types = _complete_python(line, code, board)
    return _reply(matches, line_start + start, cursor_pos, types)


# -- magics ---------------------------------------------------------------------

def _complete_magic(line, first_line, board, magics):
    """(matches, start in line, types) for a line that starts with %."""
    if not re.search(r"\s", line):
        cell = line.startswith("%%")
        typed = line.lstrip("%")
        found = [("%%" if m.cell else "%") + m.name for m in magics.values()
                 if m.name.startswith(typed) and (m.cell or not cell) and (first_line or not m.cell)]
        found.sort(key=lambda text: text.lstrip("%"))
        return found, 0, {m: "magic" for m in found}
    words = line.split()
    name = words[0].lstrip("%")
    word = "" if line[-1].isspace() else words[-1]
    done = words[1:] if not word else words[1:-1]
    start = len(line) - len(word)
    magic = magics.get(name)
    parser = getattr(magic, "parser", None)
    actions = parser._actions if parser is not None else []
    options = {s: a for a in actions for s in a.option_strings}
    if word.startswith("-"):
        used = {w.split("=")[0] for w in done}
        found = sorted((s for s in options if s.startswith(word)
                        and (s not in used or type(options[s]).__name__ == "_AppendAction")),
                       key=lambda s: (not s.startswith("--"), s))
        return found, start, {s: "option" for s in found}
    last = options.get(done[-1]) if done else None
    if last is not None and last.nargs != 0 and last.choices:
        found = _sorted(map(str, last.choices), word)
        return found, start, {}
    index = _positional_index(done, options)
    positionals = [a for a in actions if not a.option_strings]
    dest = positionals[min(index, len(positionals) - 1)].dest if positionals else ""
    table = BOARD_PATH_ARGS.get(name, ())
    if name == "help":
        found = _sorted((m.name for m in magics.values()), word.lstrip("%"))
        return found, start + len(word) - len(word.lstrip("%")), {m: "magic" for m in found}
    if (table is ALL or index in table) or (name not in BOARD_PATH_ARGS and dest in BOARD_PATH_DESTS):
        found = _board_paths(word, board)
        return found, start, {p: "path" for p in found}
    if index in HOST_PATH_ARGS.get(name, ()) or dest in HOST_PATH_DESTS:
        found = _host_paths(word)
        return found, start, {p: "path" for p in found}
    choices = positionals[index].choices if index < len(positionals) else None
    return (_sorted(map(str, choices), word), start, {}) if choices else ([], start, {})


def _positional_index(done, options):
    """How many positional arguments the words typed so far hold."""
    index, skip = 0, False
    for w in done:
        if skip:
            skip = False
        elif w.startswith("-"):
            action = options.get(w.split("=")[0])
            skip = action is not None and action.nargs != 0 and "=" not in w
        else:
            index += 1
    return index


def _board_paths(word, board):
    folder, _, partial = word.rpartition("/")
    listing = _ask(board, "listdir", folder + "/" if word.startswith("/") and not folder else folder)
    prefix = folder + "/" if folder or word.startswith("/") else ""
    return [prefix + name + ("/" if is_dir else "")
            for name, is_dir in sorted(listing or [])
            if name.startswith(partial) and (partial.startswith(".") or not name.startswith("."))]


def _host_paths(word):
    folder, _, partial = word.rpartition("/")
    prefix = folder + "/" if folder or word.startswith("/") else ""
    try:
        entries = sorted(os.scandir(os.path.expanduser(prefix) or "."), key=lambda e: e.name)
    except OSError:
        return []
    return [prefix + e.name + ("/" if e.is_dir() else "") for e in entries
            if e.name.startswith(partial) and (partial.startswith(".") or not e.name.startswith("."))]


# -- board code -----------------------------------------------------------------

def _complete_python(line, code, board):
    """(matches, start in line, types) for MicroPython code."""
    if _in_string_or_comment(line):
        return [], len(line), {}
    stubs = board_stubs(board)
    imported = re.match(r"\s*(?:import\s+(?:[\w.]+\s*,\s*)*|from\s+)([\w.]*)$", line)
    if imported:
        return _complete_module(imported.group(1), board, stubs, len(line))
    from_import = re.match(r"\s*from\s+([\w.]+)\s+import\s+\(?\s*(?:\w+(?:\s+as\s+\w+)?\s*,\s*)*(\w*)$", line)
    if from_import:
        module, word = from_import.groups()
        names, types = _members(module, board, stubs, code)
        found = _sorted(names, word)
        return found, len(line) - len(word), types
    dotted, word = DOTTED.search(line).groups()
    start = len(line) - len(dotted) - len(word)
    if start and line[start - 1] in ".)]}'\"" or (start and line[start - 1].isdigit()):
        return [], len(line), {}     # after a call, a subscript or a literal: never evaluated
    if dotted:
        names, types = _members(dotted[:-1], board, stubs, code)
        found = _sorted(names, word)
        return found, len(line) - len(word), types
    if not word:
        return [], len(line), {}
    on_board = _ask(board, "members", None) or {}
    builtins = stubs.members("builtins") or {}
    types = {name: builtins[name] for name in BUILTINS if name in builtins}
    types.update((name, board_type(name, kind)) for name, kind in on_board.items())
    types.update((k, "keyword") for k in keyword.kwlist)
    names = set(on_board) | set(BUILTINS) | _cell_names(code)
    found = _sorted(names | set(keyword.kwlist), word)
    return found, start, types


def _complete_module(typed, board, stubs, end):
    """Module names: the port's (from the stubs) and .py/.mpy files on the board."""
    package, _, partial = typed.rpartition(".")
    if package:
        names = {m[len(package) + 1:] for m in stubs.modules if m.startswith(package + ".")}
        folder = package.replace(".", "/")
        names |= _board_modules(board, folder, True) | _board_modules(board, "lib/" + folder, True)
    else:
        names = set(stubs.modules) | _board_modules(board, "", False) | _board_modules(board, "lib", True)
    found = _sorted({n.split(".")[0] for n in names}, partial)
    return found, end - len(partial), {m: "module" for m in found}


def _board_modules(board, folder, packages):
    """Importable names in a board folder: .py/.mpy files (and folders: packages)."""
    names = set()
    for name, is_dir in _ask(board, "listdir", folder) or []:
        stem, ext = os.path.splitext(name)
        if ext in (".py", ".mpy") or (is_dir and packages):
            names.add(stem if not is_dir else name)
    return names


def _members(expr, board, stubs, code):
    """(names, types) inside a dotted name. The board's answer counts: what
    the name holds there, else what the module the name comes from holds in
    the board's firmware (`machine.` before `import machine` ran), and an
    empty answer from the firmware means it has no such thing. Only when
    the board cannot answer (a cell runs) and never did, the stubs do."""
    stub_name = resolve(expr, code, stubs) or expr
    on_board = _ask(board, "members", expr) if safe_expression(expr) else None
    if on_board:
        return _board_members(on_board)
    if _importable(stub_name, stubs):
        in_firmware = _ask(board, "module_members", stub_name)
        if in_firmware is not None:
            return _board_members(in_firmware)
    known = stubs.members(stub_name) or {}
    return list(known), known


def _board_members(found):
    return list(found), {name: board_type(name, kind) for name, kind in found.items()}


def _importable(dotted, stubs):
    """True if completion may import the module a dotted name starts with:
    one of the port's modules, whose import does nothing else."""
    module = dotted.split(".")[0]
    return safe_expression(dotted) and module in stubs.modules and module not in NEVER_IMPORTED


def board_type(name, type_name):
    """The Jupyter completion type of a board value, from its type's name."""
    if type_name in BOARD_TYPES:
        return BOARD_TYPES[type_name]
    return "constant" if type_name in CONSTANT_TYPES and name.isupper() else "instance"


def _cell_names(code):
    """Names the cell itself defines: completion knows them before it runs."""
    found = set(re.findall(r"^\s*(?:def|class)\s+(\w+)", code, re.M))
    found |= set(re.findall(r"^\s*(\w+)\s*(?:=|\+=|-=)", code, re.M))
    found |= set(re.findall(r"^\s*for\s+(\w+)", code, re.M))
    for target, names in _imports(code).items():
        found.add(target)
    return found


def _imports(code):
    """{local name: dotted name} for the cell's imports: `from machine import
    Pin` gives Pin -> machine.Pin, `import machine as m` gives m -> machine."""
    found = {}
    for module, names in re.findall(r"^\s*from\s+([\w.]+)\s+import\s+\(?([^)#\n]*)", code, re.M):
        for part in names.split(","):
            bits = part.split()
            if bits and bits[0] != "*":
                found[bits[-1]] = f"{module}.{bits[0]}"
    for names in re.findall(r"^\s*import\s+([^#\n]+)", code, re.M):
        for part in names.split(","):
            bits = part.split()
            if bits:
                found[bits[-1] if len(bits) == 3 else bits[0].split(".")[0]] = \
                    bits[0] if len(bits) == 3 else bits[0].split(".")[0]
    return found


def resolve(expr, code, stubs):
    """The stubs' name for a dotted name of the cell, or None: `Pin.value`
    after `from machine import Pin`, or `led.value` after `led = Pin(25)`."""
    head, _, rest = expr.partition(".")
    imports = _imports(code)
    if head in imports:
        return imports[head] + ("." + rest if rest else "")
    made = re.findall(rf"^\s*{re.escape(head)}\s*=\s*([A-Za-z_][\w.]*)\(", code, re.M)
    if made:
        cls = resolve(made[-1], code, stubs) or made[-1]
        entry = stubs.describe(cls)
        if entry is not None and entry.kind == "class":
            return cls + ("." + rest if rest else "")
    if head in stubs.modules or stubs.describe("builtins." + head) is not None:
        return expr
    return None


def _in_string_or_comment(line):
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif line.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c == "#":
            return True
        elif c in "'\"":
            quote = line[i:i + 3] if line[i:i + 3] in ("'''", '"""') else c
            i += len(quote) - 1
        i += 1
    return quote is not None
