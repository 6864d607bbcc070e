"""machine.Timer, RTC, WDT and the machine module's functions, on virtual and
real time."""

import time

from boardlab.interpreter.testing import enter_raw, read_until, sim_link
from conftest import run, error

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"


# raw: conftest's (a Pico on virtual time, in the raw REPL).


def test_periodic_timer_fires_on_the_board_clock(raw):
    start = time.monotonic()
    out = run(raw, "from machine import Timer\nimport time\nt0 = time.ticks_ms()\nticks = []\n"
                   "t = Timer(period=250, callback=lambda t: ticks.append(time.ticks_diff(time.ticks_ms(), t0)))\n"
                   "print(t)\ntime.sleep(60)\nt.deinit()\nprint(len(ticks), ticks[:3], ticks[-1])")
    assert out == "Timer(mode=PERIODIC, tick_hz=1000000, period=250000)\n240 [250, 500, 750] 60000"
    assert time.monotonic() - start < 15      # the board's minute did not follow the wall clock


def test_timers_fire_in_order(raw):
    out = run(raw, "from machine import Timer\nimport time\nlog = []\n"
                   "a = Timer(mode=Timer.ONE_SHOT, period=30, callback=lambda t: log.append('a30'))\n"
                   "b = Timer(mode=Timer.ONE_SHOT, period=10, callback=lambda t: log.append('b10'))\n"
                   "c = Timer(freq=50, callback=lambda t: log.append('c'))\n"
                   "time.sleep_ms(45)\nc.deinit()\nprint(log)")
    assert out == "['b10', 'c', 'a30', 'c']"


def test_one_shot_fires_once_and_deinit_stops(raw):
    out = run(raw, "from machine import Timer\nimport time\nn = [0, 0]\n"
                   "def count(i):\n    n[i] += 1\n"
                   "Timer(mode=Timer.ONE_SHOT, period=5, callback=lambda t: count(0))\n"
                   "p = Timer(period=5, callback=lambda t: count(1))\n"
                   "time.sleep_ms(22)\np.deinit()\ntime.sleep_ms(50)\nprint(n)")
    assert out == "[1, 4]"


def test_timer_callback_can_print(raw):
    assert run(raw, "from machine import Timer\nimport time\n"
                    "Timer(mode=Timer.ONE_SHOT, period=100, callback=lambda t: print('tick'))\n"
                    "print('before')\ntime.sleep_ms(200)\nprint('after')") == "before\ntick\nafter"


def test_rp2_knows_only_the_virtual_timer(raw):
    assert error(raw, "from machine import Timer\nTimer(0)") == "ValueError: Timer doesn't exist"


def test_a_soft_reset_stops_timers(raw):
    run(raw, "from machine import Timer\nTimer(period=10, callback=lambda t: print('tick'))")
    raw.write(b"\x04")
    read_until(raw, RAW_BANNER)
    assert run(raw, "import time\ntime.sleep_ms(100)\nprint('quiet')") == "quiet"


def test_a_timer_interrupts_a_busy_loop_in_real_time():
    with sim_link() as link:
        enter_raw(link)
        start = time.monotonic()
        out = run(link, "from machine import Timer\nimport time\nn = [0]\n"
                        "def tick(t):\n    n[0] += 1\n"
                        "t0 = time.ticks_ms()\nt = Timer(freq=100, callback=tick)\n"
                        "while n[0] < 5:\n    pass\nt.deinit()\n"
                        "print(n[0] in (5, 6), time.ticks_diff(time.ticks_ms(), t0) >= 50)")
        # a tick may come between the loop's end and deinit(); five ticks at
        # 100 Hz take the board 50 ms, and the host not much longer
        assert out == "True True"
        assert time.monotonic() - start < 3


def test_a_timer_reaches_a_loop_of_one_instruction():
    # `while True: pass` in a function compiles to a jump to itself, which
    # no Python reports as a new line: the handler must still get in.
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Timer\n"
                   b"t = Timer(mode=Timer.ONE_SHOT, period=10, callback=lambda t: print('tick'))\n"
                   b"def spin():\n    while True: pass\nspin()\x04")
        read_until(link, b"OKtick\r\n")
        link.write(b"\x03")
        assert read_until(link, b"\x04>").endswith(b", in spin\r\nKeyboardInterrupt: \r\n\x04>")


def test_virtual_time_follows_the_wall_clock_in_a_pure_busy_loop(raw):
    # Nothing reads the clock: virtual time must still move for the timer.
    out = run(raw, "from machine import Timer\nn = [0]\n"
                   "def fire(t):\n    n[0] = 1\n"
                   "t = Timer(mode=Timer.ONE_SHOT, period=20, callback=fire)\n"
                   "while not n[0]:\n    pass\nprint('fired')")
    assert out == "fired"


def test_periodic_timer_output_between_cells_in_real_time():
    with sim_link() as link:
        enter_raw(link)
        run(link, "from machine import Timer\nt = Timer(period=20, callback=lambda t: print('tick'))")
        assert read_until(link, b"tick\r\n", timeout=1).endswith(b"tick\r\n")
        run(link, "t.deinit()")


# ---- RTC ----------------------------------------------------------------

def test_rtc_sets_the_time_module_clock(raw):
    out = run(raw, "from machine import RTC\nimport time\nr = RTC()\n"
                   "r.datetime((2024, 2, 29, 3, 23, 59, 58, 0))\nprint(r.datetime()[:7])\n"
                   "print(time.localtime()[:6])\ntime.sleep(3)\nprint(time.localtime()[:6])")
    assert out == ("(2024, 2, 29, 3, 23, 59, 58)\n(2024, 2, 29, 23, 59, 58)\n(2024, 3, 1, 0, 0, 1)")


# ---- WDT ----------------------------------------------------------------

def test_watchdog_fed_in_time_keeps_the_board_running(raw):
    assert run(raw, "from machine import WDT\nimport time\nw = WDT(timeout=100)\n"
                    "for i in range(10):\n    time.sleep_ms(50)\n    w.feed()\nprint('alive')") == "alive"
    run(raw, "w = WDT(timeout=8388)")    # leave it with time enough for the next test step


def test_a_hungry_watchdog_resets_the_board(raw):
    raw.write(b"from machine import WDT\nimport time\nw = WDT(timeout=100)\nx = 1\ntime.sleep(1)\n"
              b"print('never')\x04")
    text = read_until(raw, b'Type "help()" for more information.\r\n>>> ', timeout=2)
    assert b"never" not in text
    enter_raw(raw)
    assert run(raw, "import machine\nprint(machine.reset_cause() == machine.WDT_RESET, 'x' in globals())") == \
        "True False"


def test_watchdog_timeout_limit(raw):
    assert error(raw, "from machine import WDT\nWDT(timeout=9000)") == "ValueError: timeout exceeds 8388"


# ---- the module's functions ---------------------------------------------

def test_freq_and_identity(raw):
    assert run(raw, "import machine\nprint(machine.freq())\nmachine.freq(200_000_000)\nprint(machine.freq())") == \
        "125000000\n200000000"
    assert run(raw, "print(len(machine.unique_id()), type(machine.unique_id()))") == "8 <class 'bytes'>"


def test_lightsleep_and_idle_use_board_time(raw):
    assert run(raw, "import machine, time\nt = time.ticks_ms()\nmachine.lightsleep(500)\nmachine.idle()\n"
                    "print(time.ticks_diff(time.ticks_ms(), t) >= 500)") == "True"


def test_time_pulse_us_measures_the_button(raw):
    raw.board.parts["button"].bounce = False
    out = run(raw, "from machine import Pin, Timer, time_pulse_us\nimport time\n"
                   "b = Pin(14, Pin.IN, Pin.PULL_UP)\nprint(time_pulse_us(b, 0, 10_000))")
    assert out == "-2"          # nobody pressed it within 10 ms


def test_bitstream_reaches_the_neopixels(raw):
    run(raw, "import machine\nmachine.bitstream(machine.Pin(22), 0, (400, 850, 800, 450), bytes([1, 2, 3]))")
    assert raw.board.parts["neopixels"].pixels[0] == (2, 1, 3)


def test_disable_irq_returns_a_state(raw):
    assert run(raw, "import machine\ns = machine.disable_irq()\nmachine.enable_irq(s)\nprint('ok')") == "ok"


def test_virtual_time_runs_reproduce_with_computation_between_sleeps():
    def log():
        with sim_link("sim://pico?time=virtual") as link:
            enter_raw(link)
            return run(link, "from machine import Timer\nimport time\nlog = []\n"
                             "t = Timer(period=10, callback=lambda t: log.append(time.ticks_ms()))\n"
                             "for i in range(4):\n    sum(range(200_000))\n    time.sleep_ms(25)\n"
                             "t.deinit()\nprint(log)")
    first = log()
    assert first == log() == "[10, 20, 30, 40, 50, 60, 70, 80, 90, 100]"
