"""The board's heap: gc.mem_free() against the board's RAM, MemoryError where
the board raises it, and what happens when the heap is full, as on the
board's firmware (interpreter/port/README.md: the heap per board)."""

import os

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until
from conftest import banner, error, run

# What a Pico's micropython.mem_info() says: "GC: total: 233024".
HEAP = 233_024


def free(link):
    """gc.mem_free() after a collection (without one, garbage counts as used)."""
    return int(run(link, "import gc\ngc.collect()\nprint(gc.mem_free())"))


def test_free_and_alloc_add_up_to_the_heap(raw):
    assert run(raw, "import gc\ngc.collect()\nprint(gc.mem_free() + gc.mem_alloc())") == str(HEAP)
    assert 220_000 < free(raw) < HEAP


def test_mem_info_reports_the_heap(raw):
    out = run(raw, "import micropython\nmicropython.mem_info()")
    assert f"GC: total: {HEAP}, used: " in out


def test_mem_free_falls_as_a_cell_allocates_and_rises_when_it_lets_go(raw):
    before = free(raw)
    run(raw, "buf = bytearray(10_000)")
    after = free(raw)
    # The buffer, and the globals' dict growing; give or take a small block
    # or two that a stale pointer kept alive until now (the GC scans the
    # stack conservatively, as on a real board).
    assert 9_900 <= before - after <= 10_400
    run(raw, "table = [i * 1.5 for i in range(1000)]")       # 1000 boxed floats + the list
    assert 19_000 < after - free(raw) < 22_000
    run(raw, "del buf, table")
    assert abs(free(raw) - before) < 512             # the globals' dict stays grown


def test_objects_of_board_classes_are_counted(raw):
    before = free(raw)
    run(raw, "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n"
             "points = [Point(i, i) for i in range(500)]")
    assert before - free(raw) > 500 * 32


@pytest.mark.parametrize("code, size", [
    ("bytearray(10**6)", 1_000_000),
    ("bytes(300_000)", 300_001),          # and its terminating zero
    ("[0] * 10**6", 4_000_000),
    ("'x' * 300_000", 300_001),
    ("(1, 2) * 100_000", 800_008),        # the tuple's header and its items
])
def test_a_large_allocation_raises_memoryerror_before_it_happens(raw, code, size):
    assert error(raw, f"x = {code}") == f"MemoryError: memory allocation failed, allocating {size} bytes"
    assert run(raw, "print('x' in globals())") == "False"


def test_allocations_that_fit_work(raw):
    assert run(raw, "print(len(bytearray(100_000)), len([0] * 10_000), len('ab' * 1000))") == "100000 10000 2000"


def test_memoryerror_can_be_caught(raw):
    assert run(raw, "try:\n    b = bytearray(500_000)\nexcept MemoryError as e:\n    print('caught', e)") == \
        "caught memory allocation failed, allocating 500000 bytes"


def test_filling_the_heap_leaves_less_for_the_next_allocation(raw):
    run(raw, "a = bytearray(150_000)")
    assert error(raw, "b = bytearray(150_000)") == \
        "MemoryError: memory allocation failed, allocating 150000 bytes"
    run(raw, "del a\nb = bytearray(150_000)")


GROW_IN_A_FUNCTION = """\
def grow():
    data = []
    try:
        while True: data.append(str(len(data)))
    except MemoryError:
        return len(data)
print('caught', grow() > 1000)
"""

GROW_AT_TOP_LEVEL = """\
data = []
n = 0
try:
    while True:
        data.append(str(len(data)))
except MemoryError:
    n = len(data)
    data = None
    print('caught', n > 1000)
"""


@pytest.mark.parametrize("code", [GROW_IN_A_FUNCTION, GROW_AT_TOP_LEVEL], ids=["function", "top level"])
def test_growth_in_a_loop_is_stopped_by_memoryerror_in_its_own_try(raw, code):
    assert run(raw, code, timeout=20) == "caught True"


def test_what_a_function_grew_is_free_when_it_returns(raw):
    assert run(raw, GROW_IN_A_FUNCTION, timeout=20) == "caught True"
    assert run(raw, "print('after')") == "after"
    assert free(raw) > 220_000


def test_a_full_heap_holds_until_a_soft_reset(raw):
    out, err = raw_exec(raw, "data = []\nwhile True:\n    data.append(str(len(data)))", timeout=20)
    assert err.rstrip("\r\n").rsplit("\r\n", 1)[-1].startswith("MemoryError")
    # The heap is full with `data`: even the next cell has no room to compile.
    assert error(raw, "print(len(data))").startswith("MemoryError")
    raw.write(b"\x04")                          # Ctrl-D: a soft reset frees it all
    read_until(raw, b"raw REPL; CTRL-B to exit\r\n>")
    assert free(raw) > 220_000


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_extending_a_list_by_a_billion_ends_in_memoryerror_with_the_kernel_bounded(raw):
    before = resident_bytes()
    assert error(raw, "[].extend(range(10**9))", timeout=20).startswith("MemoryError")
    # The board's RAM is the chip's, not the kernel's: this process hardly grows.
    assert resident_bytes() - before < 50 << 20


def test_a_heap_too_full_for_the_repl_reboots_the_board(raw):
    # The chain fills every block (the 16-byte tuples the last ones); then
    # the raw REPL cannot grow its line buffer for a longer command. The
    # firmware's exception has nowhere to go: a fatal error, and the board
    # reboots from power-on.
    out, err = raw_exec(raw, "x = None\ntry:\n    while True:\n        x = [x]\nexcept MemoryError:\n    pass\n"
                             "while True:\n    x = (x,)", timeout=20)
    assert err.endswith("MemoryError: \r\n")
    raw.write(b"print('a longer command than any before, which needs a longer line buffer')  # "
              + b"." * 400 + b"\x04")
    text = read_until(raw, b">>> ", timeout=10)
    assert text.startswith(b"FATAL: uncaught exception ") and text.endswith(banner() + b">>> ")
    enter_raw(raw)
    assert run(raw, "print('x' in globals())") == "False"
    assert free(raw) > 220_000


def test_heap_lock(raw):
    # MemoryError's message needs the heap, or an emergency buffer long enough
    # for the message's decompressed text. (In a function: a global would
    # need the heap too.)
    run(raw, "import micropython\ndef allocate_locked():\n    micropython.heap_lock()\n    try:\n"
             "        bytearray(1)\n    except MemoryError as e:\n        print(e)\n"
             "    print(micropython.heap_unlock())")
    assert raw_exec(raw, "allocate_locked()") == ("\r\n0\r\n", "")
    assert run(raw, "micropython.alloc_emergency_exception_buf(256)\nallocate_locked()") == \
        "memory allocation failed, heap is locked\n0"


# ---- the ESP32: a heap that grows --------------------------------------------

def test_the_esp32_heap_starts_at_56k_and_grows_into_esp_idfs_free_ram(esp32):
    out = run(esp32, "import gc, micropython\nmicropython.mem_info()")
    assert "GC: total: 56000, used: " in out and "max new split: 110592" in out
    # gc.mem_free() counts what the heap could still grow by.
    assert 160_000 < free(esp32) < 56_000 + 110_592
    run(esp32, "b = bytearray(100_000)")
    assert "max new split: 110592" not in run(esp32, "micropython.mem_info()")
    assert error(esp32, "c = bytearray(120_000)") == \
        "MemoryError: memory allocation failed, allocating 120000 bytes"
    # An area that empties goes back to ESP-IDF at the next collection.
    out = run(esp32, "del b\ngc.collect()\nmicropython.mem_info()")
    assert "GC: total: 56000, used: " in out and "max new split: 110592" in out


def test_the_esp32_refuses_what_its_ram_cannot_hold(esp32):
    assert error(esp32, "b = bytearray(200_000)") == \
        "MemoryError: memory allocation failed, allocating 200000 bytes"


def test_the_picow_heap_is_smaller(picow):
    assert run(picow, "import gc\ngc.collect()\nprint(gc.mem_free() + gc.mem_alloc())") == "166016"
