"""What real boards do to a host, played by the simulated board behind a
fault-injecting link (`fault://`, tests/faultlink), both as a pyserial URL and
served on a real pseudo-terminal: the transport connects, runs cells, and
never hangs."""

import os
import time
import urllib.parse

import pytest
import serial

import faultlink
from boardlab.transport import raw_repl
from boardlab.transport.errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardStuck,
    BoardTimeout,
    TransportError,
)
from boardlab.transport.link import close_link, open_link
from boardlab.transport.raw_repl import RawRepl
from faultlink.serve import PtyBridge
from transport_fixtures import REAL_PORT
from waiting import Output, Then

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(bool(REAL_PORT), reason="faults are injected into the simulated board"),
]

# A lost link, a reset, a board that cannot be reset: the user sees the cell
# end at once (within a read or two); the margin is for a loaded machine.
PROMPTLY = 2.0

# Cells that ignore Ctrl-C, and say so once it came (then the stop button's
# last resort, the hard reset, is due): one catches KeyboardInterrupt, the
# other turned Ctrl-C off and reads it as a plain byte.
BUSY_IGNORING_CTRL_C = """\
import time
print('stubborn')
while True:
    try:
        while True:
            time.sleep_ms(20)
    except KeyboardInterrupt:
        print('ignored')
"""
CTRL_C_TURNED_OFF = """\
import micropython, sys, time
micropython.kbd_intr(-1)
print('stubborn')
if sys.stdin.read(1) == '\\x03':
    print('ignored')
while True:
    time.sleep_ms(20)
"""


@pytest.fixture(autouse=True)
def fault_links():
    faultlink.register()


class Boards:
    """Opens fault:// boards directly (`via="url"`) or behind a pty (`via="pty"`)
    and closes what it opened."""

    def __init__(self):
        self.opened = []

    def open(self, url, via="url", enter=True, soft_reset=False, timeout=10, **link_options):
        """(repl, fault link) for `url`, in the raw REPL when `enter`.
        `via="sim"` opens the simulated board itself (sim://), no faults."""
        if via == "sim":
            url, via = url.replace("fault://", "sim://"), "url"
        if via == "pty":
            link = serial.serial_for_url(url, **link_options)
            bridge = PtyBridge(link)
            self.opened.append(bridge)
            repl = RawRepl(open_link(bridge.path), port_name=bridge.path)
        else:
            repl = RawRepl(open_link(url, **link_options), port_name=url)
            link = repl.link
        self.opened.append(repl)
        if enter:
            repl.enter_raw(soft_reset=soft_reset, timeout=timeout)
        return repl, link

    def close(self):
        for thing in reversed(self.opened):
            if isinstance(thing, RawRepl):
                thing.close()
            else:
                thing.stop()


@pytest.fixture
def boards():
    opened = Boards()
    yield opened
    opened.close()


BOTH = pytest.mark.parametrize("via", ["url", pytest.param("pty", marks=pytest.mark.skipif(
    os.name != "posix", reason="pseudo-terminals"))])
PTY = pytest.mark.parametrize("via", [pytest.param("pty", marks=pytest.mark.skipif(
    os.name != "posix", reason="pseudo-terminals"))])


def flash_with_main(tmp_path, source):
    (tmp_path / "main.py").write_text(source)
    return urllib.parse.quote(str(tmp_path))


# -- connecting ----------------------------------------------------------------

@pytest.mark.parametrize("via", ["sim", "url", pytest.param("pty", marks=pytest.mark.skipif(
    os.name != "posix", reason="pseudo-terminals"))])
def test_a_board_busy_in_main_py_is_interrupted_on_connect(boards, tmp_path, via):
    flash = flash_with_main(tmp_path, "import time\nwhile True:\n    print('main.py tick')\n"
                                      "    time.sleep_ms(5)\n")
    started = time.monotonic()
    repl, _ = boards.open(f"fault://pico?flash={flash}", via=via, soft_reset=True)
    assert time.monotonic() - started < 5  # at once, not at the 10 s timeout
    assert repl.exec("print('mine')") == "mine\n"


def test_boot_log_and_garbage_before_the_prompt(boards):
    garbage = urllib.parse.quote(b"\xfe\x00\xff boot: rst cause 1\r\n>>> >\r\r\n>")
    repl, _ = boards.open(f"fault://pico?garbage={garbage}", soft_reset=True)
    assert repl.exec("print('clean')") == "clean\n"


def test_ports_that_end_lines_with_cr_cr_lf(boards):
    repl, _ = boards.open("fault://pico?crlf=double", soft_reset=True)
    result = repl.execute("print('a')\nprint('b')\n1/0")
    assert result.output == "a\nb\n"
    assert result.traceback.splitlines()[-1] == "ZeroDivisionError: divide by zero"
    assert "\r" not in result.output + result.traceback


@PTY
@pytest.mark.parametrize("paste", ["no", "old"])
def test_firmware_without_raw_paste(boards, paste, via):
    repl, link = boards.open(f"fault://pico?paste={paste}", via=via)
    code = "total = 0\n" + "total += 1\n" * 200 + "print(total)"  # > 2 kB: several plain pieces
    assert repl.exec(code) == "200\n"
    assert repl.use_raw_paste is False
    assert repl.exec("print('again')") == "again\n"


def test_a_raw_paste_window_of_32_is_respected(boards):
    repl, link = boards.open("fault://pico?window=32")
    code = "total = 0\n" + "total += 1\n" * 200 + "print(total)"
    assert repl.exec(code) == "200\n"
    assert repl.use_raw_paste is True
    assert link.window_violations == 0


@BOTH
def test_an_esp_board_that_resets_when_the_port_opens(boards, via):
    started = time.monotonic()
    repl, _ = boards.open("fault://pico?boot=0.8", via=via, soft_reset=True)
    # Ctrl-A sent again soon (0.8 s of boot, then a retry within a second),
    # not at the 10 s timeout
    assert time.monotonic() - started < 5
    assert repl.exec("print('up')") == "up\n"


def test_the_first_bytes_are_lost(boards):
    repl, link = boards.open("fault://pico?drop_first=3")
    assert link.dropped == b"\r\x03\r"
    assert repl.exec("print('fine')") == "fine\n"


def test_control_lines_holding_an_esp_in_reset_end_in_a_clear_timeout(boards):
    # DTR off, RTS on: EN held low on an ESP DevKit. The wait is bounded.
    started = time.monotonic()
    with pytest.raises(BoardTimeout, match="DTR/RTS"):
        boards.open("fault://pico?reset=rts", timeout=1, dtr=False, rts=True)
    assert time.monotonic() - started < 1 + 3  # the 1 s asked for, not the 10 s default
    repl, _ = boards.open("fault://pico?reset=rts", dtr=False, rts=False)
    assert repl.exec("print('running')") == "running\n"


# -- the board goes away -----------------------------------------------------

@pytest.mark.parametrize("vanish, via", [
    ("error", "url"),  # a USB port: reads fail
    ("eof", "url"),  # a socket: reads return nothing at once
    pytest.param("error", "pty", marks=pytest.mark.skipif(os.name != "posix",
                                                         reason="pseudo-terminals")),
])
def test_the_board_vanishes_mid_cell(boards, vanish, via):
    repl, link = boards.open(f"fault://pico?vanish={vanish}", via=via)
    output = Output()
    unplug = Then(output.printed("working\n"), link.vanish)
    with pytest.raises(BoardDisconnected) as caught:
        repl.execute("print('working')\nwhile True:\n    pass", on_output=output)
    assert time.monotonic() - unplug.at < PROMPTLY
    assert caught.value.output == "working\n"
    with pytest.raises(BoardDisconnected):
        repl.execute("print(1)")  # stays an error, never a hang
    # Plugged back in: a new link works.
    again, _ = boards.open("fault://pico", via=via)
    assert again.exec("print('back')") == "back\n"


@BOTH
def test_the_board_vanishes_between_cells(boards, via):
    repl, link = boards.open("fault://pico", via=via)
    assert repl.exec("print('before')") == "before\n"
    link.vanish()
    started = time.monotonic()
    with pytest.raises(BoardDisconnected):
        repl.execute("print(1)")
    assert time.monotonic() - started < PROMPTLY


@BOTH
def test_the_board_resets_mid_cell(boards, via):
    repl, link = boards.open("fault://pico", via=via)
    repl.exec("state = 42")
    output = Output()
    Then(output.printed("working\n"), link.power_cycle)  # the reset button
    with pytest.raises(BoardRebooted, match="variables and imports are gone") as caught:
        repl.execute("print('working')\nwhile True:\n    pass", on_output=output)
    assert caught.value.output.startswith("working\n")
    with pytest.raises(BoardExecError, match="NameError"):
        repl.exec("print(state)")
    assert repl.exec("print('fresh')") == "fresh\n"


def test_machine_reset_mid_cell(boards):
    repl, _ = boards.open("fault://pico")
    with pytest.raises(BoardRebooted, match="restarted"):
        repl.execute("import machine\nprint('bye')\nmachine.reset()")
    assert repl.exec("print('back')") == "back\n"


@PTY
def test_ctrl_d_and_invalid_utf8_in_output(boards, via):
    repl, _ = boards.open("fault://pico?crlf=double", via=via)
    result = repl.execute("import sys\nsys.stdout.buffer.write(b'a\\x04b\\xff\\xfe c\\n')\n"
                          "print('after')")
    assert result.output == "a\x04b\ufffd\ufffd c\nafter\n"
    assert result.traceback == ""
    assert repl.exec("print('next')") == "next\n"


# -- a cell that ignores Ctrl-C ---------------------------------------------

def stop_stubborn_cell(repl, output):
    """Ctrl-C once the cell runs, and the hard reset once Ctrl-C has visibly
    not worked (the cell printed that it ignored it). The reset's Then."""
    Then(output.printed("stubborn\n"), repl.interrupt)
    return Then(output.printed("ignored\n"), repl.hard_reset)


def assert_a_stubborn_cell_is_ended_by_a_reset(repl, code):
    """The cell ignores Ctrl-C; the hard reset ends it promptly, says why,
    keeps what it printed, and the board comes back fresh."""
    repl.exec("state = 1")
    output = Output()
    reset = stop_stubborn_cell(repl, output)
    with pytest.raises(BoardRebooted, match="ignored Ctrl-C.*reset it.*variables") as caught:
        repl.execute(code, on_output=output)
    assert time.monotonic() - reset.at < PROMPTLY
    assert caught.value.output.startswith("stubborn\nignored\n")
    with pytest.raises(BoardExecError, match="NameError"):
        repl.exec("print(state)")
    assert repl.exec("print('ok')") == "ok\n"


@pytest.mark.parametrize("code", [BUSY_IGNORING_CTRL_C, CTRL_C_TURNED_OFF])
def test_a_cell_that_ignores_ctrl_c_is_ended_by_the_links_reset(boards, code):
    repl, link = boards.open("fault://pico?reset=link")
    assert_a_stubborn_cell_is_ended_by_a_reset(repl, code)
    assert link.resets == 1


@pytest.mark.parametrize("code", [BUSY_IGNORING_CTRL_C, CTRL_C_TURNED_OFF])
def test_a_simulated_board_ignoring_ctrl_c_is_reset_with_its_reset_button(boards, code):
    repl, _ = boards.open("fault://pico", via="sim")  # sim://pico itself
    assert_a_stubborn_cell_is_ended_by_a_reset(repl, code)


def test_a_hard_reset_after_the_cell_has_ended_does_nothing(boards):
    # The stop button's last resort, a moment too late: the cell is over.
    repl, link = boards.open("fault://pico?reset=link")
    repl.exec("state = 1")
    assert repl.hard_reset() is None
    assert link.resets == 0
    assert repl.exec("print(state)") == "1\n"


def test_an_esp_is_reset_with_an_rts_pulse(boards):
    repl, link = boards.open("fault://pico?reset=rts")
    output = Output()
    stop_stubborn_cell(repl, output)
    with pytest.raises(BoardRebooted, match="pulse on RTS") as caught:
        repl.execute(BUSY_IGNORING_CTRL_C, on_output=output)
    assert link.resets == 1
    assert "DOWNLOAD" not in caught.value.output  # IO0 was high: no bootloader
    assert (link.dtr, link.rts) == (True, True)  # the levels as they were
    assert repl.exec("print('ok')") == "ok\n"


def test_an_rts_pulse_that_does_nothing_says_to_press_reset(boards, monkeypatch):
    # A native USB board (a Pico) on a serial port: RTS reaches no reset line.
    monkeypatch.setattr(raw_repl, "RESET_EVIDENCE_SECONDS", 0.5)
    repl, link = boards.open("fault://pico?reset=unwired")
    output = Output()
    reset = stop_stubborn_cell(repl, output)
    with pytest.raises(BoardStuck, match="did not restart.*Press the board's reset button"):
        repl.execute(BUSY_IGNORING_CTRL_C, on_output=output)
    # the board's silence after the pulse waited out, then said at once
    took = time.monotonic() - reset.at
    assert raw_repl.RESET_EVIDENCE_SECONDS <= took < raw_repl.RESET_EVIDENCE_SECONDS + PROMPTLY


@PTY
def test_a_board_with_no_way_to_reset_says_to_press_reset(boards, via):
    # reset=none, and a pty has no control lines at all.
    repl, _ = boards.open("fault://pico", via=via)
    output = Output()
    reset = stop_stubborn_cell(repl, output)
    with pytest.raises(BoardStuck, match="no way to reset it.*Press the board's reset button") \
            as caught:
        repl.execute(BUSY_IGNORING_CTRL_C, on_output=output)
    assert time.monotonic() - reset.at < PROMPTLY
    assert caught.value.output.startswith("stubborn\nignored\n")


# -- the port ---------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_a_port_held_by_another_program():
    controller, device = os.openpty()
    path = os.ttyname(device)
    other = serial.Serial(path, exclusive=True)  # e.g. a serial monitor
    try:
        with pytest.raises(TransportError, match="in use by another program") as caught:
            open_link(path)
        assert path in str(caught.value) and caught.value.port == path
        other.close()  # the other program lets go: now it opens
        close_link(open_link(path))
    finally:
        other.close()
        os.close(controller)
        os.close(device)
