"""The host side of the simulated board's firmware: one power-on of the
chip (a wasm instance running MicroPython) and the host imports it calls.

The firmware asks the world outside the chip for everything through imports
of the wasm module "board" (interpreter/port/host.h declares them). Each is
a method of a hardware block marked with `@host_import`; `Chip` links the
blocks' methods into the instance. This module holds the chip's own blocks
(console, clock and events, flash, the system's resets); the machine
module's hardware (pins, ADC, PWM, buses, timers) has its blocks in hal.py.

Events reach the firmware the way interrupts reach a CPU: the host appends
them to a queue (`Chip.post`) and wakes the CPU thread; the firmware takes
them at its next poll (every BOARD_POLL_STEPS bytecode branches) or wait,
and turns each into a KeyboardInterrupt or a scheduled callback.

Resets: a host import that must not return to the firmware (machine.reset(),
the watchdog, power off) records why and answers RESET; the firmware then
traps (interpreter/port: board_check), which unwinds the wasm call.
"""

import ctypes
import random
import struct
import threading
import time
from collections import deque

from . import firmware

I32, I64 = "i32", "i64"

# Event kinds, as in interpreter/port/host.h.
EVENT_KEYBOARD_INTERRUPT = 1
EVENT_PIN_IRQ = 2
EVENT_TIMER = 3
EVENT_UART_RX = 4
EVENT_UART_TX = 5

# poll()'s and wait()'s answers.
NOTHING, PENDING, RESET = 0, 1, 2

# Why the chip stopped (machine.reset_cause() numbers are each port's own).
POWER_ON, HARD_RESET, WATCHDOG, DEEPSLEEP, FATAL, POWER_OFF = (
    "power on", "reset", "watchdog", "deepsleep", "fatal", "power off")
# The reset button (the ESP32's EN, the Pico's RUN pin, the kernel's DTR/RTS
# pulse): the whole chip resets, as at power-on.
RESET_BUTTON = "reset button"


def host_import(name, params=(), results=()):
    """Mark a method as the host import `board.<name>` with these wasm types."""
    def mark(method):
        method.host_import = (name, tuple(params), tuple(results))
        return method
    return mark


class Stopped(Exception):
    """The chip stopped: `cause` says why (a reset, power off, a fatal error)."""

    def __init__(self, cause, detail=""):
        super().__init__(f"{cause}: {detail}" if detail else cause)
        self.cause = cause
        self.detail = detail


class Chip:
    """One power-on of the firmware. `blocks` are the hardware blocks whose
    host imports it links (each has `chip` set to this chip)."""

    def __init__(self, board, engine, module, blocks):
        self.board = board
        self.engine = engine
        self.store = firmware.wasmtime.Store(engine)
        self.store.set_epoch_deadline(1)
        self.events = deque()
        self.cond = threading.Condition()
        self.stop_cause = None
        self.stop_detail = ""
        self.masked = False         # machine.disable_irq(): events wait in the queue
        linker = firmware.wasmtime.Linker(engine)
        types = {I32: firmware.wasmtime.ValType.i32(), I64: firmware.wasmtime.ValType.i64()}
        for block in blocks:
            block.chip = self
            for attribute in dir(type(block)):
                method = getattr(block, attribute)
                spec = getattr(method, "host_import", None)
                if spec is None:
                    continue
                name, params, results = spec
                linker.define_func(
                    "board", name, firmware.wasmtime.FuncType(
                        [types[p] for p in params], [types[r] for r in results]), method)
        self.instance = linker.instantiate(self.store, module)
        exports = self.instance.exports(self.store)
        self.memory = exports["memory"]
        self._initialize = exports["_initialize"]
        self._main = exports["board_main"]

    # ---- running (CPU thread) --------------------------------------------

    def run(self):
        """Boot the firmware; returns only by Stopped, with the reason."""
        try:
            self._initialize(self.store)
            self._main(self.store)
        except (firmware.wasmtime.Trap, firmware.wasmtime.WasmtimeError) as trap:
            cause = self.stop_cause
            if cause is None:
                cause, self.stop_detail = FATAL, str(trap).splitlines()[0]
            raise Stopped(cause, self.stop_detail) from None
        raise Stopped(FATAL, "the firmware's main loop returned")

    # ---- what the host calls (any thread) ----------------------------------

    def post(self, kind, a=0, b=0, c=0):
        """An event for the firmware (an interrupt request)."""
        with self.cond:
            self.events.append((kind, a, b, c))
            self.cond.notify_all()

    def drop_events(self, kind):
        """Forget queued events of this kind (a Ctrl-C meant for code that ended)."""
        with self.cond:
            self.events = deque(e for e in self.events if e[0] != kind)

    def wake(self):
        """Something changed that a waiting firmware should look at."""
        with self.cond:
            self.cond.notify_all()

    def stop(self, cause, detail=""):
        """Make the chip stop at its next poll or wait; a chip stuck in C code
        is stopped by an epoch interrupt (a trap at its next loop or call)."""
        with self.cond:
            if self.stop_cause is None:
                self.stop_cause, self.stop_detail = cause, detail
            self.cond.notify_all()
        self.engine.increment_epoch()

    # ---- linear memory ------------------------------------------------------

    def read(self, pointer, size):
        return bytes(self.memory.read(self.store, pointer, pointer + size))

    def write(self, pointer, data):
        self.memory.write(self.store, data, pointer)

    def pending(self):
        """What poll/wait answer now."""
        if self.stop_cause is not None:
            return RESET
        return PENDING if self.events and not self.masked else NOTHING


class ConsoleBlock:
    """The USB serial port (console.py)."""

    def __init__(self, console, board=None):
        self.console = console
        self.board = board

    @host_import("stdout_write", [I32, I32])
    def stdout_write(self, pointer, size):
        if not self.console.board_write(self.chip.read(pointer, size)):
            self.chip.stop(POWER_OFF)

    @host_import("stdin_read", [I32, I32], [I32])
    def stdin_read(self, pointer, size):
        if self._events_first():
            return 0
        data = self.console.board_read(size)
        if data:
            self.chip.write(pointer, data)
        return len(data)

    def _events_first(self):
        """On virtual time, what is already due (a button's edge, its IRQ)
        is taken before input that arrived with it, whatever the threads'
        timing: the firmware waits, which plays them, and reads on after."""
        board = self.board
        if board is None or not board.clock.virtual:
            return False
        if self.chip.pending() != NOTHING:
            return True
        due = board.timeline.next_due()
        return due is not None and due <= board.clock.peek_ns()

    @host_import("set_interrupt_char", [I32])
    def set_interrupt_char(self, char):
        self.console.set_interrupt_char(char)
        if char < 0:
            self.chip.drop_events(EVENT_KEYBOARD_INTERRUPT)


class ClockBlock:
    """Time, waiting and events: the board's clock and timeline (clock.py,
    timeline.py) and the chip's event queue."""

    def __init__(self, board):
        self.board = board
        self.clock = board.clock
        self.timeline = board.timeline

    @host_import("ticks_us", [], [I64])
    def ticks_us(self):
        return self.clock.now_ns() // 1000

    @host_import("poll", [I32], [I32])
    def poll(self, steps):
        self.clock.run(steps)
        self.timeline.run_due()
        return self.chip.pending()

    @host_import("wait", [I64], [I32])
    def wait(self, timeout_us):
        """Until an event, input, or `timeout_us` (-1: no limit) of board time."""
        chip, clock, timeline = self.chip, self.clock, self.timeline
        deadline = None if timeout_us < 0 else clock.peek_ns() + timeout_us * 1000
        while True:
            timeline.run_due()
            with chip.cond:
                if chip.pending() != NOTHING or self.board.console.board_has_input():
                    return chip.pending()
                now = clock.peek_ns()
                if deadline is not None and now >= deadline:
                    return NOTHING
                due = timeline.next_due()
                until = deadline if due is None else due if deadline is None else min(due, deadline)
                if clock.virtual and (deadline is not None or self._plays_at_once(due)):
                    # A sleep on virtual time costs nothing: straight to the
                    # next event or the end of the sleep.
                    clock.advance_to(until)
                    continue
                if until is None:
                    chip.cond.wait()
                elif clock.virtual:
                    # Idle (the REPL waits for input) with timers running:
                    # virtual time follows the wall clock to the next one.
                    wall = time.monotonic_ns()
                    chip.cond.wait((until - now) / 1e9)
                    clock.advance_to(min(until, now + time.monotonic_ns() - wall))
                else:
                    chip.cond.wait(None if until is None else max(0, until - now) / 1e9)

    def _plays_at_once(self, due):
        """On virtual time, events the host started (a button's bounce) play
        at once while the board idles: nobody waits for them to settle."""
        return due is not None and due == self.timeline.next_due(owners=("host",))

    @host_import("next_event", [I32], [I32])
    def next_event(self, pointer):
        with self.chip.cond:
            if not self.chip.events or self.chip.masked:
                return 0
            event = self.chip.events.popleft()
        self.chip.write(pointer, struct.pack("<4i", *event))
        return 1


class SystemBlock:
    """Resets, the chip's identity, its random numbers."""

    def __init__(self, board):
        self.board = board

    @host_import("fatal", [I32, I32])
    def fatal(self, pointer, size):
        self.chip.stop(FATAL, self.chip.read(pointer, size).decode("utf-8", "replace"))

    @host_import("reset", [I32])
    def reset(self, cause):
        """machine.reset() (0) or deepsleep()'s wake-up (1): the firmware traps next."""
        self.chip.stop(DEEPSLEEP if cause == 1 else HARD_RESET)

    @host_import("soft_reset")
    def soft_reset(self):
        """The firmware's soft reset: hardware that a soft reset stops, stops."""
        self.board.soft_reset_hardware()

    @host_import("reset_cause", [], [I32])
    def reset_cause(self):
        return self.board.reset_cause_code()

    @host_import("unique_id", [I32])
    def unique_id(self, pointer):
        self.chip.write(pointer, self.board.unique_id)

    @host_import("random", [], [I32])
    def random(self):
        """A hardware random word (seeded with the board's seed)."""
        return ctypes.c_int32(self.board.noise.getrandbits(32)).value


class FlashBlock:
    """The flash's filesystem region (flash.py)."""

    def __init__(self, flash):
        self.flash = flash

    @host_import("flash_read", [I32, I32, I32])
    def flash_read(self, offset, pointer, size):
        self.chip.write(pointer, self.flash.read(offset, size))

    @host_import("flash_write", [I32, I32, I32])
    def flash_write(self, offset, pointer, size):
        self.flash.write(offset, self.chip.read(pointer, size))

    @host_import("flash_erase", [I32, I32])
    def flash_erase(self, offset, size):
        self.flash.erase(offset, size)


def seeded_random(seed):
    return random.Random(f"noise-{seed}") if seed is not None else random.Random()
