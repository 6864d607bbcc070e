"""The kernel's link to one board: open it, run cells on it off the event loop,
interrupt it, describe it, close it.

The transport's calls block; the kernel's event loop must not. Each board call
runs in a worker thread, and `run` hands the board's output back to the loop as
it arrives.
"""

import asyncio
import threading
import time

from boardlab.kernel.stdin import HELPER as INPUT_HELPER
from boardlab.transport.errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardStuck,
    TransportError,
)
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl

DEFAULT_URL = "sim://pico"

# The stop button, when Ctrl-C does not end the cell (the code catches
# KeyboardInterrupt, or micropython.kbd_intr(-1) turned it off): Ctrl-C again
# every STOP_REPEAT_SECONDS; after STOP_ATTEMPTS of them with no end of the
# cell, or the stop button pressed again (at least STOP_AGAIN_SECONDS after
# the first press), a hard reset (RawRepl.hard_reset).
STOP_REPEAT_SECONDS = 1.0
STOP_ATTEMPTS = 3
STOP_AGAIN_SECONDS = 0.5


class ConnectInterrupted(TransportError):
    """The stop button was pressed while connecting."""


class Opening:
    """A connection being made, which the stop button can cancel (entering
    the raw REPL may wait --wait seconds for a board that does not answer).
    `cancel` may be called from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._repl = None
        self.cancelled = False

    def attach(self, repl):
        """The link is open: from here on cancelling closes it."""
        with self._lock:
            self._repl = repl
            if not self.cancelled:
                return
        repl.close()
        raise ConnectInterrupted("connecting was stopped", port=repl.port_name)

    def cancel(self):
        with self._lock:
            self.cancelled = True
            repl = self._repl
        if repl is not None:
            repl.close()  # enter_raw, waiting in another thread, ends at once

# Asks the board who it is; runs right after connecting, in the raw REPL.
DESCRIBE_SNIPPET = """\
import sys, gc
try:
    import os
    _m = os.uname().machine
except Exception:
    _m = sys.platform
gc.collect()
print(sys.implementation.name, '.'.join(str(v) for v in sys.implementation.version[:3]), _m, gc.mem_free(), sep='|')
del _m
"""


class Connection:
    """One open board: a pyserial link and the raw REPL spoken over it."""

    def __init__(self, url, soft_reset=True, baudrate=115200, dtr=None, rts=None,
                 timeout=10, opening=None):
        self.url = url
        self.link = open_link(url, baudrate=baudrate, dtr=dtr, rts=rts)
        self.repl = RawRepl(self.link, port_name=url)
        if opening is not None:
            opening.attach(self.repl)
        self._lock = threading.Lock()  # one board call at a time
        self.busy = False
        self._cell_ended = None  # an Event while a cell runs
        self._notice = None  # tells the running cell's user what happens to it
        self._stop_lock = threading.Lock()
        self._stopping = None  # (cell's Event, first press time, "now" Event) of a stop
        self._needs_helpers = True
        try:
            self.repl.enter_raw(soft_reset=soft_reset, timeout=timeout)
            self._install_helpers()
        except Exception as error:
            self.repl.close()
            if opening is not None and opening.cancelled:
                raise ConnectInterrupted(f"stopped connecting to {url}", port=url) from error
            raise

    @classmethod
    async def open(cls, url, **options):
        """Connect without blocking the event loop (entering the raw REPL can
        take seconds on a board that resets when its port opens)."""
        return await asyncio.to_thread(cls, url, **options)

    @property
    def simulated(self):
        """The simulated board's hardware (interpreter/hardware.py's
        SimulatedHardware: its pins and parts) when the link has one, as a
        `sim://` link does; None for a real board. What the pin view, %part
        and a `%%host` cell reach the simulated board through."""
        return self.link.simulated_hardware()

    async def describe(self):
        """One line saying which board this is, e.g.
        'MicroPython 1.28.0 on Raspberry Pi Pico with RP2040, 183 KB free'."""
        out = (await self._call(self.repl.exec, DESCRIBE_SNIPPET)).strip()
        name, version, machine, free = (out.splitlines() or [""])[-1].split("|")
        impl = "MicroPython" if name == "micropython" else name
        return f"{impl} {version} on {machine}, {int(free) // 1024} KB free"

    async def run(self, code, on_output, on_notice=None):
        """Run a cell; `on_output(text)` is called on the event loop as output
        arrives, `on_notice(text)` when the kernel does something to the
        board on its own (a hard reset after ignored Ctrl-Cs). Returns the
        transport's Result (output, traceback)."""
        loop = asyncio.get_running_loop()

        def forward(text):
            loop.call_soon_threadsafe(on_output, text)

        def notice(text):
            if on_notice is not None:
                loop.call_soon_threadsafe(on_notice, text)

        def run_cell():
            if self._needs_helpers:
                self._install_helpers()
            self._notice = notice
            self._cell_ended = threading.Event()
            try:
                return self.repl.execute(code, on_output=forward)
            except BoardRebooted:
                self._needs_helpers = True  # a reset took them away
                raise
            finally:
                self._cell_ended.set()

        return await self._call(run_cell)

    async def soft_reset(self):
        """Soft-reset the board; returns what boot.py printed."""
        def reset():
            printed = self.repl.soft_reset()
            self._install_helpers()
            return printed
        return await self._call(reset)

    def _install_helpers(self):
        """What the kernel puts on the board after every (re)start: input()
        that the notebook can answer (see stdin.py)."""
        self._needs_helpers = False
        try:
            self.repl.exec(INPUT_HELPER)
        except BoardExecError:
            pass  # firmware without overridable builtins: input() reads stdin unannounced

    def interrupt(self):
        """The stop button: Ctrl-C to the board; safe from any thread while a
        cell runs. A cell that goes on regardless is stopped harder: see
        STOP_ATTEMPTS."""
        with self._stop_lock:
            cell_ended = self._cell_ended
            if cell_ended is None or cell_ended.is_set():
                self.repl.interrupt()  # not a cell (describe, a helper): Ctrl-C is all
                return
            if self._stopping is not None and self._stopping[0] is cell_ended:
                _, first_press, now = self._stopping
                if time.monotonic() - first_press >= STOP_AGAIN_SECONDS:
                    now.set()  # pressed again: reset without waiting for more Ctrl-Cs
                return
            self.repl.interrupt()
            now = threading.Event()
            self._stopping = (cell_ended, time.monotonic(), now)
            threading.Thread(target=self._stop_harder, args=(cell_ended, now),
                             name="boardlab-stop", daemon=True).start()

    def _stop_harder(self, cell_ended, now):
        """Ctrl-C again while the cell does not end; then the hard reset."""
        try:
            for attempt in range(1, STOP_ATTEMPTS + 1):
                deadline = time.monotonic() + STOP_REPEAT_SECONDS
                while time.monotonic() < deadline and not now.is_set():
                    if cell_ended.wait(0.05):
                        return
                if now.is_set():
                    break
                if attempt == 1:
                    self._notice(f"The cell goes on after Ctrl-C: BoardLab sends it again; "
                                 f"after {STOP_ATTEMPTS} (or the stop button pressed again) "
                                 "it resets the board.\n")
                if attempt < STOP_ATTEMPTS:
                    self.repl.interrupt()
            if not cell_ended.is_set():
                self.repl.hard_reset()
        except TransportError:
            pass  # the link went meanwhile: the running cell ends with it

    def close(self):
        try:
            self.repl.close()
        except (TransportError, OSError):
            pass

    def explain(self, error):
        """(ename, evalue) for a transport error that ended a cell: what
        happened, what it did to the board, what to do next."""
        name, text = type(error).__name__, str(error)
        if isinstance(error, BoardStuck) and self.simulated is not None:
            text = (f"{self.url} ignored Ctrl-C and its reset failed: BoardLab "
                    "switched it off. The next cell starts a fresh simulated board "
                    "(its variables are gone; files on its flash folder stay).")
        elif isinstance(error, BoardStuck):
            text += " BoardLab let go of the port meanwhile; the next cell connects again."
        elif isinstance(error, BoardRebooted):
            text += " The cell stopped there; the next cell runs on the restarted board."
        elif isinstance(error, BoardDisconnected):
            text += (". BoardLab let go of the port: once the board is back, run a cell "
                     "(BoardLab connects again by itself) or %connect.")
        return name, text

    def lost(self, error):
        """Whether the kernel should let go of the board after this error."""
        return (isinstance(error, (BoardDisconnected, BoardStuck))
                or not self.link.is_open)

    def try_call(self, fn, *args, **kwargs):
        """Run one blocking board call now, or return None if the board is
        busy (a cell runs): for questions that must never wait or intrude."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return fn(*args, **kwargs)
        finally:
            self._lock.release()

    async def _call(self, fn, *args, **kwargs):
        """Run one blocking board call in a worker thread, one call at a time."""
        def locked():
            with self._lock:
                self.busy = True
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.busy = False
        return await asyncio.to_thread(locked)
