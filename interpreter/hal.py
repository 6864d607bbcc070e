"""The machine module's hardware, as host imports: what the firmware's
machine classes (interpreter/port/machine_*.c) ask of the board's model
(gpio.py, peripherals.py, the parts in boards/). Each block is one area of
the chip; `blocks(board)` lists them for host.Chip to link.
"""

import struct

from . import hal_buses, hal_system
from .gpio import ALT, OUT
from .hal_analog import AnalogBlock
from .host import (
    DEEPSLEEP, EVENT_PIN_IRQ, FATAL, HARD_RESET, I32, POWER_ON, RESET_BUTTON, WATCHDOG, host_import)

# machine.reset_cause()'s inputs, as interpreter/port/host.h numbers them.
# The reset button resets the whole chip as power-on does: both ports read
# PWRON_RESET after it.
RESET_CAUSES = {POWER_ON: 0, HARD_RESET: 1, WATCHDOG: 2, DEEPSLEEP: 3, FATAL: 1, RESET_BUTTON: 0}


def c_string(chip, pointer):
    """A NUL-terminated string in the firmware's memory (None for NULL)."""
    if pointer == 0:
        return None
    data = bytearray()
    while True:
        chunk = chip.read(pointer + len(data), 16)
        end = chunk.find(0)
        if end >= 0:
            data += chunk[:end]
            return data.decode("utf-8", "replace")
        data += chunk


class GpioBlock:
    """The GPIO bank (gpio.py), and what talks to the parts through pins:
    bitstreams (NeoPixels) and the ESP32's touch channels."""

    # What TouchPad.read() counts on the ESP32: a bare electrode, and with a
    # finger on it.
    TOUCH_RELEASED, TOUCH_PRESSED, TOUCH_NOISE = 600, 80, 4

    def __init__(self, board):
        self.board = board
        self.gpio = board.gpio

    @host_import("pin_config", [I32, I32, I32, I32, I32], [I32])
    def pin_config(self, number, mode, pull, value, alt):
        pin = self.gpio[number]
        name = c_string(self.chip, alt) if mode == ALT else None

        def update():
            if value >= 0:
                pin.output = value
            pin.mode, pin.pull, pin.alt = mode, pull, name
            if name != "PWM":
                pin.pwm = None      # a pin taken from the PWM no longer carries its signal
        self.gpio.change(pin, update)
        return self.chip.pending()

    @host_import("pin_write", [I32, I32], [I32])
    def pin_write(self, number, value):
        pin = self.gpio[number]
        self.gpio.change(pin, lambda: setattr(pin, "output", 1 if value else 0))
        return self.chip.pending()

    @host_import("pin_read", [I32], [I32])
    def pin_read(self, number):
        # The outside world as of now: a button's bounce, a sensor's answer
        # (a C loop polling a pin, as time_pulse_us does, sees them come).
        self.board.timeline.run_due()
        return self.gpio[number].level

    @host_import("pin_wait", [I32, I32, I32])
    def pin_wait(self, number, level, timeout_us):
        """time_pulse_us waits for `level`: on virtual time, straight to the
        next event on the timeline (an edge to come) or to the timeout."""
        clock, timeline = self.board.clock, self.board.timeline
        timeline.run_due()
        if not clock.virtual or self.gpio[number].level == level:
            return
        deadline = clock.peek_ns() + (timeout_us & 0xFFFFFFFF) * 1000
        due = timeline.next_due()
        clock.advance_to(deadline if due is None else min(due, deadline))
        timeline.run_due()

    @host_import("pin_settings", [I32, I32])
    def pin_settings(self, number, pointer):
        pin = self.gpio[number]
        alt = (pin.alt or "").encode()[:11] if pin.mode == ALT else b""
        self.chip.write(pointer, struct.pack("<3i12s", pin.mode, pin.pull, pin.output, alt))

    @host_import("pin_irq", [I32, I32])
    def pin_irq(self, number, edges):
        pin = self.gpio[number]
        pin.irq_trigger = edges
        pin.irq_flags = 0
        self.gpio.notify(pin)

    @host_import("bitstream", [I32, I32, I32, I32])
    def bitstream(self, number, timing, pointer, size):
        """machine.bitstream: the bytes go to what is wired to the pin; the
        stream takes its time on the board's clock and leaves the pin low."""
        data = self.chip.read(pointer, size)
        high0, low0, high1, low1 = struct.unpack("<4I", self.chip.read(timing, 16))
        ones = sum(bin(byte).count("1") for byte in data)
        clock = self.board.clock
        clock.advance_to(clock.peek_ns() + ones * (high1 + low1) + (8 * size - ones) * (high0 + low0))
        pin = self.gpio[number]
        self.gpio.change(pin, lambda: setattr(pin, "output", 0))
        sink = self.board.peripherals.bitstream_sinks.get(number)
        if sink is not None and pin.mode == OUT:
            sink(data)

    @host_import("touch_read", [I32], [I32])
    def touch_read(self, number):
        touched = self.board.peripherals.touch_sources.get(number)
        count = self.TOUCH_PRESSED if touched is not None and touched() else self.TOUCH_RELEASED
        return count + round(self.board.noise.gauss(0, self.TOUCH_NOISE))


def blocks(board):
    """The hardware blocks of the machine module, for Chip to link."""
    return [GpioBlock(board), AnalogBlock(board), *hal_buses.blocks(board), *hal_system.blocks(board)]


def post_pin_irq(chip, pin, edge):
    chip.post(EVENT_PIN_IRQ, pin.id, edge)
