"""The host side of MicroPython's raw REPL (see docs raw-repl.md).

`RawRepl` enters the raw REPL, sends a cell's code (raw-paste mode when the
firmware has it, plain raw writes otherwise), follows the output as it arrives,
and interrupts, soft-resets or hard-resets the board. One thread runs cells;
`interrupt()`, `hard_reset()` and `close()` may be called from another.
Where the client and the board stand is one `State` (states.py); every
change of it goes through `RawRepl._move`.

Control bytes, host to board:
  Ctrl-A \\x01  enter the raw REPL (while raw: drop the buffer, show the banner)
  Ctrl-B \\x02  leave the raw REPL for the friendly one
  Ctrl-C \\x03  interrupt the running code (KeyboardInterrupt); idle: clear the buffer
  Ctrl-D \\x04  run the buffer; on an empty buffer: soft reset
  Ctrl-E \\x05  with "A\\x01": ask for raw-paste mode
"""

import ast
import contextlib
import re
import threading
import time
from dataclasses import dataclass

import serial

from .errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardStuck,
    BoardTimeout,
    TransportError,
)
from .framing import CellFraming, shows_a_restart
from .link import READ_POLL_SECONDS, close_link, pulse_reset_line
from .reader import LinkReader
from .states import AFTER_HARD_RESET, BUSY, CELL_RUNS, FINAL, TRANSITIONS, State
from .upload import paste_code, write_plain

# Ctrl-A to Ctrl-D: bytes the raw REPL obeys, which a cell's code may not hold.
_RAW_REPL_CONTROLS = re.compile(rb"[\x01-\x04]")
# "raw REPL; CTRL-B to exit\r\n": some ports send "\r\r\n" (their stdout turns
# every "\n" into "\r\n", including the one after a "\r").
RAW_BANNER = re.compile(rb"raw REPL; CTRL-B to exit\r*\n")
# "MPY: soft reboot\r\n" on current firmware, "soft reboot\r\n" on older.
SOFT_REBOOT = re.compile(rb"soft reboot\r*\n")
# The tail of the banner that old firmware sends when it takes raw-paste's
# "\x05A\x01" for a plain "enter raw REPL".
BANNER_AND_PROMPT = re.compile(rb"CTRL-B to exit\r*\n>")

# One attempt to enter the raw REPL waits 0.5 s for the banner, doubling up
# to 2 s: a board that hears us answers in milliseconds, a Ctrl-A lost while an
# ESP board reboots on port open (~1 s) is soon sent again.
ENTER_FIRST_ATTEMPT_SECONDS = 0.5
ENTER_ATTEMPT_SECONDS = 2.0

# How long after a pulse on RTS (link.pulse_reset_line) the board may take to
# show it restarted (an ESP32's ROM log comes within milliseconds; native USB
# boards ignore RTS).
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
        self.link = link  # a Link (link.py): pyserial's calls and the abilities it declares
        self.port_name = port_name or link.port or "the board"
        # Protocol steps (a prompt, a raw-paste window) have this deadline;
        # running code has none: a quiet cell may take as long as it likes.
        self.step_timeout = step_timeout
        timeout = link.timeout
        if not timeout or timeout > 0.2:  # None blocks for ever, 0 would spin
            link.timeout = READ_POLL_SECONDS  # short reads: see reader.py
        self.reader = LinkReader(link, self.port_name)
        self.use_raw_paste = True  # until the firmware says it has not got it
        self._paste_window = None  # the raw-paste window this raw REPL granted (see _send_code)
        self.state = State.UNKNOWN
        # Guards `state` and every write, so that a step and the bytes that
        # make it go out together; notified at every step.
        self._lock = threading.Condition()
        self._lost = None  # the BoardDisconnected that made the state LOST
        # How the last hard_reset() went out ("link", "rts" or None) and
        # when: what REBOOTING waits for.
        self._reset_by = None
        self._reset_at = 0.0

    # -- the state -------------------------------------------------------

    def _move(self, new, send=None):
        """The one way the state changes: a step that TRANSITIONS allows,
        and the bytes that make it, sent under the same lock."""
        with self._lock:
            if new not in TRANSITIONS[self.state]:
                if self.state in FINAL:
                    raise self._gone()
                raise RuntimeError(f"the raw REPL client has no step from "
                                   f"{self.state.name} to {new.name}")
            if send is not None:
                self._send(send)
            self.state = new
            self._lock.notify_all()

    def _gone(self):
        """The error for a call once the link is lost or closed."""
        if self.state is State.LOST:
            return BoardDisconnected(str(self._lost), port=self.port_name)
        return self.reader.disconnected()

    @contextlib.contextmanager
    def _operation(self):
        """One call of the thread that runs cells. When it fails, the state
        says where that leaves the board: a failed link is LOST; a step broken
        off half-way leaves it UNKNOWN (the next call enters the raw REPL
        again); an error raised from a settled state (a reboot seen, a board
        stuck) keeps the state it set."""
        try:
            yield
        except BaseException as error:
            with self._lock:
                if self.state in FINAL:
                    pass
                elif isinstance(error, BoardDisconnected):
                    self._lost = error
                    self._move(State.LOST)
                elif self.state in BUSY:
                    self._move(State.UNKNOWN)
            raise

    # -- writing ---------------------------------------------------------

    def _send(self, data):
        """Write; the caller holds the lock."""
        if self.state in FINAL:
            raise self._gone()
        try:
            self.link.write(data)
        except serial.SerialTimeoutException as error:
            raise BoardTimeout(
                f"{self.port_name} stopped accepting input", port=self.port_name
            ) from error
        except (serial.SerialException, OSError, TypeError, AttributeError) as error:
            raise self.reader.disconnected(error) from error

    def _write(self, data):
        with self._lock:
            self._send(data)

    # -- entering, resetting, leaving ------------------------------------

    def enter_raw(self, soft_reset=False, timeout=10):
        """Stop whatever runs and get to the raw REPL's prompt.

        Retries within `timeout`: an ESP board with an auto-reset circuit
        reboots when the port opens and loses the first bytes in its ROM boot
        log; a board busy in main.py may need the interrupt repeated."""
        with self._operation():
            deadline = time.monotonic() + timeout
            self._move(State.ENTERING)
            self._paste_window = None  # asked anew: the board may have other firmware now
            attempt = 0
            while True:
                # Ctrl-C twice, each after "\r" so it lands on an empty line (on
                # a non-empty friendly-REPL line control bytes edit the line).
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
            self._move(State.RAW_IDLE)
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

    def soft_reset(self, timeout=10):
        """Restart the board's VM (all variables gone); returns what boot.py printed."""
        with self._operation():
            if self.state is not State.RAW_IDLE:
                self.enter_raw(timeout=timeout)
            return self._soft_reset(timeout)

    def _soft_reset(self, timeout):
        self._take_idle_input()
        self._move(State.SOFT_RESETTING, send=b"\x04")  # Ctrl-D on an empty raw buffer
        self.reader.read_until(SOFT_REBOOT, timeout, "soft-resetting")
        # boot.py runs between "soft reboot" and the raw REPL banner again.
        boot = self.reader.read_until(RAW_BANNER, timeout, "waiting for the raw REPL after a soft reset")
        boot_output = RAW_BANNER.sub(b"", boot).decode("utf-8", "replace").replace("\r\n", "\n")
        self._settle_at_prompt(time.monotonic() + timeout)
        self._move(State.RAW_IDLE)
        return boot_output

    def exit_raw(self):
        """From the raw REPL's prompt back to the friendly REPL (">>> ")."""
        self._move(State.FRIENDLY, send=b"\r\x02")  # Ctrl-B: leave the raw REPL

    def close(self):
        """Leave the raw REPL if the board waits at its prompt (while code
        runs, Ctrl-B would be the code's stdin), and close the link. May be
        called from another thread: a running execute() then raises
        BoardDisconnected."""
        with self._lock:
            if self.state is State.CLOSED:
                return
            if self.state is State.RAW_IDLE:
                with contextlib.suppress(TransportError):
                    self.exit_raw()
            self._move(State.CLOSED)
            self.reader.closing = True
        self._wake_reader()
        close_link(self.link)

    def interrupt(self):
        """Ctrl-C to the board; safe to call from another thread while
        execute() runs. A cell's code stops going out, and the cell ends
        through the normal framing with the board's KeyboardInterrupt
        traceback. Outside a cell the Ctrl-C is all."""
        with self._lock:
            if self.state in (State.PASTING, State.RUNNING):
                self._move(State.INTERRUPTING, send=b"\x03")  # KeyboardInterrupt in the code
            else:
                self._send(b"\x03")

    def hard_reset(self):
        """Restart the board under a cell that ignores Ctrl-C (call it while
        execute() follows the cell; outside a cell it does nothing). The
        cell ends with BoardRebooted, or BoardStuck (no way to reset it over
        this link, or no sign it did). Returns how: "link" (the link's own
        `hard_reset()`, e.g. a simulated board's), "rts" (a pulse on ESP
        boards' reset line), or None."""
        with self._lock:
            if self.state not in CELL_RUNS:
                return None
            self._move(State.RESETTING)
        how = None
        try:
            if self.link.hard_reset():
                how = "link"
            elif self.link.has_control_lines:
                pulse_reset_line(self.link)
                how = "rts"
        except (serial.SerialException, OSError, ValueError, AttributeError):
            how = None  # a pty refuses the levels; the link went meanwhile
        finally:
            with self._lock:
                self._reset_by, self._reset_at = how, time.monotonic()
                if self.state is State.RESETTING:  # else the cell ended meanwhile
                    self._move(State.REBOOTING if how else State.STUCK)
        self._wake_reader()  # the cell thread sees the outcome now, not at its next read timeout
        return how

    def _wake_reader(self):
        """End a read the cell thread is blocked in, so that it looks at the state."""
        with contextlib.suppress(serial.SerialException, OSError):
            self.link.cancel_read()

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
        if _RAW_REPL_CONTROLS.search(data):
            forbidden = sorted({byte for byte in data if 1 <= byte <= 4})
            raise ValueError(
                "the code contains the control byte(s) "
                + ", ".join(f"\\x{byte:02x}" for byte in forbidden)
                + ", which the raw REPL would obey; write them as escapes in strings"
            )
        with self._operation():
            if self.state is not State.RAW_IDLE:
                self.enter_raw()
            self._take_idle_input()
            self._move(State.PASTING)
            if not self._send_code(data):
                # Ctrl-C reached the board before the code was complete: the
                # board dropped its buffer and waits at the raw prompt.
                self._move(State.RAW_IDLE)
                return Result("", "KeyboardInterrupt: interrupted before the code reached the board\n")
            return self._follow(on_output, on_error_output)

    def exec(self, code):
        """Run `code`; return its output, or raise BoardExecError."""
        result = self.execute(code)
        if result.traceback:
            raise BoardExecError(result.output, result.traceback)
        return result.output

    def eval(self, expression):
        """The value of a MicroPython expression whose repr is a Python literal."""
        return ast.literal_eval(self.exec(f"print(repr({expression}))").strip())

    def _take_idle_input(self):
        """An idle raw REPL sends nothing. Bytes that came since the last cell
        mean the board restarted meanwhile (reset button, a watchdog): its boot
        banner, or a soft reboot's. Get back to the raw REPL and say so. Other
        bytes go: nothing may stand between ">" and the answer to us."""
        self.reader.poll()
        idle = bytes(self.reader.buffer)
        self.reader.buffer.clear()
        if shows_a_restart(idle) or SOFT_REBOOT.search(idle):
            self.enter_raw()
            raise BoardRebooted(
                f"{self.port_name} restarted since the last cell (reset button, a "
                "watchdog?): its variables and imports are gone. This cell did not run.",
                port=self.port_name,
            )

    def _send_code(self, data):
        """Upload the code and start it; False if interrupted before it started.

        Once this raw REPL has granted a raw-paste window, the next request
        carries the code's first window with it (and its Ctrl-D, when that is
        all of it): the board would grant that window anyway, and most cells
        then take one round trip instead of two."""
        if self.use_raw_paste:
            request = b"\x05A\x01"  # Ctrl-E, "A", Ctrl-A: ask for raw-paste mode
            ahead = data[:self._paste_window] if self._paste_window else b""
            if ahead:
                if not self._send_piece(request + ahead, last=len(ahead) == len(data)):
                    return False
            else:
                self._write(request)
            answer = self.reader.read_exact(2, self.step_timeout, "asking for raw-paste mode")
            if answer == b"R\x01":  # supported
                self._paste_window = paste_code(self.reader, data, self._send_piece,
                                                self.step_timeout, self.port_name, sent=len(ahead))
                return True
            if ahead:
                self._paste_window = None
                raise TransportError(
                    f"{self.port_name} answered {answer!r} to the raw-paste request it accepted "
                    "before (new firmware?). The cell's code went with the request: whether it "
                    "ran is not known. The next cell enters the raw REPL anew.",
                    port=self.port_name)
            if answer != b"R\x00":  # not b"R\x00" (known, not supported): old firmware
                # It took the \x01 as "enter raw REPL" and sent its banner
                # ("ra" so far) and a new prompt.
                self.reader.read_until(BANNER_AND_PROMPT, self.step_timeout, "falling back to the plain raw REPL")
            self.use_raw_paste = False  # do not ask again on this link
        return write_plain(self.reader, data, self._send_piece, self.step_timeout, self.port_name)

    def _send_piece(self, piece, last):
        """Send a piece of the code, with the end-of-code Ctrl-D when `last`
        (the code is then complete: RUNNING). False, and nothing sent, once
        interrupt() has stopped the upload."""
        with self._lock:
            if self.state is State.INTERRUPTING:
                return False
            if last:
                self._move(State.RUNNING, send=piece + b"\x04")  # Ctrl-D: run the code
            else:
                self._send(piece)
            return True

    def _follow(self, on_output, on_error_output):
        """Read until the cell's framing ends. No deadline: the code may run
        quietly for hours; the loop still wakes every read timeout to notice
        a closed link, or a hard reset (the state, read without the lock)."""
        framing = CellFraming(on_output, on_error_output)
        try:
            while not framing.done:
                if self.state in AFTER_HARD_RESET:
                    self._end_after_hard_reset(framing)
                if self.reader.buffer:
                    used = framing.feed(bytes(self.reader.buffer))
                    del self.reader.buffer[:used]
                else:
                    self.reader.gather()
            output, traceback = framing.result()
            if framing.rebooted:
                self._end_after_reboot(framing.rebooted, output)
            with self._lock:
                self._wait_out_reset()  # the restart it causes shows at the next cell
                self._move(State.RAW_IDLE)
        except BoardDisconnected as error:
            error.output = framing.result()[0]
            raise
        return Result(output, traceback)

    def _wait_out_reset(self):
        """(With the lock held.) A hard reset still going out ends first, the
        levels on DTR and RTS as they were: the cell ends after it."""
        while self.state is State.RESETTING:
            self._lock.wait()

    def _end_after_hard_reset(self, framing):
        """hard_reset() was called during this cell: end it once the outcome is
        known. A link's own reset is certain; after an RTS pulse the board's
        ROM log or banner says it worked (see _end_after_reboot), silence not."""
        with self._lock:
            self._wait_out_reset()
            state, how = self.state, self._reset_by
            if state is State.REBOOTING and how == "rts" \
                    and time.monotonic() - self._reset_at < RESET_EVIDENCE_SECONDS:
                return  # the framing may yet see the board restart
            if state is State.REBOOTING and how == "link":
                self.reader.buffer.clear()  # the old run's last bytes
                self._move(State.FRIENDLY)
            elif state in (State.REBOOTING, State.STUCK):
                self._move(State.UNKNOWN)  # the board may still run the code
            else:
                return  # closed meanwhile: the next read says so
        output = framing.result()[0]
        if how == "link":
            raise BoardRebooted(f"{self.port_name} {IGNORED_CTRL_C}, so BoardLab reset it: "
                                "its variables and imports are gone.",
                                port=self.port_name, output=output)
        if how is None:
            reason = "and BoardLab has no way to reset it over this link."
        else:
            reason = ("and did not restart when BoardLab pulsed RTS (the reset line of "
                      "ESP boards with an auto-reset circuit).")
        raise BoardStuck(f"{self.port_name} {IGNORED_CTRL_C} {reason} {RESET_IT_YOURSELF}",
                         port=self.port_name, output=output)

    def _end_after_reboot(self, kind, output):
        """The board restarted instead of finishing the cell. After a soft
        reboot it comes back to the raw REPL by itself; after a hard reset it
        sits in the friendly REPL and the next cell enters the raw REPL again."""
        with self._lock:
            self._wait_out_reset()
            if self.state is State.REBOOTING:
                reason = f"{IGNORED_CTRL_C}, so BoardLab reset it"
                if self._reset_by == "rts":
                    reason += " with a pulse on RTS (the reset line of ESP boards)"
                self._move(State.FRIENDLY)
            elif kind == "soft":
                reason = "soft-rebooted (sys.exit() or machine.soft_reset()?)"
                self._move(State.SOFT_RESETTING)
            else:
                reason = "restarted (reset button, machine.reset(), a watchdog or a crash?)"
                self._move(State.FRIENDLY)
        if self.state is State.SOFT_RESETTING:
            try:
                self.reader.read_until(RAW_BANNER, self.step_timeout, "waiting for the raw REPL after a soft reboot")
                self._settle_at_prompt(time.monotonic() + self.step_timeout)
                self._move(State.RAW_IDLE)
            except BoardTimeout:
                self._move(State.UNKNOWN)
        raise BoardRebooted(
            f"{self.port_name} {reason}: its variables and imports are gone.",
            port=self.port_name,
            output=output,
        )
