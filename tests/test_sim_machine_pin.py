"""machine.Pin and machine.Signal: modes, pulls, values, IRQs as the rp2 port
has them, and IRQ handlers scheduled like MicroPython's soft IRQs."""

import time

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link


@pytest.fixture
def raw():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        yield link


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out.replace("\r\n", "\n")


def error(link, code):
    out, err = raw_exec(link, code)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]


def test_constants_are_the_rp2_ports(raw):
    assert run(raw, "from machine import Pin\nprint(Pin.IN, Pin.OUT, Pin.OPEN_DRAIN, Pin.ALT, "
                    "Pin.PULL_UP, Pin.PULL_DOWN, Pin.IRQ_FALLING, Pin.IRQ_RISING, Pin.ALT_PWM)") == \
        "0 1 2 3 1 2 4 8 4\n"


def test_value_on_off_toggle_and_call(raw):
    board = raw.board
    run(raw, "from machine import Pin\np = Pin(2, Pin.OUT, value=1)")
    assert board.gpio[2].level == 1
    run(raw, "p.off()")
    assert board.gpio[2].level == 0
    run(raw, "p.toggle()")
    assert board.gpio[2].level == 1
    run(raw, "p(0)")
    assert run(raw, "print(p(), p.value())") == "0 0\n"
    run(raw, "p.high()")
    assert board.gpio[2].level == 1


def test_pulls_and_floating_inputs(raw):
    assert run(raw, "from machine import Pin\nprint(Pin(3, Pin.IN, Pin.PULL_UP).value(), "
                    "Pin(4, Pin.IN, Pin.PULL_DOWN).value())") == "1 0\n"
    assert run(raw, "print(Pin(3), Pin(4))") == \
        "Pin(GPIO3, mode=IN, pull=PULL_UP) Pin(GPIO4, mode=IN, pull=PULL_DOWN)\n"
    raw.board.gpio[3].drive(0)
    assert run(raw, "print(Pin(3).value())") == "0\n"


def test_open_drain_only_pulls_low(raw):
    board = raw.board
    run(raw, "from machine import Pin\np = Pin(6, Pin.OPEN_DRAIN)")
    assert board.gpio[6].level == 1          # released: the bus's pull-up
    run(raw, "p.value(0)")
    assert board.gpio[6].level == 0
    assert run(raw, "print(p)") == "Pin(GPIO6, mode=OPEN_DRAIN)\n"


def test_alt_function_shows_in_repr(raw):
    assert run(raw, "from machine import Pin\nprint(Pin(0, Pin.ALT, alt=Pin.ALT_UART))") == \
        "Pin(GPIO0, mode=ALT, alt=UART)\n"
    assert error(raw, "Pin(0, Pin.ALT, alt=31)") == "ValueError: invalid pin af: 31"


def test_signal_inverts(raw):
    board = raw.board
    run(raw, "from machine import Pin, Signal\nled = Signal(Pin(7, Pin.OUT), invert=True)\nled.on()")
    assert board.gpio[7].level == 0
    run(raw, "led.off()")
    assert board.gpio[7].level == 1
    assert run(raw, "print(led.value())") == "0\n"
    run(raw, "s = Signal(8, Pin.OUT)\ns.on()")
    assert board.gpio[8].level == 1


def test_irq_handler_gets_the_pin_and_the_flags(raw):
    run(raw, "from machine import Pin\nseen = []\np = Pin(10, Pin.IN, Pin.PULL_UP)\n"
             "irq = p.irq(lambda pin: seen.append((pin, pin.irq().flags())), Pin.IRQ_FALLING)")
    raw.board.gpio[10].drive(0)
    assert run(raw, "import time\ntime.sleep_ms(1)\nprint(seen, seen[0][0] is p)") == \
        "[(Pin(GPIO10, mode=IN, pull=PULL_UP), 4)] True\n"
    raw.board.gpio[10].drive(None)       # rising edge: not armed for it
    assert run(raw, "time.sleep_ms(1)\nprint(len(seen), irq.trigger())") == "1 4\n"


def test_irq_none_disarms(raw):
    board = raw.board
    run(raw, "from machine import Pin\nn = [0]\np = Pin(11, Pin.IN, Pin.PULL_UP)\n"
             "p.irq(lambda pin: n.__setitem__(0, n[0] + 1))")
    assert board.gpio[11].irq is True
    run(raw, "p.irq(None)")
    assert board.gpio[11].irq is False
    board.gpio[11].drive(0)
    assert run(raw, "import time\ntime.sleep_ms(1)\nprint(n[0])") == "0\n"


def test_irq_on_an_output_the_board_toggles(raw):
    out = run(raw, "from machine import Pin\nlog = []\np = Pin(12, Pin.OUT, value=0)\n"
                   "p.irq(lambda pin: log.append('irq'), Pin.IRQ_RISING)\np.on()\nlog.append('next line')\n"
                   "print(log)")
    assert out == "['irq', 'next line']\n"       # between two lines, as a soft IRQ


def test_irq_reaches_a_busy_loop_between_bytecodes():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Pin\nflag = False\ndef h(p):\n    global flag\n    flag = True\n"
                   b"Pin(13, Pin.IN, Pin.PULL_UP).irq(h, Pin.IRQ_FALLING)\nprint('waiting')\n"
                   b"while not flag:\n    pass\nprint('woken')\x04")
        read_until(link, b"waiting\r\n")
        time.sleep(0.05)
        start = time.monotonic()
        link.board.gpio[13].drive(0)
        assert read_until(link, b"\x04>", timeout=2) == b"woken\r\n\x04\x04>"
        assert time.monotonic() - start < 0.5


def test_irq_wakes_a_sleep_at_once():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Pin\nimport time\n"
                   b"Pin(13, Pin.IN, Pin.PULL_UP).irq(lambda p: print('irq'), Pin.IRQ_FALLING)\n"
                   b"print('sleeping')\ntime.sleep(0.5)\nprint('done')\x04")
        read_until(link, b"sleeping\r\n")
        start = time.monotonic()
        link.board.gpio[13].drive(0)
        read_until(link, b"irq\r\n", timeout=1)
        assert time.monotonic() - start < 0.2       # not at the end of the sleep
        assert read_until(link, b"\x04>") == b"done\r\n\x04\x04>"


def test_an_exception_in_a_handler_is_printed_and_the_code_goes_on(raw):
    out, err = raw_exec(raw, "from machine import Pin\ndef bad(p):\n    1 / 0\n"
                             "p = Pin(9, Pin.OUT)\np.irq(bad, Pin.IRQ_RISING)\np.on()\nprint('still here')")
    assert err == ""
    assert out == ('Traceback (most recent call last):\r\n  File "<stdin>", line 3, in bad\r\n'
                   'ZeroDivisionError: divide by zero\r\nstill here\r\n')


def test_handlers_run_at_the_repl_between_cells():
    with sim_link() as link:
        enter_raw(link)
        raw_exec(link, "from machine import Pin\n"
                       "Pin(13, Pin.IN, Pin.PULL_UP).irq(lambda p: print('pressed'), Pin.IRQ_FALLING)")
        link.board.gpio[13].drive(0)
        assert read_until(link, b"pressed\r\n", timeout=1) == b"pressed\r\n"


def test_a_soft_reset_disarms_irqs(raw):
    run(raw, "from machine import Pin\nPin(13, Pin.IN).irq(lambda p: None)")
    assert raw.board.gpio[13].irq
    raw.write(b"\x04")
    read_until(raw, b"raw REPL; CTRL-B to exit\r\n>")
    assert not raw.board.gpio[13].irq


def test_pin_watchers_hear_level_changes(raw):
    seen = []
    raw.board.gpio.watch(lambda number, level: seen.append((number, level)))
    run(raw, "from machine import Pin\np = Pin(25, Pin.OUT)\np.on()\np.off()")
    assert seen == [(25, 1), (25, 0)]
