"""The simulated parts and their host API (boards/parts.py, boards/i2c_parts.py):
the contract the kernel's widgets are written against."""

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link
from conftest import board_fixture


pico = board_fixture("sim://pico?time=virtual&seed=1")


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out.replace("\r\n", "\n")


def test_every_part_has_the_common_attributes(pico):
    parts = pico.board.parts
    assert set(parts) == {"button", "potentiometer", "temperature", "humidity", "display", "neopixels"}
    for name, part in parts.items():
        assert part.name == name
        assert isinstance(part.label, str) and part.label
        assert part.kind in ("button", "slider", "display", "pixels")
    assert (parts["button"].kind, parts["button"].pin, parts["button"].label) == \
        ("button", 14, "Push button on GP14")
    assert (parts["potentiometer"].pin, parts["neopixels"].pin) == (26, 22)
    assert parts["temperature"].pin is None


def test_sliders_have_a_range_a_step_and_a_unit(pico):
    parts = pico.board.parts
    ranges = {name: (p.minimum, p.maximum, p.step, p.unit)
              for name, p in parts.items() if p.kind == "slider"}
    assert ranges == {"potentiometer": (0.0, 100.0, 1.0, "%"),
                      "temperature": (-40.0, 125.0, 0.1, "°C"),
                      "humidity": (0.0, 100.0, 0.5, "%RH")}
    pot = parts["potentiometer"]
    pot.value = 150
    assert pot.value == 100.0          # clamped to the range
    pot.value = "25"
    assert pot.value == 25.0 and isinstance(pot.value, float)


def test_potentiometer_reads_on_adc0(pico):
    pot = pico.board.parts["potentiometer"]
    for percent in (0, 50, 100):
        pot.value = percent
        reading = int(run(pico, "from machine import ADC\nprint(ADC(0).read_u16())"))
        assert abs(reading - percent / 100 * 65535) < 200
    assert pico.board.gpio[26].analog == reading


def test_a_slider_moved_while_a_loop_runs_is_seen_by_the_loop():
    with sim_link("sim://pico?seed=2") as link:
        enter_raw(link)
        pot = link.board.parts["potentiometer"]
        pot.value = 0
        # 'started' is printed by the loop once it has read the slider at 0.
        link.write(b"from machine import ADC\nimport time\nadc = ADC(26)\nsaid = False\n"
                   b"while adc.read_u16() < 30000:\n    if not said:\n        print('started')\n"
                   b"        said = True\n    time.sleep_ms(5)\nprint('moved')\x04")
        read_until(link, b"started\r\n")
        pot.value = 80
        assert read_until(link, b"\x04>", timeout=2) == b"moved\r\n\x04\x04>"


def test_button_press_pulls_the_pin_low_and_bounces(pico):
    button = pico.board.parts["button"]
    run(pico, "from machine import Pin\nimport time\nedges = []\n"
              "b = Pin(14, Pin.IN, Pin.PULL_UP)\n"
              "b.irq(lambda p: edges.append((time.ticks_us(), p.value())), Pin.IRQ_FALLING | Pin.IRQ_RISING)")
    assert run(pico, "print(b.value())") == "1\n"
    assert pico.board.gpio[14].irq is True
    button.press()
    assert button.pressed
    out = run(pico, "time.sleep_ms(10)\nprint(b.value(), len(edges))")
    level, count = map(int, out.split())
    assert level == 0
    assert count >= 3 and count % 2 == 1          # down, then bounces up and down again
    times = [int(x) for x in run(pico, "print(' '.join(str(t) for t, v in edges))").split()]
    assert times[-1] - times[0] <= 6000           # the bounce settles within a few ms
    button.release()
    assert not button.pressed
    assert run(pico, "time.sleep_ms(10)\nprint(b.value())") == "1\n"


RAW_PROMPT = b"raw REPL; CTRL-B to exit\r\n>"


def reset(link, how):
    """A soft reset (raw REPL stays) or a hard one (the board boots to the
    friendly REPL; the raw REPL is entered again)."""
    if how == "soft":
        link.write(b"import machine\nmachine.soft_reset()\x04")
        read_until(link, b"MPY: soft reboot\r\n" + RAW_PROMPT)
    else:
        link.write(b"import machine\nmachine.reset()\x04")
        read_until(link, b'Type "help()" for more information.\r\n>>> ')
        enter_raw(link)


BUTTON_LEVEL = "from machine import Pin\nimport time\ntime.sleep_ms(10)\n" \
               "print(Pin(14, Pin.IN, Pin.PULL_UP).value())"


@pytest.mark.parametrize("how", ["soft", "hard"])
def test_a_button_held_down_stays_pressed_through_a_reset(pico, how):
    """The button is outside the chip: resetting the chip does not let go of it."""
    button = pico.board.parts["button"]
    button.press()
    assert run(pico, BUTTON_LEVEL) == "0\n"
    reset(pico, how)
    assert button.pressed
    assert run(pico, BUTTON_LEVEL) == "0\n"
    button.release()
    assert run(pico, BUTTON_LEVEL) == "1\n"


def test_a_bounce_still_settling_at_a_hard_reset_settles_after_it():
    """Board time restarts at 0 with the chip; the contacts' bounce keeps
    its pace and ends a few ms after the reset, not when the clock gets back
    to the time of the press."""
    with sim_link("sim://pico?time=virtual&seed=3") as link:
        enter_raw(link)
        run(link, "import time\ntime.sleep(30)")          # a press late in the board's day
        link.board.parts["button"].press()
        link.write(b"from machine import Pin\nb = Pin(14, Pin.IN, Pin.PULL_UP)\n"
                   b"while b.value():\n    pass\nimport machine\nmachine.reset()\x04")
        read_until(link, b'Type "help()" for more information.\r\n>>> ')
        enter_raw(link)
        out = run(link, "import time\nprint(time.ticks_ms() < 1000)\n" + BUTTON_LEVEL)
        assert out == "True\n0\n"


def test_the_esp32_boot_button_reads_released_after_a_hard_reset():
    """Its pull-up sits on the DevKit, not in the chip."""
    with sim_link("sim://esp32?time=virtual") as link:
        enter_raw(link)
        boot = link.board.parts["button"]
        level = "from machine import Pin\nprint(Pin(0, Pin.IN).value())"
        assert run(link, level) == "1\n"
        reset(link, "hard")
        assert not boot.pressed
        assert run(link, level) == "1\n"
        boot.press()
        reset(link, "hard")
        assert boot.pressed
        assert run(link, "import time\ntime.sleep_ms(10)\n" + level) == "0\n"


def test_bounce_is_the_same_on_every_run_with_a_seed():
    def edges():
        with sim_link("sim://pico?time=virtual&seed=5") as link:
            enter_raw(link)
            run(link, "from machine import Pin\nimport time\nt = []\nb = Pin(14, Pin.IN, Pin.PULL_UP)\n"
                      "b.irq(lambda p: t.append(time.ticks_us()))")
            link.board.parts["button"].press()
            return run(link, "time.sleep_ms(10)\nprint([x - t[0] for x in t])")
    assert edges() == edges()


def test_neopixels_show_what_the_neopixel_module_writes(pico):
    run(pico, "import neopixel, machine\nnp = neopixel.NeoPixel(machine.Pin(22), 8)\n"
              "np[0] = (255, 0, 0)\nnp[1] = (0, 128, 0)\nnp[7] = (1, 2, 3)\nnp.write()")
    pixels = pico.board.parts["neopixels"].pixels
    assert pixels[:2] == [(255, 0, 0), (0, 128, 0)] and pixels[7] == (1, 2, 3)
    assert pixels[2] == (0, 0, 0)


def test_part_watchers_hear_about_changes(pico):
    seen = []
    pico.board.parts["neopixels"].watch(lambda part: seen.append(part.pixels[0]))
    run(pico, "import neopixel, machine\nnp = neopixel.NeoPixel(machine.Pin(22), 8)\n"
              "np.fill((9, 9, 9))\nnp.write()")
    assert seen == [(9, 9, 9)]


def test_button_watchers_hear_each_press_and_release_once():
    with sim_link("sim://esp32?time=virtual") as link:
        for name in ("button", "touch"):
            part = link.board.parts[name]
            seen = []
            part.watch(lambda part: seen.append(part.pressed))
            part.press()
            part.press()                 # already down: nothing changes
            part.release()
            assert seen == [True, False], name


def test_temperature_sensor_follows_its_sliders(pico):
    parts = pico.board.parts
    parts["temperature"].value = 30.0
    parts["humidity"].value = 60.0
    out = run(pico, "from machine import I2C\nimport time\ni2c = I2C(0)\n"
                    "i2c.writeto(0x44, b'\\x24\\x00')\ntime.sleep_ms(16)\nd = i2c.readfrom(0x44, 6)\n"
                    "print(-45 + 175 * (d[0] << 8 | d[1]) / 65535, 100 * (d[3] << 8 | d[4]) / 65535)")
    t, rh = map(float, out.split())
    assert abs(t - 30.0) < 0.2 and abs(rh - 60.0) < 0.5
