"""The kernel as a notebook sees it when the board misbehaves: unplugged or
reset mid-cell, or running code that ignores the stop button. A real kernel
process through jupyter_client, on the simulated board behind the
fault-injecting link (tests/faultlink). Each cell ends with an error that
says what happened, and the kernel stays usable."""

import os
import threading
import time

import pytest
import serial
from jupyter_client.manager import start_new_kernel

import faultlink
from boardlab.interpreter.pty import serve_pty
from boardlab.kernel.connection import STOP_AGAIN_SECONDS, STOP_ATTEMPTS, STOP_REPEAT_SECONDS
from kernel_fixtures import execute
from waiting import RunningCell

pytestmark = pytest.mark.timeout(60)

STUBBORN = """\
import time
print('stubborn')
while True:
    try:
        while True:
            time.sleep_ms(20)
    except KeyboardInterrupt:
        pass
"""

COUNTING_CTRL_C = STUBBORN.replace("    except KeyboardInterrupt:\n        pass\n",
                                   "    except KeyboardInterrupt:\n        print('caught')\n")


@pytest.fixture(scope="module")
def kernel(kernelspec):
    env = dict(os.environ, BOARDLAB_BOARD="sim://pico", **faultlink.kernel_environment())
    km, kc = start_new_kernel(kernel_name=kernelspec, env=env, startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def connect(kc, url):
    run = execute(kc, f"%connect {url}")
    assert run.reply["status"] == "ok", run.reply
    return run


def stderr(run):
    return "".join(m["content"]["text"] for m in run.of_type("stream")
                   if m["content"]["name"] == "stderr")


def run_pressing_stop(km, kc, code, again_after=None):
    """Run a cell; the stop button once it printed its first line, and, as a
    user would, again `again_after` seconds after that. (run, first press time)"""
    cell = RunningCell(kc, code)
    cell.wait_for("the cell's first line", lambda: "\n" in cell.stdout())
    pressed = time.monotonic()
    km.interrupt_kernel()
    if again_after is not None:
        time.sleep(again_after)
        km.interrupt_kernel()
    return cell.finish(), pressed


def press_stop(km, *after):
    """A `during` callback: the stop button, `after` seconds into the cell."""
    def during(kc):
        for seconds in after:
            threading.Timer(seconds, km.interrupt_kernel).start()
    return during


def test_a_board_busy_in_main_py(kernel, tmp_path):
    km, kc = kernel
    (tmp_path / "main.py").write_text("while True:\n    print('main.py is busy')\n")
    run = connect(kc, f"sim://pico?flash={tmp_path}")
    assert "Connected to sim://pico" in run.stdout
    assert execute(kc, "print('mine')").stdout == "mine\n"


def test_unplugged_mid_cell(kernel):
    km, kc = kernel
    connect(kc, "fault://pico?vanish_after=0.3&trigger=UNPLUG")
    started = time.monotonic()
    run = execute(kc, "print('working')\n# UNPLUG\nwhile True:\n    pass")
    assert time.monotonic() - started < 0.3 + 5  # not a long timeout's wait
    assert run.stdout == "working\n"
    assert run.reply["ename"] == "BoardDisconnected"
    assert "lost the link" in run.reply["evalue"] and "%connect" in run.reply["evalue"]
    # The board is back (a new link opens): the next cell connects by itself.
    assert execute(kc, "print('back')").stdout == "back\n"
    connect(kc, "sim://pico")
    assert execute(kc, "print(1 + 1)").stdout == "2\n"


def test_reset_mid_cell(kernel):
    km, kc = kernel
    connect(kc, "fault://pico?reset_after=0.3&trigger=RESETME")
    execute(kc, "state = 42")
    run = execute(kc, "print('working')\n# RESETME\nwhile True:\n    pass")
    assert run.stdout.startswith("working\n")
    assert run.reply["ename"] == "BoardRebooted"
    assert "restarted" in run.reply["evalue"]
    assert "variables and imports are gone" in run.reply["evalue"]
    assert execute(kc, "print(state)").reply["ename"] == "NameError"
    assert execute(kc, "print('fresh')").stdout == "fresh\n"


def test_machine_reset_on_the_simulated_board(kernel):
    km, kc = kernel
    connect(kc, "sim://pico")
    run = execute(kc, "import machine\nprint('bye')\nmachine.reset()")
    assert run.reply["ename"] == "BoardRebooted"
    assert "variables and imports are gone" in run.reply["evalue"]
    assert execute(kc, "print('again')").stdout == "again\n"


def test_a_cell_ignoring_ctrl_c_gets_three_then_a_hard_reset(kernel):
    km, kc = kernel
    connect(kc, "fault://pico?reset=link")
    execute(kc, "state = 1")
    run, pressed = run_pressing_stop(km, kc, COUNTING_CTRL_C)
    took = time.monotonic() - pressed
    # three Ctrl-C reached the cell, a second apart, then the reset
    assert run.stdout.count("caught\n") == STOP_ATTEMPTS
    assert STOP_ATTEMPTS * STOP_REPEAT_SECONDS <= took < STOP_ATTEMPTS * STOP_REPEAT_SECONDS + 5
    assert run.stdout.startswith("stubborn\n")
    assert "BoardLab sends it again" in stderr(run)
    assert run.reply["ename"] == "BoardRebooted"
    assert "ignored Ctrl-C" in run.reply["evalue"]
    assert "reset it" in run.reply["evalue"]
    assert "variables and imports are gone" in run.reply["evalue"]
    assert execute(kc, "print(state)").reply["ename"] == "NameError"
    assert execute(kc, "print('ok')").stdout == "ok\n"


def test_the_stop_button_pressed_again_resets_at_once(kernel):
    km, kc = kernel
    connect(kc, "fault://pico?reset=link")
    cell = RunningCell(kc, COUNTING_CTRL_C)
    cell.wait_for_stdout("stubborn\n")
    km.interrupt_kernel()
    cell.wait_for_stdout("caught\n")
    time.sleep(STOP_AGAIN_SECONDS)  # the user's pause: a double click counts once
    km.interrupt_kernel()
    again = time.monotonic()
    run = cell.finish()
    # reset then, before the Ctrl-Cs ran out
    assert run.stdout.count("caught\n") < STOP_ATTEMPTS
    assert time.monotonic() - again < 3
    assert run.reply["ename"] == "BoardRebooted"
    assert execute(kc, "print('ok')").stdout == "ok\n"


def test_a_board_with_no_way_to_reset_is_let_go(kernel):
    km, kc = kernel
    connect(kc, "fault://pico")  # no reset line: a board on a pty, say
    run, _ = run_pressing_stop(km, kc, STUBBORN, again_after=0.7)
    assert run.reply["ename"] == "BoardStuck"
    assert "Press the board's reset button" in run.reply["evalue"]
    assert "let go of the port" in run.reply["evalue"]
    # The port is free; the next cell connects again (here the board is fine).
    assert execute(kc, "print('ok')").stdout == "ok\n"


def test_a_simulated_board_ignoring_ctrl_c(kernel):
    km, kc = kernel
    connect(kc, "sim://pico")
    run, _ = run_pressing_stop(km, kc, STUBBORN, again_after=0.7)
    # The simulated board's link presses its reset button.
    assert run.reply["ename"] == "BoardRebooted"
    assert "reset it" in run.reply["evalue"]
    assert "variables" in run.reply["evalue"]
    assert execute(kc, "print('ok')").stdout == "ok\n"


def test_a_simulated_board_that_cannot_run_here_says_so(kernel):
    # What a user on a platform wasmtime has no build for sees on the first
    # cell: an error that says why and what to do, and real boards still
    # work. fault://?runtime=missing makes the firmware's runtime not load.
    km, kc = kernel
    run = execute(kc, "%connect fault://pico?runtime=missing")
    assert run.reply["status"] == "error"
    assert run.reply["ename"] == "TransportError"
    evalue = run.reply["evalue"]
    assert "the simulated board needs the wasmtime package, which does not load" in evalue
    assert "%connect PORT" in evalue
    connect(kc, "sim://pico")
    assert execute(kc, "print('ok')").stdout == "ok\n"


def test_connect_options_reach_the_link(kernel):
    km, kc = kernel
    # An ESP DevKit's auto-reset wiring: DTR off with RTS on holds it in reset.
    started = time.monotonic()
    run = execute(kc, "%connect fault://pico?reset=rts --dtr off --rts on --wait 1")
    assert time.monotonic() - started < 5  # --wait is the time to find the prompt (not its 10 s)
    assert run.reply["ename"] == "BoardTimeout"
    assert "DTR/RTS" in run.reply["evalue"]
    run = connect(kc, "fault://pico?reset=rts --dtr off --rts off")
    assert "Connected to fault://pico?reset=rts" in run.stdout
    assert execute(kc, "print('running')").stdout == "running\n"


def test_the_stop_button_while_connecting(kernel):
    km, kc = kernel
    started = time.monotonic()
    run = execute(kc, "%connect fault://pico?reset=rts --dtr off --rts on --wait 20",
                  during=press_stop(km, 0.5))
    assert time.monotonic() - started < 0.5 + 3  # not the --wait's 20 s
    assert run.reply["ename"] == "ConnectInterrupted"
    assert "stopped connecting to fault://pico" in run.reply["evalue"]
    connect(kc, "sim://pico")
    assert execute(kc, "print('ok')").stdout == "ok\n"


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_a_port_held_by_another_program(kernel):
    km, kc = kernel
    controller, device = os.openpty()
    path = os.ttyname(device)
    other = serial.Serial(path, exclusive=True)  # a serial monitor, Thonny...
    try:
        run = execute(kc, f"%connect {path}")
        assert run.reply["ename"] == "PortUnavailable"
        assert path in run.reply["evalue"] and "in use by another program" in run.reply["evalue"]
    finally:
        other.close()
        os.close(controller)
        os.close(device)
    connect(kc, "sim://pico")
    assert execute(kc, "print('ok')").stdout == "ok\n"


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_the_next_cell_waits_for_a_port_that_comes_back(kernel, tmp_path):
    """A real Pico's USB port goes away while it resets and comes back a
    moment later: the port is a link to a pty here, removed and made again."""
    km, kc = kernel
    port = tmp_path / "ttyACM0"
    first = serve_pty("sim://pico")
    port.symlink_to(first.path)
    later = []

    def plug_in():
        later.append(serve_pty("sim://pico"))
        port.symlink_to(later[0].path)
    plug_in_later = threading.Timer(1.5, plug_in)

    try:
        connect(kc, str(port))
        cell = RunningCell(kc, "print('working')\nwhile True:\n    pass")
        cell.wait_for_stdout("working\n")
        port.unlink()
        first.stop()
        plug_in_later.start()
        run = cell.finish()
        assert run.reply["ename"] == "BoardDisconnected"
        run = execute(kc, "print('back')")     # at once: the port is not there yet
        assert run.stdout == "back\n", run.reply
    finally:
        plug_in_later.cancel()
        if plug_in_later.is_alive():
            plug_in_later.join()  # the server it starts, to stop it
        for server in later:
            server.stop()
    connect(kc, "sim://pico")


def test_a_port_that_does_not_come_back_is_an_error_after_a_wait(kernel, tmp_path):
    km, kc = kernel
    port = tmp_path / "ttyACM0"
    board = serve_pty("sim://pico")
    port.symlink_to(board.path)

    connect(kc, str(port))
    cell = RunningCell(kc, "print('working')\nwhile True:\n    pass")
    cell.wait_for_stdout("working\n")
    port.unlink()
    board.stop()
    cell.finish()
    run = execute(kc, "print('back')", timeout=30)
    assert run.reply["ename"] == "PortUnavailable"
    assert "no such port" in run.reply["evalue"] and "waited 5 s" in run.reply["evalue"]
    connect(kc, "sim://pico")
