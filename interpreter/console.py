"""The board's USB serial port: bytes from the host (rx) and to the host (tx).

The host side (the pyserial link, the pty pump) calls `host_*`; the board's CPU
thread calls `board_*`. Every wait is on a Condition, so a blocked reader wakes
the moment bytes arrive, the port closes, or the read is cancelled.

Like the USB CDC code in MicroPython ports, the interrupt character is caught
as bytes arrive, not when the board reads them: while code runs, a Ctrl-C
empties the receive buffer and interrupts the code at once.

While the board waits for input it keeps serving interrupts, as firmware's
MICROPY_EVENT_POLL_HOOK does: `idle_hook()` runs (without the lock) before
each wait and says how long the wait may last; `poke()` ends a wait early.
"""

import threading
import time


class PowerOff(BaseException):
    """The board was switched off (the link closed) while its CPU thread ran.
    A BaseException so that `except Exception` in board code cannot swallow it."""


class Console:
    # Output the host has not read yet is capped, like a USB endpoint that
    # stops accepting data: the board then waits, as firmware does.
    TX_LIMIT = 1 << 20

    def __init__(self):
        self._rx = bytearray()
        self._rx_lock = threading.Lock()
        self._rx_ready = threading.Condition(self._rx_lock)
        self._tx = bytearray()
        self._tx_lock = threading.Lock()
        self._tx_ready = threading.Condition(self._tx_lock)
        self._tx_space = threading.Condition(self._tx_lock)
        self._read_cancelled = False
        self._interrupt_char = -1
        self._on_interrupt = None
        self.idle_hook = None
        self.on_input = None        # called (under the lock) when bytes arrive: wakes board waits
        self._poked = False
        self.closed = False

    # ---- host side ---------------------------------------------------

    def host_write(self, data):
        """Bytes from the host. Safe from any thread."""
        data = bytes(data)
        if not data:
            return
        with self._rx_lock:
            if self.closed:
                return
            ichar = self._interrupt_char
            if ichar >= 0 and ichar in data:
                # Running code is interrupted; whatever it had not read yet is
                # dropped (USB ports empty their input buffer on Ctrl-C).
                cut = data.rindex(ichar)
                self._rx.clear()
                data = data[cut + 1:]
                if self._on_interrupt is not None:
                    self._on_interrupt()
                self._wake_writer()
            self._rx += data
            self._rx_ready.notify_all()
            if data and self.on_input is not None:
                self.on_input()

    def host_read(self, size, timeout=None):
        """Up to `size` bytes of board output, pyserial style: block until
        `size` bytes (timeout None), return what is there (timeout 0), or wait
        at most `timeout` seconds."""
        deadline = None if not timeout else time.monotonic() + timeout
        with self._tx_lock:
            while len(self._tx) < size and not self.closed and not self._read_cancelled:
                if timeout == 0:
                    break
                if deadline is None:
                    self._tx_ready.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._tx_ready.wait(remaining)
            self._read_cancelled = False
            n = min(size, len(self._tx))
            data = bytes(self._tx[:n])
            del self._tx[:n]
            if n:
                self._tx_space.notify_all()
            return data

    def host_read_some(self, timeout=None):
        """All board output there is, waiting for at least one byte (or the
        timeout, or close). Returns b'' on timeout or close."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._tx_lock:
            while not self._tx and not self.closed:
                if deadline is None:
                    self._tx_ready.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._tx_ready.wait(remaining)
            data = bytes(self._tx)
            self._tx.clear()
            self._tx_space.notify_all()
            return data

    @property
    def host_in_waiting(self):
        with self._tx_lock:
            return len(self._tx)

    def host_discard_output(self):
        """Drop board output the host has not read (reset_input_buffer)."""
        with self._tx_lock:
            self._tx.clear()
            self._tx_space.notify_all()

    def cancel_read(self):
        with self._tx_lock:
            self._read_cancelled = True
            self._tx_ready.notify_all()

    def close(self, on_close=None):
        """Close both directions. `on_close(code_running)` runs under the
        receive lock: code_running tells whether the interrupt was armed."""
        with self._rx_lock:
            self.closed = True
            if on_close is not None:
                on_close(self._on_interrupt is not None)
            self._rx_ready.notify_all()
        with self._tx_lock:
            self._tx_ready.notify_all()
            self._tx_space.notify_all()

    # ---- board side --------------------------------------------------

    def board_write(self, data):
        """Send bytes to the host; waits while the host is far behind."""
        with self._tx_lock:
            while len(self._tx) > self.TX_LIMIT and not self.closed:
                self._tx_space.wait()
            if self.closed:
                raise PowerOff()
            self._tx += data
            self._tx_ready.notify_all()

    def _wait_rx(self, deadline=None):
        """With the receive lock held: wait until there are bytes (True) or
        `deadline` passes (False), serving interrupts meanwhile."""
        while not self._rx:
            if self.closed:
                raise PowerOff()
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                return False
            hook = self.idle_hook
            if hook is not None:
                self._poked = False
                self._rx_lock.release()
                try:
                    hook_timeout = hook()
                finally:
                    self._rx_lock.acquire()
                if self._rx or self.closed or self._poked:
                    continue
                if hook_timeout is not None:
                    timeout = hook_timeout if timeout is None else min(timeout, hook_timeout)
            self._rx_ready.wait(timeout)
        return True

    def board_read_some(self):
        """Every byte received so far, waiting for at least one."""
        with self._rx_lock:
            self._wait_rx()
            data = bytes(self._rx)
            self._rx.clear()
            return data

    def board_read_byte(self):
        with self._rx_lock:
            self._wait_rx()
            c = self._rx[0]
            del self._rx[0]
            return c

    def board_unread(self, data):
        """Give back bytes read ahead but not consumed (they belong to the
        next reader: running code's stdin, or the REPL after it)."""
        if data:
            with self._rx_lock:
                self._rx[:0] = data

    def board_wait_input(self, timeout=None):
        """True once there are bytes to read; False if `timeout` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._rx_lock:
            return self._wait_rx(deadline)

    def poke(self):
        """End a board-side input wait early (an interrupt wants serving)."""
        with self._rx_lock:
            self._poked = True
            self._rx_ready.notify_all()

    def board_has_input(self):
        with self._rx_lock:
            return bool(self._rx)

    def enable_interrupt(self, char, on_interrupt):
        """Catch `char` (Ctrl-C) in arriving bytes and call `on_interrupt`,
        under the receive lock, instead of storing it. PowerOff if closed."""
        with self._rx_lock:
            if self.closed:
                raise PowerOff()
            self._interrupt_char = char
            self._on_interrupt = on_interrupt

    def disable_interrupt(self, cleanup=None):
        """Stop catching the interrupt character. `cleanup` runs under the
        same lock as `on_interrupt`, so no interrupt can slip in after it."""
        with self._rx_lock:
            self._interrupt_char = -1
            self._on_interrupt = None
            if cleanup is not None:
                cleanup()

    def set_interrupt_char(self, char):
        """micropython.kbd_intr() while code runs: change or drop the character."""
        with self._rx_lock:
            if self._on_interrupt is not None:
                self._interrupt_char = char

    def _wake_writer(self):
        with self._tx_lock:
            self._tx_space.notify_all()
