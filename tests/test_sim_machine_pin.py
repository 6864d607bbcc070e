"""machine.Pin and machine.Signal: modes, pulls, values, names and IRQs as
the rp2 and esp32 ports have them (soft IRQs scheduled, hard ones run at
once with the heap locked); the Pico W's LED on its wireless chip; what
reaches the parts through pins (bitstream to the NeoPixels, the button's
presses); time_pulse_us and dht_readinto."""

import time

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link
from boardlab.kernel.pin_states import read_simulated
from conftest import error


# raw, picow, esp32: conftest's (each board on virtual time, in the raw REPL).


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out.replace("\r\n", "\n")


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


def test_a_soft_handler_runs_at_the_next_branch_or_when_the_code_ends(raw):
    """A soft IRQ is scheduled: the VM runs it at its next jump (a loop, an
    if) or when the code ends, not between two straight lines."""
    out = run(raw, "from machine import Pin\nlog = []\np = Pin(12, Pin.OUT, value=0)\n"
                   "p.irq(lambda pin: log.append('irq'), Pin.IRQ_RISING)\np.on()\nlog.append('next line')\n"
                   "print(log)")
    assert out == "['next line']\n"
    assert run(raw, "print(log)") == "['next line', 'irq']\n"
    assert run(raw, "log.clear()\np.off()\np.on()\nwhile not log:\n    pass\nlog.append('loop')\n"
                    "print(log)") == "['irq', 'loop']\n"


def test_a_hard_handler_runs_before_the_write_returns(raw):
    out = run(raw, "from machine import Pin\nn = [0]\ndef h(pin):\n    n[0] += 1\n"
                   "p = Pin(12, Pin.OUT, value=0)\np.irq(h, Pin.IRQ_RISING, hard=True)\n"
                   "p.on()\nat_once = n[0]\np.off()\np.on()\nprint(at_once, n[0])")
    assert out == "1 2\n"


def test_a_hard_handler_cannot_allocate_and_its_error_disables_it(raw):
    """The heap is locked while a hard handler runs; without an emergency
    exception buffer the error comes without its message, as on the board."""
    out = run(raw, "from machine import Pin\ndef h(pin):\n    x = [1, 2, 3]\n"
                   "p = Pin(12, Pin.OUT, value=0)\nirq = p.irq(h, Pin.IRQ_RISING, hard=True)\n"
                   "p.on()\nprint('on', irq.trigger())")
    assert out == "Uncaught exception in IRQ callback handler\nMemoryError: \non 0\n"
    assert raw.board.gpio[12].irq is False
    # with one, the traceback says where
    out = run(raw, "import micropython\nmicropython.alloc_emergency_exception_buf(100)\n"
                   "p.off()\np.irq(h, Pin.IRQ_RISING, hard=True)\np.on()")
    assert out == ('Uncaught exception in IRQ callback handler\nTraceback (most recent call last):\n'
                   '  File "<stdin>", line 3, in h\nMemoryError: \n')


def test_irq_reaches_a_busy_loop_between_bytecodes():
    with sim_link() as link:
        enter_raw(link)
        # 'waiting' is printed by the loop itself: once it is read, the loop runs.
        link.write(b"from machine import Pin\nflag = False\ndef h(p):\n    global flag\n    flag = True\n"
                   b"Pin(13, Pin.IN, Pin.PULL_UP).irq(h, Pin.IRQ_FALLING)\nsaid = False\n"
                   b"while not flag:\n    if not said:\n        print('waiting')\n        said = True\n"
                   b"print('woken')\x04")
        read_until(link, b"waiting\r\n")
        start = time.monotonic()
        link.board.gpio[13].drive(0)
        assert read_until(link, b"\x04>", timeout=2) == b"woken\r\n\x04\x04>"
        assert time.monotonic() - start < 2


def test_irq_wakes_a_sleep_at_once():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Pin\nimport time\n"
                   b"Pin(13, Pin.IN, Pin.PULL_UP).irq(lambda p: print('irq'), Pin.IRQ_FALLING)\n"
                   b"print('sleeping')\ntime.sleep(3)\nprint('done')\x04")
        read_until(link, b"sleeping\r\n")
        start = time.monotonic()
        link.board.gpio[13].drive(0)
        read_until(link, b"irq\r\n", timeout=2)
        assert time.monotonic() - start < 1.5       # not at the end of the sleep
        assert read_until(link, b"\x04>") == b"done\r\n\x04\x04>"


def test_an_exception_in_a_handler_is_printed_and_the_code_goes_on(raw):
    # The soft handler runs when the code ends (no branch before): its
    # traceback follows the code's output.
    out, err = raw_exec(raw, "from machine import Pin\ndef bad(p):\n    1 / 0\n"
                             "p = Pin(9, Pin.OUT)\np.irq(bad, Pin.IRQ_RISING)\np.on()\nprint('still here')")
    assert err == ""
    assert out == ('still here\r\nTraceback (most recent call last):\r\n  File "<stdin>", line 3, in bad\r\n'
                   'ZeroDivisionError: divide by zero\r\n')


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


# ---- what the model shows the pin view ---------------------------------

def test_the_pin_view_reads_what_the_code_set(raw):
    run(raw, "from machine import Pin\nPin(0, Pin.ALT, alt=Pin.ALT_UART)\n"
             "b = Pin(14, Pin.IN, Pin.PULL_UP)\nb.irq(lambda p: None)\nPin(15, Pin.OUT, value=1)")
    raw.board.parts["button"].press()
    run(raw, "import time\ntime.sleep_ms(10)")  # the press's bounce (<= 5 ms) has settled
    readings = {r.gpio: r for r in read_simulated(raw.board)}
    assert (readings[0].mode, readings[0].function) == ("ALT", "UART")
    assert (readings[14].mode, readings[14].pull, readings[14].irq) == ("IN", "up", True)
    assert (readings[14].driven, readings[14].level) == (True, 0)
    assert (readings[15].mode, readings[15].level, readings[15].irq) == ("OUT", 1, False)


# ---- names and functions ------------------------------------------------

def test_pin_names_are_the_boards_and_the_chips(raw):
    assert run(raw, "from machine import Pin\nprint(Pin('GP5'), Pin('GPIO29') is Pin(29), "
                    "Pin.board.LED is Pin(25), Pin.cpu.GPIO3 is Pin('GP3'))") == \
        "Pin(GPIO5, mode=IN) True True True\n"
    # pins.csv of RPI_PICO names no GP23, GP24 or GP29 (they are not on the header)
    assert error(raw, "Pin('GP23')") == 'ValueError: unknown named pin "GP23"'
    assert error(raw, "Pin(5.0)") == "ValueError: invalid pin"


def test_alt_functions_each_pin_has(raw):
    assert run(raw, "from machine import Pin\nprint(Pin(20, Pin.ALT, alt=Pin.ALT_GPCK), "
                    "Pin(1, Pin.ALT, alt=Pin.ALT_PWM, pull=Pin.PULL_UP|Pin.PULL_DOWN))") == \
        "Pin(GPIO20, mode=ALT, alt=GPCK) Pin(GPIO1, mode=ALT, pull=PULL_UP|PULL_DOWN, alt=PWM)\n"
    assert error(raw, "Pin(19, Pin.ALT, alt=Pin.ALT_GPCK)") == "ValueError: invalid pin af: 8"
    # ALT_SIO is the plain GPIO again
    assert run(raw, "p = Pin(1, Pin.ALT, alt=Pin.ALT_SIO)\nprint(p)") == "Pin(GPIO1, mode=IN)\n"


def test_init_sets_the_pulls_every_time(raw):
    """On the rp2, a pull not given is no pull (the ESP32 keeps it)."""
    assert run(raw, "from machine import Pin\np = Pin(3, Pin.IN, Pin.PULL_UP)\np.init(Pin.IN)\n"
                    "print(p, p.value())") == "Pin(GPIO3, mode=IN) 0\n"
    assert run(raw, "p.init(pull=Pin.PULL_UP)\nprint(p)\np.init(value=1)\nprint(p)") == \
        "Pin(GPIO3, mode=IN, pull=PULL_UP)\nPin(GPIO3, mode=IN)\n"


# ---- the Pico W's LED ---------------------------------------------------

def test_picow_led_works_without_a_mode(picow):
    board = picow.board
    led = board.gpio[board.definition.led]
    assert (board.definition.led, led.name) == (30, "EXT_GPIO0")
    assert run(picow, "from machine import Pin\nled = Pin('LED')\nprint(led)\nled.on()") == \
        "Pin(EXT_GPIO0, mode=IN)\n"
    assert led.level == 1 and board.gpio[25].level == 0
    assert run(picow, "led.toggle()\nprint(led.value(), Pin('EXT_GPIO0') is led)") == "0 True\n"
    assert led.level == 0
    assert run(picow, "led.init(Pin.OUT, value=1)\nprint(led)") == "Pin(EXT_GPIO0, mode=OUT)\n"
    assert led.level == 1
    assert error(picow, "Pin(30)") == "ValueError: invalid pin"
    assert error(picow, "Pin('LED', Pin.OPEN_DRAIN)") == \
        "ValueError: only Pin.OUT and Pin.IN are supported for this pin"
    assert error(picow, "Pin('LED', Pin.OUT, alt=Pin.ALT_PWM)") == \
        "ValueError: alternate functions are not supported for external pins"


def test_picow_led_as_a_signal(picow):
    run(picow, "from machine import Pin, Signal\nled = Signal('LED', Pin.OUT, invert=True)\nled.on()")
    board = picow.board
    assert board.gpio[board.definition.led].level == 0
    run(picow, "led.off()")
    assert board.gpio[board.definition.led].level == 1


# ---- the ESP32's pins ---------------------------------------------------

def test_esp32_constants_and_methods(esp32):
    assert run(esp32, "from machine import Pin\nprint(Pin.WAKE_LOW, Pin.WAKE_HIGH, Pin.DRIVE_0, Pin.DRIVE_3, "
                      "Pin(6), Pin(20), Pin(33, Pin.OUT, drive=Pin.DRIVE_3, hold=False))") == \
        "4 5 0 3 Pin(6) Pin(20) Pin(33)\n"
    assert error(esp32, "Pin(5).high()") == "AttributeError: 'Pin' object has no attribute 'high'"
    assert error(esp32, "Pin.ALT") == "AttributeError: type object 'Pin' has no attribute 'ALT'"


def test_esp32_input_only_pins(esp32):
    assert run(esp32, "from machine import Pin\nprint(Pin(39, Pin.IN, Pin.PULL_UP).value())") == "1\n"
    assert error(esp32, "Pin(34, Pin.OPEN_DRAIN)") == "ValueError: pin can only be input"
    assert error(esp32, "Pin(35).init(Pin.OUT)") == "ValueError: pin can only be input"
    assert esp32.board.gpio[35].mode == 0


def test_esp32_keeps_pulls_not_given(esp32):
    gpio = esp32.board.gpio
    run(esp32, "from machine import Pin\np = Pin(5, Pin.IN, Pin.PULL_DOWN)\np.init(Pin.OUT, value=1)")
    assert (gpio[5].mode, gpio[5].pull, gpio[5].level) == (1, 2, 1)
    run(esp32, "p.init(pull=None)\np.toggle()")
    assert (gpio[5].pull, gpio[5].level) == (0, 0)


def test_esp32_irq_is_the_ports_own(esp32):
    out = run(esp32, "from machine import Pin\nseen = []\np = Pin(13, Pin.OUT, value=0)\n"
                     "irq = p.irq(lambda pin: seen.append(pin), Pin.IRQ_RISING)\n"
                     "p.on()\nwhile not seen:\n    pass\nprint(irq, irq.trigger(), seen, irq is p.irq())")
    assert out == "<IRQ> 1 [Pin(13)] True\n"
    assert error(esp32, "irq.flags()") == "AttributeError: 'IRQ' object has no attribute 'flags'"
    assert error(esp32, "p.irq(lambda pin: None, hard=True)") == "TypeError: extra keyword arguments given"
    assert run(esp32, "print(irq.trigger(Pin.IRQ_FALLING), irq.trigger())\np.irq(None)\n"
                      "print(irq.trigger())") == "1 2\n0\n"
    assert esp32.board.gpio[13].irq is False


def test_esp32_wake_levels(esp32):
    assert error(esp32, "from machine import Pin\nPin(4).irq(trigger=Pin.WAKE_LOW, wake=9)") == \
        "ValueError: bad wake value"
    assert error(esp32, "Pin(5).irq(trigger=Pin.WAKE_LOW, wake=4)") == "ValueError: invalid pin for wake"
    run(esp32, "Pin(4).irq(trigger=Pin.WAKE_LOW, wake=4)")
    assert error(esp32, "Pin(2).irq(trigger=Pin.WAKE_HIGH, wake=4)") == "ValueError: no resources"


def test_esp32_touchpad_counts_fall_under_a_finger(esp32):
    touch = esp32.board.parts["touch"]
    run(esp32, "from machine import TouchPad, Pin\nt = TouchPad(Pin(4))\nt.config(300)")
    assert abs(int(run(esp32, "print(t.read())")) - 600) < 40
    touch.press()
    assert int(run(esp32, "print(t.read())")) < 150
    assert run(esp32, "print(TouchPad(4) is t)") == "True\n"
    assert error(esp32, "TouchPad(Pin(5))") == "ValueError: invalid pin for touchpad"


# ---- what reaches the parts ---------------------------------------------

def test_bitstream_reaches_the_neopixels_and_takes_its_time(raw):
    out = run(raw, "from machine import Pin, bitstream\nimport time\np = Pin(22)\n"
                   "t = time.ticks_us()\nbitstream(p, 0, (400, 850, 800, 450), bytes([0, 255, 0]) + bytes(21))\n"
                   "print(time.ticks_diff(time.ticks_us(), t))\nprint(p)")
    # 24 bits of 1.25 us per pixel, 8 pixels: 240 us on the board's clock
    lines = out.splitlines()
    assert 240 <= int(lines[0]) < 250
    assert lines[1] == "Pin(GPIO22, mode=OUT)"
    pixels = raw.board.parts["neopixels"].pixels
    assert pixels == [(255, 0, 0)] + [(0, 0, 0)] * 7
    assert raw.board.gpio[22].level == 0
    assert error(raw, "bitstream(p, 1, (0, 0, 0, 0), b'x')") == "ValueError: encoding"


def test_the_neopixel_module_writes_to_the_strip(raw):
    run(raw, "import neopixel, machine\nnp = neopixel.NeoPixel(machine.Pin(22), 8)\n"
             "np.fill((0, 0, 40))\nnp[3] = (10, 20, 30)\nnp.write()")
    pixels = raw.board.parts["neopixels"].pixels
    assert pixels[3] == (10, 20, 30) and pixels[:3] == [(0, 0, 40)] * 3
    # a strip on a pin where none is wired: written, seen by nothing
    run(raw, "np = neopixel.NeoPixel(machine.Pin(21), 8)\nnp.fill((1, 1, 1))\nnp.write()")
    assert raw.board.parts["neopixels"].pixels[3] == (10, 20, 30)


def test_a_busy_loop_sees_the_button_pressed():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Pin\nb = Pin(14, Pin.IN, Pin.PULL_UP)\nprint('waiting')\n"
                   b"while b.value():\n    pass\nprint('pressed')\x04")
        read_until(link, b"waiting\r\n")
        link.board.parts["button"].press()
        assert read_until(link, b"\x04>", timeout=2) == b"pressed\r\n\x04\x04>"


def test_a_busy_loop_sees_an_irq_of_the_button():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import Pin\npressed = False\ndef h(p):\n    global pressed\n"
                   b"    pressed = True\nPin(14, Pin.IN, Pin.PULL_UP).irq(h, Pin.IRQ_FALLING)\n"
                   b"print('waiting')\nwhile not pressed:\n    pass\nprint('pressed')\x04")
        read_until(link, b"waiting\r\n")
        link.board.parts["button"].press()
        assert read_until(link, b"\x04>", timeout=2) == b"pressed\r\n\x04\x04>"


def test_a_hard_irq_counts_the_buttons_bounce(raw):
    button = raw.board.parts["button"]
    run(raw, "from machine import Pin\nimport time\nn = [0]\ndef count(p):\n    n[0] += 1\n"
             "b = Pin(14, Pin.IN, Pin.PULL_UP)\nb.irq(count, Pin.IRQ_FALLING, hard=True)")
    button.press()
    falls = int(run(raw, "time.sleep_ms(10)\nprint(n[0])"))
    assert falls in (2, 3)              # the press and one or two bounces back
    assert run(raw, "print(b.value())") == "0\n"
    button.release()
    assert int(run(raw, "time.sleep_ms(10)\nprint(n[0])")) in (falls + 1, falls + 2)


# ---- timing pins from C -------------------------------------------------

def test_time_pulse_us_measures_a_pulse_on_board_time(raw):
    board = raw.board
    pin = board.gpio[16]
    now = board.clock.peek_ns()
    board.timeline.at(now + 5_000_000, lambda: pin.drive(1), "host")
    board.timeline.at(now + 5_730_000, lambda: pin.drive(0), "host")
    width = int(run(raw, "from machine import Pin, time_pulse_us\nprint(time_pulse_us(Pin(16, Pin.IN), 1, 1_000_000))"))
    assert 728 <= width <= 732
    assert run(raw, "import time\nt = time.ticks_ms()\nprint(time_pulse_us(Pin(16), 1), "
                    "time.ticks_diff(time.ticks_ms(), t))") == "-2 1000\n"
    assert run(raw, "print(time_pulse_us(Pin(16), 0, 100))") == "-1\n"     # low already: never rises


def test_dht_with_nothing_wired_times_out(raw):
    assert error(raw, "import dht, machine\ndht.DHT22(machine.Pin(15)).measure()") == \
        "OSError: [Errno 110] ETIMEDOUT"
    assert error(raw, "machine.dht_readinto(machine.Pin(15), bytearray(4))") == \
        "ValueError: buffer too small"
