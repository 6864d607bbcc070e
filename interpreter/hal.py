"""The machine module's hardware, as host imports: what the firmware's
machine classes (interpreter/port/machine_*.c) ask of the board's model.
"""

from .host import DEEPSLEEP, EVENT_PIN_IRQ, FATAL, HARD_RESET, POWER_ON, WATCHDOG

# machine.reset_cause()'s inputs, as interpreter/port/host.h numbers them.
RESET_CAUSES = {POWER_ON: 0, HARD_RESET: 1, WATCHDOG: 2, DEEPSLEEP: 3, FATAL: 1, "reset": 1}


def blocks(board):
    """The hardware blocks of the machine module, for Chip to link."""
    return []


def post_pin_irq(chip, pin, edge):
    chip.post(EVENT_PIN_IRQ, pin.id, edge)
