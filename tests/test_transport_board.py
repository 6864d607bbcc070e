"""The raw-REPL client against a board: the simulated one (sim://pico, and the
same board on a pseudo-terminal) by default, a real one when BOARDLAB_PORT
names its port. Nothing here knows which: the suite only speaks the protocol."""

import time

import pytest

from boardlab.transport.errors import BoardExecError, BoardRebooted
from waiting import Output, Then

pytestmark = pytest.mark.timeout(30)  # a hang is a failure, and a quick one

# Ctrl-C ends code at once, as a user sees it; the margin is for a loaded machine.
PROMPTLY = 2.0


def test_print_through_raw_paste(board_repl):
    result = board_repl.execute("print(1 + 1)")
    assert (result.output, result.traceback) == ("2\n", "")
    assert board_repl.use_raw_paste  # MicroPython >= 1.14 has it


def test_print_through_plain_raw(board_repl):
    board_repl.use_raw_paste = False
    assert board_repl.exec("print('plain')") == "plain\n"


@pytest.mark.parametrize("paste", [True, False], ids=["raw-paste", "plain-raw"])
def test_large_code_arrives_whole(board_repl, paste):
    board_repl.use_raw_paste = paste
    lines = [f"v{i} = {i}" for i in range(800)]  # ~8 KB
    code = "\n".join(lines + ["print(v0 + v799, len([k for k in globals() if k.startswith('v')]))"])
    assert board_repl.exec(code) == "799 800\n"


def test_output_streams_while_the_cell_runs(board_repl):
    # The cell cannot finish before the host has seen its first line and
    # answered on stdin: this proves streaming whatever the board's clock.
    recorder = Output()

    def answer(text):
        recorder(text)
        if recorder.text == "waiting\n":
            board_repl.write_stdin("x")

    code = "import sys\nprint('waiting')\nc = sys.stdin.read(1)\nprint('got', c)"
    assert board_repl.execute(code, on_output=answer).output == "waiting\ngot x\n"


def test_output_arrives_before_a_sleep_ends(board_repl):
    # The host stops the sleep once it has seen the line printed before it:
    # output held back until the sleep's end would come with "2" and no
    # KeyboardInterrupt, 20 s later.
    output = Output()
    Then(output.printed("1\n"), board_repl.interrupt)
    result = board_repl.execute("import time\nprint(1)\ntime.sleep(20)\nprint(2)", on_output=output)
    assert result.output == "1\n"
    assert 'line 3, in <module>' in result.traceback
    assert result.traceback.rstrip().endswith("KeyboardInterrupt:")


def test_traceback_gives_ename_and_evalue(board_repl):
    with pytest.raises(BoardExecError) as caught:
        board_repl.exec("print('before')\ndef f():\n    return 1 / 0\nf()")
    error = caught.value
    assert error.output == "before\n"
    assert (error.ename, error.evalue) == ("ZeroDivisionError", "divide by zero")
    assert error.traceback.startswith("Traceback (most recent call last):\n")
    assert 'File "<stdin>", line 3, in f' in error.traceback


@pytest.mark.parametrize("paste", [True, False], ids=["raw-paste", "plain-raw"])
def test_syntax_error(board_repl, paste):
    board_repl.use_raw_paste = paste
    result = board_repl.execute("x = 1\ny = (\n")
    assert result.output == ""
    assert result.traceback.rstrip().endswith("SyntaxError: invalid syntax")
    assert board_repl.exec("print('still fine')") == "still fine\n"


def test_interrupt_a_busy_loop_from_another_thread(board_repl):
    output = Output()
    interrupted = Then(output.printed("spinning\n"), board_repl.interrupt)
    result = board_repl.execute("print('spinning')\nwhile True:\n    pass", on_output=output)
    assert time.monotonic() - interrupted.at < PROMPTLY
    assert result.output == "spinning\n"
    assert result.traceback.rstrip().endswith("KeyboardInterrupt:")
    assert board_repl.exec("print('after')") == "after\n"


def test_soft_reset_clears_globals(board_repl):
    board_repl.exec("boardlab_marker = 42")
    assert board_repl.eval("boardlab_marker") == 42
    board_repl.soft_reset()
    with pytest.raises(BoardExecError) as caught:
        board_repl.exec("print(boardlab_marker)")
    assert caught.value.ename == "NameError"


def test_sys_exit_reboots_and_the_next_cell_works(board_repl):
    board_repl.exec("boardlab_marker = 1")
    with pytest.raises(BoardRebooted) as caught:
        board_repl.execute("import sys\nprint('bye')\nsys.exit()")
    assert caught.value.output == "bye\n"
    with pytest.raises(BoardExecError, match="NameError"):
        board_repl.exec("boardlab_marker")
    assert board_repl.exec("print('back')") == "back\n"


def test_non_ascii_output(board_repl):
    recorder = Output()
    result = board_repl.execute("print('é', '→', '😀', 'naïve')", on_output=recorder)
    assert result.output == "é → 😀 naïve\n"
    assert "\ufffd" not in recorder.text


def test_eight_bit_bytes_that_are_not_utf8(board_repl):
    result = board_repl.execute("import sys\nsys.stdout.buffer.write(b'\\xe9t\\xc3\\xa9\\xff\\n')")
    assert result.output == "\ufffdté\ufffd\n"
    assert board_repl.exec("print('ok')") == "ok\n"


def test_ctrl_d_printed_by_the_code(board_repl):
    result = board_repl.execute("print('a\\x04b')\nprint('after')")
    assert result.output == "a\x04b\nafter\n"
    assert result.traceback == ""
    assert board_repl.exec("print('next')") == "next\n"


def test_a_100kb_print(board_repl):
    recorder = Output()
    result = board_repl.execute("print('x' * 100000)", on_output=recorder)
    assert result.output == "x" * 100000 + "\n"
    assert len(recorder.chunks) < 1000  # streamed in chunks, not per byte


def test_eval_literals(board_repl):
    assert board_repl.eval("[1, 2.5, 'é', None, {'a': (1,)}]") == [1, 2.5, "é", None, {"a": (1,)}]


def test_many_small_cells(board_repl):
    start = time.monotonic()
    for i in range(30):
        assert board_repl.exec(f"print({i})") == f"{i}\n"
    assert time.monotonic() - start < 10  # no cell waits out a protocol timeout (0.5 s and up)
