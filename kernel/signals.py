"""Signals from the board to the kernel, inside the board's output.

A board has one byte stream. Code the kernel puts on the board tells the
kernel something by printing `ESC ] boardlab-KIND ; PAYLOAD BEL`, an
OSC-style sequence no program prints by chance; the kernel takes it out of
the output. Two kinds: `input` (input() waits for a line, see stdin.py) and
`value` (the value of a cell's last expression, see cell_value.py).
"""

PREFIX = "\x1b]boardlab-"
END = "\x07"


def board_print(kind, expression):
    """MicroPython that prints the signal `kind` carrying str(expression)."""
    return f"print('\\x1b]boardlab-{kind};' + {expression} + '\\x07', end='')"


class SignalScanner:
    """Splits the board's output into text and signals. A signal cut between
    two reads is held back until the rest arrives."""

    def __init__(self):
        self._held = ""

    def feed(self, text):
        """-> a list of ("text", text) and (kind, payload), in order."""
        text = self._held + text
        self._held = ""
        events = []
        while True:
            start = text.find(PREFIX)
            if start < 0:
                break
            end = text.find(END, start + len(PREFIX))
            if end < 0:
                text, self._held = text[:start], text[start:]
                break
            kind, _, payload = text[start + len(PREFIX):end].partition(";")
            events.append(("text", text[:start]))
            events.append((kind, payload))
            text = text[end + len(END):]
        if not self._held:
            for size in range(min(len(PREFIX) - 1, len(text)), 0, -1):
                if text.endswith(PREFIX[:size]):
                    text, self._held = text[:-size], text[-size:]
                    break
        events.append(("text", text))
        return [(kind, value) for kind, value in events if kind != "text" or value]

    def close(self):
        """What is held back, when the cell has ended: it was plain text."""
        held, self._held = self._held, ""
        return held
