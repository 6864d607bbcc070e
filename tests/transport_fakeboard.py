"""A scripted board for the transport's protocol tests.

`FakeBoard` is a transport Link (transport/link.py) with the pyserial calls
the transport uses (read, write, in_waiting, timeout, is_open, close, dtr,
rts) and none of the optional abilities. Behind it, a
small raw-REPL state machine answers the host byte by byte as raw-repl.md
describes, with the quirks of real firmware switchable: raw-paste supported
(any window), refused (`R\\x00`), or unknown (old firmware answers with its
banner); prompt variants; boot logs and garbage before the banner; lost first
bytes. What a program "prints" is scripted: each bytes item of a script is
delivered by exactly one read, so tests control where reads split the stream.
"""

import struct
import threading
import time
from collections import deque

import serial

from boardlab.transport.link import Link

BANNER = b"raw REPL; CTRL-B to exit\r\n"
FRIENDLY_BANNER = (
    b"MicroPython v1.23.0 on 2024-06-02; Raspberry Pi Pico with RP2040\r\n"
    b'Type "help()" for more information.\r\n>>> '
)


def frame(stdout=b"", traceback=b""):
    """The bytes a board sends after running code (after OK or the paste ack)."""
    return [stdout, b"\x04" + traceback + b"\x04>"]


class Sleep:
    def __init__(self, seconds):
        self.seconds = seconds


class WaitFor:
    """Block the program until `event` is set (by the host's side of the
    test: the host has shown some output, say), at most `timeout` seconds;
    `came` says whether it was set or the wait ran out."""

    def __init__(self, event, timeout=10):
        self.event = event
        self.timeout = timeout
        self.came = None


class Disconnect:
    """From here on reads fail the way pyserial fails on an unplugged board,
    or with `error`. `at` is when it happened."""

    def __init__(self, error=None):
        self.error = error
        self.at = None


class WaitForInterrupt:
    """Block the program until the host sends Ctrl-C (at most 10 s), then
    answer with the KeyboardInterrupt framing; `interrupted` says whether
    the Ctrl-C came."""

    def __init__(self):
        self.interrupted = None


KEYBOARD_INTERRUPT = (
    b"Traceback (most recent call last):\r\n"
    b'  File "<stdin>", line 1, in <module>\r\nKeyboardInterrupt: \r\n'
)


class FakeBoard(Link):
    def __init__(self, raw_paste="yes", window=128, banner=BANNER, before_banner=b"",
                 lose_first_writes=0, scripts=None, early_end=None, stall_after=None):
        self.raw_paste = raw_paste  # "yes", "no" (R\x00) or "old" (no such command)
        self.window = window
        self.banner = banner
        self.before_banner = before_banner  # boot log / garbage before the first banner
        self.lose_first_writes = lose_first_writes  # ESP reset on port open
        self.scripts = scripts or {}  # code (str) -> list of bytes / Sleep / ...
        self.early_end = early_end  # raw-paste: stop reading after N bytes (syntax error)
        self.stall_after = stall_after  # raw-paste: grant no window after N bytes
        self.port = "fake://board"
        self.timeout = 0.05
        self.is_open = True
        self.dtr = self.rts = True
        self.written = bytearray()  # everything the host sent
        self.writes = []  # each write() call's bytes
        self.ran = []  # the code of each program run
        self.window_violations = 0
        self.mode = "friendly"
        self.buffer = bytearray()
        self._out = deque()
        self._cond = threading.Condition()
        self._disconnected = None  # the error reads and writes fail with
        self._interrupt = threading.Event()
        self.stalled = threading.Event()  # set once a raw paste stalls (stall_after)
        self._paste_credit = 0
        self._paste_count = 0

    # -- the link side ---------------------------------------------------

    @property
    def in_waiting(self):
        self._check()
        with self._cond:
            return len(self._out[0]) if self._out else 0

    def read(self, size=1):
        self._check()
        deadline = time.monotonic() + (self.timeout or 0)
        with self._cond:
            while not self._out:
                left = deadline - time.monotonic()
                if left <= 0:
                    return b""
                self._cond.wait(left)
                self._check()
            chunk = self._out[0]
            data, rest = chunk[:size], chunk[size:]
            if rest:
                self._out[0] = rest
            else:
                self._out.popleft()
            return bytes(data)

    def write(self, data):
        self._check()
        data = bytes(data)
        self.writes.append(data)
        self.written += data
        if self.lose_first_writes:
            self.lose_first_writes -= 1
            return len(data)
        for byte in data:
            self._receive(bytes([byte]))
        return len(data)

    def close(self):
        self.is_open = False
        with self._cond:
            self._cond.notify_all()

    def _check(self):
        if self._disconnected is not None:
            raise self._disconnected
        if not self.is_open:
            raise serial.PortNotOpenError()

    def send(self, *chunks):
        """Queue bytes for the host; each chunk is one read."""
        with self._cond:
            for chunk in chunks:
                if chunk:
                    self._out.append(bytes(chunk))
            self._cond.notify_all()

    # -- the board side --------------------------------------------------

    def _receive(self, byte):
        handler = getattr(self, "_in_" + self.mode)
        handler(byte)

    def _in_friendly(self, byte):
        if byte == b"\x03":
            self.send(b"\r\n>>> ")
        elif byte == b"\x01":
            self.mode = "raw"
            self.buffer.clear()
            self.send(self.before_banner, b"\r\n" + self.banner + b">")
            self.before_banner = b""

    def _in_raw(self, byte):
        if byte == b"\x01":
            if self.buffer == b"\x05A":
                return self._raw_paste_request()
            self.buffer.clear()
            self.send(self.banner + b">")
        elif byte == b"\x02":
            self.mode = "friendly"
            self.send(b"\r\n" + FRIENDLY_BANNER)
        elif byte == b"\x03":
            self.buffer.clear()
        elif byte == b"\x04":
            if not self.buffer:
                self.send(b"OK\r\n", b"MPY: soft reboot\r\n", self.banner + b">")
                return
            self.send(b"OK")
            self._run()
        else:
            self.buffer += byte

    def _raw_paste_request(self):
        self.buffer.clear()
        if self.raw_paste == "yes":
            self.mode = "paste"
            self._paste_credit = 2 * self.window
            self._paste_count = 0
            self.send(b"R\x01" + struct.pack("<H", self.window) + b"\x01")
        elif self.raw_paste == "no":
            self.send(b"R\x00")
        else:  # firmware without raw paste: \x01 means "enter raw REPL"
            self.send(self.banner + b">")

    def _in_paste(self, byte):
        if byte == b"\x03":
            self.mode = "raw"
            self.buffer.clear()  # the raw REPL starts its next line empty
            self.send(b"\x04", b"\x04KeyboardInterrupt: \r\n\x04>")
            return
        if byte == b"\x04":
            self.send(b"\x04")
            self._run()
            return
        self.buffer += byte
        self._paste_count += 1
        self._paste_credit -= 1
        if self._paste_credit < 0:
            self.window_violations += 1
        if self.early_end is not None and self._paste_count == self.early_end:
            self.mode = "discard"
            self.send(b"\x04")
            return
        stalled = self.stall_after is not None and self._paste_count >= self.stall_after
        if stalled:
            self.stalled.set()
        if self._paste_count % self.window == 0 and not stalled:
            self._paste_credit += self.window
            self.send(b"\x01")

    def _in_discard(self, byte):
        # After an early end the board drops input until Ctrl-D or Ctrl-C.
        if byte in (b"\x03", b"\x04"):
            self.mode = "raw"
            self.buffer.clear()
            self.send(*frame(b"", b'Traceback (most recent call last):\r\n  File "<stdin>", '
                                  b"line 3\r\nSyntaxError: invalid syntax\r\n"))

    def _in_running(self, byte):
        if byte == b"\x03":
            self._interrupt.set()

    def _run(self):
        code = self.buffer.decode("utf-8", "replace")
        self.buffer.clear()
        self.ran.append(code)
        script = self.scripts.get(code, frame())
        self.mode = "running"
        self._interrupt.clear()
        threading.Thread(target=self._play, args=(script,), daemon=True).start()

    def _play(self, script):
        for index, step in enumerate(script):
            last = index == len(script) - 1
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
            elif isinstance(step, WaitFor):
                step.came = step.event.wait(step.timeout)
            elif isinstance(step, Disconnect):
                step.at = time.monotonic()
                self._disconnected = step.error or serial.SerialException(
                    "device reports readiness to read but returned no data "
                    "(device disconnected or multiple access on port?)")
                with self._cond:
                    self._cond.notify_all()
                return
            elif isinstance(step, WaitForInterrupt):
                step.interrupted = self._interrupt.wait(10)
                self.mode = "raw"
                self.send(*frame(b"", KEYBOARD_INTERRUPT))
            else:
                if last:
                    self.mode = "raw"  # before the ">" reaches the host
                self.send(step)
        self.mode = "raw"
