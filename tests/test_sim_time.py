"""The time module as MicroPython documents it: sleeps, ticks that wrap,
the RTC's wall clock, and its errors."""

import pytest

from boardlab.interpreter.testing import enter_raw, sim_link
from conftest import run, error


# raw: conftest's (a Pico on virtual time, in the raw REPL).


def test_sleeps_in_seconds_ms_and_us(raw):
    assert run(raw, "import time\nt = time.ticks_us()\ntime.sleep(0.5)\ntime.sleep_ms(20)\ntime.sleep_us(300)\n"
                    "print(time.ticks_diff(time.ticks_us(), t) // 100)") == "5203"


@pytest.mark.parametrize("code, message", [
    ("time.sleep_ms(1.5)", "TypeError: can't convert float to int"),
    ("time.sleep('1')", "TypeError: can't convert str to float"),
    ("time.ticks_add(0, 1 << 29)", "OverflowError: ticks interval overflow"),
])
def test_errors(raw, code, message):
    assert error(raw, "import time\n" + code) == message


def test_ticks_arithmetic(raw):
    assert run(raw, "import time\nM = 1 << 30\nprint(time.ticks_diff(time.ticks_add(M - 10, 20), M - 10), "
                    "time.ticks_diff(5, M - 5), time.ticks_add(1, -2) == M - 1)") == "20 10 True"
    assert run(raw, "a = time.ticks_cpu()\nb = time.ticks_cpu()\nprint(time.ticks_diff(b, a) > 0)") == "True"


def test_gmtime_localtime_mktime(raw):
    assert run(raw, "import time\nprint(time.gmtime(0))\nprint(time.localtime(1700000000))\n"
                    "print(time.mktime((2024, 2, 29, 12, 0, 0, 0, 0)))") == \
        "(1970, 1, 1, 0, 0, 0, 3, 1)\n(2023, 11, 14, 22, 13, 20, 1, 318)\n1709208000"


@pytest.mark.parametrize("board, start, epoch", [
    ("pico", "(2021, 1, 1, 0, 0, 0, 4, 1)", 1609459200),
    ("esp32", "(2000, 1, 1, 0, 0, 0, 5, 1)", 0),
])
def test_the_rtc_starts_at_the_ports_power_on_date(board, start, epoch):
    # ports/rp2/main.c starts the RTC at 2021-01-01; the ESP32's starts at its
    # epoch, 2000-01-01, and counts time.time() from there.
    with sim_link(f"sim://{board}?time=virtual") as link:
        enter_raw(link)
        assert run(link, "import time\nprint(time.localtime(time.time() - time.ticks_ms() // 1000), "
                         "time.time() - time.ticks_ms() // 1000)") == f"{start} {epoch}"


def test_the_same_cells_give_the_same_times():
    def times():
        with sim_link("sim://pico?time=virtual") as link:
            enter_raw(link)
            return run(link, "import time\nt = time.ticks_us()\nfor i in range(3):\n    time.sleep_ms(7)\n"
                             "x = sum(range(1000))\nprint(time.ticks_diff(time.ticks_us(), t), time.time_ns())")
    assert times() == times()
