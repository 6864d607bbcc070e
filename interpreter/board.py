"""A simulated MicroPython board: its hardware state and its CPU thread.

The CPU thread runs the firmware's main loop (ports/rp2/main.c): boot.py,
main.py in the friendly REPL, the REPL until a soft reset, `MPY: soft reboot`,
again. Board code runs in that thread; the host talks to it only through the
console's bytes. Ctrl-C raises KeyboardInterrupt in the running code with
PyThreadState_SetAsyncExc (which stops even `while True: pass`) and sets the
wake Event that every sleep waits on.

Interrupts (pin IRQs, timers, micropython.schedule) go through the
scheduler (scheduler.py), which runs their handlers in the CPU thread between
two lines of running code, or while it sleeps or waits for input.

Attributes the kernel may read directly: `definition`, `gpio` (pin states),
`parts` (the simulated parts wired to the board, by name: see
boards/parts.py), `flash.root` (the host folder behind `/`), `clock`, `mode`
("friendly"/"raw"), `running` (board code is executing), `vm` (globals of the
current VM). `uart_input(data)` sends bytes to the board's UART 0 (UART 2 on
the ESP32), `uart_output()` takes what the board sent on it.
"""

import logging
import random
import threading

from .clock import make_clock
from .compiler import CompileError
from .console import Console, PowerOff
from .flash import Flash
from .gpio import GpioBank
from .peripherals import Peripherals
from .mp_machine import PWRON_RESET, WDT_RESET, HardReset
from .readline import CTRL_D, LineEditor
from .repl import FORCED_EXIT, FRIENDLY, RAW, Repl
from .scheduler import Scheduler
from .tracehook import SUPPORTED, cancel_async_exc, check_python, python_name, raise_in_thread
from .vm import VM

log = logging.getLogger(__name__)

OK, FAILED = "ok", "failed"

_raise_in_thread = raise_in_thread


class Board:
    def __init__(self, definition, flash=None, time="real", seed=None):
        check_python()      # before anything is made (a temporary flash folder)
        self.definition = definition
        self.console = Console()
        self.flash = Flash(flash, definition.fs_block_size, definition.fs_blocks)
        self.clock = make_clock(time)
        if seed is None and self.clock.virtual:
            seed = 0        # virtual time is for reproducible runs: noise too
        self.seed = seed
        # Sensor noise, drawn by the CPU thread only (same draws, same order, same run).
        self.noise = random.Random(f"noise-{seed}") if seed is not None else random.Random()
        self.gpio = GpioBank(definition.gpio_count, definition.extra_pins)
        self.unique_id = random.Random(seed).randbytes(8) if seed is not None else random.randbytes(8)
        self.wake = threading.Event()
        self.mode = FRIENDLY
        self.reset_cause = PWRON_RESET
        self.running = False
        self.vm = None
        self.scheduler = Scheduler(self)
        self.scheduler.print_exception = self._print_uncaught
        self.gpio.on_irq = lambda pin, handler: self.scheduler.schedule(handler, pin.irq_parent)
        self.console.idle_hook = self.scheduler.idle
        self.console.on_input = self.wake.set
        self.peripherals = Peripherals(self)
        self.parts = {}
        for wire in definition.wiring:
            made = wire(self)
            for part in made if isinstance(made, (list, tuple)) else [made]:
                self.parts[part.name] = part
        self.repl = Repl(self)
        self.failure = None         # why the CPU thread stopped, if it failed
        self._thread = None
        self._kbd_pending = False
        self._closed = False

    # ---- life cycle ------------------------------------------------------

    def start(self):
        """Power on: the CPU thread boots the firmware."""
        self._thread = threading.Thread(
            target=self._main, name=f"boardlab-{self.definition.name}-cpu", daemon=True)
        self._thread.start()
        return self

    def close(self, timeout=2.0):
        """Power off: stop the CPU thread and drop a temporary flash folder."""
        if self._closed:
            return
        self._closed = True
        thread = self._thread

        def stop_running_code(code_running):
            if code_running and thread is not None:
                _raise_in_thread(thread.ident, PowerOff)

        self.console.close(stop_running_code)
        self.wake.set()
        if thread is not None and thread.is_alive():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("board %s: CPU thread still busy after power off", self.definition.name)
        self.flash.close()

    @property
    def closed(self):
        return self._closed

    def _main(self):
        self.scheduler.bind()
        try:
            while True:
                try:
                    self._boot()
                except HardReset:
                    self.reset_cause = WDT_RESET
                    self.mode = FRIENDLY
                    self.scheduler.hard_reset()
                    self.peripherals.hard_reset()
                    self.gpio.reset()
                    self.scheduler.restart_clock()
        except PowerOff:
            pass
        except BaseException as exc:
            log.exception("board %s: the simulator failed", self.definition.name)
            self.failure = (
                f"the simulated board stopped: {type(exc).__name__}: {exc}. That is a bug "
                f"in BoardLab's simulator on {python_name()} (the kernel's log has its "
                f"traceback); it is tested on {SUPPORTED}. Restart the kernel to try again.")
            self.console.close()
        finally:
            # Nothing may outlive the thread: not the trace hook, not a PowerOff
            # still pending for it (CPython's pending flag would stay set).
            while True:
                try:
                    self.scheduler.unbind()
                    cancel_async_exc()
                    break
                except PowerOff:
                    continue

    def _boot(self):
        """The firmware's soft-reset loop; returns only by exception."""
        while True:
            self.scheduler.soft_reset()
            self.gpio.soft_reset()
            self.peripherals.soft_reset()
            self.vm = VM(self)
            self.repl.editor.history.clear()
            status = self.run_script("boot.py")
            if status == OK and self.mode == FRIENDLY:
                status = self.run_script("main.py")
            if status != FORCED_EXIT:
                while True:
                    repl = self.repl.raw_repl if self.mode == RAW else self.repl.friendly_repl
                    if repl() == FORCED_EXIT:
                        break
            self.write_bytes(b"MPY: soft reboot\r\n")

    # ---- running board code ----------------------------------------------

    def run_script(self, name):
        """boot.py / main.py from the flash root, if there is one."""
        try:
            host = self.flash.host_path("/" + name)
            with open(host, "rb") as file:
                source = file.read()
        except OSError:
            return OK
        return self.execute(source, filename=name)

    def execute(self, source, filename="<stdin>", repl=False, framed=False):
        """Compile and run board code in the current VM, printing the result
        the way pyexec does. Returns OK, FAILED or FORCED_EXIT (sys.exit)."""
        vm = self.vm
        self.repl.give_back()
        try:
            code = vm.compile(source, filename, repl)
        except CompileError as exc:
            error = exc
        else:
            if not repl:
                vm.globals["__file__"] = filename
            error = self._run_interruptible(lambda: vm.run(code))
        if isinstance(error, (HardReset, PowerOff)):
            raise error
        if framed:
            self.write_bytes(b"\x04")
        if error is None:
            status = OK
        elif isinstance(error, SystemExit):
            status = FORCED_EXIT
        else:
            status = FAILED
            self.write_bytes(self._traceback_text(error).encode("utf-8", "replace"))
        if framed:
            self.write_bytes(b"\x04")
        return status

    def _traceback_text(self, error):
        try:
            return self.vm.format_exception(error)
        except Exception:   # never lose the error itself to a formatting bug
            log.exception("formatting a board traceback")
            return f"{type(error).__name__}: {error}\r\n"

    def _run_interruptible(self, function):
        """Run `function` with Ctrl-C armed; return the exception it raised, or None.

        Once this returns, the interrupt is disarmed and no KeyboardInterrupt
        is pending for this thread: a Ctrl-C that lands after the code ended
        counts as the code's own result."""
        error = None
        try:
            self.running = True
            self.scheduler.code_started()
            self.console.enable_interrupt(3, self._interrupt)
            function()
        except BaseException as exc:
            error = exc
        while True:
            try:
                self.console.disable_interrupt(self._cancel_interrupt)
                break
            except KeyboardInterrupt as exc:
                error = error or exc
        self.running = False
        return error

    def _interrupt(self):
        # Runs in the host's thread, under the console's receive lock.
        self._kbd_pending = True
        _raise_in_thread(self._thread.ident, KeyboardInterrupt)
        self.wake.set()

    def _cancel_interrupt(self):
        # Runs in the CPU thread, under the same lock: nothing can be left pending.
        if self._kbd_pending:
            cancel_async_exc()
            self._kbd_pending = False

    # ---- what board code calls (CPU thread) -------------------------------

    def write_bytes(self, data):
        self.console.board_write(data)

    def write_text(self, text):
        """Text output with MicroPython's cooked line endings: \\n -> \\r\\n."""
        self.console.board_write(text.replace("\n", "\r\n").encode("utf-8", "replace"))

    def read_bytes(self, size):
        """Exactly `size` bytes of stdin, waiting as long as it takes."""
        data = bytearray()
        while len(data) < size:
            data.append(self.console.board_read_byte())
        return bytes(data)

    def read_line(self):
        """input(): a line edited with echo; Ctrl-D on an empty line is EOFError."""
        editor = LineEditor(self.console.board_read_byte, self.write_bytes)
        line = bytearray()
        if editor.readline(line, b"") == CTRL_D and not line:
            raise EOFError()
        return line.decode("utf-8", "replace")

    def sleep_ns(self, ns):
        """Sleep on the board's clock; interrupt handlers run meanwhile."""
        self.scheduler.sleep_ns(ns)

    def poll(self):
        """Serve pending interrupts and due events (cheap when there are none)."""
        self.scheduler.poll()

    def spend_ns(self, ns):
        """What a peripheral operation costs in board time (a bus transfer, a
        conversion): virtual time moves on by it; real time has already passed."""
        if self.clock.virtual:
            self.clock.advance_to(self.clock.peek_ns() + ns)
            self.scheduler.poll()

    def _print_uncaught(self, exc):
        """An exception escaping an interrupt handler: printed, as firmware does."""
        self.write_bytes(self._traceback_text(exc).encode("utf-8", "replace"))

    # ---- what the host calls (any thread) ----------------------------------

    def uart_input(self, data, uart=None):
        """Bytes (or text, sent as UTF-8) arriving at the RX pin of UART `uart`:
        by default UART 0 on the Picos, UART 2 on the ESP32 (its UART 0 is the REPL)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.peripherals.uart(self.definition.host_uart if uart is None else uart).receive(bytes(data))

    def uart_output(self, uart=None):
        """What the board sent on UART `uart` since the last call (same default)."""
        return self.peripherals.uart(self.definition.host_uart if uart is None else uart).take_sent()
