"""Sending a cell's code to the raw REPL (see docs raw-repl.md, section 3).

Raw-paste mode, when the firmware has it, is flow-controlled: the board
grants windows of bytes and compiles while it receives. Older firmware takes
plain raw writes, with no flow control at all. Either way the code ends with
Ctrl-D, which starts it.

Both functions write through `send(piece, last)`, which RawRepl gives them:
it sends `piece` (with the end-of-code Ctrl-D when `last`) and returns True,
or sends nothing and returns False once an interrupt() has stopped the
upload. So a Ctrl-C from another thread never has code bytes after it.
"""

import struct
import time

from .errors import TransportError

PLAIN_RAW_PIECE = 256  # bytes per write without flow control ...
PLAIN_RAW_PAUSE = 0.01  # ... and the pause after each, or small boards lose bytes


def paste_code(reader, data, send, timeout, port_name, sent=0):
    """Raw-paste upload, after the board's "R\\x01": the board grants windows
    of `window` bytes; the two header bytes count as the first grant, each
    \\x01 as one more. `sent`: how much of `data` went out with the request
    (at most a window; with its Ctrl-D when that was all). `timeout` bounds
    each wait for the board. Returns the window."""
    header = reader.read_exact(2, timeout, "reading the raw-paste window size")
    window = struct.unpack("<H", header)[0]
    credit = window - sent
    complete = 0 < sent == len(data)  # the request carried all of the code
    while not complete:
        if sent:  # (the first window's grant came with the header)
            reader.poll()
        while credit == 0 or reader.buffer:
            byte = reader.read_exact(1, timeout, "waiting for the board to take more code")
            if byte == b"\x01":  # the board consumed a window
                credit += window
            elif byte == b"\x04":
                # The board stopped reading early: a syntax error it found
                # while compiling, or our Ctrl-C. It discards input until a
                # \x04 or \x03 (our Ctrl-C, if that was it, already ended its
                # wait: send then sends nothing); the result framing follows.
                send(b"", last=True)
                return window
            else:
                raise TransportError(f"{port_name} sent {byte!r} during a raw-paste upload",
                                     port=port_name)
        piece = data[sent : sent + credit]
        last = sent + len(piece) == len(data)
        # The end-of-code Ctrl-D needs no window: with the last piece it
        # saves a write and a hop through the tty layer. A board that stops
        # early after it (a syntax error) reads it as the host's answer to
        # its own \x04.
        if not send(piece, last) or last:
            break  # (after our Ctrl-C, the board ends the upload: its \x04 comes)
        credit -= len(piece)
        sent += len(piece)
    # The board acknowledges the end (or a Ctrl-C) with \x04, then runs the code.
    reader.read_until(b"\x04", timeout, "waiting for the board to accept the code")
    return window


def write_plain(reader, data, send, timeout, port_name):
    """Plain raw upload, no flow control: pieces with pauses, then Ctrl-D.
    False when interrupted before the code was complete (the board's
    Ctrl-C dropped what it had)."""
    for start in range(0, len(data), PLAIN_RAW_PIECE):
        if not send(data[start : start + PLAIN_RAW_PIECE], last=False):
            return False
        time.sleep(PLAIN_RAW_PAUSE)
    if not send(b"", last=True):
        return False
    answer = reader.read_exact(2, timeout, 'waiting for "OK"')
    if answer != b"OK":
        raise TransportError(
            f"{port_name} answered {answer!r} instead of OK to run the code: "
            "is it still in the raw REPL?",
            port=port_name,
        )
    return True
