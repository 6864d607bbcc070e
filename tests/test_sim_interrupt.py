"""Ctrl-C while board code runs: busy loops, sleeps, stdin reads, another thread."""

import threading
import time

import pytest

from boardlab.interpreter.console import Console
from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link
from conftest import board_fixture
from waiting import wait_until

KBD_TAIL = b"KeyboardInterrupt: \r\n\x04>"
# Ctrl-C ends code at once, as a user sees it; the margin is for a loaded
# machine (a Ctrl-C that waited for a sleep's end, 30 s here, takes far longer).
PROMPTLY = 2.0


raw = board_fixture("sim://pico")  # real time


def interrupt_after_start(link, code, marker=b"started\r\n"):
    link.write(code.encode() + b"\x04")
    read_until(link, b"OK" + marker)
    start = time.monotonic()
    link.write(b"\x03")
    result = read_until(link, b"\x04>")
    return result, time.monotonic() - start


def test_busy_loop_is_interrupted(raw):
    result, took = interrupt_after_start(raw, "print('started')\nwhile True:\n    pass")
    assert result == (b"\x04Traceback (most recent call last):\r\n"
                      b"  File \"<stdin>\", line 2, in <module>\r\n" + KBD_TAIL) or \
        result == (b"\x04Traceback (most recent call last):\r\n"
                   b"  File \"<stdin>\", line 3, in <module>\r\n" + KBD_TAIL)
    assert took < PROMPTLY
    assert raw_exec(raw, "print('after')") == ("after\r\n", "")


def test_busy_loop_in_a_function_names_the_function(raw):
    code = "def spin():\n    while True:\n        pass\nprint('started')\nspin()"
    result, _ = interrupt_after_start(raw, code)
    assert b'  File "<stdin>", line 5, in <module>\r\n  File "<stdin>", line ' in result
    assert b", in spin\r\n" + KBD_TAIL in result


@pytest.mark.parametrize("wait", ["time.sleep(30)", "time.sleep_ms(30000)", "sys.stdin.read(1)", "input()"])
def test_blocking_calls_end_at_once(raw, wait):
    result, took = interrupt_after_start(raw, f"import time, sys\nprint('started')\n{wait}")
    assert result.startswith(b"\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 3, in <module>\r\n")
    assert result.endswith(KBD_TAIL)
    assert took < PROMPTLY


def test_caught_interrupt_lets_code_continue(raw):
    code = "import time\ntry:\n    print('started')\n    time.sleep(30)\nexcept KeyboardInterrupt:\n    print('caught')"
    raw.write(code.encode() + b"\x04")
    read_until(raw, b"OKstarted\r\n")
    raw.write(b"\x03")
    assert read_until(raw, b"\x04>") == b"caught\r\n\x04\x04>"


def test_kbd_intr_off_makes_ctrl_c_plain_data(raw):
    code = "import micropython, sys\nmicropython.kbd_intr(-1)\nprint('started')\nprint(repr(sys.stdin.read(1)))"
    raw.write(code.encode() + b"\x04")
    read_until(raw, b"OKstarted\r\n")
    raw.write(b"\x03")
    assert read_until(raw, b"\x04>") == b"'\\x03'\r\n\x04\x04>"
    # only for that run: the next one is interruptible again
    result, _ = interrupt_after_start(raw, "print('started')\nwhile True: pass")
    assert result.endswith(KBD_TAIL)


def test_ctrl_c_from_another_thread_while_a_reader_blocks():
    with sim_link(timeout=None) as link:
        enter_raw(link)
        link.write(b"print('started')\nwhile True: pass\x04")
        read_until(link, b"OKstarted\r\n")
        got = bytearray()
        reading = threading.Event()

        def reader():
            while not got.endswith(b"\x04>"):
                reading.set()
                got.extend(link.read(1))      # blocks with no timeout

        thread = threading.Thread(target=reader)
        thread.start()
        assert reading.wait(2)
        link.write(b"\x03")
        thread.join(2)
        assert not thread.is_alive()
        assert got.endswith(KBD_TAIL)


def test_cancel_read_releases_a_blocked_reader():
    with sim_link(timeout=None) as link:
        results = []
        reading = threading.Event()

        def reader():
            reading.set()
            results.append(link.read(10))

        thread = threading.Thread(target=reader)
        thread.start()
        assert reading.wait(2)
        link.cancel_read()
        thread.join(2)
        assert not thread.is_alive() and results == [b""]


def test_close_stops_a_busy_board_quickly():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"while True: pass\x04")
        read_until(link, b"OK")
        board = link.board
        start = time.monotonic()
    assert time.monotonic() - start < PROMPTLY
    assert board.closed and not board._thread.is_alive()


def test_interrupt_reaches_code_blocked_on_output(raw):
    # Nobody reads: the board fills its output buffer and waits, as firmware
    # does on a USB port; Ctrl-C still stops it.
    raw.write(b"print('started')\nwhile True: print('x' * 1000)\x04")
    read_until(raw, b"OKstarted\r\n")
    wait_until(lambda: raw.in_waiting > Console.TX_LIMIT, what="the board's output to fill the port")
    raw.write(b"\x03")
    raw.reset_input_buffer()
    assert read_until(raw, KBD_TAIL).endswith(KBD_TAIL)


def test_ctrl_c_stops_a_busy_loop_while_a_timer_fires(raw):
    code = ("from machine import Timer\nn = [0]\ndef tick(t):\n    n[0] += 1\nt = Timer(freq=1000, callback=tick)\n"
            "while n[0] < 3:\n    pass\nprint('started')\nwhile True:\n    pass")
    result, took = interrupt_after_start(raw, code)
    assert result.endswith(KBD_TAIL) and took < PROMPTLY
    assert raw_exec(raw, "t.deinit()\nprint(n[0] >= 3)") == ("True\r\n", "")


def test_an_irq_handler_runs_while_a_loop_catches_keyboardinterrupt(raw):
    code = ("from machine import Pin\nseen = []\np = Pin(9, Pin.OUT)\n"
            "p.irq(lambda pin: seen.append(1), Pin.IRQ_RISING)\n"
            "try:\n    p.on()\n    while not seen: pass\n    print('handled')\n"
            "except KeyboardInterrupt:\n    print('interrupted')")
    assert raw_exec(raw, code) == ("handled\r\n", "")


# A Ctrl-C in a soft handler ends the handler: the scheduler that called it
# prints the KeyboardInterrupt (mp_call_function_1_protected) and the code it
# interrupted goes on, as on the board. A second Ctrl-C reaches that code.
def stuck_handler_tail(line):
    return b'  File "<stdin>", line %d, in stuck\r\nKeyboardInterrupt: \r\n' % line


def test_ctrl_c_stops_a_handler_that_never_returns(raw):
    code = ("from machine import Pin\ndef stuck(p):\n    print('in handler')\n    while True:\n        pass\n"
            "p = Pin(9, Pin.OUT)\np.irq(stuck, Pin.IRQ_RISING)\np.on()\nwhile True:\n    pass")
    raw.write(code.encode() + b"\x04")
    read_until(raw, b"OKin handler\r\n")
    raw.write(b"\x03")
    assert read_until(raw, stuck_handler_tail(5)) == b"Traceback (most recent call last):\r\n" + stuck_handler_tail(5)
    raw.write(b"\x03")
    result = read_until(raw, b"\x04>")
    assert result.endswith(KBD_TAIL) and b", in <module>\r\n" in result
    assert raw_exec(raw, "p.irq(None)\nprint('after')") == ("after\r\n", "")


def test_ctrl_c_after_a_stuck_handler_is_caught_by_the_main_codes_try(raw):
    code = ("from machine import Pin\ndef stuck(p):\n    print('in handler')\n    while True: pass\n"
            "p = Pin(9, Pin.OUT)\np.irq(stuck, Pin.IRQ_RISING)\n"
            "try:\n    p.on()\n    while True: pass\nexcept KeyboardInterrupt:\n    print('caught')\n"
            "p.irq(None)")
    raw.write(code.encode() + b"\x04")
    read_until(raw, b"OKin handler\r\n")
    raw.write(b"\x03")
    read_until(raw, stuck_handler_tail(4))
    raw.write(b"\x03")
    assert read_until(raw, b"\x04>") == b"caught\r\n\x04\x04>"
    assert raw_exec(raw, "print('after')") == ("after\r\n", "")


def test_ctrl_c_in_a_sleep_with_irqs_armed(raw):
    code = ("import time\nfrom machine import Pin\nPin(13, Pin.IN, Pin.PULL_UP).irq(lambda p: None)\n"
            "print('started')\ntime.sleep(30)")
    result, took = interrupt_after_start(raw, code)
    assert result.endswith(KBD_TAIL) and took < PROMPTLY
