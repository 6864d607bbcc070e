"""What each pin of the board is doing, read without disturbing the board.

Two sources, one shape (a tuple of `PinReading`, comparable, so a view can
tell whether anything changed):

* the simulated board: its GPIO bank is read directly, in-process
  (`read_simulated`), as often as a view likes, even while a cell runs;
* a real board: a small raw-REPL snippet run between cells (`QUERY_SNIPPET`,
  decoded by `decode_query`). The kernel never sends it while a cell runs.

What a real board can tell without being disturbed, and so the limits:

* MicroPython has no portable way to read a pin's mode, and `Pin(n).value()`
  is not a safe probe everywhere (on some ports constructing or reading a pin
  touches its configuration). So the snippet reads nothing through
  `machine.Pin`: on an RP2040 it reads the chip's registers with
  `machine.mem32` (side-effect free reads of SIO, IO_BANK0, PADS_BANK0, PWM,
  and RESETS to check PWM is out of reset before touching it). That gives each
  pin's function (SIO in/out, PWM, another peripheral, or none), its input
  level and output latch, pulls, PWM duty, and whether core 0 has a GPIO
  interrupt armed on it.
* OPEN_DRAIN is emulated by MicroPython's rp2 port (it flips output enable);
  the hardware shows it as an input or a low output.
* ADC values are not read: starting a conversion needs `machine.ADC`, which
  reconfigures the pin. An ADC pin shows as "ADC" without a value.
* Any other chip (ESP32, STM32, RP2350, ...) answers "unsupported": its pins
  are drawn without states rather than probed in ways that could change them.
"""

from dataclasses import dataclass

from boardlab.interpreter.hardware import ALT, MODE_NAMES, PULL_DOWN, PULL_UP


@dataclass(frozen=True)
class PinReading:
    gpio: int
    mode: str | None          # IN, OUT, OPEN_DRAIN, ALT, PWM, ADC, or None (unused/unknown)
    level: int | None = None  # what reading the pin gives
    pull: str | None = None   # "up", "down" or None
    pwm: float | None = None  # duty, 0..1
    analog: float | None = None  # the last ADC reading, u16 (0..65535)
    irq: bool = False
    driven: bool = False      # something outside (a part) drives the pin
    function: str | None = None  # for ALT pins: which peripheral, when known


# -- the simulated board -----------------------------------------------------

def read_simulated(hardware):
    """Readings of every pin of a simulated board's hardware
    (interpreter/hardware.py's SimulatedHardware), in the names the
    simulator gives its modes and pulls."""
    readings = []
    for state in hardware.pins:
        readings.append(PinReading(
            gpio=state.id,
            mode=MODE_NAMES.get(state.mode, str(state.mode)),
            level=state.level,
            pull="up" if state.pull & PULL_UP else ("down" if state.pull & PULL_DOWN else None),
            pwm=None if state.pwm is None else float(state.pwm),
            analog=None if state.analog is None else float(state.analog),
            irq=state.irq,
            driven=state.external is not None,
            function=state.alt if state.mode == ALT else None,
        ))
    return tuple(readings)


# -- a real board ------------------------------------------------------------

QUERY_MARK = "BOARDLAB-PINS"

# Runs in the raw REPL between cells. Everything lives inside a function that
# is deleted afterwards, so the board's globals are left as they were; imports
# go through __import__ so no module name is bound in them either.
QUERY_SNIPPET = """\
def _boardlab_pins():
    m = __import__('machine')
    try:
        name = __import__('os').uname().machine
    except Exception:
        name = __import__('sys').platform
    r = getattr(m, 'mem32', None)
    if r is None or 'RP2040' not in name:
        print('%s unsupported' % '""" + QUERY_MARK + """', name)
        return
    v = [r[0xd0000004], r[0xd0000010], r[0xd0000020], r[0x4000c008]]
    for n in range(30):
        v.append(r[0x40014004 + 8 * n])
        v.append(r[0x4001c004 + 4 * n])
    for k in range(4):
        v.append(r[0x40014100 + 4 * k])
    if v[3] >> 14 & 1:
        for s in range(8):
            b = 0x40050000 + 0x14 * s
            v.append(r[b])
            v.append(r[b + 0xc])
            v.append(r[b + 0x10])
    print('""" + QUERY_MARK + """', name)
    print(*v)
_boardlab_pins()
del _boardlab_pins
"""

RP2040_GPIOS = 30
# IO_BANK0 GPIOx_CTRL.FUNCSEL values (RP2040 datasheet, 2.19.2)
RP2040_FUNCTIONS = {1: "SPI", 2: "UART", 3: "I2C", 4: "PWM", 5: "SIO", 6: "PIO0",
                    7: "PIO1", 8: "CLOCK", 9: "USB", 31: None}
ADC_GPIOS = range(26, 30)


@dataclass(frozen=True)
class QueryAnswer:
    machine: str
    readings: tuple | None    # None when the chip is not supported
    note: str = ""


def decode_query(output):
    """The snippet's printed answer -> QueryAnswer. ValueError when the
    output is not an answer at all."""
    lines = [line.strip() for line in output.replace("\r", "").split("\n") if line.strip()]
    for index, line in enumerate(lines):
        if not line.startswith(QUERY_MARK):
            continue
        rest = line[len(QUERY_MARK):].strip()
        if rest.startswith("unsupported"):
            machine = rest[len("unsupported"):].strip()
            return QueryAnswer(machine, None,
                               f"pin states are read on RP2040 boards only, not on {machine}")
        if index + 1 >= len(lines):
            break
        values = [int(word) & 0xFFFFFFFF for word in lines[index + 1].split()]
        return QueryAnswer(rest, decode_rp2040(values))
    raise ValueError(f"not a pin query answer: {output[:200]!r}")


def decode_rp2040(values):
    """Register values read by QUERY_SNIPPET -> readings of GPIO0..29."""
    sio_in, sio_out, sio_oe, reset_done = values[:4]
    ctrl_pads = values[4:4 + 2 * RP2040_GPIOS]
    inte = values[4 + 2 * RP2040_GPIOS:8 + 2 * RP2040_GPIOS]
    pwm = values[8 + 2 * RP2040_GPIOS:]
    readings = []
    for n in range(RP2040_GPIOS):
        ctrl, pad = ctrl_pads[2 * n], ctrl_pads[2 * n + 1]
        funcsel = ctrl & 0x1F
        function = RP2040_FUNCTIONS.get(funcsel, f"F{funcsel}")
        pull = "up" if pad & 0x8 else ("down" if pad & 0x4 else None)
        level = sio_in >> n & 1
        irq = bool(inte[n // 8] >> (4 * (n % 8)) & 0xF)
        duty = None
        if function == "SIO":
            mode = "OUT" if sio_oe >> n & 1 else "IN"
            if mode == "OUT":
                level = sio_out >> n & 1
        elif function == "PWM":
            mode = "PWM"
            duty = _pwm_duty(pwm, n)
        elif function is None:
            # An ADC pin has its digital input switched off (PADS IE = 0).
            analog_pin = n in ADC_GPIOS and not pad & 0x40
            mode = "ADC" if analog_pin else None
            if analog_pin:
                level = None
        else:
            mode = "ALT"
        readings.append(PinReading(gpio=n, mode=mode, level=level, pull=pull, pwm=duty,
                                   irq=irq, function=function if mode == "ALT" else None))
    return tuple(readings)


def _pwm_duty(pwm, gpio):
    """Duty of the PWM channel on `gpio`: CC / (TOP + 1), 0 when the slice is
    off, inverted when the channel's output is inverted."""
    if len(pwm) < 24:
        return None             # the PWM block was held in reset: not read
    slice_, channel = gpio >> 1 & 7, gpio & 1
    csr, cc, top = pwm[3 * slice_: 3 * slice_ + 3]
    if not csr & 1:
        return 0.0
    level = cc >> (16 * channel) & 0xFFFF
    duty = min(level / ((top & 0xFFFF) + 1), 1.0)
    if csr >> (2 + channel) & 1:
        duty = 1.0 - duty
    return duty
