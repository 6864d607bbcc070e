"""The board's GPIO bank: what each pin is set to and what level it shows.

This is hardware state: it survives a soft reset (as on the RP2040; IRQs and
PWM outputs are stopped by it) and is cleared by a hard reset, except what
drives a pin from outside the chip (a button held down, a pull-up on the
board): a reset of the chip does not move it. The kernel
reads it directly (`board.pins[25].level`, `.pwm`, `.irq`, `.analog`: see
hardware.py) and simulated parts drive inputs with
`board.gpio[n].drive(level)`, from any thread. The modes and pulls below
are the names both the simulator and the kernel read a pin state by.

Watchers are called with (pin number, level) whenever a pin's level
changes, and also when its PWM duty or IRQ arming changes (same level then).
They run in the thread that made the change and must be quick.

An edge on a pin whose IRQ is armed for it is reported with
`bank.on_irq(pin, edge)`: the board posts it to the firmware, whose Pin.irq
handler then runs (hard or soft, as on the board).
"""

import threading

IN, OUT, OPEN_DRAIN, ALT = 0, 1, 2, 3
PULL_UP, PULL_DOWN = 1, 2
MODE_NAMES = {IN: "IN", OUT: "OUT", OPEN_DRAIN: "OPEN_DRAIN", ALT: "ALT"}
EDGE_RISE, EDGE_FALL = 1, 2         # board-neutral; each port's Pin maps its own constants


class PinState:
    __slots__ = ("bank", "id", "name", "mode", "pull", "output", "external", "alt",
                 "pwm", "analog", "irq_trigger", "irq_flags")

    def __init__(self, bank, number, name=None):
        self.bank = bank
        self.id = number
        self.name = name or f"GPIO{number}"
        self.external = None     # level driven from outside, None when floating
        self.reset()

    def reset(self):
        """The chip's reset. `external` stays: it is driven by what is wired
        to the pin, which a reset of the chip does not touch."""
        self.mode = IN
        self.pull = 0
        self.output = 0          # the output latch
        self.alt = None          # the alternate function's name ("PWM", "I2C"...) in ALT mode
        self.pwm = None          # PWM duty as a fraction 0..1 while a PWM drives the pin
        self.analog = None       # the last ADC reading (u16) taken on this pin
        self.stop_irq()

    def stop_irq(self):
        self.irq_trigger = 0
        self.irq_flags = 0

    @property
    def irq(self):
        """True while an IRQ handler is armed on this pin."""
        return self.irq_trigger != 0

    @property
    def level(self):
        """What reading the pin gives."""
        if self.mode == OUT:
            return self.output
        if self.mode == ALT and self.pwm is not None:
            return 1 if self.pwm >= 0.5 else 0
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
        return f"<PinState {self.name} {MODE_NAMES.get(self.mode, self.mode)} level={self.level}>"


class GpioBank:
    def __init__(self, count, extra_names=()):
        """`count` CPU GPIOs, then one pin per name in `extra_names` (pins of
        another chip, such as the Pico W's LED on the wireless chip)."""
        self.lock = threading.RLock()
        self.pins = [PinState(self, n) for n in range(count)]
        self.pins += [PinState(self, count + i, name) for i, name in enumerate(extra_names)]
        self.watchers = []
        self.on_irq = None

    def __getitem__(self, number):
        return self.pins[number]

    def __len__(self):
        return len(self.pins)

    def change(self, pin, update):
        """Apply `update()` to `pin`, then raise its IRQ and tell watchers if
        its level moved."""
        with self.lock:
            before = pin.level
            update()
            after = pin.level
            edge = 0
            if after != before:
                edge = EDGE_RISE if after else EDGE_FALL
                if pin.irq_trigger & edge:
                    pin.irq_flags = edge
                else:
                    edge = 0
        if after != before:
            if edge and self.on_irq is not None:
                self.on_irq(pin, edge)
            self._tell(pin.id, after)

    def notify(self, pin):
        """Something else than the level changed (PWM, IRQ arming)."""
        self._tell(pin.id, pin.level)

    def _tell(self, number, level):
        for watcher in list(self.watchers):
            watcher(number, level)

    def watch(self, callback):
        self.watchers.append(callback)
        return callback

    def unwatch(self, callback):
        if callback in self.watchers:
            self.watchers.remove(callback)

    def soft_reset(self):
        """What a soft reset stops: IRQs and PWM outputs (the pin keeps its function)."""
        for pin in self.pins:
            pin.stop_irq()
            if pin.pwm is not None:
                self.change(pin, lambda pin=pin: setattr(pin, "pwm", None))
                self.notify(pin)

    def reset(self):
        for pin in self.pins:
            self.change(pin, pin.reset)
