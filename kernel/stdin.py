"""input() on the board, answered in the notebook.

A board has one byte stream and no way to say "I am waiting for a line". So
at connect, and after every reset, the kernel installs a small `input()` on
the board (builtins can be overridden on rp2 and esp32 firmware) that first
prints an escape sequence carrying the prompt, then reads a line from stdin.
The kernel takes the sequence out of the output, asks the frontend for the
line (Jupyter's input_request), and writes it to the board's stdin.
"""

MARKER = "\x1b]boardlab-input;"  # an OSC-style sequence no program prints by chance
END = "\x07"

# Installed on the board; binds no names in the user's globals.
HELPER = """\
def _boardlab_input(prompt=''):
    import sys
    sys.stdout.write('\\x1b]boardlab-input;' + str(prompt) + '\\x07')
    line = ''
    while True:
        c = sys.stdin.read(1)
        if c == '\\r' or c == '\\n':
            return line
        line += c
import builtins
builtins.input = _boardlab_input
del _boardlab_input, builtins
"""

NO_STDIN = ("input() on the board needs a frontend that can ask for a line, and this "
            "one cannot (nbval, nbclient and `boardlab run` cannot): put the value "
            "in the code instead.")


class InputScanner:
    """Splits the board's output into text and input requests. A sequence cut
    between two reads is held back until the rest arrives."""

    def __init__(self):
        self._held = ""

    def feed(self, text):
        """-> a list of ("text", text) and ("input", prompt), in order."""
        text = self._held + text
        self._held = ""
        events = []
        while True:
            start = text.find(MARKER)
            if start < 0:
                break
            end = text.find(END, start + len(MARKER))
            if end < 0:
                text, self._held = text[:start], text[start:]
                break
            events.append(("text", text[:start]))
            events.append(("input", text[start + len(MARKER):end]))
            text = text[end + len(END):]
        if not self._held:
            for size in range(min(len(MARKER) - 1, len(text)), 0, -1):
                if text.endswith(MARKER[:size]):
                    text, self._held = text[:-size], text[-size:]
                    break
        events.append(("text", text))
        return [(kind, value) for kind, value in events if kind == "input" or value]

    def close(self):
        """What is held back, when the cell has ended: it was plain text."""
        held, self._held = self._held, ""
        return held
