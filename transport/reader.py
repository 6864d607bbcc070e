"""Buffered reading from the link, with explicit deadlines.

Every read is `link.read(max(1, link.in_waiting))`: it takes whatever has
arrived in one call and blocks at most the link's (short) timeout when nothing
has, so a caller loop can check for a closed link or a stop request between
reads. Nothing here reads byte by byte or sleeps.

On pyserial's POSIX ports (USB serial devices, ptys: their link has
`direct_fds()`) the same read is done directly: one select() and one read()
of all that is there (a poll, which does not wait, only the read), instead
of pyserial's ioctl + select + read (+ ioctl + select + read when the
burst's first byte woke it), which halves the syscalls per exchange with the
board.

A board that prints fast fills the link faster than it is read, and a Linux
tty hands on at most ~4 kB a read: `gather()` then takes what keeps arriving
after a big read, for a few ms at most, so that the cell's output is decoded
and passed on once per batch rather than once per read.
"""

import errno
import os
import re
import select
import time

import serial

from .errors import BoardDisconnected, BoardTimeout
from .link import LinkFailure

# See LinkReader.fill: how many reads in a row may return nothing at once.
EMPTY_AT_ONCE_SECONDS = 0.005
EMPTY_AT_ONCE_LIMIT = 100

READ_CHUNK = 65536  # the most one read takes on the direct POSIX path

# See LinkReader.gather: a read at least this big says the board sends faster
# than it is read (a Linux tty hands on at most 4 kB a read); what follows it
# at once is taken too, for at most GATHER_SECONDS or up to GATHER_BYTES.
GATHER_AFTER = 1024
GATHER_SECONDS = 0.002
GATHER_BYTES = 65536
_RETRY = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR)


class LinkReader:
    """Bytes that came from the board and have not been consumed yet."""

    def __init__(self, link, port_name):
        self.link = link
        self.port_name = port_name
        self.buffer = bytearray()
        self.closing = False  # set by the owner before it closes the link
        self._empty_at_once = 0
        self._direct = link.direct_fds()  # (fd, cancel pipe) on POSIX ports

    def disconnected(self, cause=None):
        if self.closing:
            message = f"the link to {self.port_name} was closed"
        elif isinstance(cause, LinkFailure):
            message = f"lost the link to {self.port_name}: {cause}"
        else:
            message = (
                f"lost the link to {self.port_name}: the board was unplugged, "
                "reset its USB port, or another program took the port"
            )
            if cause is not None:
                message += f" ({cause})"
        return BoardDisconnected(message, port=self.port_name)

    def fill(self):
        """Wait (at most the link timeout) for bytes, append them, return them."""
        if self.closing or not self.link.is_open:
            raise self.disconnected()
        started = time.monotonic()
        try:
            data = self._read_some(self.link.timeout)
        except (serial.SerialException, OSError, TypeError, AttributeError, ValueError) as error:
            # TypeError/AttributeError/ValueError: pyserial objects closed
            # under a reading thread fail this way instead of raising
            # SerialException.
            raise self.disconnected(error) from error
        if data:
            self.buffer += data
            self._empty_at_once = 0
        elif time.monotonic() - started < EMPTY_AT_ONCE_SECONDS:
            # A read that returns nothing without waiting its timeout, again
            # and again, is a link closed at the far end (a socket, a board
            # powered off) that does not raise: do not spin on it for ever.
            self._empty_at_once += 1
            if self._empty_at_once >= EMPTY_AT_ONCE_LIMIT:
                raise self.disconnected("it returns no data and no longer waits for any")
        return data

    def _read_some(self, timeout):
        """What has arrived, waiting at most `timeout` for the first byte."""
        if self._direct is not None:
            fd, cancel = self._direct
            # pyserial's fd is non-blocking: what is there is read without a
            # select() first when not waiting (a fast board's output comes
            # in ~4 kB reads, so this halves the syscalls per read). Such a
            # read returns b"" when nothing is there; an unplugged device
            # shows at the next wait, when select() says "readable".
            waited = timeout is None or timeout > 0
            if waited:
                ready, _, _ = select.select([fd, cancel], [], [], timeout)
                if cancel in ready:  # cancel_read() from another thread
                    os.read(cancel, 1000)
                    return b""
                if not ready:
                    return b""
            try:
                data = os.read(fd, READ_CHUNK)
            except OSError as error:
                if error.errno in _RETRY:
                    return b""
                raise
            if not data and waited:  # what pyserial says of an unplugged device
                raise serial.SerialException(
                    "device reports readiness to read but returned no data "
                    "(device disconnected or multiple access on port?)")
            return data
        data = self.link.read(max(1, self.link.in_waiting))
        if len(data) == 1:
            # Woken by the first byte of a burst: take the rest of it in
            # the same chunk rather than handing on a lone byte.
            waiting = self.link.in_waiting
            if waiting:
                data += self.link.read(waiting)
        return data

    def poll(self):
        """Append whatever has already arrived, without waiting; return it."""
        try:
            if self._direct is not None:
                data = self._read_some(0)
                self.buffer += data
                return data
            waiting = self.link.in_waiting
        except (serial.SerialException, OSError, TypeError, AttributeError, ValueError) as error:
            raise self.disconnected(error) from error
        return self.fill() if waiting else b""

    def gather(self):
        """fill(), and when that read was big (the board sends faster than
        it is read), what keeps arriving right after it, within
        GATHER_SECONDS and GATHER_BYTES: the caller then handles one batch
        instead of every 4 kB read, and still sees output within ms."""
        if len(self.fill()) < GATHER_AFTER:
            return
        deadline = time.monotonic() + GATHER_SECONDS
        while len(self.buffer) < GATHER_BYTES and time.monotonic() < deadline and self.poll():
            pass

    def take(self, count):
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def read_exact(self, count, timeout, step):
        """Exactly `count` bytes, or BoardTimeout naming `step`."""
        deadline = time.monotonic() + timeout
        while len(self.buffer) < count:
            self._wait(deadline, step)
        return self.take(count)

    def read_until(self, pattern, timeout, step):
        """Everything up to and including the first match of `pattern` (bytes
        or compiled regex). `timeout` None waits for ever (still noticing a
        closed link); otherwise BoardTimeout naming `step`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        start = 0
        while True:
            if isinstance(pattern, bytes):
                found = self.buffer.find(pattern, start)
                end = found + len(pattern) if found >= 0 else None
            else:
                match = pattern.search(self.buffer, start)
                end = match.end() if match else None
            if end is not None:
                return self.take(end)
            # A match may begin in the bytes already searched: look back a little.
            start = max(0, len(self.buffer) - 64)
            self._wait(deadline, step)

    def search_until(self, pattern, deadline):
        """Like read_until but returns None at the deadline instead of raising."""
        regex = pattern if hasattr(pattern, "search") else re.compile(re.escape(pattern))
        while True:
            match = regex.search(self.buffer)
            if match:
                return self.take(match.end())
            if time.monotonic() >= deadline:
                return None
            self.fill()

    def drain(self, quiet, limit):
        """Discard input until the board has been quiet for `quiet` seconds
        (or `limit` seconds have passed: a chatty board never goes quiet)."""
        start = last = time.monotonic()
        self.buffer.clear()
        while True:
            now = time.monotonic()
            if now - last >= quiet or now - start >= limit:
                break
            if self.fill():
                last = time.monotonic()
            self.buffer.clear()

    def settle(self, quiet):
        """Keep reading until `quiet` seconds pass with nothing new; return all
        unconsumed bytes (left in the buffer)."""
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            if self.fill():
                last = time.monotonic()
        return bytes(self.buffer)

    def _wait(self, deadline, step):
        if deadline is not None and time.monotonic() >= deadline:
            seen = bytes(self.buffer[-80:])
            raise BoardTimeout(
                f"{self.port_name} did not answer while {step} "
                f"(last bytes received: {seen!r}). Is a program on the board "
                "ignoring Ctrl-C? Try pressing its reset button.",
                port=self.port_name,
            )
        self.fill()
