"""Fixtures for the transport's board suite (test_transport_board.py).

Like pyserial's own tests, one suite runs against a PORT:
* by default the simulated board, both as the pyserial URL `sim://pico` and
  served on a real pseudo-terminal (interpreter.pty.serve_pty), so the bytes
  cross a real tty;
* with BOARDLAB_PORT set (e.g. BOARDLAB_PORT=/dev/ttyACM0), a real board only.
"""

import os

import pytest

from boardlab.interpreter import serve_pty
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl
from boardlab.transport.states import State

SIMULATED = "sim://pico"
REAL_PORT = os.environ.get("BOARDLAB_PORT")
PTY = pytest.param("pty", marks=pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals"))
BOARD_PORTS = [REAL_PORT] if REAL_PORT else [SIMULATED, PTY]


def serve_on_pty():
    """The simulated board served on a pty: PtyServer(path, stop)."""
    return serve_pty(SIMULATED)


@pytest.fixture(scope="module", params=BOARD_PORTS)
def board_port(request):
    """What open_link is given for the board under test."""
    if request.param == "pty":
        server = serve_on_pty()
        try:
            yield server.path
        finally:
            server.stop()
        return
    yield request.param


@pytest.fixture(scope="module")
def shared_board_repl(board_port):
    """A RawRepl on the board under test, shared by a module's tests; the
    board is soft-reset once on entry."""
    link = open_link(board_port)
    repl = RawRepl(link, port_name=board_port)
    try:
        repl.enter_raw(soft_reset=True)
        yield repl
    finally:
        repl.close()


@pytest.fixture
def board_repl(shared_board_repl):
    """The shared RawRepl, in the raw REPL, with raw-paste allowed."""
    repl = shared_board_repl
    if repl.state is not State.RAW_IDLE:
        repl.enter_raw()
    repl.use_raw_paste = True
    yield repl
