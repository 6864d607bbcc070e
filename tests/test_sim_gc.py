"""The simulated board's GC is sound: objects that C code holds while it calls
back into the VM, or while it evaluates a call's other arguments, survive
collections (interpreter/port/README.md, "The GC and wasm").

Each program runs on the board with gc.threshold() so low that a collection
happens every few allocations, in every C frame the program passes through:
a pointer the GC could not see would be freed and reused, and the program's
result would differ from what CPython computes for the same code.
"""

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link
from conftest import board_fixture

# Every program prints one line: a checksum of what it built. CPython runs
# the same code (without the gc calls) to give the expected line.
PROGRAMS = {
    "arguments built by calls": """
def pair(a, b):
    return (a, b)
def mk(n):
    return [str(i) * 3 for i in range(n)]
total = []
for r in range(60):
    t = pair(mk(20), pair(mk(5), str(r) * 7))
    total.append(len(t[0]) + len(t[1][0]) + len(t[1][1]) + int(t[0][19][:2]))
result = sum(total)
""",
    "C calling back into Python": """
class Box:
    def __init__(self, v):
        self.v = [v, str(v)]
    def __lt__(self, other):
        return [self.v[1]] < [other.v[1]]
    def __repr__(self):
        return "Box(%s)" % ("".join(reversed(list(self.v[1]))))
boxes = sorted([Box(i * 7 % 101) for i in range(150)])
keyed = sorted((str(i) for i in range(200)), key=lambda s: (len(s), s[::-1] if False else s))
mapped = list(map(lambda s: s + "!" * (len(s) % 3), filter(lambda s: "3" in s, keyed)))
joined = ",".join(repr(b) for b in boxes[:40])
result = len(joined) * 1000 + len(mapped) + sum(len(s) for s in mapped) + boxes[-1].v[0]
""",
    "iterators and generators": """
def gen(n):
    for i in range(n):
        yield {"k": str(i), "l": [i] * (i % 5)}
class Count:
    def __init__(self, n):
        self.i, self.n = 0, n
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return (str(self.i), bytes(self.i % 17))
d = dict(zip([x["k"] for x in gen(120)], list(Count(120))))
s = set(str(len(v[1])) + k for k, v in d.items())
result = len(d) * 10000 + len(s) + sum(len(v[0]) for v in d.values())
""",
    "exceptions carrying objects": """
class Oops(Exception):
    pass
def fail(i):
    raise Oops([str(i)] * 3, {"i": str(i) * 2})
caught = []
for i in range(150):
    try:
        fail(i)
    except Oops as e:
        caught.append(e.args[0][2] + e.args[1]["i"])
result = sum(len(c) for c in caught) + int(caught[-1][:3])
""",
    "strings and formatting": """
parts = []
for i in range(200):
    parts.append("{}-{:>5}-{}".format(str(i), str(i * i), "%s/%d" % (str(i)[::-1] if False else str(i), i)))
text = "|".join(parts)
words = text.replace("-", " ").split()
result = len(text) + len(words) + len(set(words))
""",
}


def cpython_result(program):
    scope = {}
    exec(program, scope)
    return scope["result"]


board = board_fixture("sim://pico", scope="module")


@pytest.mark.parametrize("name", PROGRAMS)
def test_objects_survive_collections_in_every_frame(board, name):
    program = PROGRAMS[name]
    code = "import gc\ngc.collect()\ngc.threshold(256)\n" + program + \
        "\ngc.threshold(-1)\nprint(result)\n"
    out, err = raw_exec(board, code, timeout=120)
    assert err == ""
    assert out.strip() == str(cpython_result(program))


def test_memory_comes_back_after_a_cell():
    """What a cell built and dropped is free again in the next cell: no stale
    copy of a pointer keeps it (the idle firmware clears the dead stack)."""
    with sim_link("sim://pico") as board:
        enter_raw(board)
        memory_comes_back(board)


def memory_comes_back(board):
    before, err = raw_exec(board, "import gc\ngc.collect()\nprint(gc.mem_alloc())")
    assert raw_exec(board, "x = [str(i) * 10 for i in range(2000)]\ndel x") == ("", "")  # about 130 KB
    after, err = raw_exec(board, "gc.collect()\nprint(gc.mem_alloc())")
    assert err == ""
    assert int(after) - int(before) < 2000
