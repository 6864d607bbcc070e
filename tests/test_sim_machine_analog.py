"""machine.ADC and machine.PWM on the simulated boards' firmware: what
ports/rp2 and ports/esp32 accept, read back and raise, and what the model's
pin states (the pin view, the LEDs) show."""

import pytest

from boardlab.interpreter.gpio import ALT, IN
from boardlab.interpreter.testing import enter_raw, read_until, sim_link
from conftest import board_fixture, run, error


raw = board_fixture("sim://pico?time=virtual&seed=3")
esp32 = board_fixture("sim://esp32?time=virtual&seed=3")


def soft_reset(link):
    link.write(b"\x04")
    read_until(link, b"raw REPL; CTRL-B to exit\r\n>")


# ---- ADC on the RP2040 --------------------------------------------------

def test_adc_by_channel_gpio_or_pin(raw):
    assert run(raw, "from machine import ADC, Pin\nprint(ADC(0), ADC(27), ADC(Pin(28)), ADC(ADC.CORE_TEMP), ADC(4))") == \
        "<ADC channel=0> <ADC channel=1> <ADC channel=2> <ADC channel=4> <ADC channel=4>"


@pytest.mark.parametrize("source, message", [
    # A number that is no channel (0-4) is taken as a pin: GPIO5 has no ADC.
    ("5", "ValueError: Pin doesn't have ADC capabilities"),
    ("Pin(2)", "ValueError: Pin doesn't have ADC capabilities"),
    ("30", "ValueError: invalid pin"),
    ("-1", "ValueError: invalid pin"),
])
def test_adc_errors_are_the_ports(raw, source, message):
    assert error(raw, f"from machine import ADC, Pin\nADC({source})") == message


def test_read_u16_has_12_bits_scaled_like_the_port(raw):
    raw.board.parts["potentiometer"].value = 100
    values = [int(v) for v in run(raw, "from machine import ADC\na = ADC(0)\n"
                                       "print(*[a.read_u16() for _ in range(20)])").split()]
    for value in values:
        raw12 = value >> 4
        assert value == (raw12 << 4 | raw12 >> 8)
        assert raw12 > 4080


def test_the_potentiometer_reads_where_the_host_turns_it(raw):
    pot = raw.board.parts["potentiometer"]
    run(raw, "from machine import ADC\npot = ADC(26)\n"
             "def volts():\n    return sum(pot.read_u16() for _ in range(16)) / 16 * 3.3 / 65535")
    pot.value = 75
    assert float(run(raw, "print(volts())")) == pytest.approx(0.75 * 3.3, abs=0.01)
    pot.value = 10
    assert float(run(raw, "print(volts())")) == pytest.approx(0.10 * 3.3, abs=0.01)
    pot.value = 0
    assert run(raw, "print(min(pot.read_u16() for _ in range(16)))") == "0"


def test_a_reading_shows_in_the_pin_state(raw):
    board = raw.board
    board.parts["potentiometer"].value = 75
    run(raw, "from machine import ADC, Pin\nPin(26, Pin.OUT)\na = ADC(Pin(26))")
    assert board.gpio[26].mode == IN and board.gpio[26].analog is None
    value = int(run(raw, "print(a.read_u16())"))
    assert board.gpio[26].analog == value
    assert value == pytest.approx(0.75 * 65535, abs=300)


def test_readings_are_noisy_but_seeded():
    def sample():
        with sim_link("sim://pico?time=virtual&seed=9") as link:
            enter_raw(link)
            return run(link, "from machine import ADC\na = ADC(0)\nprint([a.read_u16() for _ in range(8)])")
    first = sample()
    assert first == sample()
    assert len(set(eval(first))) > 1


@pytest.mark.parametrize("celsius", [35.0, -10.0])
def test_internal_temperature_sensor_uses_the_datasheet_formula(raw, celsius):
    raw.board.parts["temperature"].value = celsius
    out = run(raw, "from machine import ADC\ns = ADC(4)\n"
                   "v = sum(s.read_u16() for _ in range(32)) / 32 * 3.3 / 65535\n"
                   "print(27 - (v - 0.706) / 0.001721)")
    assert abs(float(out) - celsius) < 1.0
    assert all(pin.analog is None for pin in raw.board.gpio.pins)


def test_a_conversion_takes_board_time(raw):
    # 2 us each, as on the RP2040 (the fixture's board runs on virtual time).
    out = run(raw, "import time\nfrom machine import ADC\na = ADC(0)\nt = time.ticks_us()\n"
                   "for _ in range(100):\n    a.read_u16()\nprint(time.ticks_diff(time.ticks_us(), t))")
    assert int(out) >= 200


def test_an_unconnected_adc_pin_floats_low(raw):
    assert int(run(raw, "from machine import ADC\nprint(ADC(1).read_u16())")) < 10000


# ---- PWM on the RP2040 --------------------------------------------------

def test_pwm_reads_back_the_rp2040s_values(raw):
    out = run(raw, "from machine import Pin, PWM\np = PWM(Pin(15), freq=1000, duty_u16=16384)\n"
                   "print(p, p.freq(), p.duty_u16(), p.duty_ns())")
    assert out == "<PWM slice=7 channel=1 invert=0> 1000 16384 250000"
    assert raw.board.gpio[15].pwm == pytest.approx(0.25, abs=1e-4)
    assert run(raw, "p.freq(50)\nprint(p.freq(), p.duty_u16())") == "50 16384"
    # At 50 Hz the divider is 611/16: a servo pulse lands on the nearest 305.5 ns step.
    assert run(raw, "p.duty_ns(1_500_000)\nprint(p.duty_ns(), p.duty_u16())") == "1500005 4915"


def test_pwm_on_the_led_dims_it(raw):
    board = raw.board
    run(raw, "from machine import Pin, PWM\nled = PWM(Pin(25))")
    assert board.gpio[25].mode == ALT and board.gpio[25].alt == "PWM"
    assert board.gpio[25].pwm is None           # no frequency and no duty yet: not running
    assert run(raw, "print(led.freq(), led.duty_u16())") == "0 0"
    run(raw, "led.freq(1000)\nled.duty_u16(65535)")
    assert board.gpio[25].pwm == 1.0 and board.gpio[25].level == 1
    run(raw, "led.duty_u16(6554)")
    assert board.gpio[25].pwm == pytest.approx(0.1, abs=1e-4) and board.gpio[25].level == 0
    run(raw, "led.init(invert=1)")
    assert board.gpio[25].pwm == pytest.approx(0.9, abs=1e-4)
    assert run(raw, "print(led)") == "<PWM slice=4 channel=1 invert=1>"
    run(raw, "led.deinit()")
    assert board.gpio[25].pwm is None


def test_a_pin_taken_back_from_the_pwm_drops_its_signal(raw):
    board = raw.board
    run(raw, "from machine import Pin, PWM\nPWM(Pin(25), freq=1000, duty_u16=30000)")
    assert board.gpio[25].pwm is not None
    run(raw, "Pin(25, Pin.OUT).value(1)")
    assert board.gpio[25].pwm is None and board.gpio[25].level == 1


@pytest.mark.parametrize("freq, reads", [
    (100_000_000, 125000000),   # TOP 0: one clock per period
    (62_500_000, 62500000),
    (8, 8),                     # near the lowest: a divider of 3815/16
])
def test_frequencies_round_to_the_clock(raw, freq, reads):
    assert run(raw, f"from machine import Pin, PWM\nprint(PWM(Pin(2), freq={freq}).freq())") == str(reads)


@pytest.mark.parametrize("code, message", [
    ("PWM(Pin(2), freq=7)", "ValueError: freq too small"),
    ("PWM(Pin(2), freq=0)", "ValueError: freq too small"),
    ("PWM(Pin(2), 1000, 5)", "TypeError: extra positional arguments given"),
    ("PWM(Pin(2), duty=5)", "TypeError: extra keyword arguments given"),   # duty() is the ESP32's
    ("PWM(Pin(40))", "ValueError: invalid pin"),
])
def test_pwm_errors_are_the_ports(raw, code, message):
    assert error(raw, "from machine import Pin, PWM\n" + code) == message


def test_a_duty_longer_than_the_period_is_always_high(raw):
    # ports/rp2 (v1.28) holds duty_ns at the period instead of refusing it.
    out = run(raw, "from machine import Pin, PWM\np = PWM(Pin(2), freq=1000, duty_ns=2_000_000)\n"
                   "print(p.duty_u16(), p.duty_ns())")
    assert out == "65535 999998"
    assert raw.board.gpio[2].pwm == 1.0


def test_two_channels_of_a_slice_share_the_frequency(raw):
    out = run(raw, "from machine import Pin, PWM\na = PWM(Pin(0), freq=1000, duty_u16=16384)\n"
                   "b = PWM(Pin(1), freq=2000, duty_u16=49152)\nprint(a.freq(), b.freq(), a.duty_u16())")
    assert out == "2000 2000 16384"       # a keeps its duty at b's frequency
    assert raw.board.gpio[0].pwm == pytest.approx(0.25, abs=1e-3)
    assert raw.board.gpio[1].pwm == pytest.approx(0.75, abs=1e-3)
    # GPIO16 is slice 0's channel A as well: the same object, the same signal.
    assert run(raw, "c = PWM(Pin(16))\nprint(c is a, c)") == "True <PWM slice=0 channel=0 invert=0>"
    assert raw.board.gpio[16].pwm == pytest.approx(0.25, abs=1e-3)
    # deinit() stops the slice: both channels.
    run(raw, "a.deinit()")
    assert raw.board.gpio[0].pwm is None and raw.board.gpio[1].pwm is None


def test_a_soft_reset_stops_pwm(raw):
    run(raw, "from machine import Pin, PWM\nPWM(Pin(16), freq=500, duty_u16=30000)")
    assert raw.board.gpio[16].pwm is not None
    soft_reset(raw)
    assert raw.board.gpio[16].pwm is None
    assert raw.board.gpio[16].alt == "PWM"      # the pin keeps its function
    assert run(raw, "from machine import Pin, PWM\nprint(PWM(Pin(16)).freq())") == "0"


# ---- the ESP32 ----------------------------------------------------------

def test_esp32_adc_constants_and_repr(esp32):
    assert run(esp32, "from machine import ADC, Pin\n"
                      "print(ADC.ATTN_0DB, ADC.ATTN_2_5DB, ADC.ATTN_6DB, ADC.ATTN_11DB)\n"
                      "print(ADC.WIDTH_9BIT, ADC.WIDTH_10BIT, ADC.WIDTH_11BIT, ADC.WIDTH_12BIT)\n"
                      "a = ADC(Pin(34))\nprint(a, a.block(), ADC(Pin(34)) is a)\n"
                      "print(ADC(Pin(32), atten=ADC.ATTN_0DB), ADC(4).block())") == \
        "0 1 2 3\n9 10 11 12\nADC(Pin(34), atten=3) ADCBlock(0, bits=12) True\n" \
        "ADC(Pin(32), atten=0) ADCBlock(1, bits=12)"


@pytest.mark.parametrize("code, message", [
    ("ADC(Pin(5))", "ValueError: invalid pin"),
    ("ADC(Pin(34), atten=4)", "ValueError: invalid attenuation"),
    ("ADC(Pin(34)).width(13)", "ValueError: invalid bit-width"),
    ("a = ADC(Pin(34))\na.deinit()\na.read()", "OSError: [Errno 1] EPERM"),
])
def test_esp32_adc_errors_are_the_ports(esp32, code, message):
    assert error(esp32, "from machine import ADC, Pin\n" + code) == message


def test_esp32_adc_reads_the_potentiometer_on_its_range(esp32):
    board = esp32.board
    board.parts["potentiometer"].value = 50          # 1.65 V on GPIO34
    run(esp32, "from machine import ADC, Pin\npot = ADC(Pin(34))\n"
               "def mean(read):\n    return sum(read() for _ in range(16)) // 16")
    assert int(run(esp32, "print(mean(pot.read))")) == pytest.approx(2048, abs=8)
    assert int(run(esp32, "print(mean(pot.read_uv))")) == pytest.approx(1_650_000, abs=10_000)
    assert int(run(esp32, "print(pot.read_uv())")) % 1000 == 0       # calibrated in whole mV
    run(esp32, "pot.atten(ADC.ATTN_0DB)")                              # 0-1.1 V: saturated
    assert run(esp32, "print(pot.read(), pot.read_u16(), pot.read_uv())") == "4095 65535 1100000"
    assert board.gpio[34].analog == 65535
    run(esp32, "pot.atten(ADC.ATTN_11DB)\npot.width(ADC.WIDTH_9BIT)")
    assert int(run(esp32, "print(mean(pot.read))")) == pytest.approx(256, abs=2)
    assert run(esp32, "print(pot.block())") == "ADCBlock(0, bits=9)"


def test_esp32_pwm_defaults_and_readback(esp32):
    board = esp32.board
    assert run(esp32, "from machine import Pin, PWM\nled = PWM(Pin(2))\n"
                      "print(led, led.freq(), led.duty(), led.duty_u16(), led.duty_ns())") == \
        "PWM(Pin(2), freq=5000, duty_u16=32768) 5000 512 32768 100000"
    assert board.gpio[2].mode == ALT and board.gpio[2].pwm == 0.5
    # 1 kHz gets 16 bits from the 80 MHz APB clock; the divider's steps make it 998 Hz.
    assert run(esp32, "led.init(freq=1000, duty=256)\nprint(led, led.duty_u16())") == \
        "PWM(Pin(2), freq=998, duty=256) 16384"
    assert board.gpio[2].pwm == 0.25
    assert run(esp32, "led.duty_u16(65535)\nprint(led.duty_u16(), led.duty())") == "65535 1023"
    assert board.gpio[2].pwm == 1.0
    run(esp32, "led.init(invert=True, duty_u16=16384)")
    assert board.gpio[2].pwm == 0.75
    assert run(esp32, "led.deinit()\nprint(led)") == "PWM(Pin(2))"
    assert board.gpio[2].pwm is None


@pytest.mark.parametrize("code, message", [
    ("PWM(Pin(2), freq=50_000_000)", "ValueError: frequency must be from 1Hz to 40MHz"),
    ("PWM(Pin(2), freq=0)", "ValueError: frequency must be from 1Hz to 40MHz"),
    ("PWM(Pin(2), duty_u16=65536)", "ValueError: duty_u16 must be from 0 to 65536"),
    ("PWM(Pin(2), duty=1024)", "ValueError: duty must be from 0 to 1023"),
    ("PWM(Pin(2)).duty_ns(300_000)", "ValueError: duty_ns must be from 0 to 200000 ns"),
    # ports/esp32 checks duty_ns against a period the new object does not have yet.
    ("PWM(Pin(2), freq=1000, duty_ns=5000)", "RuntimeError: PWM is inactive"),
    ("p = PWM(Pin(2))\np.deinit()\np.freq()", "RuntimeError: PWM is inactive"),
    ("PWM(Pin(34))", "OSError: (-258, 'ESP_ERR_INVALID_ARG')"),     # an input-only pin
    # Eight timers for eight frequencies: a ninth finds no channel with a timer to spare...
    ("[PWM(Pin(n), freq=100 + n) for n in (2, 4, 5, 12, 13, 14, 15, 16, 17)]",
     "RuntimeError: out of PWM channels:16"),
    # ... and a pin sharing its timer finds none for a new frequency.
    ("ps = [PWM(Pin(n), freq=100 + n) for n in (5, 12, 13, 14, 15, 16, 17)]\n"
     "a = PWM(Pin(2), freq=100)\nb = PWM(Pin(4), freq=100)\na.freq(999)",
     "RuntimeError: out of PWM timers:8"),
])
def test_esp32_pwm_errors_are_the_ports(esp32, code, message):
    assert error(esp32, "from machine import Pin, PWM\n" + code) == message


def test_esp32_pwm_frequencies(esp32):
    assert run(esp32, "from machine import Pin, PWM\n"
                      "print(PWM(Pin(4), freq=1).freq(), PWM(Pin(5), freq=40_000_000).freq(), "
                      "PWM(Pin(12), freq=1234567).freq())") == "1 40000000 1235521"
    # Pins at one frequency share a timer, and so a frequency.
    assert run(esp32, "a = PWM(Pin(13), freq=300)\nb = PWM(Pin(14))\nb.freq(300)\n"
                      "print(a.freq(), b.freq())") == "300 300"


def test_esp32_soft_reset_stops_pwm(esp32):
    run(esp32, "from machine import Pin, PWM\nPWM(Pin(2), freq=100, duty_u16=10000)")
    assert esp32.board.gpio[2].pwm is not None
    soft_reset(esp32)
    assert esp32.board.gpio[2].pwm is None
