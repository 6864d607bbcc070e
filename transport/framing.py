"""Following a cell's output: `<stdout> \\x04 <traceback> \\x04 >`.

The board sends one byte stream. Ctrl-D (`\\x04`) ends stdout, a second Ctrl-D
ends the traceback (empty when the code did not raise), and `>` is the raw
REPL prompt again. `CellFraming` is fed the bytes as they arrive, streams
decoded text to callbacks, and says when the cell is over. It does no I/O.

A `\\x04` printed by user code breaks this framing on every board. The rule
used here: the frame ends only at a `\\x04` directly followed by `>`; the
traceback is what stands between that `\\x04` and the one before it. Text after
a `\\x04` is held back until it is known to be a traceback or output:
* it starts with "Traceback (most recent call last):" -> a traceback, streamed
  to the error callback as it arrives;
* `\\x04` + `>` follows -> it was the traceback (possibly empty);
* a `\\x04` follows that is not followed by `>`, or the held text cannot be a
  one-line exception ("OSError: [Errno 5] EIO") -> the first `\\x04` was user
  output: the held text is released to stdout and following continues.
So output printed after a stray `\\x04` still reaches the user (at worst when
the cell ends) and the call returns at the real end of the cell.
"""

import codecs
import re

TRACEBACK_HEADER = b"Traceback (most recent call last):"

# An exception printed without a traceback is one line: `Name` or `Name: message`.
_EXCEPTION_LINE = re.compile(rb"[A-Za-z_][A-Za-z0-9_.]*(?::[^\r\n]*)?\r?\n?\Z")

# After `stdout \x04 \x04`, sys.exit() / machine.soft_reset() give no `>` but a
# soft reset: "MPY: soft reboot" (older firmware: "soft reboot").
_SOFT_REBOOT = (b"MPY: soft reboot\r\n", b"soft reboot\r\n")

# A hard reset (reset button, machine.reset(), watchdog) on a board whose port
# survives it (USB-UART bridge) shows the friendly REPL's boot banner.
BOOT_BANNER = re.compile(
    rb"MicroPython v[^\r\n]* on [^\r\n]*\r?\nType \"help\(\)\" for more information\.\r?\n"
)

# An ESP32's ROM prints this line the moment the chip comes out of reset,
# before MicroPython boots (and long before the banner, which a main.py that
# loops never lets come): "rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)".
ESP_ROM_RESET = re.compile(rb"rst:0x[0-9a-fA-F]+ \([A-Z0-9_]+\),boot:0x[0-9a-fA-F]+")


def shows_a_restart(data):
    """Whether board output holds the signs of a hard reset. Both signs hold
    a "(" ("help()", "(SW_CPU_RESET)"): looking for that one byte (a memchr)
    spares most output the two regex searches (~4 us each per 4 kB read)."""
    return b"(" in data and bool(BOOT_BANNER.search(data) or ESP_ROM_RESET.search(data))


# Line ends: "\r\n", a bare "\n", and "\r\r\n" from ports whose stdout turns
# every "\n" into "\r\n" even after a "\r".
_LINE_END = re.compile(rb"\r+\n")
# A "\r" that ends no line (a progress bar's return to the line's start).
_LONE_RETURN = re.compile(rb"\r(?!\r*\n)")
LONG_LINE = 256  # bytes a line, at least, for _plain_line_ends' first way


def _plain_line_ends(data):
    """`data` (bytes) with _LINE_END's line ends made "\\n".
    Lines of LONG_LINE bytes or more (bulk output: a file, a CSV dump) with
    no lone "\\r": every "\\r" goes, in one memchr-fast pass (with the
    checks, ~1 ms per MB; the two-byte search of replace takes ~2.5). Else
    bytes.replace, and the regex only for "\\r\\r\\n", which replace leaves
    as "\\r\\n" (the regex alone takes ~6x longer than replace)."""
    returns = data.count(b"\r")
    if not returns:
        return data
    if returns * LONG_LINE <= len(data) and not _LONE_RETURN.search(data):
        return data.replace(b"\r", b"")
    data = data.replace(b"\r\n", b"\n")
    if b"\r" in data and b"\r\n" in data:  # "\r" alone is a memchr, the pair a slower scan
        data = _LINE_END.sub(b"\n", data)
    return data


_UTF8_DECODER = codecs.getincrementaldecoder("utf-8")

# States
_OUTPUT, _HELD, _TRACEBACK, _AFTER_END, _DONE = range(5)


class LineEndings:
    """Incremental UTF-8 decoding and `\\r\\n` -> `\\n`.

    Invalid UTF-8 becomes U+FFFD (never an exception, never a hang); a
    character split across reads is completed by the next read. `\\r`s at
    the end of a chunk are held until the next one, since they may start
    `\\r\\n` or `\\r\\r\\n` (a lone `\\r`, as progress bars use it, is passed on)."""

    def __init__(self, emit):
        self.emit = emit
        self.decoder = _UTF8_DECODER(errors="replace")
        self.carriage_returns = b""
        self.parts = []

    def feed(self, data, final=False):
        if not data and not final:
            return  # (the empty output of most cells: nothing to decode)
        # Line ends first: "\r" and "\n" are never inside a UTF-8 character.
        data = self.carriage_returns + data
        self.carriage_returns = b""
        if not final:
            kept = data.rstrip(b"\r")
            self.carriage_returns = data[len(kept):]
            data = kept
        text = self.decoder.decode(_plain_line_ends(data), final=final)
        if text:
            self.parts.append(text)
            if self.emit is not None:
                self.emit(text)

    def finish(self):
        self.feed(b"", final=True)
        return "".join(self.parts)


class CellFraming:
    """Parse one cell's answer; see the module docstring."""

    def __init__(self, on_output=None, on_error_output=None):
        self.stdout = LineEndings(on_output)
        self.stderr = LineEndings(on_error_output)
        self.state = _OUTPUT
        self.held = bytearray()  # after a \x04 whose meaning is not known yet
        self.after_end = bytearray()  # bytes after the second \x04
        self.recent = bytearray()  # tail of the stream, to spot a boot banner
        self.rebooted = None  # None, "soft" or "hard"

    @property
    def done(self):
        return self.state == _DONE

    def result(self):
        """(output, traceback) as text, once done (or cut short)."""
        if self.state in (_HELD, _AFTER_END):
            # Cut short: whatever was held is more useful as output than lost.
            self.stdout.feed(b"\x04" + self.held)
            self.held.clear()
        return self.stdout.finish(), self.stderr.finish()

    def feed(self, data):
        """Consume bytes; returns how many were used (fewer only once done:
        the rest belongs to whatever comes after the prompt)."""
        position = 0
        while position < len(data) and self.state != _DONE:
            position = self._step(data, position)
        if self.state != _DONE:
            self._watch_for_boot_banner(data)
        return position

    def _step(self, data, position):
        if self.state == _OUTPUT:
            end = data.find(b"\x04", position)
            if end < 0:
                self.stdout.feed(data[position:])
                return len(data)
            self.stdout.feed(data[position:end])
            self.state = _HELD
            self.held.clear()
            return end + 1

        if self.state in (_HELD, _TRACEBACK):
            end = data.find(b"\x04", position)
            chunk = data[position : len(data) if end < 0 else end]
            if self.state == _TRACEBACK:
                self.stderr.feed(chunk)
            else:
                self.held += chunk
                self._classify_held()
                if self.state == _OUTPUT:  # released: its \x04 is for OUTPUT
                    return len(data) if end < 0 else end
            if end < 0:
                return len(data)
            self.state = _AFTER_END
            self.after_end.clear()
            return end + 1

        # _AFTER_END: the byte after a second \x04 decides what it was.
        byte = data[position : position + 1]
        if not self.after_end and byte == b">":
            if self.held:  # a held traceback never streamed: stream it now
                self.stderr.feed(self.held)
                self.held.clear()
            self.state = _DONE
            return position + 1
        self.after_end += byte
        if any(reboot.startswith(bytes(self.after_end)) for reboot in _SOFT_REBOOT):
            if bytes(self.after_end) in _SOFT_REBOOT:
                self.rebooted = "soft"
                self.state = _DONE
            return position + 1
        # Not the end: the \x04 before the held text was printed by the code.
        # Release it and treat the latest \x04 as a new candidate frame end.
        replay = bytes(self.after_end)
        self.stdout.feed(b"\x04" + self.held)
        self.held.clear()
        self.after_end.clear()
        self.state = _HELD
        self._feed_held(replay)
        return position + 1

    def _feed_held(self, replay):
        """Re-run bytes that were looked at after a \x04, now in the HELD state."""
        position = 0
        while position < len(replay) and self.state != _DONE:
            position = self._step(replay, position)

    def _classify_held(self):
        """Decide early whether held text is a traceback, or output after a
        stray \x04 (released at once, so streaming goes on)."""
        held = bytes(self.held)
        if held.startswith(TRACEBACK_HEADER):
            self.stderr.feed(held)
            self.held.clear()
            self.state = _TRACEBACK
        elif TRACEBACK_HEADER.startswith(held) or _EXCEPTION_LINE.match(held):
            pass  # could still be a traceback: keep holding
        else:
            self.stdout.feed(b"\x04" + held)
            self.held.clear()
            self.state = _OUTPUT

    def _watch_for_boot_banner(self, data):
        """The output so far (banner included) stays output: the user sees
        the boot log, which often says why the board reset. The signs may
        span two reads: the tail of the last is searched with the head of
        this one (not with all of it: a read may be 64 kB)."""
        if shows_a_restart(data) or shows_a_restart(self.recent + data[:200]):
            self.rebooted = "hard"
            self.state = _DONE
        self.recent = (self.recent + data[-200:])[-200:]
