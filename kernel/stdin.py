"""input() on the board, answered in the notebook.

A board has one byte stream and no way to say "I am waiting for a line". So
at connect, and after every reset, the kernel installs a small `input()` on
the board (builtins can be overridden on rp2 and esp32 firmware) that first
prints the signal `input` carrying the prompt (see signals.py), then reads a
line from stdin. The kernel takes the signal out of the output, asks the
frontend for the line (Jupyter's input_request), and writes it to the
board's stdin.
"""

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
