"""The host side of MicroPython's raw REPL (see docs raw-repl.md).

`RawRepl` enters the raw REPL, sends a cell's code (raw-paste mode when the
firmware has it, plain raw writes otherwise), follows the output as it arrives,
and interrupts, soft-resets or hard-resets the board. One thread runs cells;
`interrupt()`, `hard_reset()` and `close()` may be called from another.

Control bytes, host to board:
  Ctrl-A \\x01  enter the raw REPL (while raw: drop the buffer, show the banner)
  Ctrl-B \\x02  leave the raw REPL for the friendly one
  Ctrl-C \\x03  interrupt the running code (KeyboardInterrupt); idle: clear the buffer
  Ctrl-D \\x04  run the buffer; on an empty buffer: soft reset
  Ctrl-E \\x05  with "A\\x01": ask for raw-paste mode
"""

import ast
import re
import struct
import threading
import time
from dataclasses import dataclass

import serial
import serial.rfc2217

from .errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardStuck,
    BoardTimeout,
    TransportError,
)
from .framing import CellFraming, shows_a_restart
from .link import READ_POLL_SECONDS, close_link
from .reader import LinkReader

# "raw REPL; CTRL-B to exit\r\n": some ports send "\r\r\n" (their stdout turns
# every "\n" into "\r\n", including the one after a "\r").
RAW_BANNER = re.compile(rb"raw REPL; CTRL-B to exit\r*\n")
# "MPY: soft reboot\r\n" on current firmware, "soft reboot\r\n" on older.
SOFT_REBOOT = re.compile(rb"soft reboot\r*\n")
# The tail of the banner that old firmware sends when it takes raw-paste's
# "\x05A\x01" for a plain "enter raw REPL".
BANNER_AND_PROMPT = re.compile(rb"CTRL-B to exit\r*\n>")

PLAIN_RAW_PIECE = 256  # bytes per write without flow control ...
PLAIN_RAW_PAUSE = 0.01  # ... and the pause after each, or small boards lose bytes
# One attempt to enter the raw REPL waits 0.5 s for the banner, doubling up
# to 2 s: a board that hears us answers in milliseconds, a Ctrl-A lost while an
# ESP board reboots on port open (~1 s) is soon sent again.
ENTER_FIRST_ATTEMPT_SECONDS = 0.5
ENTER_ATTEMPT_SECONDS = 2.0

# A hard reset through DTR/RTS, as esptool does it on ESP boards with the
# two-transistor auto-reset circuit: EN (reset) is low while RTS is asserted
# and DTR is not; IO0 (boot mode) is low while DTR is asserted and RTS is not.
RESET_PULSE_SECONDS = 0.1
# How long after a pulse the board may take to show it restarted (an ESP32's
# ROM log comes within milliseconds; native USB boards ignore RTS).
RESET_EVIDENCE_SECONDS = 2.0

IGNORED_CTRL_C = ("ignored Ctrl-C (the code catches KeyboardInterrupt, or "
                  "micropython.kbd_intr(-1) turned Ctrl-C off)")
RESET_IT_YOURSELF = ("Press the board's reset button, or unplug it and plug it back "
                     "in; then run the cell again.")


@dataclass
class Result:
    """What a cell printed, and the board's traceback ("" when it did not raise).
    Line endings are "\\n" whatever the port sends."""

    output: str
    traceback: str


class RawRepl:
    def __init__(self, link, port_name=None, step_timeout=10):
        self.link = link
        self.port_name = port_name or getattr(link, "port", None) or "the board"
        # Protocol steps (a prompt, a raw-paste window) have this deadline;
        # running code has none: a quiet cell may take as long as it likes.
        self.step_timeout = step_timeout
        timeout = getattr(link, "timeout", None)
        if not timeout or timeout > 0.2:  # None blocks for ever, 0 would spin
            link.timeout = READ_POLL_SECONDS  # short reads: see reader.py
        self.reader = LinkReader(link, self.port_name)
        self.use_raw_paste = True  # until the firmware says it has not got it
        self.in_raw = False
        self._at_prompt = False  # the raw REPL's ">" has been read
        self._write_lock = threading.Lock()
        self._interrupted = False  # interrupt() was called during this cell
        # (how, when) once hard_reset() was called during this cell; `how`
        # is "link", "rts" or None (there was no way to reset the board).
        self._reset_request = None

    # -- writing ---------------------------------------------------------

    def _send(self, data):
        """Write without taking the lock (callers hold it or do not need it)."""
        if self.reader.closing:
            raise self.reader.disconnected()
        try:
            self.link.write(data)
        except serial.SerialTimeoutException as error:
            raise BoardTimeout(
                f"{self.port_name} stopped accepting input", port=self.port_name
            ) from error
        except (serial.SerialException, OSError, TypeError, AttributeError) as error:
            raise self.reader.disconnected(error) from error

    def _write(self, data):
        with self._write_lock:
            self._send(data)

    # -- entering, resetting, leaving ------------------------------------

    def enter_raw(self, soft_reset=False, timeout=10):
        """Stop whatever runs and get to the raw REPL's prompt.

        Retries within `timeout`: an ESP board with an auto-reset circuit
        reboots when the port opens and loses the first bytes in its ROM boot
        log; a board busy in main.py may need the interrupt repeated."""
        deadline = time.monotonic() + timeout
        self.in_raw = self._at_prompt = False
        attempt = 0
        while True:
            # Ctrl-C twice, each after "\r" so it lands on an empty line (on a
            # non-empty friendly-REPL line control bytes edit the line).
            for _ in range(2):
                self._write(b"\r\x03")
                time.sleep(0.05)
            # The interrupted program's traceback, ">>> " prompts, boot logs.
            self.reader.drain(quiet=0.05, limit=0.5)
            self._write(b"\r\x01")  # Ctrl-A: enter the raw REPL
            wait = min(ENTER_ATTEMPT_SECONDS, ENTER_FIRST_ATTEMPT_SECONDS * 2 ** attempt)
            attempt += 1
            attempt_end = min(deadline, time.monotonic() + wait)
            if self.reader.search_until(RAW_BANNER, attempt_end) is not None:
                break
            if time.monotonic() >= deadline:
                raise BoardTimeout(
                    f"{self.port_name} did not enter the raw REPL within {timeout} s. "
                    "Is it running MicroPython? Is a program ignoring Ctrl-C "
                    "(press the reset button), or are the DTR/RTS levels holding it "
                    "in reset?",
                    port=self.port_name,
                )
        # One Ctrl-A, one banner: only retries leave answers that come late.
        self._settle_at_prompt(deadline, late_answers=attempt > 1)
        self.in_raw = True
        if soft_reset:
            self._soft_reset(max(1.0, deadline - time.monotonic()))

    def _settle_at_prompt(self, deadline, late_answers=False):
        """Read the ">" after a banner; with `late_answers`, swallow the
        answers to earlier attempts that arrive late (a second banner would
        otherwise be taken for old firmware's answer to the raw-paste request)."""
        self.reader.read_until(b">", max(0.5, deadline - time.monotonic()), "waiting for the raw REPL prompt")
        while late_answers:
            late = self.reader.settle(quiet=0.05)
            if not RAW_BANNER.search(late):
                break
            self.reader.read_until(RAW_BANNER, 0, "reading a late raw REPL banner")
            self.reader.read_until(b">", self.step_timeout, "waiting for the raw REPL prompt")
        self.reader.buffer.clear()
        self._at_prompt = True

    def soft_reset(self, timeout=10):
        """Restart the board's VM (all variables gone); returns what boot.py printed."""
        if not self.in_raw:
            self.enter_raw(timeout=timeout)
        return self._soft_reset(timeout)

    def _soft_reset(self, timeout):
        self._wait_for_prompt()
        self._write(b"\x04")  # Ctrl-D on an empty raw buffer: soft reset
        self._at_prompt = False
        self.reader.read_until(SOFT_REBOOT, timeout, "soft-resetting")
        # boot.py runs between "soft reboot" and the raw REPL banner again.
        boot = self.reader.read_until(RAW_BANNER, timeout, "waiting for the raw REPL after a soft reset")
        boot_output = RAW_BANNER.sub(b"", boot).decode("utf-8", "replace").replace("\r\n", "\n")
        self._settle_at_prompt(time.monotonic() + timeout)
        return boot_output

    def exit_raw(self):
        """Back to the friendly REPL (">>> ")."""
        self._write(b"\r\x02")  # Ctrl-B: leave the raw REPL
        self.in_raw = self._at_prompt = False

    def close(self):
        """Leave the raw REPL if the board still listens, and close the link.
        May be called from another thread: a running execute() then raises
        BoardDisconnected."""
        if self.reader.closing:
            return
        try:
            if self.in_raw:
                self.exit_raw()
        except TransportError:
            pass
        self.reader.closing = True
        cancel = getattr(self.link, "cancel_read", None)
        if cancel is not None:
            try:
                cancel()
            except (serial.SerialException, OSError):
                pass
        close_link(self.link)

    def interrupt(self):
        """Ctrl-C to the board; safe to call from another thread while
        execute() follows output. The cell then ends through the normal
        framing with the board's KeyboardInterrupt traceback."""
        with self._write_lock:
            self._interrupted = True
            self._send(b"\x03")  # Ctrl-C: KeyboardInterrupt in the running code

    def hard_reset(self):
        """Restart the board, for a cell that ignores Ctrl-C (call it while
        execute() follows the cell). The cell ends with BoardRebooted, or
        BoardStuck (no way to reset it over this link, or no sign it did).
        Returns how: "link" (the link's own `hard_reset()`, e.g. a simulated
        board's), "rts" (a pulse on ESP boards' reset line), or None."""
        reset = getattr(self.link, "hard_reset", None)
        how = "link" if callable(reset) else "rts" if self._has_control_lines() else None
        # Known before the reset goes out: the following thread may see the
        # board's boot log before the pulse has even ended.
        self._reset_request = (how, time.monotonic())
        try:
            if how == "link":
                if reset() is False:
                    how = None
            elif how == "rts":
                self._pulse_reset_line()
        except (serial.SerialException, OSError, ValueError, AttributeError):
            how = None
        self._reset_request = (how, time.monotonic())
        return how

    def _has_control_lines(self):
        """Whether DTR/RTS reach a board: a serial port or an RFC 2217 link
        (a pty refuses the request itself). Other URL handlers (socket://,
        sim://) accept the levels and drop them; a handler whose levels do
        reach a board says so with `has_control_lines = True`."""
        default = isinstance(self.link, (serial.Serial, serial.rfc2217.Serial))
        return bool(getattr(self.link, "has_control_lines", default))

    def _pulse_reset_line(self):
        """EN low for a moment with IO0 high (so the chip boots its firmware,
        not the ROM bootloader), then the levels as they were. Setting DTR
        after RTS again is esptool's work-around for Windows' usbser.sys,
        which sends the RTS level only along with a DTR change. DTR goes back
        before RTS: the other order would hold EN low again."""
        link = self.link
        dtr, rts = link.dtr, link.rts
        with self._write_lock:
            try:
                link.dtr = False  # IO0 high
                link.rts = True  # EN low: in reset
                link.dtr = False
                time.sleep(RESET_PULSE_SECONDS)
                link.rts = False  # EN high: the chip boots, IO0 still high
                link.dtr = False
                time.sleep(0.05)  # boot-mode pins are latched
            finally:
                link.dtr = dtr  # native USB boards stall their output with DTR low
                link.rts = rts

    def write_stdin(self, data):
        """Bytes for the running code's sys.stdin (input(), sys.stdin.read()).
        A Ctrl-C among them interrupts the code; other bytes are plain data."""
        self._write(data.encode("utf-8") if isinstance(data, str) else bytes(data))

    # -- running code ----------------------------------------------------

    def execute(self, code, on_output=None, on_error_output=None):
        """Run `code` and follow its output; returns a Result.

        `on_output(text)` gets stdout as it arrives, `on_error_output(text)`
        the traceback. Raises BoardTimeout when a protocol step gets no answer,
        BoardDisconnected when the link goes, BoardRebooted when the board
        restarts instead of finishing the cell."""
        data = code.encode("utf-8") if isinstance(code, str) else bytes(code)
        forbidden = sorted({byte for byte in data if 1 <= byte <= 4})
        if forbidden:
            raise ValueError(
                "the code contains the control byte(s) "
                + ", ".join(f"\\x{byte:02x}" for byte in forbidden)
                + ", which the raw REPL would obey; write them as escapes in strings"
            )
        if not self.in_raw:
            self.enter_raw()
        with self._write_lock:
            self._interrupted = False
            self._reset_request = None
        self._wait_for_prompt()
        self._at_prompt = False
        try:
            if not self._send_code(data):
                # Ctrl-C reached the board before the code was complete: the
                # board dropped its buffer and waits at the raw prompt.
                self._at_prompt = True
                return Result("", "KeyboardInterrupt: interrupted before the code reached the board\n")
            return self._follow(on_output, on_error_output)
        except BaseException:
            if not self._at_prompt:
                self.in_raw = False  # unknown state: the next cell re-enters
            raise

    def exec(self, code):
        """Run `code`; return its output, or raise BoardExecError."""
        result = self.execute(code)
        if result.traceback:
            raise BoardExecError(result.output, result.traceback)
        return result.output

    def eval(self, expression):
        """The value of a MicroPython expression whose repr is a Python literal."""
        return ast.literal_eval(self.exec(f"print(repr({expression}))").strip())

    def _wait_for_prompt(self):
        if self._at_prompt:
            self._check_idle_input()
        if not self._at_prompt:
            self.reader.read_until(b">", self.step_timeout, "waiting for the raw REPL prompt")
            self._at_prompt = True
        self.reader.buffer.clear()  # nothing may stand between ">" and the answer to us

    def _check_idle_input(self):
        """An idle raw REPL sends nothing. Bytes that came since the last cell
        mean the board restarted meanwhile (reset button, a watchdog): its boot
        banner, or a soft reboot's. Get back to the raw REPL and say so."""
        self.reader.poll()
        idle = bytes(self.reader.buffer)
        if shows_a_restart(idle) or SOFT_REBOOT.search(idle):
            self.enter_raw()
            raise BoardRebooted(
                f"{self.port_name} restarted since the last cell (reset button, a "
                "watchdog?): its variables and imports are gone. This cell did not run.",
                port=self.port_name,
            )

    def _send_code(self, data):
        """Upload the code and start it; False if interrupted before it started."""
        if self.use_raw_paste:
            self._write(b"\x05A\x01")  # Ctrl-E, "A", Ctrl-A: ask for raw-paste mode
            answer = self.reader.read_exact(2, self.step_timeout, "asking for raw-paste mode")
            if answer == b"R\x01":  # supported
                return self._paste_code(data)
            if answer != b"R\x00":  # not b"R\x00" (known, not supported): old firmware
                # It took the \x01 as "enter raw REPL" and sent its banner
                # ("ra" so far) and a new prompt.
                self.reader.read_until(BANNER_AND_PROMPT, self.step_timeout, "falling back to the plain raw REPL")
            self.use_raw_paste = False  # do not ask again on this link
        return self._write_plain(data)

    def _paste_code(self, data):
        """Raw-paste upload: the board grants windows of `window` bytes; the two
        header bytes count as the first grant, each \\x01 as one more."""
        header = self.reader.read_exact(2, self.step_timeout, "reading the raw-paste window size")
        window = struct.unpack("<H", header)[0]
        credit, sent = window, 0
        while True:
            if sent:  # (the first window's grant came with the header)
                self.reader.poll()
            while credit == 0 or self.reader.buffer:
                byte = self.reader.read_exact(1, self.step_timeout, "waiting for the board to take more code")
                if byte == b"\x01":  # the board consumed a window
                    credit += window
                elif byte == b"\x04":  # the board stopped reading early
                    return self._board_ended_paste()
                else:
                    raise TransportError(
                        f"{self.port_name} sent {byte!r} during a raw-paste upload", port=self.port_name
                    )
            with self._write_lock:
                if self._interrupted:
                    break  # our Ctrl-C ends the upload on the board: wait for its \x04
                if sent == len(data):
                    self._send(b"\x04")  # Ctrl-D: end of the code
                    break
                piece = data[sent : sent + credit]
                last = sent + len(piece) == len(data)
                # The end-of-code Ctrl-D needs no window: with the last piece
                # it saves a write and a hop through the tty layer. A board
                # that stops early after it (a syntax error) reads it as the
                # host's answer to its own \x04.
                self._send(piece + b"\x04" if last else piece)
            if last:
                break
            credit -= len(piece)
            sent += len(piece)
        # The board acknowledges the end (or a Ctrl-C) with \x04, then runs the code.
        self.reader.read_until(b"\x04", self.step_timeout, "waiting for the board to accept the code")
        return True

    def _board_ended_paste(self):
        """The board sent \\x04 before the end: a syntax error it found while
        compiling, or our Ctrl-C. It discards input until a \\x04 or \\x03; the
        result framing follows."""
        with self._write_lock:
            if not self._interrupted:  # a Ctrl-C already ended its wait
                self._send(b"\x04")
        return True

    def _write_plain(self, data):
        """Plain raw upload, no flow control: pieces with pauses, then Ctrl-D."""
        for start in range(0, len(data), PLAIN_RAW_PIECE):
            with self._write_lock:
                if self._interrupted:
                    return False
                self._send(data[start : start + PLAIN_RAW_PIECE])
            time.sleep(PLAIN_RAW_PAUSE)
        with self._write_lock:
            if self._interrupted:
                return False
            self._send(b"\x04")  # Ctrl-D: compile and run the buffer
        answer = self.reader.read_exact(2, self.step_timeout, 'waiting for "OK"')
        if answer != b"OK":
            raise TransportError(
                f"{self.port_name} answered {answer!r} instead of OK to run the code: "
                "is it still in the raw REPL?",
                port=self.port_name,
            )
        return True

    def _follow(self, on_output, on_error_output):
        """Read until the cell's framing ends. No deadline: the code may run
        quietly for hours; the loop still wakes every read timeout to notice
        a closed link."""
        framing = CellFraming(on_output, on_error_output)
        try:
            while not framing.done:
                if self._reset_request is not None:
                    self._check_hard_reset(framing)
                if self.reader.buffer:
                    used = framing.feed(bytes(self.reader.buffer))
                    del self.reader.buffer[:used]
                else:
                    self.reader.fill()
        except BoardDisconnected as error:
            error.output = framing.result()[0]
            self.in_raw = False
            raise
        output, traceback = framing.result()
        if framing.rebooted:
            self._recover_from_reboot(framing.rebooted, output)
        self._at_prompt = True
        return Result(output, traceback)

    def _check_hard_reset(self, framing):
        """hard_reset() was called during this cell: end it once the outcome is
        known. A link's own reset is certain; after an RTS pulse the board's
        ROM log or banner says it worked (see _recover_from_reboot), silence not."""
        how, since = self._reset_request
        if how == "rts" and time.monotonic() - since < RESET_EVIDENCE_SECONDS:
            return
        with self._write_lock:
            pass  # a reset still going out ends first: the cell ends after it
        self.in_raw = self._at_prompt = False
        if how == "link":
            self.reader.buffer.clear()  # the old run's last bytes
            raise BoardRebooted(f"{self.port_name} {IGNORED_CTRL_C}, so BoardLab reset it: "
                                "its variables and imports are gone.",
                                port=self.port_name, output=framing.result()[0])
        if how is None:
            reason = "and BoardLab has no way to reset it over this link."
        else:
            reason = ("and did not restart when BoardLab pulsed RTS (the reset line of "
                      "ESP boards with an auto-reset circuit).")
        raise BoardStuck(f"{self.port_name} {IGNORED_CTRL_C} {reason} {RESET_IT_YOURSELF}",
                         port=self.port_name, output=framing.result()[0])

    def _recover_from_reboot(self, kind, output):
        """The board restarted instead of finishing the cell. After a soft
        reboot it comes back to the raw REPL by itself; after a hard reset it
        sits in the friendly REPL and the next cell enters the raw REPL again."""
        self.in_raw = self._at_prompt = False
        if kind == "soft":
            try:
                self.reader.read_until(RAW_BANNER, self.step_timeout, "waiting for the raw REPL after a soft reboot")
                self._settle_at_prompt(time.monotonic() + self.step_timeout)
                self.in_raw = True
            except BoardTimeout:
                pass
            reason = "soft-rebooted (sys.exit() or machine.soft_reset()?)"
        elif self._reset_request is not None:
            with self._write_lock:
                pass  # the pulse ends (the levels as they were) before the cell does
            reason = (f"{IGNORED_CTRL_C}, so BoardLab reset it with a pulse on RTS "
                      "(the reset line of ESP boards)")
        else:
            reason = "restarted (reset button, machine.reset(), a watchdog or a crash?)"
        raise BoardRebooted(
            f"{self.port_name} {reason}: its variables and imports are gone.",
            port=self.port_name,
            output=output,
        )
