"""The transport through a real pseudo-terminal, with the scripted board on
the far side: the OS tty layer must pass every control byte unchanged, and a
far end that goes away (an unplugged board) must end the cell with
BoardDisconnected, not a hang."""

import os
import select
import threading
import time

import pytest
import serial

from boardlab.transport.errors import BoardDisconnected
from boardlab.transport.link import close_link, open_link
from boardlab.transport.raw_repl import RawRepl
from transport_fakeboard import Disconnect, FakeBoard, Sleep, WaitFor, WaitForInterrupt, frame
from waiting import Output, Then

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")


class PtyPump:
    """Serve a FakeBoard on a pty: bytes the host writes to the device go to
    the board, the board's answers go back. Closing the controller side is
    what an unplugged USB board looks like to the host."""

    def __init__(self, board):
        self.board = board
        self.controller, self.device = os.openpty()
        self.path = os.ttyname(self.device)
        self.running = True
        self.threads = [threading.Thread(target=self._to_board, daemon=True),
                        threading.Thread(target=self._to_host, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _to_board(self):
        while self.running:
            try:
                ready, _, _ = select.select([self.controller], [], [], 0.05)
            except (OSError, ValueError):
                return  # unplugged meanwhile: the controller is closed
            if not ready:
                continue
            try:
                data = os.read(self.controller, 4096)
            except OSError:
                data = b""  # no host has the device open (yet)
            if data:
                try:
                    self.board.write(data)
                except serial.SerialException:
                    return  # the board has gone (Disconnect)
            else:
                time.sleep(0.01)  # no host holds the device: reads end at once, do not spin

    def _to_host(self):
        while self.running:
            try:
                data = self.board.read(4096)
            except serial.SerialException:
                self.unplug()
                return
            if data:
                try:
                    os.write(self.controller, data)
                except OSError:
                    return  # unplugged meanwhile

    def unplug(self):
        if self.running:
            self.running = False
            os.close(self.controller)

    def stop(self):
        self.unplug()
        for thread in self.threads:
            thread.join(1)
        os.close(self.device)


@pytest.fixture
def over_pty():
    served = []

    def serve(**options):
        board = FakeBoard(**options)
        pump = PtyPump(board)
        link = open_link(pump.path)
        repl = RawRepl(link, port_name=pump.path)
        served.append((pump, repl))
        repl.enter_raw()
        return board, pump, repl

    yield serve
    for pump, repl in served:
        repl.close()
        pump.stop()


def test_control_and_8bit_bytes_cross_the_tty(over_pty):
    answer = [b"\x00\x03\x11\x13\x1a\x7f\xff\r\n", *frame()]
    board, pump, repl = over_pty(scripts={"x": answer})
    assert repl.execute("x").output == "\x00\x03\x11\x13\x1a\x7f\ufffd\n"
    assert board.written.startswith(b"\r\x03\r\x03")  # not eaten as a signal


def test_raw_paste_over_the_tty(over_pty):
    code = "a = 1\n" * 500
    board, pump, repl = over_pty(window=32, scripts={code: frame(b"ok\r\n")})
    assert repl.execute(code).output == "ok\n"
    assert board.window_violations == 0


def test_interrupt_over_the_tty(over_pty):
    busy = WaitForInterrupt()
    board, pump, repl = over_pty(scripts={"x": [b"busy\r\n", busy]})
    output = Output()
    Then(output.printed("busy\n"), repl.interrupt)
    assert repl.execute("x", on_output=output).traceback.endswith("KeyboardInterrupt: \n")
    assert busy.interrupted  # the Ctrl-C crossed the tty


def test_unplugged_mid_cell(over_pty):
    output = Output()
    unplugged = Disconnect()
    board, pump, repl = over_pty(scripts={"x": [b"tick\r\n", WaitFor(output.printed("tick\n")),
                                                unplugged]})
    with pytest.raises(BoardDisconnected, match=pump.path) as caught:
        repl.execute("x", on_output=output)
    assert time.monotonic() - unplugged.at < 2  # at once, as a user sees it, on a loaded machine
    assert caught.value.output == "tick\n"
    with pytest.raises(BoardDisconnected):  # and it stays an error, not a hang
        repl.execute("x")


def test_a_quiet_cell_on_a_tty_is_not_a_disconnect(over_pty):
    # quiet for 0.6 s at least, whatever the load: several of the reader's polls
    board, pump, repl = over_pty(scripts={"x": [Sleep(0.6), *frame(b"done\r\n")]})
    assert repl.execute("x").output == "done\n"
