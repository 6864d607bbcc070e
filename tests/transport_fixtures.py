"""Fixtures for the transport's board suite (test_transport_board.py).

Like pyserial's own tests, one suite runs against a PORT:
* by default the simulated board, both as the pyserial URL `sim://pico` and
  served on a real pseudo-terminal (interpreter.pty.serve_pty), so the bytes
  cross a real tty;
* with BOARDLAB_PORT set (e.g. BOARDLAB_PORT=/dev/ttyACM0), a real board only.
"""

import importlib
import os

import pytest
import serial

from boardlab.transport.link import open_link, register_url_handlers
from boardlab.transport.raw_repl import RawRepl
from boardlab.transport.states import State

SIMULATED = "sim://pico"
REAL_PORT = os.environ.get("BOARDLAB_PORT")
BOARD_PORTS = [REAL_PORT] if REAL_PORT else [SIMULATED, "pty"]


def simulated_board_missing():
    """Why sim:// cannot be used yet, or None when it can."""
    register_url_handlers()
    try:
        serial.serial_for_url(SIMULATED, do_not_open=True)
    except Exception as error:  # the simulator is built alongside the transport
        return f"the simulated board is not available ({error})"
    return None


def serve_on_pty():
    """(device path, stop) for the simulated board served on a pty, or a
    skip when interpreter/pty.py is not there yet."""
    try:
        module = importlib.import_module("boardlab.interpreter.pty")
        serve_pty = module.serve_pty
    except (ImportError, AttributeError) as error:
        pytest.skip(f"interpreter.pty.serve_pty is not available ({error})")
    served = serve_pty(SIMULATED)
    return served


@pytest.fixture(scope="module", params=BOARD_PORTS)
def board_port(request):
    """What open_link is given for the board under test."""
    if request.param == "pty":
        reason = simulated_board_missing()
        if reason:
            pytest.skip(reason)
        server = serve_on_pty()
        try:
            yield server.path
        finally:
            server.stop()
        return
    if request.param.startswith("sim://"):
        reason = simulated_board_missing()
        if reason:
            pytest.skip(reason)
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
