"""The board's heap (interpreter/memory.py): gc.mem_free() against the
board's RAM, MemoryError where the board would raise it."""

import time

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link

HEAP = 264 * 1024


@pytest.fixture
def raw():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        yield link


def run(link, code, timeout=5):
    out, err = raw_exec(link, code, timeout)
    assert err == "", err
    return out.replace("\r\n", "\n").strip()


def error(link, code):
    out, err = raw_exec(link, code)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]


def free(link):
    return int(run(link, "import gc\nprint(gc.mem_free())"))


def test_free_and_alloc_add_up_to_the_heap(raw):
    assert run(raw, "import gc\ngc.collect()\nprint(gc.mem_free() + gc.mem_alloc())") == str(HEAP)
    assert 250_000 < free(raw) < HEAP


def test_mem_free_falls_as_a_cell_allocates_and_rises_when_it_lets_go(raw):
    before = free(raw)
    run(raw, "buf = bytearray(10_000)")
    after = free(raw)
    assert 10_000 <= before - after <= 10_100
    run(raw, "table = [i * 1.5 for i in range(1000)]")       # 1000 boxed floats + the list
    assert 19_000 < after - free(raw) < 22_000
    run(raw, "del buf, table")
    assert abs(free(raw) - before) < 64


def test_objects_of_board_classes_are_counted(raw):
    before = free(raw)
    run(raw, "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n"
             "points = [Point(i, i) for i in range(500)]")
    assert before - free(raw) > 500 * 32


@pytest.mark.parametrize("code, size", [
    ("bytearray(10**6)", 1_000_016),
    ("bytes(300_000)", 300_016),
    ("[0] * 10**6", 4_000_016),
    ("'x' * 300_000", 300_032),
    ("(1, 2) * 100_000", 800_016),
])
def test_a_large_allocation_raises_memoryerror_before_it_happens(raw, code, size):
    assert error(raw, f"x = {code}") == f"MemoryError: memory allocation failed, allocating {size} bytes"
    assert run(raw, "print('x' in globals())") == "False"


def test_allocations_that_fit_work(raw):
    assert run(raw, "print(len(bytearray(100_000)), len([0] * 10_000), len('ab' * 1000))") == "100000 10000 2000"


def test_memoryerror_can_be_caught(raw):
    assert run(raw, "try:\n    b = bytearray(500_000)\nexcept MemoryError as e:\n    print('caught', e)") == \
        "caught memory allocation failed, allocating 500016 bytes"


def test_filling_the_heap_leaves_less_for_the_next_allocation(raw):
    run(raw, "a = bytearray(150_000)")
    assert error(raw, "b = bytearray(150_000)") == \
        "MemoryError: memory allocation failed, allocating 150016 bytes"
    run(raw, "del a\nb = bytearray(150_000)")


def test_growth_in_a_loop_is_stopped_by_memoryerror(raw):
    start = time.monotonic()
    out, err = raw_exec(raw, "data = []\nwhile True:\n    data.append(str(len(data)))", timeout=10)
    assert err.startswith('Traceback (most recent call last):\r\n  File "<stdin>", line 3')
    assert err.rsplit("\r\n", 2)[-2].startswith("MemoryError: memory allocation failed, allocating ")
    assert time.monotonic() - start < 3
    assert run(raw, "import gc\nprint(gc.mem_free())") == "0"
    run(raw, "del data")
    assert free(raw) > 250_000


def test_heap_lock(raw):
    assert run(raw, "import micropython\nmicropython.heap_lock()\ntry:\n    bytearray(1)\n"
                    "except MemoryError as e:\n    print(e)\nprint(micropython.heap_unlock())") == \
        "memory allocation failed, heap is locked\n0"


def test_guarded_types_are_still_the_types(raw):
    assert run(raw, "print(isinstance(b'x', bytes), isinstance(bytearray(1), bytearray), "
                    "type(b'') == bytes, bytes.fromhex('4142'), bytearray)") == \
        "True True True b'AB' <class 'bytearray'>"
    assert run(raw, "class Buf(bytearray):\n    pass\nb = Buf(b'ab')\nprint(b, isinstance(b, bytearray))") == \
        "Buf(b'ab') True"


def test_mem_info_reports_the_heap(raw):
    out = run(raw, "import micropython\nmicropython.mem_info()")
    assert f"GC: total: {HEAP}, used: " in out


def test_the_esp32_has_a_smaller_heap():
    with sim_link("sim://esp32?time=virtual") as link:
        enter_raw(link)
        assert error(link, "b = bytearray(200_000)") == \
            "MemoryError: memory allocation failed, allocating 200016 bytes"
