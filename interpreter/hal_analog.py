"""The analog side of the chip, as host imports for machine.ADC and
machine.PWM (interpreter/port/machine_adc.c, machine_pwm.c).

ADC: a conversion reads the voltage the board's model puts on the pin
(`Peripherals.analog_volts`: a potentiometer's wiper, or a floating pin's
noise) or, on the RP2040, its temperature sensor: V = 0.706 - (T - 27) *
0.001721 (RP2040 datasheet 4.9.5), T the air the board's SHT31 measures, or
27 C on a board without one. The converter adds about one step of noise and
quantises as an ideal one: floor(V / range * 2**bits), held to the top code.
The reading, as a u16, is kept in the pin's state (`board.gpio[n].analog`)
for the pin view. A conversion takes 2 us of board time, as the RP2040's does
(on virtual time; on real time it takes what the call takes).

PWM: the firmware models the chip's PWM registers and tells the host what
signal each pin carries; a pin whose function is PWM shows it as
`board.gpio[n].pwm`, the fraction of the period it is high (None when
stopped), which the pin view and the LEDs read.
"""

from .gpio import ALT
from .host import I32, host_import

# host.h's HOST_ADC_CORE_TEMP: the RP2040's temperature sensor, channel 4.
ADC_CORE_TEMP = -1
ADC_NOISE_STEPS = 1.2          # the converter's noise, in steps of 12 bits
ROOM_CELSIUS = 27.0            # the sensor's reference point, and the air without an SHT31
CONVERSION_NS = 2_000


def scale_u16(raw, bits):
    """A `bits`-bit reading as a u16, as the ports scale it."""
    return (raw << (16 - bits) | raw >> (2 * bits - 16)) & 0xFFFF


class AnalogBlock:
    """The ADC and the PWM outputs."""

    def __init__(self, board):
        self.board = board
        self.gpio = board.gpio

    @host_import("adc_vref_mv", [], [I32])
    def adc_vref_mv(self):
        return round(self.board.definition.adc_vref * 1000)

    @host_import("adc_read", [I32, I32, I32], [I32])
    def adc_read(self, pin, range_mv, bits):
        board = self.board
        board.clock.advance_to(board.clock.peek_ns() + CONVERSION_NS)
        if pin == ADC_CORE_TEMP:
            volts = self.core_temperature_volts()
        else:
            volts = board.peripherals.analog_volts(pin)
        full_scale = range_mv / 1000
        volts += board.noise.gauss(0, full_scale / 4096 * ADC_NOISE_STEPS)
        top = (1 << bits) - 1
        raw = max(0, min(top, int(volts / full_scale * (1 << bits))))
        if pin != ADC_CORE_TEMP:
            state = self.gpio[pin]
            state.analog = scale_u16(raw, bits)
            self.gpio.notify(state)
        return raw

    def core_temperature_volts(self):
        air = self.board.parts.get("temperature")
        celsius = air.value if air is not None else ROOM_CELSIUS
        return 0.706 - (celsius - ROOM_CELSIUS) * 0.001721

    @host_import("pwm_output", [I32, I32, I32])
    def pwm_output(self, number, high, period):
        """A PWM channel's signal on a pin: high for `high` of every `period`
        counts; period 0: stopped. Shown only while the pin's function is PWM."""
        pin = self.gpio[number]
        if pin.mode != ALT or pin.alt != "PWM":
            return
        duty = None if period == 0 else min(1.0, (high & 0xFFFFFFFF) / (period & 0xFFFFFFFF))
        if duty != pin.pwm:
            self.gpio.change(pin, lambda: setattr(pin, "pwm", duty))
            self.gpio.notify(pin)
