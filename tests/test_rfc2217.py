"""A board on another machine: the simulated board served through pyserial's
own RFC 2217 server (serial.rfc2217.PortManager, as in pyserial's
examples/rfc2217_server.py) on 127.0.0.1, reached with rfc2217://127.0.0.1:PORT
through open_link: cells, streaming, the stop button, a hard reset over the
network's control lines, and the kernel's %connect."""

import threading
import time

import pytest
import serial

import faultlink
from boardlab.transport.errors import BoardExecError, BoardRebooted
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl
from faultlink.serve import Rfc2217Server
from kernel_fixtures import execute, start_kernel
from waiting import RunningCell

pytestmark = pytest.mark.timeout(60)


def serving():
    faultlink.register()
    opened = []

    def serve(url, connect=True):
        server = Rfc2217Server(serial.serial_for_url(url))
        opened.append(server)
        if not connect:
            return None, server
        repl = RawRepl(open_link(server.url), port_name=server.url)
        opened.append(repl)
        repl.enter_raw(soft_reset=True)
        return repl, server

    return serve, opened


def stop_serving(opened):
    for thing in reversed(opened):
        if isinstance(thing, RawRepl):
            thing.close()
        else:
            thing.stop()


@pytest.fixture
def served():
    """serve(url) -> (RawRepl over rfc2217://, the server); with
    `connect=False` no client connects (the RawRepl is None)."""
    serve, opened = serving()
    yield serve
    stop_serving(opened)


@pytest.fixture(scope="module")
def pico():
    """The simulated Pico over RFC 2217, one client for the module's tests
    (a pyserial RFC 2217 client takes ~1 s to open and close)."""
    serve, opened = serving()
    repl, _ = serve("sim://pico")
    yield repl
    stop_serving(opened)


def test_a_cell_runs_over_rfc2217(pico):
    repl = pico
    assert repl.exec("import sys\nprint(sys.implementation.name)") == "micropython\n"
    with pytest.raises(BoardExecError, match="ZeroDivisionError"):
        repl.exec("1/0")
    chunks = []
    result = repl.execute("import time\nprint('first')\ntime.sleep(1)\nprint('second')",
                          on_output=lambda text: chunks.append((time.monotonic(), text)))
    assert result.output == "first\nsecond\n"
    text, first_line_at = "", None
    for arrived, chunk in chunks:
        text += chunk
        if first_line_at is None and text.startswith("first\n"):
            first_line_at = arrived
    assert chunks[-1][0] - first_line_at > 0.5  # streamed, not held to the end


def test_large_code_and_output_over_rfc2217(pico):
    repl = pico
    code = "total = 0\n" + "total += 1\n" * 300 + "print(total)\nprint('x' * 20000)"
    assert repl.exec(code) == "300\n" + "x" * 20000 + "\n"


def test_interrupt_over_rfc2217(pico):
    repl = pico
    pressed = []

    def interrupt_once_running(text):
        if not pressed and "started" in text:
            pressed.append(time.monotonic())
            threading.Thread(target=repl.interrupt).start()

    result = repl.execute("n = 0\nprint('started')\nwhile True:\n    n += 1",
                          on_output=interrupt_once_running)
    assert time.monotonic() - pressed[0] < 3
    assert result.traceback.endswith("KeyboardInterrupt: \n")
    assert repl.exec("print(n > 0)") == "True\n"


def test_a_hard_reset_travels_over_rfc2217_control_lines(served):
    # An ESP DevKit on the far machine: RTS/DTR reach its auto-reset circuit
    # through RFC 2217's SET-CONTROL.
    repl, server = served("fault://pico?reset=rts")
    repl.exec("state = 1")

    def stop():
        repl.interrupt()
        repl.hard_reset()

    def stop_once_running(text):
        if "started" in text:
            threading.Thread(target=stop).start()

    with pytest.raises(BoardRebooted, match="pulse on RTS"):
        repl.execute("import micropython\nmicropython.kbd_intr(-1)\nprint('started')\nwhile True:\n    pass",
                     on_output=stop_once_running)
    assert server.link.resets == 1
    with pytest.raises(BoardExecError, match="NameError"):
        repl.exec("print(state)")


def test_the_kernel_connects_over_rfc2217(kernelspec, served):
    _, server = served("sim://pico", connect=False)
    server_url = server.url
    km, kc = start_kernel(kernelspec)
    try:
        run = execute(kc, f"%connect {server_url}")
        assert run.reply["status"] == "ok", run.reply
        assert run.stdout.startswith(f"Connected to {server_url}: MicroPython")
        assert execute(kc, "print(6 * 7)").stdout == "42\n"

        cell = RunningCell(kc, "print('started')\nwhile True:\n    pass")
        cell.wait_for_stdout("started\n")
        km.interrupt_kernel()
        run = cell.finish()
        assert run.reply["ename"] == "KeyboardInterrupt"
        assert execute(kc, "print('still here')").stdout == "still here\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
