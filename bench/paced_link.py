"""A serial line at a real line rate, in software: a relay between a board's
pseudo-terminal and a second pseudo-terminal that passes bytes no faster than
`bytes_per_second` in each direction (115200 baud, 8N1: 11520 bytes/s).

    board = serve_pty("sim://pico")
    line = PacedLink(board.path)          # line.path: e.g. /dev/pts/9
    # mpremote connect /dev/pts/9 ...; open_link(line.path) ...
    line.close()

The simulated board's own pty is as fast as memory; a real board's UART (or a
USB-UART bridge) is not, and that is where a transfer protocol's encoding and
round trips show. Writers meet back-pressure as on a real port: the relay
reads only as fast as it sends, so the pty's buffer fills and writes block.
"""

import os
import select
import threading
import time
import tty

LINE_RATE = 11520  # bytes/s: 115200 baud, 10 bits a byte (start, 8 data, stop)
PIECE = 16  # bytes sent at once: ~1.4 ms of line time at 115200 baud


class PacedLink:
    def __init__(self, board_path, bytes_per_second=LINE_RATE):
        self.rate = bytes_per_second
        self.board = os.open(board_path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.board)
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line-ending translation
        # Our own slave fd stays open so clients can come and go without the
        # master seeing a hang-up (as interpreter/pty.py does).
        self.path = os.ttyname(self.slave)
        for fd in (self.board, self.master):
            os.set_blocking(fd, False)
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.master, self.board), daemon=True,
                             name="paced-host-to-board"),
            threading.Thread(target=self._pump, args=(self.board, self.master), daemon=True,
                             name="paced-board-to-host"),
        ]
        for thread in self._threads:
            thread.start()

    def _pump(self, source, target):
        line_free_at = time.monotonic()  # when the last byte sent has left the line
        while not self._stopping.is_set():
            readable, _, _ = select.select([source, self._wake_r], [], [])
            if self._wake_r in readable:
                return
            try:
                data = os.read(source, 256)
            except BlockingIOError:
                continue
            except OSError:
                time.sleep(0.01)  # no client on the slave yet
                continue
            for start in range(0, len(data), PIECE):
                piece = data[start:start + PIECE]
                now = time.monotonic()
                line_free_at = max(line_free_at, now)  # an idle line saves up no time
                if line_free_at > now:
                    time.sleep(line_free_at - now)
                if not self._write_all(target, piece):
                    return
                line_free_at += len(piece) / self.rate

    def _write_all(self, fd, data):
        while data:
            if self._stopping.is_set():
                return False
            try:
                data = data[os.write(fd, data):]
            except BlockingIOError:
                select.select([self._wake_r], [fd], [], 0.1)
            except OSError:
                return False
        return True

    def close(self):
        if self._stopping.is_set():
            return
        self._stopping.set()
        os.write(self._wake_w, b"x")
        for thread in self._threads:
            thread.join(2)
        for fd in (self.board, self.master, self.slave, self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
