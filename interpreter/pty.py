"""A simulated board on a pseudo-terminal, for tools that open a serial device
path (mpremote, Thonny, rshell, picocom):

    path, stop = serve_pty("pico", time="virtual")     # or serve_pty("sim://pico?time=virtual")
    # mpremote connect /dev/pts/7 exec "print(1)"
    stop()

The result also has attributes: `.path`, `.stop`, `.board`.

The slave side is put in raw mode (no echo, no line-ending translation), and
the server keeps its own slave fd open so that clients can come and go: the
board keeps running between connections, as a real one does on its USB port.
The board's thread writes its output to the pty itself (no hand-off to a
thread: the pty's throughput is the board's); with no client reading, it
waits once the pty holds ~12 kB.
"""

import os
import select
import threading
import tty
from typing import Callable, NamedTuple

from boardlab.boards import get_board

from .board import Board

_CHUNK = 4096


class PtyServer(NamedTuple):
    path: str                  # the pty's slave device, e.g. /dev/pts/7
    stop: Callable[[], None]   # power the board off and close the pty

    @property
    def board(self):
        return self.stop.board


def serve_pty(board_name="pico", **options):
    """Start a board behind a new pty. Returns PtyServer(path, stop); stop()
    powers the board off and closes the pty. `board_name` is a board ("pico")
    or a sim:// URL; `options` are Board's: flash=DIR, time="real"|"virtual", seed=N."""
    if "://" in board_name:
        from .urlhandler.protocol_sim import parse_url
        board_name, url_options = parse_url(board_name)
        options = {**url_options, **options}
    board = Board(get_board(board_name), **options)
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    path = os.ttyname(slave)
    wake_r, wake_w = os.pipe()
    stopping = threading.Event()

    def host_to_board():
        while not stopping.is_set():
            readable, _, _ = select.select([master, wake_r], [], [])
            if wake_r in readable:
                return
            try:
                data = os.read(master, _CHUNK)
            except BlockingIOError:
                continue
            except OSError:
                return
            board.console.host_write(data)

    def board_to_host(data):
        """The board's output, written by the board's own thread: it waits
        while the pty is full (no client reads), as a board waits on a full
        USB endpoint. False once the server stops."""
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(master, view):]
            except BlockingIOError:
                readable, _, _ = select.select([wake_r], [master], [])
                if wake_r in readable:
                    return False
            except OSError:
                return False
        return True

    board.console.host_sink = board_to_host
    reader = threading.Thread(target=host_to_board, name="boardlab-pty-host_to_board", daemon=True)
    board.start()
    reader.start()

    def stop():
        if stopping.is_set():
            return
        stopping.set()
        os.write(wake_w, b"x")
        board.close()
        reader.join(2)
        for fd in (master, slave, wake_r, wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    stop.board = board
    return PtyServer(path, stop)
