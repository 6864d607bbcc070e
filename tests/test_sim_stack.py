"""The board's C stack: Python recursion reaches about the depth it reaches
on the board, and runs out as on the board, with RuntimeError; deep
recursion in C (the compiler, printing) raises too, and never crashes the
board (interpreter/port/README.md: the C stack per board)."""

import pytest

from boardlab.interpreter.testing import raw_exec
from conftest import error, run

DEPTH = """\
depth = 0
def plain(n):
    global depth
    depth = n
    return plain(n + 1)
class Node:
    def walk(self, n):
        global depth
        depth = n
        return self.walk(n + 1)
def nested(n):
    global depth
    depth = n
    yield from nested(n + 1)
for name, start in (('plain', lambda: plain(1)), ('method', lambda: Node().walk(1)),
                    ('generator', lambda: next(nested(1)))):
    try:
        start()
    except RuntimeError as e:
        print(name, depth, e)
"""


def depths(link):
    lines = run(link, DEPTH).split("\n")
    assert all(line.endswith(" maximum recursion depth exceeded") for line in lines)
    return {line.split()[0]: int(line.split()[1]) for line in lines}


def test_a_pico_recurses_about_30_calls_deep(raw):
    # Thumb frames of one Python call, 7936 bytes of stack (README.md): about
    # 30 calls of a function, 28 of a method, 37 of a generator.
    found = depths(raw)
    assert 27 <= found["plain"] <= 33
    assert 25 <= found["method"] <= 31
    assert 25 <= found["generator"] <= 40


def test_the_picow_has_the_picos_stack(picow):
    assert 27 <= depths(picow)["plain"] <= 33


def test_an_esp32_recurses_about_50_calls_deep(esp32):
    found = depths(esp32)
    assert 46 <= found["plain"] <= 56
    assert 42 <= found["method"] <= 52


def test_infinite_recursion_has_a_short_traceback(raw):
    out, err = raw_exec(raw, "def f(n):\n    return f(n + 1)\nf(0)")
    lines = err.split("\r\n")
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1] == '  File "<stdin>", line 3, in <module>'
    assert set(lines[2:-2]) == {'  File "<stdin>", line 2, in f'}
    assert 25 <= len(lines) - 4 <= 35
    assert lines[-2:] == ["RuntimeError: maximum recursion depth exceeded", ""]
    assert run(raw, "print('still here')") == "still here"


@pytest.mark.parametrize("code", [
    "exec('x = ' + '[' * 1000 + ']' * 1000)",                  # the compiler descends each level
    "l = []\nfor i in range(3000):\n    l = [l]\nprint(l)",       # printing does
    "d = {}\nfor i in range(3000):\n    d = {1: d}\nx = repr(d)",
    "import json\nl = []\nfor i in range(3000):\n    l = [l]\njson.dumps(l)",
])
def test_deep_recursion_in_c_raises(raw, code):
    assert error(raw, code, timeout=20) == "RuntimeError: maximum recursion depth exceeded"
    assert run(raw, "print('still here')") == "still here"


def test_nesting_a_board_compiles(raw):
    assert run(raw, "exec('x = ' + '[' * 50 + ']' * 50)\nl = []\nfor i in range(20):\n    l = [l]\n"
                    "print(str(l) == '[' * 21 + ']' * 21)") == "True"
