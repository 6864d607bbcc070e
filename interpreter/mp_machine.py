"""`machine` on the board: Pin, resets, and the board's identity.

Pin follows the rp2 port (ports/rp2/machine_pin.c): Pin(n) for GPIO n, board
names such as "LED" and "GP5", `ValueError: invalid pin` for a bad number and
`ValueError: unknown named pin "X"` for a bad name. The same object comes
back for the same pin.
"""

import types

from . import gpio as _gpio

PWRON_RESET, WDT_RESET = 1, 3


class HardReset(BaseException):
    """machine.reset(): the board restarts from power-on. Raised in the CPU
    thread and handled by the board's main loop."""


def make_pin_class(vm):
    board = vm.board
    definition = board.definition
    bank = board.gpio
    instances = {}

    class Pin:
        IN, OUT, OPEN_DRAIN, ALT = _gpio.IN, _gpio.OUT, _gpio.OPEN_DRAIN, _gpio.ALT
        PULL_UP, PULL_DOWN = _gpio.PULL_UP, _gpio.PULL_DOWN
        IRQ_FALLING, IRQ_RISING = 4, 8

        def __new__(cls, id, *args, **kwargs):
            if isinstance(id, Pin):
                number = id._id
            elif isinstance(id, str):
                number = definition.pin_number(id)
                if number is None:
                    raise ValueError(f'unknown named pin "{id}"')
            elif isinstance(id, int) and 0 <= id < definition.gpio_count:
                number = id
            else:
                raise ValueError("invalid pin")
            pin = instances.get(number)
            if pin is None:
                pin = instances[number] = object.__new__(cls)
                pin._id = number
                pin._state = bank[number]
            return pin

        def __init__(self, id, mode=None, pull=None, *, value=None, alt=None):
            if mode is not None or pull is not None or value is not None or alt is not None:
                self.init(mode, pull, value=value, alt=alt)

        def init(self, mode=None, pull=None, *, value=None, alt=None):
            state = self._state

            def update():
                if value is not None and mode in (None, _gpio.OUT, _gpio.OPEN_DRAIN):
                    state.output = int(bool(value))
                if mode is not None:
                    if mode not in _gpio.MODE_NAMES:
                        raise ValueError(f"invalid pin af: {mode}")
                    state.mode = mode
                    if mode == _gpio.OPEN_DRAIN and value is None:
                        state.output = 1
                state.pull = 0 if pull is None else pull
                state.alt = alt
            bank.change(state, update)

        def value(self, value=None):
            if value is None:
                return self._state.level
            bank.change(self._state, lambda: setattr(self._state, "output", int(bool(value))))

        def __call__(self, value=None):
            return self.value(value)

        def on(self):
            self.value(1)

        def off(self):
            self.value(0)

        high = on
        low = off

        def toggle(self):
            state = self._state
            bank.change(state, lambda: setattr(state, "output", state.output ^ 1))

        def __repr__(self):
            state = self._state
            text = f"Pin(GPIO{self._id}, mode={_gpio.MODE_NAMES[state.mode]}"
            if state.pull == _gpio.PULL_UP:
                text += ", pull=PULL_UP"
            elif state.pull == _gpio.PULL_DOWN:
                text += ", pull=PULL_DOWN"
            return text + ")"

    Pin.__qualname__ = "Pin"
    return Pin


def make_module(vm):
    board = vm.board
    definition = board.definition
    module = types.ModuleType("machine")
    state = {"freq": definition.cpu_freq}

    def unique_id():
        return board.unique_id

    def freq(hz=None):
        if hz is None:
            return state["freq"]
        state["freq"] = int(hz)

    def reset():
        raise HardReset()

    def soft_reset():
        raise SystemExit()

    def reset_cause():
        return board.reset_cause

    def idle():
        board.sleep_ns(0)

    def lightsleep(ms=None):
        if ms is not None:
            board.sleep_ns(int(ms) * 1_000_000)

    def deepsleep(ms=None):
        lightsleep(ms)
        raise HardReset()

    def disable_irq():
        return 0

    def enable_irq(state=0):
        return None

    module.__dict__.update(
        Pin=make_pin_class(vm),
        unique_id=unique_id, freq=freq, reset=reset, soft_reset=soft_reset,
        reset_cause=reset_cause, idle=idle, lightsleep=lightsleep, deepsleep=deepsleep,
        disable_irq=disable_irq, enable_irq=enable_irq,
        PWRON_RESET=PWRON_RESET, WDT_RESET=WDT_RESET,
    )
    return module
