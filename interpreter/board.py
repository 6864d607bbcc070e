"""A simulated MicroPython board: its hardware, modelled in Python, and its
chip, which runs the board's real firmware (MicroPython built for a virtual
board, see firmware.py and host.py).

The CPU thread powers the chip on and runs the firmware until it stops: a
hard reset (machine.reset(), the watchdog, a fatal error in the firmware)
powers it on again, as a board reboots, keeping what outlives a reset (the
flash, what parts drive); power off (close) ends the thread.

What the kernel reads and drives, from any thread, is declared in
hardware.py (SimulatedHardware): `definition`, `pins`, `parts`, `closed`,
`uart_input(data)`, `uart_output()`. The rest (`gpio`, `clock`, `flash`,
`peripherals`, ...) is the simulator's own: parts and the machine module
use it, the kernel does not.
"""

import logging
import random
import threading
import time

from . import firmware, hal
from .clock import make_clock
from .console import Console
from .flash import Flash
from .gpio import GpioBank
from .hardware import SimulatedHardware
from .host import (
    EVENT_KEYBOARD_INTERRUPT, FATAL, POWER_OFF, POWER_ON, RESET_BUTTON, Chip, ClockBlock, ConsoleBlock,
    FlashBlock, Stopped, SystemBlock)
from .peripherals import Peripherals
from .timeline import Timeline

log = logging.getLogger(__name__)

# The CPU thread's own stack: wasm frames run on it, up to firmware.MAX_WASM_STACK.
CPU_THREAD_STACK = 8 << 20


class Board(SimulatedHardware):
    def __init__(self, definition, flash=None, time="real", seed=None):
        self.definition = definition
        self.engine = firmware.make_engine()
        self.module = firmware.load_module(self.engine, definition.name)
        self.console = Console()
        self.flash = Flash(definition.fs_block_size * definition.fs_blocks, flash)
        self.clock = make_clock(time)
        if seed is None and self.clock.virtual:
            seed = 0        # virtual time is for reproducible runs: noise too
        self.seed = seed
        # Sensor noise and hardware random numbers, drawn by the CPU thread only.
        self.noise = random.Random(f"noise-{seed}") if seed is not None else random.Random()
        self.unique_id = (random.Random(seed).randbytes(8) if seed is not None
                          else random.randbytes(8))
        self.timeline = Timeline(self.clock, on_change=self._wake)
        self.gpio = GpioBank(definition.gpio_count, definition.extra_pins)
        self.gpio.on_irq = self._pin_irq
        self.peripherals = Peripherals(self)
        self.parts = {}
        for wire in definition.wiring:
            made = wire(self)
            for part in made if isinstance(made, (list, tuple)) else [made]:
                self.parts[part.name] = part
        self.console.on_interrupt = self._keyboard_interrupt
        self.console.on_input = self._wake
        self.last_stop = POWER_ON  # why the chip last stopped (reset_cause)
        self.failure = None        # why the CPU thread ended, if the simulator failed
        self.chip = None
        self._thread = None
        self._closed = False
        self._lock = threading.Lock()

    # ---- life cycle ----------------------------------------------------------

    def start(self):
        """Power on: the CPU thread boots the firmware."""
        size = threading.stack_size(CPU_THREAD_STACK)
        try:
            self._thread = threading.Thread(
                target=self._run, name=f"boardlab-{self.definition.name}-cpu", daemon=True)
            self._thread.start()
        finally:
            threading.stack_size(size)
        return self

    def close(self, timeout=2.0):
        """Power off: stop the chip, and drop a temporary flash."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            chip = self.chip
        self.console.close()
        if chip is not None:
            chip.stop(POWER_OFF)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("board %s: CPU thread still busy after power off", self.definition.name)
        self.flash.close()

    @property
    def closed(self):
        return self._closed

    @property
    def pins(self):
        return self.gpio.pins

    def hard_reset(self):
        """The reset button (or the kernel's DTR/RTS pulse): the chip reboots.
        The lock is held until the stop is complete: the stop interrupts the
        engine's epoch, and the next chip (made under the lock) must set its
        epoch deadline after that, or it would stop at once as if crashed."""
        with self._lock:
            if self.chip is not None:
                self.chip.stop(RESET_BUTTON)

    def _run(self):
        try:
            while True:
                blocks = [ConsoleBlock(self.console, self), ClockBlock(self), SystemBlock(self),
                          FlashBlock(self.flash), *hal.blocks(self)]
                with self._lock:
                    if self._closed:
                        return
                    self.chip = chip = Chip(self, self.engine, self.module, blocks)
                try:
                    chip.run()
                except Stopped as stopped:
                    if stopped.cause == POWER_OFF or self._closed:
                        return
                    if stopped.cause == FATAL:
                        log.warning("board %s: the firmware stopped (%s); it reboots",
                                    self.definition.name, stopped.detail)
                    self.last_stop = stopped.cause
                    self._hard_reset_hardware()
        except Exception as exc:
            log.exception("board %s: the simulator failed", self.definition.name)
            self.failure = (
                f"the simulated board stopped: {type(exc).__name__}: {exc}. That is a bug "
                f"in BoardLab's simulator (the kernel's log has its traceback). Restart the "
                f"kernel to try again.")
            self.console.close()

    # ---- resets: what each one does to the hardware -------------------------

    def soft_reset_hardware(self):
        """The firmware's soft reset stops timers, IRQs and PWM outputs."""
        self.timeline.soft_reset()
        self.gpio.soft_reset()
        self.peripherals.soft_reset()

    def _hard_reset_hardware(self):
        self.timeline.hard_reset()
        self.gpio.reset()
        self.peripherals.hard_reset()
        self.timeline.restart_clock()

    def reset_cause_code(self):
        """Why the chip last started, for machine.reset_cause() (port.h's RESET_CAUSE_*)."""
        return hal.RESET_CAUSES.get(self.last_stop, 0)

    # ---- interrupts -----------------------------------------------------------

    def _keyboard_interrupt(self):
        chip = self.chip
        if chip is not None:
            chip.post(EVENT_KEYBOARD_INTERRUPT)

    def _pin_irq(self, pin, edge):
        chip = self.chip
        if chip is not None:
            hal.post_pin_irq(chip, pin, edge)

    def _wake(self):
        chip = self.chip
        if chip is not None:
            chip.wake()

    chip_wake = _wake

    def sleep_ns(self, ns):
        """The chip is held inside a host call for `ns` of board time (a bus
        transfer, a device stretching the clock): a virtual clock moves on,
        a real one is waited out (CPU thread)."""
        if ns <= 0:
            return
        if self.clock.virtual:
            self.clock.advance_to(self.clock.peek_ns() + ns)
        else:
            time.sleep(ns / 1e9)

    def watchdog_reset(self):
        """The watchdog was not fed in time: the chip reboots (CPU thread)."""
        self.chip.stop("watchdog")

    # ---- the host's UART wires ------------------------------------------------

    def uart_input(self, data, uart=None):
        """Bytes (or text, sent as UTF-8) arriving at the RX pin of UART `uart`:
        by default UART 0 on the Picos, UART 2 on the ESP32 (its UART 0 is the REPL).
        They arrive at the UART's baud rate; while the board has not set that
        UART up (machine.UART), they are lost, as on a board."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.peripherals.uart(self.definition.host_uart if uart is None else uart).receive(bytes(data))

    def uart_output(self, uart=None):
        """What the board sent on UART `uart` since the last call (same default)."""
        return self.peripherals.uart(self.definition.host_uart if uart is None else uart).take_sent()
