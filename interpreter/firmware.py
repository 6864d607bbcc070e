"""The MicroPython build the simulated boards pretend to run."""

VERSION = (1, 29, 0, "")
VERSION_TEXT = "1.29.0"
DATE = "2026-08-29"
PYTHON_COMPAT = "3.4.0"      # MicroPython reports the Python language level it follows
MPY_ABI = 6                  # .mpy version byte mpy-cross 1.29 writes


def banner(board):
    """The friendly REPL's first line (without the line ending)."""
    return f"MicroPython v{VERSION_TEXT} on {DATE}; {board.machine}"


def uname_version(board):
    return f"v{VERSION_TEXT} on {DATE}"
