"""The simulated board's REPL, byte for byte on the wire: MicroPython's own
pyexec.c (friendly REPL, paste mode, raw REPL, raw-paste), as a board sends it."""

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_available, read_until, sim_link
from conftest import banner

BANNER = banner()
RAW = b"raw REPL; CTRL-B to exit\r\n>"


@pytest.fixture
def link():
    with sim_link(read_banner=False) as link:
        yield link


@pytest.fixture
def raw(link):
    """The board in the raw REPL, the banner read (overrides conftest's)."""
    read_until(link, b">>> ")
    enter_raw(link)
    return link


# ---- friendly REPL ------------------------------------------------------

def test_power_on_prints_the_banner_and_prompt(link):
    assert read_until(link, b">>> ") == BANNER + b">>> "


def test_a_typed_line_is_echoed_and_its_value_printed(link):
    read_until(link, b">>> ")
    link.write(b"1 + 2\r")
    assert read_until(link, b">>> ") == b"1 + 2\r\n3\r\n>>> "
    link.write(b"print('a\\nb')\r")
    assert read_until(link, b">>> ") == b"print('a\\nb')\r\na\r\nb\r\n>>> "


def test_friendly_control_keys(link):
    read_until(link, b">>> ")
    link.write(b"\x03")
    assert read_until(link, b">>> ") == b"\r\n>>> "
    link.write(b"abc\x03")                      # Ctrl-C cancels a non-empty line too
    assert read_until(link, b">>> ") == b"abc\r\n>>> "
    link.write(b"\x02")
    assert read_until(link, b">>> ") == b"\r\n" + BANNER + b">>> "
    link.write(b"\x01")
    assert read_until(link, RAW) == b"\r\n" + RAW


def test_compound_statement_needs_continuation_lines(link):
    read_until(link, b">>> ")
    # Auto-indent, as firmware: after `print(i)` the board offers the same
    # indent twice, then an empty line ends the block.
    link.write(b"for i in range(2):\rprint(i)\r\r\r\r")
    assert read_until(link, b">>> ") == (
        b"for i in range(2):\r\n...     print(i)\r\n...     \r\n...     \r\n... \r\n0\r\n1\r\n>>> ")


def test_backspace_erases_like_firmware(link):
    read_until(link, b">>> ")
    link.write(b"12\x7f3\r")
    assert read_until(link, b">>> ") == b"12\b\x1b[K3\r\n13\r\n>>> "


def test_paste_mode_echoes_and_runs_the_block(link):
    read_until(link, b">>> ")
    link.write(b"\x05")
    assert read_until(link, b"=== ") == b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
    link.write(b"x = 5\rprint(x * 2)\x04")
    assert read_until(link, b">>> ") == b"x = 5\r\n=== print(x * 2)\r\n10\r\n>>> "


def test_friendly_ctrl_d_soft_resets(link):
    read_until(link, b">>> ")
    link.write(b"\x04")
    assert read_until(link, b">>> ") == b"\r\nMPY: soft reboot\r\n" + BANNER + b">>> "


def test_friendly_traceback_has_no_framing(link):
    read_until(link, b">>> ")
    link.write(b"1/0\r")
    assert read_until(link, b">>> ") == (
        b"1/0\r\nTraceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
        b"ZeroDivisionError: divide by zero\r\n>>> ")


# ---- raw REPL -----------------------------------------------------------

def test_raw_run_frames_output(raw):
    raw.write(b"print(123)\x04")
    assert read_until(raw, b"\x04>") == b"OK123\r\n\x04\x04>"


def test_raw_error_framing(raw):
    raw.write(b"1/0\x04")
    assert read_until(raw, b"\x04>") == (
        b"OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n"
        b"ZeroDivisionError: divide by zero\r\n\x04>")


def test_raw_does_not_echo_and_keeps_8bit_bytes(raw):
    raw.write("print('h\u00e9')".encode() + b"\x04")
    assert read_until(raw, b"\x04>") == "OKh\u00e9\r\n\x04\x04>".encode()


def test_raw_ctrl_c_idle_clears_the_buffer_silently(raw):
    raw.write(b"print(1)\x03print(2)\x04")
    assert read_until(raw, b"\x04>") == b"OK2\r\n\x04\x04>"


def test_raw_ctrl_a_again_resends_the_banner(raw):
    raw.write(b"junk\x01")
    assert read_until(raw, RAW) == RAW
    raw.write(b"print(7)\x04")
    assert read_until(raw, b"\x04>") == b"OK7\r\n\x04\x04>"


def test_raw_ctrl_b_back_to_friendly(raw):
    raw.write(b"\x02")
    assert read_until(raw, b">>> ") == b"\r\n" + BANNER + b">>> "


def test_raw_empty_ctrl_d_soft_resets_and_stays_raw(raw):
    raw_exec(raw, "marker = 1")
    raw.write(b"\x04")
    assert read_until(raw, RAW) == b"OK\r\nMPY: soft reboot\r\n" + RAW
    out, err = raw_exec(raw, "print(marker)")
    assert err.endswith("NameError: name 'marker' isn't defined\r\n")


@pytest.mark.parametrize("code", ["import sys\nsys.exit()", "import machine\nmachine.soft_reset()"])
def test_exit_in_code_soft_resets_without_prompt(raw, code):
    raw.write(code.encode() + b"\x04")
    assert read_until(raw, RAW) == b"OK\x04\x04MPY: soft reboot\r\n" + RAW


def test_globals_persist_between_raw_runs(raw):
    raw_exec(raw, "x = 41")
    assert raw_exec(raw, "print(x + 1)") == ("42\r\n", "")


# ---- raw-paste ----------------------------------------------------------

def test_raw_paste_flow_control_and_framing(raw):
    raw.write(b"\x05A\x01")
    assert raw.read(5) == b"R\x01\x80\x00\x01"      # window 128, first window granted
    code = b"x = 0\n" + b"x += 1\n" * 43 + b"print(x)\n"   # 316 bytes: two windows consumed
    assert len(code) == 316
    raw.write(code)
    assert read_until(raw, b"\x01\x01") == b"\x01\x01"
    raw.write(b"\x04")
    assert read_until(raw, b"\x04>") == b"\x0443\r\n\x04\x04>"
    assert read_available(raw, 0.05) == b""


def test_raw_paste_syntax_error(raw):
    raw.write(b"\x05A\x01")
    raw.read(5)
    raw.write(b"x = (\n\x04")
    assert read_until(raw, b"\x04>") == (
        b"\x04\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 2\r\n"
        b"SyntaxError: invalid syntax\r\n\x04>")


def test_raw_paste_ctrl_c_cancels_the_upload(raw):
    raw.write(b"\x05A\x01")
    raw.read(5)
    raw.write(b"print('never')\x03")
    assert read_until(raw, b"\x04>") == b"\x04\x04KeyboardInterrupt: \r\n\x04>"
    raw.write(b"print(1)\x04")
    assert read_until(raw, b"\x04>") == b"OK1\r\n\x04\x04>"


def test_raw_paste_unknown_command_is_refused(raw):
    raw.write(b"\x05B\x01")
    assert raw.read(2) == b"R\x00"
    assert raw.read(1) == b">"


# ---- stdin while code runs ----------------------------------------------

def test_running_code_reads_stdin(raw):
    raw.write(b"import sys\nprint(repr(sys.stdin.read(3)))\x04")
    raw.write(b"a\x02\x04")                    # Ctrl-B and Ctrl-D are plain data now
    assert read_until(raw, b"\x04>") == b"OK'a\\x02\\x04'\r\n\x04\x04>"


def test_input_echoes_like_readline(raw):
    raw.write(b"n = input('name? ')\nprint('hi', n)\x04")
    read_until(raw, b"name? ")
    raw.write(b"bob\r")
    assert read_until(raw, b"\x04>") == b"bob\r\nhi bob\r\n\x04\x04>"


def test_mpremote_enter_sequence(link):
    # What mpremote does on connect: interrupt, drain, raw REPL, soft reset.
    link.write(b"\r\x03")
    read_available(link, 0.1)
    link.write(b"\r\x01")
    read_until(link, RAW)
    link.write(b"\x04")
    read_until(link, b"soft reboot\r\n")
    assert read_until(link, b"raw REPL; CTRL-B to exit\r\n") == b"raw REPL; CTRL-B to exit\r\n"
    assert link.read(1) == b">"
