"""MicroPython's language on the simulated board, as its firmware has it: the
compiler's verdict on syntax, the modules, the traceback's form and words."""

import pytest

from boardlab.interpreter.testing import raw_exec
from conftest import board_fixture

TB = "Traceback (most recent call last):\r\n"


raw = board_fixture("sim://pico", scope="module")  # one board for the module's tests


def error_of(link, code):
    out, err = raw_exec(link, code)
    return err


# ---- syntax: MicroPython's compiler decides ------------------------------

@pytest.mark.parametrize("code, line", [
    ("x = 1\nmatch x:\n    case 1:\n        pass", 2),
    ("try:\n    pass\nexcept* ValueError:\n    pass", 3),
    ("x = (\n", 2),
])
def test_cpython_only_syntax_is_a_syntax_error(raw, code, line):
    assert error_of(raw, code) == f'{TB}  File "<stdin>", line {line}\r\nSyntaxError: invalid syntax\r\n'


def test_star_in_list_display_is_rejected_with_micropythons_message(raw):
    assert error_of(raw, "a = [1]\nb = [*a]") == (
        f'{TB}  File "<stdin>", line 2, in <module>\r\nSyntaxError: *x must be assignment target\r\n')


def test_indentation_error(raw):
    assert error_of(raw, "x = 1\n  y = 2") == f'{TB}  File "<stdin>", line 2\r\nIndentationError: unexpected indent\r\n'


def test_micropython_decorators_compile(raw):
    # @micropython.native runs (as bytecode: the simulated board has no native
    # emitter); viper is refused at compile time, saying why.
    code = "import micropython\n@micropython.native\ndef f(x):\n    return x + 1\nprint(f(1))"
    assert raw_exec(raw, code) == ("2\r\n", "")
    assert error_of(raw, "import micropython\n@micropython.viper\ndef g(x: int) -> int:\n    return x * 2").endswith(
        "SyntaxError: the simulated board has no native code emitter: viper and assembler code run on a "
        "real board\r\n")


# ---- imports --------------------------------------------------------------

@pytest.mark.parametrize("module", ["numpy", "itertools", "socket", "threading", "pathlib"])
def test_modules_the_firmware_lacks_do_not_import(raw, module):
    assert error_of(raw, f"import {module}") == (
        f"{TB}  File \"<stdin>\", line 1, in <module>\r\nImportError: no module named '{module}'\r\n")


def test_firmware_modules_and_u_aliases_import(raw):
    code = ("import math, cmath, json, re, struct, binascii, hashlib, random, collections, io\n"
            "import errno, select, heapq, array, asyncio, uasyncio, builtins, machine, rp2\n"
            "import utime, time, uos, os, ujson, usys, sys, gc, micropython\n"
            "print(utime is time, uos is os, ujson is json, uasyncio.run is asyncio.run, usys is sys)")
    assert raw_exec(raw, code) == ("True True True True True\r\n", "")


def test_stdlib_modules_show_micropythons_names_only(raw):
    out, err = raw_exec(raw, "import json, random\nprint(hasattr(json, 'JSONDecoder'), hasattr(random, 'choices'),"
                             " json.loads('[1]'), random.randint(1, 1))")
    assert (out, err) == ("False False [1] 1\r\n", "")


def test_cpython_only_builtins_are_absent(raw):
    for name in ("ascii", "breakpoint", "FileNotFoundError", "exit"):
        assert error_of(raw, f"{name}").endswith(f"NameError: name '{name}' isn't defined\r\n")


def test_flash_modules_compile_as_the_board_compiles_them(raw):
    raw_exec(raw, "f = open('lib.py', 'w')\nf.write('def g():\\n    return 1 / 0\\n')\nf.close()")
    assert error_of(raw, "import lib\nlib.g()") == (
        f'{TB}  File "<stdin>", line 2, in <module>\r\n  File "lib.py", line 2, in g\r\n'
        "ZeroDivisionError: divide by zero\r\n")
    raw_exec(raw, "f = open('bad.py', 'w')\nf.write('x = 1\\nmatch x:\\n    case 1: pass\\n')\nf.close()")
    assert error_of(raw, "import bad") == (
        f'{TB}  File "<stdin>", line 1, in <module>\r\n  File "bad.py", line 2\r\nSyntaxError: invalid syntax\r\n')


def test_packages_and_lib_folder_on_flash(raw):
    raw_exec(raw, "import os\nos.mkdir('lib')\nos.mkdir('lib/pkg')\n"
                  "with open('lib/pkg/__init__.py', 'w') as f:\n    f.write('from .core import value\\n')\n"
                  "with open('lib/pkg/core.py', 'w') as f:\n    f.write('value = 42\\n')")
    assert raw_exec(raw, "import pkg\nfrom pkg import core\nprint(pkg.value, core.value)") == ("42 42\r\n", "")


# ---- traceback form and wording ------------------------------------------

def test_frames_name_functions(raw):
    code = "def f(x):\n    return g(x)\ndef g(x):\n    return x / 0\nf(1)"
    assert error_of(raw, code) == (
        f'{TB}  File "<stdin>", line 5, in <module>\r\n  File "<stdin>", line 2, in f\r\n'
        '  File "<stdin>", line 4, in g\r\nZeroDivisionError: divide by zero\r\n')


@pytest.mark.parametrize("code, last_line", [
    ("undefined_name", "NameError: name 'undefined_name' isn't defined"),
    ("{}['k']", "KeyError: k"),
    ("[][1]", "IndexError: list index out of range"),
    ("1 + 'a'", "TypeError: unsupported types for __add__: 'int', 'str'"),
    ("'a' + 1", "TypeError: unsupported types for __add__: 'str', 'int'"),
    ("int('x')", "ValueError: invalid syntax for integer with base 10"),
    ("import time\ntime.nothing", "AttributeError: 'module' object has no attribute 'nothing'"),
    ("raise ValueError", "ValueError: "),
    ("raise OSError(2)", "OSError: [Errno 2] ENOENT"),
    ("class MyError(Exception): pass\nraise MyError('mine')", "MyError: mine"),
    ("def f(): f()\nf()", "RuntimeError: maximum recursion depth exceeded"),
    ("open('missing.txt')", "OSError: [Errno 2] ENOENT"),
])
def test_last_line_uses_micropythons_words(raw, code, last_line):
    assert error_of(raw, code).endswith(last_line + "\r\n")


def test_print_exception_prints_the_board_form(raw):
    code = "import sys\ntry:\n    1/0\nexcept Exception as e:\n    sys.print_exception(e)"
    assert raw_exec(raw, code) == (
        f'{TB}  File "<stdin>", line 3, in <module>\r\nZeroDivisionError: divide by zero\r\n', "")


def test_a_loop_of_a_million_steps_runs(raw):
    out, err = raw_exec(raw, "s = 0\nfor i in range(1000000):\n    s += i\nprint(s)", timeout=30)
    assert (out, err) == ("499999500000\r\n", "")


def test_dotted_imports_bind_the_package(raw):
    raw_exec(raw, "import os\nos.mkdir('dpkg')\nwith open('dpkg/mod.py', 'w') as f:\n    f.write('v = 3\\n')")
    assert raw_exec(raw, "import dpkg.mod\nprint(dpkg.mod.v)") == ("3\r\n", "")
    assert error_of(raw, "import os.path").endswith("ImportError: no module named 'os.path'\r\n")
