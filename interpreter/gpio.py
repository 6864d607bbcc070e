"""The board's GPIO bank: what each pin is set to and what level it shows.

This is hardware state: it survives a soft reset (as on the RP2040) and is
cleared by a hard reset. The kernel reads it directly (`board.gpio[25].level`)
and simulated parts drive inputs with `board.gpio[n].drive(level)`.
Watchers are called with (pin number, level) whenever a pin's level changes.
"""

import threading

IN, OUT, OPEN_DRAIN, ALT = 0, 1, 2, 3
PULL_UP, PULL_DOWN = 1, 2
MODE_NAMES = {IN: "IN", OUT: "OUT", OPEN_DRAIN: "OPEN_DRAIN", ALT: "ALT"}


class PinState:
    __slots__ = ("bank", "id", "mode", "pull", "output", "external", "alt")

    def __init__(self, bank, number):
        self.bank = bank
        self.id = number
        self.reset()

    def reset(self):
        self.mode = IN
        self.pull = 0
        self.output = 0          # the output latch
        self.external = None     # level driven from outside, None when floating
        self.alt = None

    @property
    def level(self):
        """What reading the pin gives."""
        if self.mode == OUT:
            return self.output
        if self.mode == OPEN_DRAIN and self.output == 0:
            return 0
        if self.external is not None:
            return self.external
        if self.mode == OPEN_DRAIN or self.pull & PULL_UP:
            return 1
        return 0

    def drive(self, level):
        """Drive the pin from outside (a button, a sensor); None lets it float."""
        self.bank.change(self, lambda: setattr(self, "external", None if level is None else int(bool(level))))

    def __repr__(self):
        return f"<PinState GPIO{self.id} {MODE_NAMES.get(self.mode, self.mode)} level={self.level}>"


class GpioBank:
    def __init__(self, count):
        self.lock = threading.RLock()
        self.pins = [PinState(self, n) for n in range(count)]
        self.watchers = []

    def __getitem__(self, number):
        return self.pins[number]

    def __len__(self):
        return len(self.pins)

    def change(self, pin, update):
        """Apply `update()` to `pin` and tell watchers if its level moved."""
        with self.lock:
            before = pin.level
            update()
            after = pin.level
        if after != before:
            for watcher in list(self.watchers):
                watcher(pin.id, after)

    def watch(self, callback):
        self.watchers.append(callback)
        return callback

    def unwatch(self, callback):
        if callback in self.watchers:
            self.watchers.remove(callback)

    def reset(self):
        for pin in self.pins:
            self.change(pin, pin.reset)
