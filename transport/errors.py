"""Errors the transport raises. Each carries what the user needs to act on it."""


class TransportError(Exception):
    """The link to the board failed: it could not be opened, it went silent
    during a protocol step, or it vanished. `port` names the link."""

    def __init__(self, message, port=None):
        super().__init__(message)
        self.port = port


class PortUnavailable(TransportError):
    """The port could not be opened: not there (yet), held by another
    program, not ours to open, or nobody answers at the address."""


class BoardTimeout(TransportError):
    """A protocol step (entering the raw REPL, a soft reset) got no answer in time."""


class BoardDisconnected(TransportError):
    """The port closed under us: the board was unplugged or reset its USB.
    `output` is what the cell printed before, when one was running."""

    output = ""


class BoardRebooted(TransportError):
    """The board restarted while a cell ran (reset button, machine.reset(), watchdog,
    sys.exit()). `output` is what the cell printed before."""

    def __init__(self, message, port=None, output=""):
        super().__init__(message, port)
        self.output = output


class BoardStuck(TransportError):
    """A cell ignored Ctrl-C (it catches KeyboardInterrupt, or
    micropython.kbd_intr(-1) turned Ctrl-C off) and the board could not be
    reset from here. The host stopped following it; the board may still run
    the code. `output` is what the cell printed before."""

    def __init__(self, message, port=None, output=""):
        super().__init__(message, port)
        self.output = output


class BoardExecError(Exception):
    """Code ran on the board and raised. `traceback` is the board's own text;
    `ename` and `evalue` are parsed from its last line."""

    def __init__(self, output, traceback):
        self.output = output
        self.traceback = traceback
        self.ename, self.evalue = parse_exception_line(traceback)
        super().__init__(f"{self.ename}: {self.evalue}" if self.evalue else self.ename)


def parse_exception_line(traceback):
    """`ZeroDivisionError: divide by zero` -> ('ZeroDivisionError', 'divide by zero').

    The last non-blank line of a MicroPython traceback is `Name: message` or a
    bare `Name` (e.g. `KeyboardInterrupt: ` or `StopIteration`)."""
    lines = [line for line in traceback.splitlines() if line.strip()]
    if not lines:
        return "Error", ""
    name, sep, value = lines[-1].partition(":")
    name = name.strip()
    if not sep or " " in name:
        return ("Error", lines[-1].strip()) if " " in name else (name, "")
    return name, value.strip()
