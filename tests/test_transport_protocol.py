"""The raw-REPL client against a scripted board that plays the byte sequences
of raw-repl.md, firmware quirks included (see transport_fakeboard.py)."""

import time

import pytest

from boardlab.transport import raw_repl
from boardlab.transport.errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardTimeout,
    TransportError,
)
from boardlab.transport.link import LinkFailure
from boardlab.transport.raw_repl import RawRepl
from boardlab.transport.states import State
from transport_fakeboard import (
    BANNER,
    FRIENDLY_BANNER,
    Disconnect,
    FakeBoard,
    Sleep,
    WaitFor,
    WaitForInterrupt,
    frame,
)
from waiting import Output, Then

# A close or a lost link ends the cell at once, as a user sees it; the
# margin is for a loaded machine.
PROMPTLY = 2.0


@pytest.fixture
def connect():
    """connect(**board_options) -> (board, repl) in the raw REPL."""
    repls = []

    def make(enter=True, **options):
        board = FakeBoard(**options)
        repl = RawRepl(board, port_name="fake://board")
        repls.append(repl)
        if enter:
            repl.enter_raw()
        return board, repl

    yield make
    for repl in repls:
        repl.close()


# -- entering the raw REPL ------------------------------------------------


def test_enter_raw_sends_interrupts_then_ctrl_a(connect):
    board, repl = connect()
    assert repl.state is State.RAW_IDLE
    assert board.written.startswith(b"\r\x03\r\x03")
    assert board.written.endswith(b"\r\x01")


@pytest.mark.parametrize("banner", [BANNER, b"raw REPL; CTRL-B to exit\r\r\n"])
def test_enter_raw_tolerates_prompt_variants(connect, banner):
    board, repl = connect(banner=banner, scripts={"x": frame(b"7\r\n")})
    assert repl.execute("x").output == "7\n"


def test_enter_raw_skips_boot_log_and_garbage(connect):
    log = b"\x00\xffets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET)\r\n>>> \r\n> garbage"
    board, repl = connect(before_banner=log, scripts={"x": frame(b"ok\r\n")})
    assert repl.execute("x").output == "ok\n"


def test_enter_raw_retries_when_first_bytes_are_lost(connect, monkeypatch):
    # An ESP board resets when the port opens: the first writes vanish.
    monkeypatch.setattr(raw_repl, "ENTER_ATTEMPT_SECONDS", 0.3)
    board, repl = connect(enter=False, lose_first_writes=3, scripts={"x": frame(b"up\r\n")})
    repl.enter_raw(timeout=5)
    assert board.written.count(b"\r\x01") == 2
    assert repl.execute("x").output == "up\n"


def test_enter_raw_times_out_naming_the_port(connect):
    board, repl = connect(enter=False, lose_first_writes=10**6)
    start = time.monotonic()
    with pytest.raises(BoardTimeout, match="fake://board") as caught:
        repl.enter_raw(timeout=0.5)
    assert time.monotonic() - start < 3  # the 0.5 s asked for, not the 10 s default
    assert caught.value.port == "fake://board"


def test_enter_raw_with_soft_reset(connect):
    board, repl = connect(enter=False)
    repl.enter_raw(soft_reset=True)
    assert board.written.endswith(b"\r\x01\x04")
    board.scripts["x"] = frame(b"fresh\r\n")
    assert repl.execute("x").output == "fresh\n"


def test_soft_reset_waits_for_the_prompt_again(connect):
    board, repl = connect(scripts={"x": frame(b"1\r\n")})
    repl.execute("x")
    repl.soft_reset()
    assert board.written.endswith(b"\x04")
    assert repl.execute("x").output == "1\n"


# -- sending the code -----------------------------------------------------


@pytest.mark.parametrize("window", [128, 32])
def test_raw_paste_respects_the_window(connect, window):
    code = "\n".join(f"x{i} = {i}" for i in range(200))  # ~1.7 KB
    board, repl = connect(window=window, scripts={code: frame(b"done\r\n")})
    assert repl.execute(code).output == "done\n"
    # The second time, the request carries the first window.
    first = len(board.writes)
    assert repl.execute(code).output == "done\n"
    assert board.writes[first] == b"\x05A\x01" + code[:window].encode()
    assert board.ran == [code, code]
    assert board.window_violations == 0


def test_a_small_cell_goes_out_with_its_raw_paste_request(connect):
    board, repl = connect(scripts={"x": frame(b"1\r\n"), "y": frame(b"2\r\n")})
    assert repl.execute("x").output == "1\n"
    assert board.writes[-2:] == [b"\x05A\x01", b"x\x04"]  # the first: ask, then send
    assert repl.execute("y").output == "2\n"
    assert board.writes[-1] == b"\x05A\x01y\x04"  # then: one write, one round trip
    repl.enter_raw()  # the board may have other firmware now: ask first again
    assert repl.execute("x").output == "1\n"
    assert board.writes[-2:] == [b"\x05A\x01", b"x\x04"]


def test_a_raw_paste_refusal_after_a_grant_is_reported_and_recovered(connect):
    board, repl = connect(scripts={"x": frame(b"1\r\n")})
    repl.execute("x")
    board.raw_paste = "no"  # (new firmware that refuses raw paste, no restart seen)
    with pytest.raises(TransportError, match="answered b'R.x00' to the raw-paste request it "
                                             "accepted before.*whether it ran is not known"):
        repl.execute("x")
    assert repl.state is State.UNKNOWN
    board.ran.clear()
    assert repl.execute("x").output == "1\n"  # entered anew, asked, plain raw
    assert board.ran == ["x"]
    assert not repl.use_raw_paste


def test_raw_paste_refused_falls_back_and_never_asks_again(connect):
    code = "y = 1\n" * 100  # 600 bytes: three plain-raw pieces
    board, repl = connect(raw_paste="no", scripts={code: frame(b"a\r\n")})
    assert repl.execute(code).output == "a\n"
    assert repl.execute(code).output == "a\n"
    assert board.written.count(b"\x05A\x01") == 1
    assert board.ran == [code, code]
    assert max(len(w) for w in board.writes) <= 256


def test_old_firmware_without_raw_paste(connect):
    board, repl = connect(raw_paste="old", scripts={"x": frame(b"old\r\n")})
    assert repl.execute("x").output == "old\n"
    assert repl.execute("x").output == "old\n"
    assert board.written.count(b"\x05A\x01") == 1
    assert not repl.use_raw_paste


def test_raw_paste_early_end_reads_the_syntax_error(connect):
    code = "a = 1\n" * 100
    board, repl = connect(window=32, early_end=50, scripts={"x": frame(b"next\r\n")})
    result = repl.execute(code)
    assert result.output == ""
    assert result.traceback.endswith("SyntaxError: invalid syntax\n")
    assert repl.execute("x").output == "next\n"


def test_code_with_raw_repl_control_bytes_is_refused(connect):
    board, repl = connect()
    with pytest.raises(ValueError, match=r"\\x04"):
        repl.execute("print('\x04')")


# -- following the output -------------------------------------------------


def test_output_streams_before_the_cell_ends(connect):
    # The program goes on only once the host has shown its first line.
    output = Output()
    shown = WaitFor(output.printed("1\n"))
    board, repl = connect(scripts={"x": [b"1\r\n", shown, *frame(b"2\r\n")]})
    result = repl.execute("x", on_output=output)
    assert result.output == "1\n2\n"
    assert output.chunks[0] == "1\n"
    assert shown.came  # not held back until the cell ended


def test_a_big_read_is_handed_on_when_nothing_follows(connect):
    # After a big read the reader takes what follows at once, as one batch
    # (reader.gather); the board goes on only once the host has shown it.
    line = b"x" * 4000 + b"\r\n"
    output = Output()
    shown = WaitFor(output.printed("x" * 4000 + "\n"))
    board, repl = connect(scripts={"x": [line, shown, *frame(b"2\r\n")]})
    assert repl.execute("x", on_output=output).output == "x" * 4000 + "\n2\n"
    assert shown.came


def test_reads_that_follow_a_big_one_at_once_are_one_batch(connect):
    board, repl = connect()
    reader = repl.reader
    board.send(b"a" * 2000, b"b" * 2000, b"c" * 2000)
    reader.gather()
    assert reader.buffer == b"a" * 2000 + b"b" * 2000 + b"c" * 2000
    reader.buffer.clear()
    board.send(b"small", b"more")  # a small read: handed on alone, at once
    reader.gather()
    assert reader.buffer == b"small"


def test_a_quiet_cell_never_times_out(connect):
    # quiet for 0.8 s at least, whatever the load: four step timeouts
    board, repl = connect(scripts={"x": [Sleep(0.8), *frame(b"late\r\n")]})
    repl.step_timeout = 0.2
    assert repl.execute("x").output == "late\n"


def test_utf8_split_across_reads(connect):
    data = "é→😀\n".encode()
    pieces = [data[i : i + 1] for i in range(len(data))]  # one byte per read
    board, repl = connect(scripts={"x": [*pieces, *frame()]})
    recorder = Output()
    assert repl.execute("x", on_output=recorder).output == "é→😀\n"
    assert all("\ufffd" not in chunk for chunk in recorder.chunks)


def test_invalid_utf8_is_replaced_not_fatal(connect):
    board, repl = connect(scripts={"x": frame(b"\xff\xfeok\xe2\x82\r\n")})
    assert repl.execute("x").output == "\ufffd\ufffdok\ufffd\n"


def test_bare_newlines_and_crlf_both_become_newlines(connect):
    board, repl = connect(scripts={"x": [b"a\r", b"\nb\n", b"50%\r60%\r\n", *frame()]})
    assert repl.execute("x").output == "a\nb\n50%\r60%\n"


def test_traceback_is_separate_from_output(connect):
    traceback = (b"Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, "
                 b"in <module>\r\nZeroDivisionError: divide by zero\r\n")
    board, repl = connect(scripts={"x": frame(b"before\r\n", traceback)})
    errors = Output()
    result = repl.execute("x", on_error_output=errors)
    assert result.output == "before\n"
    assert result.traceback.endswith("ZeroDivisionError: divide by zero\n")
    assert errors.text == result.traceback
    with pytest.raises(BoardExecError) as caught:
        repl.exec("x")
    assert caught.value.ename == "ZeroDivisionError"
    assert caught.value.evalue == "divide by zero"
    assert caught.value.output == "before\n"


def test_exception_without_traceback_lines(connect):
    board, repl = connect(scripts={"x": frame(b"", b"MemoryError: \r\n")})
    result = repl.execute("x")
    assert result.traceback == "MemoryError: \n"


def test_eval(connect):
    board, repl = connect(scripts={"print(repr(1 + 1))": frame(b"2\r\n"),
                                   "print(repr(d))": frame(b"{'a': [1, 2.5, 'x']}\r\n")})
    assert repl.eval("1 + 1") == 2
    assert repl.eval("d") == {"a": [1, 2.5, "x"]}


def test_a_100kb_answer(connect):
    line = b"0123456789" * 10 + b"\r\n"
    board, repl = connect(scripts={"x": [line] * 1000 + frame()})
    assert repl.execute("x").output == line.decode().replace("\r\n", "\n") * 1000


# -- \x04 printed by the code ---------------------------------------------


@pytest.mark.parametrize("stream, output, traceback", [
    ([b"a\x04b\r\n", *frame()], "a\x04b\n", ""),
    ([b"\x04\x04", *frame(b"after\r\n")], "\x04\x04after\n", ""),
    ([b"x\x04hello\r\n", *frame()], "x\x04hello\n", ""),
    ([b"x\x04", Sleep(0.2), b"more output\r\n", *frame()], "x\x04more output\n", ""),
    ([b"\x04", *frame(b"", b"ValueError: bad\r\n")], "\x04", "ValueError: bad\n"),
])
def test_ctrl_d_in_user_output_does_not_hang(connect, stream, output, traceback):
    board, repl = connect(scripts={"x": stream, "y": frame(b"ok\r\n")})
    result = repl.execute("x")
    assert (result.output, result.traceback) == (output, traceback)
    assert repl.execute("y").output == "ok\n"


def test_output_after_a_lone_ctrl_d_still_streams(connect):
    # The program goes on only once the host has shown the line.
    output = Output()
    shown = WaitFor(output.printed("a line of output\n"))
    board, repl = connect(scripts={"x": [b"\x04", b"a line of output\r\n", shown, *frame()]})
    repl.execute("x", on_output=output)
    assert output.text == "\x04a line of output\n"
    assert shown.came  # not held back until the cell ended


# -- when things go wrong --------------------------------------------------


def test_disconnect_mid_cell(connect):
    output = Output()
    unplugged = Disconnect()
    board, repl = connect(scripts={"x": [b"partial\r\n", WaitFor(output.printed("partial\n")),
                                         unplugged]})
    with pytest.raises(BoardDisconnected, match="fake://board") as caught:
        repl.execute("x", on_output=output)
    assert time.monotonic() - unplugged.at < PROMPTLY
    assert caught.value.output == "partial\n"
    assert repl.state is State.LOST  # only a new link helps


def test_a_link_that_knows_why_it_failed_is_believed(connect):
    # A simulated board whose simulator failed: no guesses about cables.
    why = "the simulated board stopped: RuntimeError: boom"
    output = Output()
    board, repl = connect(scripts={"x": [b"partial\r\n", WaitFor(output.printed("partial\n")),
                                         Disconnect(LinkFailure(why))]})
    with pytest.raises(BoardDisconnected) as caught:
        repl.execute("x", on_output=output)
    assert str(caught.value) == f"lost the link to fake://board: {why}"
    assert caught.value.output == "partial\n"
    with pytest.raises(BoardDisconnected) as again:
        repl.execute("x")
    assert str(again.value) == str(caught.value)  # lost for good, and for that reason


def test_close_from_another_thread_ends_the_cell(connect):
    board, repl = connect(scripts={"x": [b"running\r\n", Sleep(10), *frame()]})
    output = Output()
    close = Then(output.printed("running\n"), repl.close)
    with pytest.raises(BoardDisconnected):
        repl.execute("x", on_output=output)
    assert time.monotonic() - close.at < PROMPTLY  # not at the program's end


def test_close_leaves_the_raw_repl_only_at_its_prompt(connect):
    board, repl = connect(scripts={"x": [b"running\r\n", Sleep(10), *frame()]})
    output = Output()
    Then(output.printed("running\n"), repl.close)
    with pytest.raises(BoardDisconnected):
        repl.execute("x", on_output=output)
    assert b"\x02" not in board.written  # while code runs, Ctrl-B is its stdin
    idle_board, idle_repl = connect()
    idle_repl.close()
    assert idle_board.written.endswith(b"\r\x02")  # at the prompt: back to the friendly REPL
    assert idle_board.mode == "friendly"


def test_interrupt_from_another_thread(connect):
    looping = WaitForInterrupt()
    board, repl = connect(scripts={"x": [b"looping\r\n", looping], "y": frame(b"y\r\n")})
    output = Output()
    Then(output.printed("looping\n"), repl.interrupt)
    result = repl.execute("x", on_output=output)
    assert looping.interrupted
    assert result.output == "looping\n"
    assert result.traceback.endswith("KeyboardInterrupt: \n")
    assert repl.execute("y").output == "y\n"


@pytest.mark.parametrize("cells_before", [0, 1])  # 1: the first window went with the request
def test_interrupt_during_a_stalled_raw_paste_upload(connect, cells_before):
    code = "z = 0\n" * 100
    board, repl = connect(window=32, stall_after=64, scripts={"y": frame(b"y\r\n")})
    for _ in range(cells_before):
        assert repl.execute("y").output == "y\n"
        board.ran.clear()
    Then(board.stalled, repl.interrupt)
    result = repl.execute(code)
    assert any(w.startswith(b"\x05A\x01z = 0") for w in board.writes) == bool(cells_before)
    assert result.traceback == "KeyboardInterrupt: \n"
    # No stray Ctrl-D was sent after the board's own \x04: no soft reset.
    assert b"MPY" not in board.written
    assert repl.execute("y").output == "y\n"
    assert board.ran == ["y"]
    assert repl.use_raw_paste  # still in raw paste, not fallen back to plain raw


def test_sys_exit_is_a_soft_reboot(connect):
    board, repl = connect(scripts={
        "x": [b"bye\r\n\x04\x04", b"MPY: soft reboot\r\n", b"boot.py says hi\r\n", BANNER + b">"],
        "y": frame(b"y\r\n"),
    })
    with pytest.raises(BoardRebooted, match="soft") as caught:
        repl.execute("x")
    assert caught.value.output == "bye\n"
    assert repl.state is State.RAW_IDLE  # back by itself
    entered = board.written.count(b"\r\x01")
    assert repl.execute("y").output == "y\n"
    assert board.written.count(b"\r\x01") == entered  # no need to re-enter


def test_hard_reset_mid_cell(connect):
    board, repl = connect(scripts={
        "x": [b"working\r\n", Sleep(0.1), b"ets Jun  8 2016\r\nrst:0x1\r\n" + FRIENDLY_BANNER],
        "y": frame(b"y\r\n"),
    })
    with pytest.raises(BoardRebooted, match="restarted"):
        repl.execute("x")
    board.mode = "friendly"  # the fake does not model the reset itself
    assert repl.state is State.FRIENDLY
    assert repl.execute("y").output == "y\n"  # re-entered the raw REPL


def test_reset_between_cells_is_reported_and_recovered(connect):
    board, repl = connect(scripts={"y": frame(b"y\r\n")})
    board.mode = "friendly"
    board.send(b"\r\nets Jun  8 2016\r\n" + FRIENDLY_BANNER)  # there for the next read
    with pytest.raises(BoardRebooted, match="did not run"):
        repl.execute("y")
    assert repl.execute("y").output == "y\n"


def test_a_stalled_raw_paste_window_times_out(connect):
    board, repl = connect(window=32, stall_after=64)
    repl.step_timeout = 0.3
    with pytest.raises(BoardTimeout, match="fake://board"):
        repl.execute("w = 1\n" * 50)
    assert repl.state is State.UNKNOWN  # the next cell re-enters the raw REPL


def test_no_answer_to_the_raw_paste_request_times_out(connect):
    board, repl = connect(scripts={"x": frame(b"x\r\n")})
    board.lose_first_writes = 1  # the \x05A\x01 vanishes
    repl.step_timeout = 0.3
    with pytest.raises(BoardTimeout, match="raw-paste"):
        repl.execute("x")
    assert repl.execute("x").output == "x\n"
