"""machine.ADC and machine.PWM on the simulated Pico (ports/rp2's behaviour)."""

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link


@pytest.fixture
def raw():
    with sim_link("sim://pico?time=virtual&seed=3") as link:
        enter_raw(link)
        yield link


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out.replace("\r\n", "\n").strip()


def error(link, code):
    out, err = raw_exec(link, code)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]


# ---- ADC ----------------------------------------------------------------

def test_adc_by_channel_gpio_or_pin(raw):
    assert run(raw, "from machine import ADC, Pin\nprint(ADC(0), ADC(27), ADC(Pin(28)), ADC(ADC.CORE_TEMP))") == \
        "<ADC channel=0> <ADC channel=1> <ADC channel=2> <ADC channel=4>"


@pytest.mark.parametrize("source, message", [
    ("5", "ValueError: invalid channel"),
    ("Pin(2)", "ValueError: Pin doesn't have ADC capabilities"),
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


def test_readings_are_noisy_but_seeded():
    def sample():
        with sim_link("sim://pico?time=virtual&seed=9") as link:
            enter_raw(link)
            return run(link, "from machine import ADC\na = ADC(0)\nprint([a.read_u16() for _ in range(8)])")
    first = sample()
    assert first == sample()
    assert len(set(eval(first))) > 1


def test_internal_temperature_sensor_uses_the_datasheet_formula(raw):
    raw.board.parts["temperature"].value = 35.0
    out = run(raw, "from machine import ADC\ns = ADC(4)\n"
                   "v = sum(s.read_u16() for _ in range(32)) / 32 * 3.3 / 65535\n"
                   "print(27 - (v - 0.706) / 0.001721)")
    assert abs(float(out) - 35.0) < 1.0


def test_an_unconnected_adc_pin_floats_low(raw):
    assert int(run(raw, "from machine import ADC\nprint(ADC(1).read_u16())")) < 10000


# ---- PWM ----------------------------------------------------------------

def test_pwm_reads_back_the_rp2040s_values(raw):
    out = run(raw, "from machine import Pin, PWM\np = PWM(Pin(15), freq=1000, duty_u16=16384)\n"
                   "print(p, p.freq(), p.duty_u16(), p.duty_ns())")
    assert out == "<PWM slice=7 channel=1 invert=0> 1000 16384 250000"
    assert raw.board.gpio[15].pwm == pytest.approx(0.25, abs=1e-4)
    assert run(raw, "p.freq(50)\nprint(p.freq(), p.duty_u16())") == "50 16384"
    # At 50 Hz the divider is 611/16: a servo pulse lands on the nearest 305.5 ns step.
    assert run(raw, "p.duty_ns(1_500_000)\nprint(p.duty_ns(), p.duty_u16())") == "1500005 4915"


def test_pwm_state_for_the_widgets(raw):
    board = raw.board
    run(raw, "from machine import Pin, PWM\nled = PWM(Pin(25))")
    assert board.gpio[25].pwm is None           # no frequency and no duty yet: not running
    run(raw, "led.freq(1000)\nled.duty_u16(65535)")
    assert board.gpio[25].pwm == 1.0 and board.gpio[25].level == 1
    run(raw, "led.init(invert=1)")
    assert board.gpio[25].pwm == 0.0
    run(raw, "led.deinit()")
    assert board.gpio[25].pwm is None
    assert run(raw, "print(Pin(25))") == "Pin(GPIO25, mode=ALT, alt=PWM)"


def test_high_frequencies_round_to_the_clock(raw):
    assert run(raw, "from machine import Pin, PWM\nprint(PWM(Pin(2), freq=100_000_000).freq())") == "125000000"


def test_two_channels_of_a_slice_share_the_frequency(raw):
    out = run(raw, "from machine import Pin, PWM\na = PWM(Pin(0), freq=1000, duty_u16=100)\n"
                   "b = PWM(Pin(1), freq=2000, duty_u16=100)\nprint(a.freq(), b.freq())")
    assert out == "2000 2000"


@pytest.mark.parametrize("code, message", [
    ("PWM(Pin(2), freq=1)", "ValueError: freq too small"),
    ("PWM(Pin(2), freq=1000, duty_ns=2_000_000)", "ValueError: duty larger than period"),
])
def test_pwm_errors_are_the_ports(raw, code, message):
    assert error(raw, "from machine import Pin, PWM\n" + code) == message


def test_a_soft_reset_stops_pwm(raw):
    run(raw, "from machine import Pin, PWM\nPWM(Pin(16), freq=500, duty_u16=30000)")
    assert raw.board.gpio[16].pwm is not None
    raw.write(b"\x04")
    from boardlab.interpreter.testing import read_until
    read_until(raw, b"raw REPL; CTRL-B to exit\r\n>")
    assert raw.board.gpio[16].pwm is None
