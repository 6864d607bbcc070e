"""A board that vanishes mid-cell ends the cell with BoardDisconnected within
seconds, on the simulated board both as sim:// and on a pty."""

import time

import pytest

from boardlab.transport.errors import BoardDisconnected
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl
from transport_fixtures import REAL_PORT, serve_on_pty
from waiting import Output, Then

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(bool(REAL_PORT), reason="unplugs the simulated board"),
]

BUSY = "print('running')\nwhile True:\n    pass"
# "Within seconds": the margin of a loaded machine over a read or two.
PROMPTLY = 2.0


def run_until_unplugged(repl, unplug):
    """The cell, unplugged once it printed that it runs."""
    output = Output()
    unplugged = Then(output.printed("running\n"), unplug)
    with pytest.raises(BoardDisconnected) as caught:
        repl.execute(BUSY, on_output=output)
    assert time.monotonic() - unplugged.at < PROMPTLY
    assert caught.value.output == "running\n"
    with pytest.raises(BoardDisconnected):
        repl.execute("print(1)")  # stays an error, never a hang
    return caught.value


def test_simulated_board_powered_off_mid_cell():
    link = open_link("sim://pico")
    repl = RawRepl(link, port_name="sim://pico")
    repl.enter_raw()
    try:
        error = run_until_unplugged(repl, link.board.close)
        assert error.port == "sim://pico"
    finally:
        repl.close()


def test_pty_closed_mid_cell():
    server = serve_on_pty()
    link = open_link(server.path)
    repl = RawRepl(link, port_name=server.path)
    repl.enter_raw()
    try:
        error = run_until_unplugged(repl, server.stop)
        assert server.path in str(error)
    finally:
        repl.close()
        server.stop()


def test_closing_the_repl_from_another_thread_mid_cell():
    link = open_link("sim://pico")
    repl = RawRepl(link, port_name="sim://pico")
    repl.enter_raw()
    output = Output()
    Then(output.printed("running\n"), repl.close)
    with pytest.raises(BoardDisconnected, match="closed") as caught:
        repl.execute(BUSY, on_output=output)
    assert caught.value.output == "running\n"
