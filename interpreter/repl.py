"""The REPL server: what the board says on the wire (docs/raw-repl.md, sections
1-5), following MicroPython's shared/runtime/pyexec.c.

It runs in the board's CPU thread. Each `*_repl()` method returns when the
mode changes (0) or a soft reset is due (FORCED_EXIT), like pyexec's loops.
"""

import re

from . import firmware
from .readline import CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E, LineEditor, continue_with_input

FORCED_EXIT = "forced exit"
FRIENDLY, RAW = "friendly", "raw"

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
PASTE_BANNER = b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
# Raw-paste flow control: the board's stdin buffer is 256 bytes; the host may
# send one window (half of it) per \x01 it receives.
RAW_PASTE_WINDOW = 128

_RAW_CONTROL = re.compile(rb"[\x01-\x04]")
_PASTE_END = re.compile(rb"[\x03\x04]")


class Repl:
    def __init__(self, board):
        self.board = board
        self._console = board.console
        self._ahead = bytearray()       # bytes read from the console, not yet used
        self.editor = LineEditor(self._getc, board.write_bytes)

    # ---- input -----------------------------------------------------------

    def _fill(self):
        if not self._ahead:
            self._ahead += self._console.board_read_some()

    def _getc(self):
        self._fill()
        c = self._ahead[0]
        del self._ahead[0]
        return c

    def _take_run(self, pattern, limit=None):
        """Bytes up to the next one matching `pattern` (at most `limit`)."""
        self._fill()
        end = len(self._ahead) if limit is None else min(limit, len(self._ahead))
        match = pattern.search(self._ahead, 0, end)
        if match:
            end = match.start()
        run = bytes(self._ahead[:end])
        del self._ahead[:end]
        return run

    def give_back(self):
        """Bytes read ahead go back to the console before code runs: they are
        that code's stdin, or the REPL's input after it."""
        self._console.board_unread(self._ahead)
        self._ahead.clear()

    def _execute(self, source, **how):
        return self.board.execute(source, **how)   # which gives back read-ahead bytes first

    # ---- friendly REPL ---------------------------------------------------

    def banner(self):
        self.board.write_bytes(
            firmware.banner(self.board.definition).encode()
            + b'\r\nType "help()" for more information.\r\n')

    def friendly_repl(self):
        write = self.board.write_bytes
        self.banner()
        while True:
            line = bytearray()
            ret = self.editor.readline(line, b">>> ")
            repl = True
            if ret == CTRL_A:
                write(b"\r\n")
                self.board.mode = RAW
                return 0
            if ret == CTRL_B:
                write(b"\r\n")
                self.banner()
                continue
            if ret == CTRL_C:
                write(b"\r\n")
                continue
            if ret == CTRL_D:
                write(b"\r\n")
                return FORCED_EXIT
            if ret == CTRL_E:
                if not self._paste_mode(line):
                    continue
                repl = False
            elif not line:
                continue
            elif not self._continuation_lines(line):
                continue
            if self._execute(bytes(line), repl=repl) == FORCED_EXIT:
                return FORCED_EXIT

    def _continuation_lines(self, line):
        """Read `... ` lines while the input is incomplete. False if cancelled."""
        while continue_with_input(line):
            line += b"\n"
            ret = self.editor.readline(line, b"... ")
            if ret == CTRL_C:
                self.board.write_bytes(b"\r\n")
                return False
            if ret == CTRL_D:
                break
        return True

    def _paste_mode(self, line):
        """Ctrl-E: echo everything, run it as a file on Ctrl-D. False if cancelled."""
        write = self.board.write_bytes
        write(PASTE_BANNER)
        del line[:]
        while True:
            c = self._getc()
            if c == CTRL_C:
                write(b"\r\n")
                return False
            if c == CTRL_D:
                write(b"\r\n")
                return True
            line.append(c)
            write(b"\r\n=== " if c == 13 else bytes((c,)))

    # ---- raw REPL --------------------------------------------------------

    def raw_repl(self):
        write = self.board.write_bytes
        write(RAW_BANNER)
        while True:
            write(b">")
            line = bytearray()
            while True:
                run = self._take_run(_RAW_CONTROL)
                if run:
                    line += run
                    continue
                c = self._getc()
                if c == CTRL_A:
                    if len(line) == 2 and line[0] == CTRL_E:
                        if self._raw_paste(line[1]) == FORCED_EXIT:
                            return FORCED_EXIT
                        del line[:]
                        write(b">")
                        continue
                    write(RAW_BANNER + b">")
                    del line[:]
                elif c == CTRL_B:
                    write(b"\r\n")
                    self.board.mode = FRIENDLY
                    return 0
                elif c == CTRL_C:
                    del line[:]
                elif c == CTRL_D:
                    break
            write(b"OK")
            if not line:
                write(b"\r\n")
                return FORCED_EXIT
            if self._execute(bytes(line), framed=True) == FORCED_EXIT:
                return FORCED_EXIT

    def _raw_paste(self, command):
        """`\\x05A\\x01` was received: take the code with flow control, then run it."""
        write = self.board.write_bytes
        if command != ord("A"):
            write(b"R\x00")
            return 0
        write(b"R\x01" + RAW_PASTE_WINDOW.to_bytes(2, "little") + b"\x01")
        source = bytearray()
        remain = RAW_PASTE_WINDOW
        while True:
            run = self._take_run(_PASTE_END, remain)
            if run:
                source += run
                remain -= len(run)
                if remain == 0:
                    write(b"\x01")
                    remain = RAW_PASTE_WINDOW
                continue
            c = self._getc()
            write(b"\x04")          # end of data, as the board sees it
            if c == CTRL_C:
                # The reader raises KeyboardInterrupt before anything runs.
                write(b"\x04KeyboardInterrupt: \r\n\x04")
                return 0
            break
        return self._execute(bytes(source), framed=True)
