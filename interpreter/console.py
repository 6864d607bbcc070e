"""The board's USB serial port: bytes from the host (rx) and to the host (tx).

The host side (the pyserial link, the pty pump) calls `host_*`, from any
thread; the firmware calls `board_*` from the CPU thread, through the host
imports (stdin_read, stdout_write). A blocked host reader wakes the moment
bytes arrive, the port closes, or the read is cancelled.

Like the USB CDC code of MicroPython's ports, the interrupt character (set
by the firmware: Ctrl-C while code runs) is caught as bytes arrive, not when
the board reads them: it empties the receive buffer and calls
`on_interrupt`, and never reaches stdin.

Output waits in a buffer for `host_read` (the sim:// link), unless the host
sets `host_sink`: a write function the board's own thread then calls (the
pty server's, which writes to the pty at once: no hand-off to a thread).
"""

import threading
import time


class Console:
    # Output the host has not read yet is capped, like a USB endpoint that
    # stops accepting data: the board then waits, as firmware does.
    TX_LIMIT = 1 << 20

    def __init__(self):
        self._rx = bytearray()
        self._rx_lock = threading.Lock()
        self._tx = bytearray()
        self._tx_lock = threading.Lock()
        self._tx_ready = threading.Condition(self._tx_lock)
        self._tx_space = threading.Condition(self._tx_lock)
        self._read_cancelled = False
        self._interrupt_char = -1
        self.on_interrupt = None    # called when the interrupt character arrives
        self.on_input = None        # called when bytes arrive: wakes a waiting board
        self.host_sink = None       # takes the output instead of the buffer (see board_write)
        self.closed = False

    # ---- host side ---------------------------------------------------

    def host_write(self, data):
        """Bytes from the host. Safe from any thread."""
        data = bytes(data)
        if not data:
            return
        interrupted = False
        with self._rx_lock:
            if self.closed:
                return
            ichar = self._interrupt_char
            if ichar >= 0 and ichar in data:
                # Whatever running code had not read yet is dropped (USB
                # ports empty their input buffer on Ctrl-C).
                self._rx.clear()
                data = data[data.rindex(ichar) + 1:]
                interrupted = True
            self._rx += data
        if interrupted and self.on_interrupt is not None:
            self.on_interrupt()
        if self.on_input is not None:
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

    def close(self):
        with self._rx_lock:
            self.closed = True
        with self._tx_lock:
            self._tx_ready.notify_all()
            self._tx_space.notify_all()

    # ---- board side (CPU thread) --------------------------------------

    def board_write(self, data):
        """Send bytes to the host; waits while the host is far behind.
        False when the port is closed (the board is being switched off).
        With a `host_sink`, it has the bytes: it may wait (a full pty, as a
        full USB endpoint makes a board wait) and says False when its port
        has gone."""
        if self.host_sink is not None:
            return self.host_sink(data) and not self.closed
        with self._tx_lock:
            while len(self._tx) > self.TX_LIMIT and not self.closed:
                self._tx_space.wait()
            if self.closed:
                return False
            self._tx += data
            self._tx_ready.notify_all()
            return True

    def board_read(self, size):
        """Up to `size` bytes received so far; b'' when there are none."""
        with self._rx_lock:
            data = bytes(self._rx[:size])
            del self._rx[:size]
            return data

    def board_has_input(self):
        with self._rx_lock:
            return bool(self._rx)

    def set_interrupt_char(self, char):
        with self._rx_lock:
            self._interrupt_char = char
