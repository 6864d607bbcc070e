"""Line input with echo, as MicroPython's shared/readline does it: the friendly
REPL's `>>> ` line and `input()` on the board.

Echo and redraw follow the firmware byte for byte for the keys handled here:
printable characters, backspace (`\\b\\x1b[K`), left/right/home/end, history
(up/down), Enter (`\\r\\n`; a bare `\\n` is ignored, as on the board), tab
after whitespace (four spaces), and auto-indent of continuation lines.
Ctrl-A..Ctrl-E on an empty line, and Ctrl-C always, end the line and are
returned to the caller. Tab completion of names is not done.
"""

CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = 1, 2, 3, 4, 5
HISTORY_SIZE = 8

_NONE, _ESC, _ESC_BRACKET, _ESC_BRACKET_DIGIT, _ESC_O = range(5)


class LineEditor:
    def __init__(self, getc, write):
        self._getc = getc          # -> one byte (int), blocking
        self._write = write        # bytes -> None
        self.history = []          # most recent first
        self._auto_indent_enabled = True
        self._just_indented = False

    def readline(self, line, prompt):
        """Edit `line` (a bytearray; its current content is kept as earlier
        lines). Returns 0 on Enter, or the control character that ended input."""
        self._line = line
        self._orig = len(line)
        self._cursor = len(line)
        self._esc = _NONE
        self._esc_digit = 0
        self._hist = -1
        self._write(prompt)
        if not line:
            self._auto_indent_enabled = True
        self._just_indented = False
        self._auto_indent()
        while True:
            result = self._process(self._getc())
            if result >= 0:
                return result

    # ---- one byte -----------------------------------------------------

    def _process(self, c):
        line = self._line
        last_len = len(line)
        back = forward = 0
        redraw = False
        if self._esc == _NONE:
            if CTRL_A <= c <= CTRL_E and len(line) == self._orig:
                return c
            if c == CTRL_A:
                back = self._cursor - self._orig
            elif c == CTRL_C:
                return c
            elif c == CTRL_E:
                forward = len(line) - self._cursor
            elif c == 13:
                self._write(b"\r\n")
                self._push_history(bytes(line[self._orig:]))
                return 0
            elif c == 27:
                self._esc = _ESC
            elif c in (8, 127):
                if self._cursor > self._orig:
                    typed = line[self._orig:self._cursor]
                    n = 4 if len(typed) >= 4 and not typed.strip(b" ") else 1
                    del line[self._cursor - n:self._cursor]
                    back, redraw = n, True
            elif self._just_indented and c in (9, 32):
                # typing your own indent after an auto-indent replaces it
                self._auto_indent_enabled = False
                if c == 32:
                    back = 3
                    del line[-3:]
                    redraw = True
            elif c == 9:
                if len(line) and line[self._cursor - 1:self._cursor].isspace():
                    line[self._cursor:self._cursor] = b"    "
                    redraw, forward = True, 4
            elif 32 <= c <= 126 or c >= 128:
                line.insert(self._cursor, c)
                redraw, forward = True, 1
        elif self._esc == _ESC:
            self._esc = {ord("["): _ESC_BRACKET, ord("O"): _ESC_O}.get(c, _NONE)
        elif self._esc == _ESC_BRACKET:
            if 48 <= c <= 57:
                self._esc, self._esc_digit = _ESC_BRACKET_DIGIT, c
            else:
                self._esc = _NONE
                if c == ord("A"):
                    back, redraw, forward = self._history_step(+1)
                elif c == ord("B"):
                    back, redraw, forward = self._history_step(-1)
                elif c == ord("C") and self._cursor < len(line):
                    forward = 1
                elif c == ord("D") and self._cursor > self._orig:
                    back = 1
                elif c == ord("H"):
                    back = self._cursor - self._orig
                elif c == ord("F"):
                    forward = len(line) - self._cursor
        elif self._esc == _ESC_BRACKET_DIGIT:
            self._esc = _NONE
            if c == ord("~"):
                if self._esc_digit in (ord("1"), ord("7")):
                    back = self._cursor - self._orig
                elif self._esc_digit in (ord("4"), ord("8")):
                    forward = len(line) - self._cursor
                elif self._esc_digit == ord("3") and self._cursor < len(line):
                    del line[self._cursor]
                    redraw = True
        else:  # _ESC_O
            self._esc = _NONE
            if c == ord("H"):
                back = self._cursor - self._orig
            elif c == ord("F"):
                forward = len(line) - self._cursor
        self._redraw(last_len, back, redraw, forward)
        self._just_indented = False
        return -1

    def _redraw(self, last_len, back, from_cursor, forward):
        line = self._line
        if back > 0:
            self._move_back(back)
            self._cursor -= back
        if from_cursor:
            out = b"\x1b[K" if len(line) < last_len else b""
            self._write(out + bytes(line[self._cursor:]))
            self._move_back(len(line) - (self._cursor + forward))
            self._cursor += forward
        elif forward > 0:
            self._write(bytes(line[self._cursor:self._cursor + forward]))
            self._cursor += forward

    def _move_back(self, n):
        if n <= 0:
            return
        self._write(b"\b" * n if n <= 4 else f"\x1b[{n}D".encode())

    # ---- history and auto-indent --------------------------------------

    def _history_step(self, step):
        target = self._hist + step
        if step > 0 and target >= min(len(self.history), HISTORY_SIZE):
            return 0, False, 0
        if step < 0 and self._hist < 0:
            return 0, False, 0
        self._hist = target
        back = self._cursor - self._orig
        del self._line[self._orig:]
        if target >= 0:
            self._line += self.history[target]
        return back, True, len(self._line) - self._orig

    def _push_history(self, text):
        if text and (not self.history or self.history[0] != text):
            self.history.insert(0, text)
            del self.history[HISTORY_SIZE:]

    def _auto_indent(self):
        line = self._line
        if not self._auto_indent_enabled or len(line) < 2 or line[-1] != 10:
            return
        start = line.rfind(b"\n", 0, len(line) - 1) + 1     # start of the previous line
        first = start
        while first < len(line) and line[first] == 32:
            first += 1
        if start > 0 and first + 1 == len(line):
            # the previous line is all spaces: stop indenting after two of them
            before = line.rfind(b"\n", 0, start - 1) + 1
            if not line[before:start - 1].strip(b" "):
                return
        n = (first - start) // 4 + (1 if line[-2] == ord(":") else 0)
        if n:
            line += b"    " * n
            self._write(b"    " * n)
            self._cursor = len(line)
            self._just_indented = True


def _starts_with_word(text, word):
    if not text.startswith(word):
        return False
    after = text[len(word):len(word) + 1]
    return not after or not (after.isalnum() or after == b"_" or after[0] >= 0x80)


def continue_with_input(text):
    """MicroPython's rule (py/repl.c) for whether the friendly REPL needs
    another line: an open bracket or triple quote, a trailing backslash, or a
    compound statement not yet ended by an empty line."""
    if not text:
        return False
    compound = text.startswith(b"@") or any(
        _starts_with_word(text, word)
        for word in (b"if", b"while", b"for", b"try", b"with", b"def", b"class", b"async"))
    paren = brack = brace = 0
    quote = None
    i, n = 0, len(text)
    while i < n:
        c = text[i:i + 1]
        if c in (b"'", b'"'):
            triple = c * 3
            if quote in (None, triple) and text[i:i + 3] == triple:
                quote = None if quote == triple else triple
                i += 2
            elif quote in (None, c):
                quote = None if quote == c else c
        elif c == b"\\" and text[i + 1:i + 2] in (b"'", b'"', b"\\"):
            if quote is not None:
                i += 1
        elif quote is None:
            if c == b"(":
                paren += 1
            elif c == b")":
                paren -= 1
            elif c == b"[":
                brack += 1
            elif c == b"]":
                brack -= 1
            elif c == b"{":
                brace += 1
            elif c == b"}":
                brace -= 1
        i += 1
    if quote in (b"'''", b'"""'):
        return True
    if (paren > 0 or brack > 0 or brace > 0) and quote is None:
        return True
    if text.endswith(b"\\"):
        return True
    return compound and not text.endswith(b"\n")
