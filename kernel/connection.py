"""The kernel's link to one board: open it, run cells on it off the event loop,
interrupt it, describe it, close it.

The transport's calls block; the kernel's event loop must not. Each board call
runs in a worker thread, and `run` hands the board's output back to the loop as
it arrives.
"""

import asyncio
import threading

from boardlab.kernel.stdin import HELPER as INPUT_HELPER
from boardlab.transport.errors import BoardExecError, BoardRebooted, TransportError
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl

DEFAULT_URL = "sim://pico"

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
                 timeout=10):
        self.url = url
        self.link = open_link(url, baudrate=baudrate, dtr=dtr, rts=rts)
        self.repl = RawRepl(self.link, port_name=url)
        self._lock = threading.Lock()  # one board call at a time
        self.busy = False
        self._needs_helpers = True
        try:
            self.repl.enter_raw(soft_reset=soft_reset, timeout=timeout)
            self._install_helpers()
        except Exception:
            self.link.close()
            raise

    @classmethod
    async def open(cls, url, **options):
        """Connect without blocking the event loop (entering the raw REPL can
        take seconds on a board that resets when its port opens)."""
        return await asyncio.to_thread(cls, url, **options)

    @property
    def simulated(self):
        """The simulated board object when the link is `sim://`, else None."""
        return getattr(self.link, "board", None)

    async def describe(self):
        """One line saying which board this is, e.g.
        'MicroPython 1.29.0 on Raspberry Pi Pico with RP2040, 230 KB free'."""
        out = (await self._call(self.repl.exec, DESCRIBE_SNIPPET)).strip()
        name, version, machine, free = (out.splitlines() or [""])[-1].split("|")
        impl = "MicroPython" if name == "micropython" else name
        return f"{impl} {version} on {machine}, {int(free) // 1024} KB free"

    async def run(self, code, on_output):
        """Run a cell; `on_output(text)` is called on the event loop as output
        arrives. Returns the transport's Result (output, traceback)."""
        loop = asyncio.get_running_loop()

        def forward(text):
            loop.call_soon_threadsafe(on_output, text)

        def run_cell():
            if self._needs_helpers:
                self._install_helpers()
            try:
                return self.repl.execute(code, on_output=forward)
            except BoardRebooted:
                self._needs_helpers = True  # a reset took them away
                raise

        return await self._call(run_cell)

    async def soft_reset(self):
        def reset():
            self.repl.soft_reset()
            self._install_helpers()
        await self._call(reset)

    def _install_helpers(self):
        """What the kernel puts on the board after every (re)start: input()
        that the notebook can answer (see stdin.py)."""
        self._needs_helpers = False
        try:
            self.repl.exec(INPUT_HELPER)
        except BoardExecError:
            pass  # firmware without overridable builtins: input() reads stdin unannounced

    def interrupt(self):
        """Ctrl-C to the board; safe from any thread while a cell runs."""
        self.repl.interrupt()

    def close(self):
        try:
            self.repl.close()
        except (TransportError, OSError):
            pass

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
