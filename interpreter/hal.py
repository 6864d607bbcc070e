"""The machine module's hardware, as host imports: what the firmware's
machine classes (interpreter/port/machine_*.c) ask of the board's model
(gpio.py, peripherals.py, the parts in boards/). Each block is one area of
the chip; `blocks(board)` lists them for host.Chip to link.
"""

from . import hal_buses
from .gpio import ALT
from .host import (
    DEEPSLEEP, EVENT_PIN_IRQ, FATAL, HARD_RESET, I32, POWER_ON, WATCHDOG, host_import)

# machine.reset_cause()'s inputs, as interpreter/port/host.h numbers them.
RESET_CAUSES = {POWER_ON: 0, HARD_RESET: 1, WATCHDOG: 2, DEEPSLEEP: 3, FATAL: 1, "reset": 1}


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
    """The GPIO bank (gpio.py)."""

    def __init__(self, board):
        self.gpio = board.gpio

    @host_import("pin_config", [I32, I32, I32, I32, I32])
    def pin_config(self, number, mode, pull, value, alt):
        pin = self.gpio[number]
        name = c_string(self.chip, alt) if mode == ALT else None

        def update():
            if value >= 0:
                pin.output = value
            pin.mode, pin.pull, pin.alt = mode, pull, name
        self.gpio.change(pin, update)
        self.gpio.notify(pin)

    @host_import("pin_write", [I32, I32])
    def pin_write(self, number, value):
        pin = self.gpio[number]
        self.gpio.change(pin, lambda: setattr(pin, "output", 1 if value else 0))

    @host_import("pin_read", [I32], [I32])
    def pin_read(self, number):
        return self.gpio[number].level

    @host_import("pin_irq", [I32, I32])
    def pin_irq(self, number, edges):
        pin = self.gpio[number]
        pin.irq_trigger = edges
        pin.irq_flags = 0
        self.gpio.notify(pin)


def blocks(board):
    """The hardware blocks of the machine module, for Chip to link."""
    return [GpioBlock(board), *hal_buses.blocks(board)]


def post_pin_irq(chip, pin, edge):
    chip.post(EVENT_PIN_IRQ, pin.id, edge)
