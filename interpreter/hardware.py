"""What the kernel may reach of a simulated board's hardware, declared once.

A simulated board is more than bytes on a link: its pins and parts can be
looked at and driven directly, in-process, from any thread, even while a
cell runs (the pin view follows a blinking LED; a slider turns a knob that
a running loop reads). The kernel reaches them only through
`SimulatedHardware`, which the simulated board (board.Board) implements and
its link hands out (transport.link.Link.simulated_hardware(), None for a
real board, which has no such view). So the kernel depends on this module,
not on how the simulator is built, and the names it needs to read a pin
state (the modes, the pulls) are the simulator's own, re-exported here.
"""

from typing import Protocol

from boardlab.boards.definition import BoardDefinition
from boardlab.boards.parts import Part
from boardlab.interpreter.gpio import ALT, MODE_NAMES, PULL_DOWN, PULL_UP, PinState

__all__ = ["ALT", "MODE_NAMES", "PULL_DOWN", "PULL_UP", "PinState", "SimulatedHardware"]


class SimulatedHardware(Protocol):
    """A simulated board's hardware, as the kernel and a `%%host` cell see it.

    `definition`: the board model (name, machine, gpio_count, led,
    invalid_pins, pin_name(); boards/definition.py).

    `parts`: name -> the simulated part wired to the board (boards/parts.py:
    every part has `.name`, `.kind`, `.label`, `.pin`, `watch(callback)` and
    `unwatch(callback)`, called after its state changed; a "button" has
    `press()`, `release()`, `.pressed`; a "slider" `.value`, `.minimum`,
    `.maximum`, `.step`, `.unit`).
    """

    definition: BoardDefinition
    parts: dict[str, Part]

    @property
    def closed(self) -> bool:
        """True once the board is powered off (its link closed): its pins
        and parts no longer change."""

    @property
    def pins(self) -> list[PinState]:
        """Every pin, indexed by its number (bank index): its `id`, `mode`
        (a key of MODE_NAMES), `level`, `pull` (PULL_UP, PULL_DOWN bits),
        `pwm` (duty 0..1 or None), `analog` (the last ADC reading or None),
        `irq` (a handler armed), `external` (the level a part drives, or
        None) and `alt` (the peripheral of an ALT pin). Read them from any
        thread; parts drive them, not the kernel."""

    def uart_input(self, data, uart=None):
        """Bytes (or text) arriving at the board's UART (the UART box of
        %pins, a `%%host` cell)."""

    def uart_output(self, uart=None):
        """What the board sent on its UART since the last call (a `%%host` cell)."""
