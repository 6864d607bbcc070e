"""machine.ADC (and the ESP32's TouchPad): analog readings of what is wired
to a pin, with the chip's resolution and seeded noise.

rp2 (ports/rp2/machine_adc.c): ADC(0..3) or ADC(26..29) or ADC(Pin(26..29));
ADC(4) / ADC.CORE_TEMP is the temperature sensor, V = 0.706 - (T - 27) *
0.001721 (RP2040 datasheet 4.9.5). read_u16() scales the 12-bit reading as
the port does: raw << 4 | raw >> 8. Errors: `ValueError: invalid channel`,
`ValueError: Pin doesn't have ADC capabilities`.

esp32 (ports/esp32/machine_adc.c): ADC(Pin(n), atten=...) on ADC1 (GPIO32-39)
or ADC2 pins; read() gives `width` bits (12 by default), read_u16() scaled,
read_uv() microvolts; atten() sets the input range: 0 dB about 1.1 V,
2.5 dB 1.5 V, 6 dB 2.2 V, 11 dB the full 3.3 V. `ValueError: invalid pin`.

Every reading stores its u16 value in the pin's state (`board.gpio[n].analog`)
and costs 2 us of board time.
"""

ESP32_ADC_PINS = frozenset((32, 33, 34, 35, 36, 37, 38, 39, 0, 2, 4, 12, 13, 14, 15, 25, 26, 27))
ESP32_FULL_SCALE = {0: 1.1, 1: 1.5, 2: 2.2, 3: 3.3}
CONVERSION_NS = 2_000
RP2_TEMP_CHANNEL = 4


def _scale_u16(raw, bits):
    return (raw << (16 - bits) | raw >> (2 * bits - 16)) & 0xFFFF


def _volts_to_raw(volts, full_scale, bits):
    top = (1 << bits) - 1
    return max(0, min(top, round(volts / full_scale * top)))


def make_adc_class(vm, Pin):
    board = vm.board
    definition = board.definition
    if definition.port == "esp32":
        return _esp32_adc(board, Pin)
    return _rp2_adc(board, Pin)


def _reading(board, gpio, volts, full_scale, bits):
    noisy = volts + board.noise.gauss(0, full_scale / 4096 * 1.2)   # about one LSB of 12 bits
    raw = _volts_to_raw(noisy, full_scale, bits)
    board.spend_ns(CONVERSION_NS)
    return raw


def _rp2_adc(board, Pin):
    definition = board.definition
    vref = definition.adc_vref
    first = min(definition.adc_pins) if definition.adc_pins else 26

    def chip_volts():
        air = board.parts.get("temperature")
        celsius = air.value if air is not None else 25.0
        return 0.706 - (celsius - 27.0) * 0.001721

    class ADC:
        CORE_TEMP = RP2_TEMP_CHANNEL

        def __init__(self, source):
            if isinstance(source, int) and not isinstance(source, Pin):
                if 0 <= source <= RP2_TEMP_CHANNEL:
                    channel = source
                elif source in definition.adc_pins:
                    channel = definition.adc_pins[source]
                else:
                    raise ValueError("invalid channel")
            else:
                gpio = Pin._find(source)
                if gpio not in definition.adc_pins:
                    raise ValueError("Pin doesn't have ADC capabilities")
                channel = definition.adc_pins[gpio]
            self._channel = channel
            self._gpio = None if channel == RP2_TEMP_CHANNEL else first + channel
            if self._gpio is not None:
                state = board.gpio[self._gpio]
                board.gpio.change(state, lambda: setattr(state, "mode", 0))   # input, digital off

        def read_u16(self):
            if self._gpio is None:
                return _scale_u16(_reading(board, None, chip_volts(), vref, 12), 12)
            raw = _reading(board, self._gpio, board.peripherals.analog_volts(self._gpio), vref, 12)
            value = _scale_u16(raw, 12)
            board.gpio[self._gpio].analog = value
            return value

        def __repr__(self):
            return f"<ADC channel={self._channel}>"

    ADC.__qualname__ = "ADC"
    return ADC


def _esp32_adc(board, Pin):
    settings = {"bits": 12}
    attens = {}

    class ADC:
        ATTN_0DB, ATTN_2_5DB, ATTN_6DB, ATTN_11DB = 0, 1, 2, 3
        WIDTH_9BIT, WIDTH_10BIT, WIDTH_11BIT, WIDTH_12BIT = 9, 10, 11, 12

        def __init__(self, pin, *, atten=-1):
            gpio = Pin._find(pin)
            if gpio not in ESP32_ADC_PINS:
                raise ValueError("invalid pin")
            self._gpio = gpio
            if atten != -1:
                self.atten(atten)
            else:
                attens.setdefault(gpio, 0)

        def init(self, *, atten=-1):
            if atten != -1:
                self.atten(atten)

        def atten(self, atten):
            if atten not in ESP32_FULL_SCALE:
                raise ValueError("invalid atten")
            attens[self._gpio] = atten

        def width(self, bits):
            if bits not in (9, 10, 11, 12):
                raise ValueError("invalid bits")
            settings["bits"] = bits

        def _raw(self):
            full = ESP32_FULL_SCALE[attens[self._gpio]]
            raw = _reading(board, self._gpio, board.peripherals.analog_volts(self._gpio), full,
                           settings["bits"])
            board.gpio[self._gpio].analog = _scale_u16(raw, settings["bits"])
            return raw

        def read(self):
            return self._raw()

        def read_u16(self):
            return _scale_u16(self._raw(), settings["bits"])

        def read_uv(self):
            full = ESP32_FULL_SCALE[attens[self._gpio]]
            raw = self._raw()
            return round(raw / ((1 << settings["bits"]) - 1) * full * 1_000_000)

        def __repr__(self):
            return f"ADC(Pin({self._gpio}), atten={attens[self._gpio]})"

    ADC.__qualname__ = "ADC"
    return ADC


def make_touchpad_class(vm, Pin):
    board = vm.board
    touch_pins = board.definition.touch_pins

    class TouchPad:
        """A capacitive touch channel: read() is about 600 untouched and drops
        under 100 while a finger is on the pad."""

        def __init__(self, pin):
            gpio = Pin._find(pin)
            if gpio not in touch_pins:
                raise ValueError("invalid pin for touchpad")
            self._gpio = gpio
            self._threshold = 0

        def config(self, value):
            self._threshold = int(value)

        def read(self):
            touched = board.peripherals.touch_sources.get(self._gpio, lambda: False)()
            base = 80 if touched else 600
            board.spend_ns(CONVERSION_NS)
            return max(0, round(base + board.noise.gauss(0, 4)))

    TouchPad.__qualname__ = "TouchPad"
    return TouchPad
