"""One life of the board's MicroPython VM, from a soft reset to the next:
the globals, `sys.modules`, the current directory, and the import gate.

Board code imports only what the firmware has (see runtime.py) or what sits
on the flash as .py files, compiled through the same gate as cells.
Anything else: `ImportError: no module named 'numpy'`.
"""

import os
import random
import types

from . import runtime
from .compiler import compile_board
from .memory import Heap
from .mp_builtins import make_builtins
from .mp_os import BoardFileSystem
from .mp_sys import BoardStdin, BoardStdout
from .tracebacks import format_exception


class VM:
    def __init__(self, board):
        self.board = board
        self.cwd = "/"
        self.modules = {}                  # sys.modules
        self.path = ["", ".frozen", "/lib"]
        self.user_files = {"<stdin>", "<string>"}   # frames tracebacks show (<string>: exec/eval)
        self.user_modules = {"__main__"}
        self.kbd_intr_char = 3
        self.random = random.Random(board.seed)
        self.stdout = BoardStdout(board)
        self.stdin = BoardStdin(board)
        self.heap = Heap(self)
        self.fs = BoardFileSystem(self)
        self.open = self.fs.open
        self._factories = runtime.module_factories(board.definition.port)
        self.builtins = make_builtins(self)
        self.globals = {"__name__": "__main__", "__builtins__": self.builtins}

    # ---- running code ----------------------------------------------------

    def compile(self, source, filename="<stdin>", repl=False):
        code = compile_board(source, filename, repl, self.board.definition.mpy_arch)
        self.user_files.add(filename)
        return code

    def run(self, code):
        exec(code, self.globals)

    def format_exception(self, exc):
        return format_exception(exc, self.user_files, self.user_modules)

    def available_modules(self):
        return [name for name in self._factories if runtime.canonical_name(name) == name]

    # ---- the import gate -------------------------------------------------

    def import_(self, name, globals=None, locals=None, fromlist=(), level=0):
        if not level and not fromlist and name in self.modules and "." not in name:
            return self.modules[name]
        if level:
            name = self._absolute_name(name, globals, level)
        elif not name:
            raise ValueError("empty module name")
        parts = name.split(".")
        module = None
        for i in range(len(parts)):
            module = self._load(".".join(parts[: i + 1]), module)
        if fromlist:
            if hasattr(module, "__path__"):
                for item in fromlist:
                    if item != "*" and not hasattr(module, item):
                        try:
                            self._load(f"{module.__name__}.{item}", module)
                        except ImportError:
                            pass
            return module
        return self.modules[runtime.canonical_name(parts[0])]

    def _absolute_name(self, name, globals, level):
        globals = globals or {}
        package = globals.get("__package__")
        if package is None:
            package = globals.get("__name__", "")
            if "__path__" not in globals:
                package = package.rpartition(".")[0]
        if not package or package == "__main__":
            raise ImportError("can't perform relative import")
        bits = package.split(".")
        if level - 1 >= len(bits):
            raise ImportError("can't perform relative import")
        base = ".".join(bits[: len(bits) - (level - 1)])
        return f"{base}.{name}" if name else base

    def _load(self, fullname, parent):
        key = runtime.canonical_name(fullname) if parent is None else fullname
        module = self.modules.get(key)
        if module is not None:
            return module
        if parent is None:
            factory = self._factories.get(fullname)
            if factory is not None:
                module = factory(self)
                self.modules[key] = module
                return module
            folders = [entry for entry in self.path if entry != ".frozen"]
        elif hasattr(parent, "__path__"):
            folders = [parent.__path__]
        else:
            raise ImportError(f"no module named '{fullname}'")
        leaf = fullname.rpartition(".")[2]
        for folder in folders:
            module = self._load_from_flash(fullname, leaf, folder)
            if module is not None:
                if parent is not None:
                    setattr(parent, leaf, module)
                return module
        raise ImportError(f"no module named '{fullname}'")

    def _load_from_flash(self, fullname, leaf, folder):
        """A module from `folder` on flash: a package directory or a .py file."""
        fs = self.fs
        base = f"{folder}/{leaf}" if folder else leaf
        try:
            is_package = os.path.isdir(fs.host(base))
            is_file = not is_package and os.path.isfile(fs.host(base + ".py"))
            is_mpy = not (is_package or is_file) and os.path.isfile(fs.host(base + ".mpy"))
        except OSError:
            return None
        if is_mpy:
            raise ImportError(f"can't import {base}.mpy: the simulated board runs .py files only")
        if not (is_package or is_file):
            return None
        module = types.ModuleType(fullname)
        self.modules[fullname] = module
        try:
            if is_package:
                module.__path__ = base
                if os.path.isfile(fs.host(base + "/__init__.py")):
                    self._exec_file(module, base + "/__init__.py")
            else:
                self._exec_file(module, base + ".py")
        except BaseException:
            self.modules.pop(fullname, None)
            raise
        return module

    def _exec_file(self, module, filename):
        with open(self.fs.host(filename), "rb") as file:
            source = file.read()
        code = self.compile(source, filename)
        self.user_modules.add(module.__name__)
        namespace = module.__dict__
        namespace["__builtins__"] = self.builtins
        namespace["__file__"] = filename
        exec(code, namespace)
