"""machine.Pin and machine.Signal, as each port has them.

rp2 (ports/rp2/machine_pin.c): Pin(n) for GPIO n, board names such as "LED"
and "GP5", `ValueError: invalid pin` / `unknown named pin "X"`; repr
`Pin(GPIO25, mode=OUT)`; IRQ_FALLING = 4, IRQ_RISING = 8; a pin of another
chip (the Pico W's "LED", EXT_GPIO0) takes no pull and no IRQ.

esp32 (ports/esp32/machine_pin.c): only the GPIOs the chip has (not 6-11,
wired to the flash, nor 20, 24, 28-31) else `ValueError: invalid pin`;
GPIO34-39 are inputs only (`ValueError: pin can only be input`); repr
`Pin(2)`; IN = 1, OUT = 3, OPEN_DRAIN = 7, PULL_DOWN = 1, PULL_UP = 2,
IRQ_RISING = 1, IRQ_FALLING = 2; a pull left out keeps the pin's pull.

The same object comes back for the same pin (within one VM). An IRQ
handler is queued on the board's scheduler at the edge and runs in the CPU
thread with the Pin as its argument, like a soft IRQ.
"""

from . import gpio as _gpio

RP2_ALT = {1: "SPI", 2: "UART", 3: "I2C", 4: "PWM", 5: "SIO", 6: "PIO0", 7: "PIO1", 8: "GPCK", 9: "USB"}

# port -> (mode constants, pull constants, IRQ constants, extra class constants)
_CONSTANTS = {
    "rp2": (
        {"IN": 0, "OUT": 1, "OPEN_DRAIN": 2, "ALT": 3},
        {"PULL_UP": 1, "PULL_DOWN": 2},
        {"IRQ_FALLING": 4, "IRQ_RISING": 8},
        {f"ALT_{name}": number for number, name in RP2_ALT.items()},
    ),
    "esp32": (
        {"IN": 1, "OUT": 3, "OPEN_DRAIN": 7},
        {"PULL_DOWN": 1, "PULL_UP": 2},
        {"IRQ_RISING": 1, "IRQ_FALLING": 2},
        {"WAKE_LOW": 4, "WAKE_HIGH": 5, "DRIVE_0": 0, "DRIVE_1": 1, "DRIVE_2": 2, "DRIVE_3": 3},
    ),
}
_MODE_OF = {"IN": _gpio.IN, "OUT": _gpio.OUT, "OPEN_DRAIN": _gpio.OPEN_DRAIN, "ALT": _gpio.ALT}
_UNSET = object()


def make_pin_class(vm):
    board = vm.board
    definition = board.definition
    bank = board.gpio
    port = definition.port if definition.port in _CONSTANTS else "rp2"
    modes, pulls, irqs, extra = _CONSTANTS[port]
    to_bank_mode = {value: _MODE_OF[name] for name, value in modes.items()}
    from_bank_mode = {mode: name for name, mode in zip(modes, map(_MODE_OF.get, modes))}
    pull_up, pull_down = pulls["PULL_UP"], pulls["PULL_DOWN"]
    rise, fall = irqs["IRQ_RISING"], irqs["IRQ_FALLING"]
    esp32 = port == "esp32"
    instances = {}

    def bank_pull(pull):
        return (_gpio.PULL_UP if pull & pull_up else 0) | (_gpio.PULL_DOWN if pull & pull_down else 0)

    class IRQ:
        def __init__(self, pin):
            self._pin = pin

        def flags(self):
            flags = self._pin._state.irq_flags
            return (rise if flags & _gpio.EDGE_RISE else 0) | (fall if flags & _gpio.EDGE_FALL else 0)

        def trigger(self, trigger=_UNSET):
            state = self._pin._state
            old = (rise if state.irq_trigger & _gpio.EDGE_RISE else 0) | \
                  (fall if state.irq_trigger & _gpio.EDGE_FALL else 0)
            if trigger is not _UNSET:
                state.irq_trigger = self._pin._edges(trigger)
                bank.notify(state)
            return old

        def __call__(self):
            state = self._pin._state
            if state.irq_handler is not None:
                board.scheduler.schedule(state.irq_handler, self._pin)

        def __repr__(self):
            return f"<{'IRQ' if esp32 else 'irq'}>"

    class Pin:
        def __new__(cls, id, *args, **kwargs):
            number = find(id)
            pin = instances.get(number)
            if pin is None:
                pin = instances[number] = object.__new__(cls)
                pin._id = number
                pin._state = bank[number]
                pin._ext = number >= definition.gpio_count
                pin._irq = None
            return pin

        def __init__(self, id, mode=_UNSET, pull=_UNSET, *, value=_UNSET, alt=_UNSET, drive=_UNSET,
                     hold=_UNSET):
            if (mode, pull, value, alt, drive, hold) != (_UNSET,) * 6:
                self.init(mode, pull, value=value, alt=alt)

        def init(self, mode=_UNSET, pull=_UNSET, *, value=_UNSET, alt=_UNSET, drive=_UNSET, hold=_UNSET):
            state = self._state
            mode = None if mode is _UNSET else mode
            value = None if value is _UNSET else value
            if self._ext and pull not in (_UNSET, None):
                raise ValueError("pulls are not supported for external pins")
            bank_mode, alt_name = None, None
            if mode is not None:
                bank_mode = to_bank_mode.get(_int(mode))
                if esp32:
                    if bank_mode is None:
                        bank_mode = _gpio.OUT if _int(mode) & 2 else _gpio.IN
                    if self._id >= 34 and bank_mode != _gpio.IN:
                        raise ValueError("pin can only be input")
                elif bank_mode is None or bank_mode == _gpio.ALT:
                    # Any other mode selects the alternate function `alt` (SIO: plain GPIO).
                    af = 5 if alt in (_UNSET, None) else _int(alt)
                    if af not in RP2_ALT:
                        raise ValueError(f"invalid pin af: {af}")
                    if af == 5:
                        bank_mode = state.mode if state.mode != _gpio.ALT else _gpio.IN
                    else:
                        bank_mode, alt_name = _gpio.ALT, RP2_ALT[af]

            def update():
                if value is not None and bank_mode in (None, _gpio.OUT, _gpio.OPEN_DRAIN):
                    state.output = int(bool(value))
                if bank_mode is not None:
                    state.mode = bank_mode
                    state.alt = alt_name
                    if bank_mode == _gpio.OPEN_DRAIN and value is None:
                        state.output = 1
                if pull is not _UNSET and not (esp32 and pull == -1):
                    state.pull = 0 if pull is None else bank_pull(_int(pull))
                elif not esp32 and not self._ext:
                    state.pull = 0      # rp2: no pull given means no pull
            bank.change(state, update)

        def value(self, value=_UNSET):
            if value is _UNSET:
                return self._state.level
            bank.change(self._state, lambda: setattr(self._state, "output", int(bool(value))))

        def __call__(self, value=_UNSET):
            return self.value(value)

        def on(self):
            self.value(1)

        def off(self):
            self.value(0)

        if not esp32:
            high, low = on, off

        def toggle(self):
            state = self._state
            bank.change(state, lambda: setattr(state, "output", state.output ^ 1))

        def _edges(self, trigger):
            trigger = _int(trigger)
            return (_gpio.EDGE_RISE if trigger & rise else 0) | (_gpio.EDGE_FALL if trigger & fall else 0)

        def irq(self, handler=_UNSET, trigger=_UNSET, hard=_UNSET, wake=_UNSET):
            if self._ext:
                raise ValueError("expecting a regular GPIO Pin")
            if self._irq is None:
                self._irq = IRQ(self)
            if (handler, trigger, hard, wake) == (_UNSET,) * 4:
                return self._irq
            state = self._state
            handler = None if handler is _UNSET else handler
            trigger = rise | fall if trigger is _UNSET else trigger
            with bank.lock:
                state.irq_flags = 0
                state.irq_parent = self
                state.irq_handler = handler
                state.irq_trigger = self._edges(trigger) if handler is not None else 0
            bank.notify(state)
            return self._irq

        def __repr__(self):
            if esp32:
                return f"Pin({self._id})"
            state = self._state
            mode = from_bank_mode.get(state.mode, "ALT")
            if self._ext:
                return f"Pin({state.name}, mode={'OUT' if state.mode == _gpio.OUT else 'IN'})"
            text = f"Pin({state.name}, mode={mode}"
            if state.pull & _gpio.PULL_UP:
                text += ", pull=PULL_UP"
                if state.pull & _gpio.PULL_DOWN:
                    text += "|PULL_DOWN"
            elif state.pull & _gpio.PULL_DOWN:
                text += ", pull=PULL_DOWN"
            if state.mode == _gpio.ALT:
                text += f", alt={state.alt or 'SIO'}"
            return text + ")"

    for name, number in {**modes, **pulls, **irqs, **extra}.items():
        setattr(Pin, name, number)
    Pin.__qualname__ = "Pin"

    def find(id):
        if isinstance(id, Pin):
            return id._id
        if isinstance(id, str):
            number = definition.pin_number(id)
            if number is not None:
                return number
            if esp32:
                raise ValueError("invalid pin")
            raise ValueError(f'unknown named pin "{id}"')
        if isinstance(id, int) and 0 <= id < definition.gpio_count and id not in definition.invalid_pins:
            return id
        raise ValueError("invalid pin")

    Pin._find = staticmethod(find)       # for the other machine classes: Pin or id -> bank index
    return Pin


def _int(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"can't convert {type(value).__name__} to int")
    return value


def make_signal_class(Pin):
    class Signal:
        """A Pin seen as active (1) or inactive (0), inverted for active-low wiring."""

        def __init__(self, pin, *args, invert=False, **kwargs):
            self._pin = pin if isinstance(pin, Pin) and not (args or kwargs) else Pin(pin, *args, **kwargs)
            self._invert = bool(invert)

        def value(self, value=_UNSET):
            if value is _UNSET:
                return self._pin.value() ^ self._invert
            self._pin.value(bool(value) ^ self._invert)

        def __call__(self, value=_UNSET):
            return self.value(value)

        def on(self):
            self.value(1)

        def off(self):
            self.value(0)

    Signal.__qualname__ = "Signal"
    return Signal
