"""A simulated board on a pseudo-terminal, for tools that open a serial device
path (mpremote, Thonny, rshell, picocom):

    path, stop = serve_pty("pico", time="virtual")     # or serve_pty("sim://pico?time=virtual")
    # mpremote connect /dev/pts/7 exec "print(1)"
    stop()

The result also has attributes: `.path`, `.stop`, `.board`.

The slave side is put in raw mode (no echo, no line-ending translation), and
the server keeps its own slave fd open so that clients can come and go: the
board keeps running between connections, as a real one does on its USB port.
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

    def board_to_host():
        while not stopping.is_set():
            data = board.console.host_read_some()
            while data and not stopping.is_set():
                _, writable, _ = select.select([wake_r], [master], [])
                if master not in writable:
                    return
                try:
                    data = data[os.write(master, data):]
                except BlockingIOError:
                    continue
                except OSError:
                    return
            if board.console.closed:
                return

    threads = [threading.Thread(target=pump, name=f"boardlab-pty-{pump.__name__}", daemon=True)
               for pump in (host_to_board, board_to_host)]
    board.start()
    for thread in threads:
        thread.start()

    def stop():
        if stopping.is_set():
            return
        stopping.set()
        os.write(wake_w, b"x")
        board.close()
        for thread in threads:
            thread.join(2)
        for fd in (master, slave, wake_r, wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    stop.board = board
    return PtyServer(path, stop)
