"""The MicroPython API of a board's port, read from the `micropython-<port>-stubs`
packages: .pyi files that carry the MicroPython documentation as docstrings.

Completion asks it for module names and members when the board cannot answer
(a cell is running); Shift-Tab asks it for signatures and docs. The .pyi files
are read with `ast`, not imported and not given to jedi: jedi resolves `time`,
`math`, `random`... to CPython's typeshed, whatever the sys_path says.

Where the stubs come from, first found wins:
  1. $BOARDLAB_STUBS: folders (os.pathsep-separated) holding .pyi files;
  2. <user cache>/boardlab/stubs/<family>, filled by `install_stubs(port)`
     (the command `boardlab stubs PORT`);
  3. the installed distribution micropython-<family>-stubs, else any installed
     micropython-*-stubs (same core API, other port), with micropython-stdlib-stubs.
"""

import ast
import functools
import importlib.metadata
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# sys.platform on a board -> the stubs family (the package name's middle part).
PORT_FAMILY = {"pyboard": "stm32", "linux": "unix", "darwin": "unix"}

# Stub-only helpers that are not modules on any board.
HIDDEN_MODULES = {"__builtins__", "_mpy_shed", "_typeshed", "_boot", "_boot_fat",
                  "typing", "typing_extensions", "stdlib"}


def family(port):
    return PORT_FAMILY.get(port, port or "")


def stubs_home():
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "boardlab" / "stubs"


def install_stubs(port, python=sys.executable):
    """pip-install micropython-<family>-stubs into the private stubs folder of
    that family (so ports never overwrite each other's machine.pyi). Returns
    the folder; raises subprocess.CalledProcessError if pip fails."""
    folder = stubs_home() / family(port)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade",
                    "--target", str(folder), f"micropython-{family(port)}-stubs"],
                   check=True)
    for_port.cache_clear()
    return folder


@dataclass
class Entry:
    """What Shift-Tab shows about one name of the API."""
    name: str                 # dotted, as resolved: machine.Pin.value
    kind: str                 # module, class, function, constant
    signatures: list = field(default_factory=list)
    doc: str = ""
    module: str = ""


class Stubs:
    """The stub files of one port: `roots` are searched in order for
    `name.pyi` or `name/__init__.pyi`; `modules` are the board's module names."""

    def __init__(self, roots, modules, port="", source=""):
        self.roots = [Path(r) for r in roots]
        self.modules = set(modules)
        self.port = port
        self.source = source
        self._trees = {}

    # -- files -------------------------------------------------------------

    def tree(self, module):
        """The parsed .pyi of a dotted module name, or None."""
        if module not in self._trees:
            self._trees[module] = None
            parts = module.split(".")
            for root in self.roots:
                for path in (root.joinpath(*parts).with_suffix(".pyi"),
                             root.joinpath(*parts, "__init__.pyi")):
                    if path.is_file():
                        try:
                            self._trees[module] = ast.parse(path.read_text("utf-8"))
                        except (SyntaxError, OSError, UnicodeDecodeError):
                            continue
                        return self._trees[module]
        return self._trees[module]

    # -- names -------------------------------------------------------------

    def _available(self, node):
        """False for names marked @mp_available(port=...) for other ports."""
        for deco in getattr(node, "decorator_list", []):
            if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "mp_available":
                for kw in deco.keywords:
                    if kw.arg == "port" and self.port:
                        ports = ast.literal_eval(kw.value)
                        ports = [ports] if isinstance(ports, str) else list(ports)
                        if "*" not in ports and self.port not in ports:
                            return False
        return True

    def _scope(self, body, module, depth=0):
        """name -> list of (node, module, doc) defined in a module or class body,
        following public re-exports (`from x import *`, `from x import a as a`)."""
        names = {}
        previous = None
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if self._available(node):
                    names.setdefault(node.name, []).append((node, module, ""))
            elif isinstance(node, (ast.AnnAssign, ast.Assign)):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                alias = "TypeAlias" in ast.unparse(getattr(node, "annotation", None) or ast.Pass()) \
                    or "TypeVar(" in ast.unparse(node.value or ast.Pass())
                for target in targets:
                    if isinstance(target, ast.Name) and not alias:
                        names[target.id] = [(node, module, "")]
            elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                  and isinstance(node.value.value, str) and previous is not None
                  and isinstance(previous, (ast.AnnAssign, ast.Assign))):
                for entries in names.values():
                    if entries[-1][0] is previous:
                        entries[-1] = (previous, module, node.value.value)
            elif isinstance(node, ast.ImportFrom) and depth < 4 and node.module:
                source = "." * node.level + node.module
                if node.level:
                    source = ".".join(module.split(".")[:-node.level] + [node.module])
                for alias_ in node.names:
                    if alias_.name == "*":
                        tree = self.tree(source)
                        if tree is not None:
                            for name, entries in self._scope(tree.body, source, depth + 1).items():
                                names.setdefault(name, entries)
                    elif alias_.asname == alias_.name:
                        found = self._resolve(source, [alias_.name], depth + 1)
                        if found:
                            names[alias_.asname] = found
            previous = node
        return names

    def _members(self, found, depth=0):
        """The names inside a module or class that `found` resolved to."""
        node, module, _ = found[0]
        if isinstance(node, str):                       # a module
            tree = self.tree(node)
            names = self._scope(tree.body, node) if tree else {}
            prefix = node + "."
            for sub in self.modules:
                if sub.startswith(prefix) and "." not in sub[len(prefix):]:
                    names.setdefault(sub[len(prefix):], [(sub, sub, "")])
            return names
        if isinstance(node, ast.ClassDef):
            names = {}
            if depth < 4:
                for base in node.bases:
                    base_found = self._resolve(module, ast.unparse(base).split("."), depth + 1)
                    if base_found and isinstance(base_found[0][0], ast.ClassDef):
                        names.update(self._members(base_found, depth + 1))
            names.update(self._scope(node.body, module))
            return names
        return {}

    def _resolve(self, module, path, depth=0):
        """Resolve the names `path` inside `module`: list of (node, module, doc),
        where node is a module name (str) for modules."""
        if depth > 6:
            return None
        found = [(module, module, "")]
        for name in path:
            if isinstance(found[0][0], str) and f"{found[0][0]}.{name}" in self.modules:
                found = [(f"{found[0][0]}.{name}",) * 2 + ("",)]
                continue
            found = self._members(found, depth).get(name)
            if not found:
                return None
        return found

    def lookup(self, dotted):
        """(module, found) for a dotted name such as `machine.Pin.value`."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if self.tree(module) is not None:
                found = self._resolve(module, parts[cut:])
                return (module, found) if found else (module, None)
        found = self._resolve("builtins", parts)
        return ("builtins", found) if found else (None, None)

    def members(self, dotted):
        """{name: kind} of a module or class, or None if the stubs do not know it."""
        module, found = self.lookup(dotted)
        if not found or not (isinstance(found[0][0], str) or isinstance(found[0][0], ast.ClassDef)):
            return None
        return {name: _kind(entries[0][0]) for name, entries in self._members(found).items()
                if not name.startswith("__")}

    def describe(self, dotted):
        """The Entry for a dotted name, or None."""
        module, found = self.lookup(dotted)
        if not found:
            return None
        node, where, doc = found[0]
        kind = _kind(node)
        entry = Entry(dotted, kind, module=where)
        if kind == "module":
            tree = self.tree(node)
            entry.doc = _clean(ast.get_docstring(tree) or "") if tree else ""
        elif kind == "class":
            members = self._members(found)
            init = members.get("__init__") or members.get("__new__") or []
            short = dotted.rsplit(".", 1)[-1]
            entry.signatures = [_signature(short, n, True, constructor=True) for n, _, _ in init
                                if isinstance(n, ast.FunctionDef)] or [f"{short}()"]
            docs = [ast.get_docstring(node) or ""] + [ast.get_docstring(n) or "" for n, _, _ in init[:1]]
            entry.doc = "\n\n".join(d for d in dict.fromkeys(docs) if d)
        elif kind == "function":
            short = dotted.rsplit(".", 1)[-1]
            method = isinstance(found[0][0], ast.FunctionDef) and self._is_method(dotted)
            entry.signatures = [_signature(short, n, method) for n, _, _ in found]
            entry.doc = "\n\n".join(dict.fromkeys(ast.get_docstring(n) or "" for n, _, _ in found)).strip()
        else:
            annotation = getattr(node, "annotation", None)
            short = dotted.rsplit(".", 1)[-1]
            entry.signatures = [f"{short}: {ast.unparse(annotation)}" if annotation else short]
            entry.doc = (doc or "").strip()
        return entry

    def _is_method(self, dotted):
        parent = dotted.rsplit(".", 1)[0] if "." in dotted else ""
        _, found = self.lookup(parent) if parent else (None, None)
        return bool(found) and isinstance(found[0][0], ast.ClassDef)

    def find_class(self, name):
        """The dotted name of a class called `name` in the port's modules
        (`Pin` -> `machine.Pin`), for objects whose type the board reports."""
        def defines(module):
            tree = self.tree(module)
            return tree is not None and any(
                isinstance(n, ast.ClassDef) and n.name == name for n in tree.body)
        order = ["machine", "builtins"] + sorted(
            m for m in self.modules if not m.startswith(("u", "_")) and m != "machine")
        return next((f"{m}.{name}" for m in order if defines(m)), None)


def _kind(node):
    if isinstance(node, str):
        return "module"
    if isinstance(node, ast.ClassDef):
        return "class"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        decorators = {ast.unparse(d) for d in node.decorator_list}
        return "constant" if "property" in decorators else "function"
    return "constant"


def _signature(name, node, method, constructor=False):
    """`value(x: Any, /) -> None`: a def's parameters, without self for methods."""
    args = node.args
    positional = [(a, "pos") for a in args.posonlyargs] + [(a, "") for a in args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    static = any(ast.unparse(d) == "staticmethod" for d in node.decorator_list)
    params = []
    for index, ((arg, kind), default) in enumerate(zip(positional, defaults)):
        if index == 0 and method and not static:
            continue
        params.append(_param(arg, default))
        if kind == "pos" and index == len(args.posonlyargs) - 1:
            params.append("/")
    if args.vararg:
        params.append("*" + _param(args.vararg, None))
    elif args.kwonlyargs:
        params.append("*")
    params += [_param(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append("**" + _param(args.kwarg, None))
    text = f"{name}({', '.join(params)})"
    if node.returns is not None and not constructor:
        text += f" -> {ast.unparse(node.returns)}"
    return text


def _param(arg, default):
    text = arg.arg + (f": {ast.unparse(arg.annotation)}" if arg.annotation else "")
    if default is not None:
        text += (" = " if arg.annotation else "=") + ast.unparse(default)
    return text


def _clean(doc):
    """Drop the stubber's footer (`---\\nModule: 'time' on micropython-v1.29...`)."""
    return doc.split("\n---\nModule:")[0].strip()


def _modules_of(root, files):
    """Module names of .pyi files (paths relative to root) that a board has."""
    names = set()
    for rel in files:
        rel = Path(rel)
        if rel.suffix != ".pyi":
            continue
        parts = rel.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and parts[0] not in HIDDEN_MODULES:
            names.add(".".join(parts))
    # uos.pyi says `from os import *`: the port has `os` (typed in the stdlib stubs).
    for name in list(names):
        if name.startswith("u") and (root / f"{name}.pyi").is_file():
            text = (root / f"{name}.pyi").read_text("utf-8", "replace")
            for line in text.splitlines():
                if line.startswith("from ") and line.endswith(" import *"):
                    names.add(line.split()[1])
    return names


def _distribution(name):
    try:
        return importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _installed_port_stubs(wanted):
    """The installed micropython-<family>-stubs distribution, else any other port's."""
    dist = _distribution(f"micropython-{wanted}-stubs")
    if dist is not None:
        return dist
    others = sorted(d.metadata["Name"] for d in importlib.metadata.distributions()
                    if (d.metadata["Name"] or "").startswith("micropython-")
                    and d.metadata["Name"].endswith("-stubs")
                    and d.metadata["Name"] != "micropython-stdlib-stubs")
    return _distribution(others[0]) if others else None


@functools.lru_cache(maxsize=8)
def for_port(port):
    """The Stubs for a board's sys.platform ('rp2', 'esp32', ...); an empty
    Stubs (knows nothing) if no stubs are installed."""
    wanted = family(port)
    folders = [Path(p) for p in os.environ.get("BOARDLAB_STUBS", "").split(os.pathsep) if p]
    if (stubs_home() / wanted).is_dir():
        folders.append(stubs_home() / wanted)
    for folder in folders:
        if folder.is_dir():
            files = [p.relative_to(folder) for p in folder.rglob("*.pyi")]
            roots = [folder, folder / "stdlib"]
            return Stubs(roots, _modules_of(folder, files), wanted, f"stubs in {folder}")
    dist = _installed_port_stubs(wanted)
    if dist is None:
        return Stubs([], set(), wanted, "no MicroPython stubs installed")
    root = Path(dist.locate_file(""))
    roots = [root]
    stdlib = _distribution("micropython-stdlib-stubs")
    if stdlib is not None:
        roots += [Path(stdlib.locate_file("stdlib")), Path(stdlib.locate_file(""))]
    source = f"{dist.metadata['Name']} {dist.version}"
    if not dist.metadata["Name"].startswith(f"micropython-{wanted}-"):
        source += f" (the board is {port}: `boardlab stubs {port}` fetches its own)"
    return Stubs(roots, _modules_of(root, dist.files or []), wanted, source)
