"""input() on the board, answered in the notebook.

A board has one byte stream and no way to say "I am waiting for a line". So
at connect, and after every reset, the kernel installs a small `input()` on
the board (builtins can be overridden on rp2 and esp32 firmware) that first
prints the signal `input` carrying the prompt (see signals.py), then reads a
line from stdin. The kernel takes the signal out of the output, asks the
frontend for the line (Jupyter's input_request), and writes it to the
board's stdin.

The frontend is asked through Jupyter's stdin channel with jupyter_client's
Session: an input_request routed to the frontend that sent the cell (its
identity, which ipykernel hands the kernel in set_parent), answered by an
input_reply. Stopping the cell ends the wait, so a stopped input() leaves
nothing waiting on the channel for the next one's answer.
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
        if c == '\\x04' and not line:
            raise EOFError
        line += c
import builtins
builtins.input = _boardlab_input
del _boardlab_input, builtins
"""

NO_STDIN = ("input() on the board needs a frontend that can ask for a line, and this "
            "one cannot (nbval, nbclient and `boardlab run` cannot): put the value "
            "in the code instead.")

# What a frontend answers for end of input (Ctrl-D in `jupyter console`); sent
# on to the board, where input() then raises EOFError, as MicroPython's does.
EOF = "\x04"


class FrontendInput:
    """Asks a frontend for a line on Jupyter's stdin channel.

    ask() blocks (run it in a thread) and runs one at a time: a zmq socket
    is used by one thread at once, so each wait ends before the next ask."""

    POLL_MS = 50  # how soon a wait notices it was stopped

    def __init__(self, session, socket, log):
        self.session, self.socket, self.log = session, socket, log

    def ask(self, prompt, parent, route, stop):
        """The line the user typed for `prompt` (EOF for end of input), or
        None once `stop` is set. `parent` is the cell's request; `route` the
        identity of the frontend that sent it."""
        # An answer to a box that was stopped must not answer this one.
        while self.socket.poll(0):
            self.socket.recv_multipart()
        self.session.send(self.socket, "input_request", {"prompt": prompt, "password": False},
                          parent=parent, ident=route)
        while not stop.is_set():
            if not self.socket.poll(self.POLL_MS):
                continue
            try:
                _, reply = self.session.recv(self.socket)
            except Exception:
                self.log.warning("A message on the stdin channel that is not an input_reply",
                                 exc_info=True)
                continue
            if reply is not None and reply["msg_type"] == "input_reply":
                return str(reply["content"].get("value", ""))
        return None
