"""The kernel as a notebook sees it: a real kernel process on the simulated
Pico, driven through jupyter_client."""

import ast
import re
import time

import pytest

from kernel_fixtures import create_subshell, execute, send_request, shell_reply, start_kernel
from waiting import RunningCell


@pytest.fixture(scope="module")
def kernel(kernelspec):
    km, kc = start_kernel(kernelspec)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_kernel_info_names_micropython(kernel):
    km, kc = kernel
    kc.kernel_info()
    info = kc.get_shell_msg(timeout=10)["content"]
    assert info["implementation"] == "boardlab"
    assert info["language_info"]["name"] == "micropython"
    assert info["language_info"]["file_extension"] == ".py"
    assert info["language_info"]["pygments_lexer"] == "python3"


def test_a_cell_runs_on_the_board_and_prints(kernel):
    run = execute(kernel[1], "import sys\nprint('hello from', sys.implementation.name)")
    assert run.reply["status"] == "ok"
    assert run.stdout == "hello from micropython\n"


def test_the_board_keeps_state_between_cells(kernel):
    execute(kernel[1], "counter = 41")
    assert execute(kernel[1], "counter += 1\nprint(counter)").stdout == "42\n"


def test_output_streams_while_the_cell_runs(kernel):
    run = execute(kernel[1], "import time\nprint('first')\ntime.sleep(1)\nprint('second')")
    streams = run.of_type("stream")
    first = run.times[run.messages.index(streams[0])]
    end = run.times[-1]
    assert streams[0]["content"]["text"] == "first\n"
    assert end - first >= 0.5, "the first line arrived only when the cell ended"


def test_many_lines_come_in_few_messages(kernel):
    run = execute(kernel[1], "for i in range(2000):\n    print(i)")
    assert run.stdout == "".join(f"{i}\n" for i in range(2000))
    assert len(run.of_type("stream")) < 100


def test_a_board_error_is_one_jupyter_error_with_the_boards_traceback(kernel):
    run = execute(kernel[1], "x = 1\n1/0")
    assert run.reply["status"] == "error"
    assert run.reply["ename"] == "ZeroDivisionError"
    assert run.reply["evalue"] == "divide by zero"
    [error] = run.errors
    assert error["traceback"] == [
        "Traceback (most recent call last):",
        '  File "<stdin>", line 2, in <module>',
        "ZeroDivisionError: divide by zero",
    ]


def test_output_before_an_error_is_kept(kernel):
    run = execute(kernel[1], "print('before')\nraise ValueError('bad value')")
    assert run.stdout == "before\n"
    assert run.reply["ename"] == "ValueError" and run.reply["evalue"] == "bad value"


def results(run):
    return [m["content"] for m in run.of_type("execute_result")]


def test_the_last_expression_is_the_cells_result_as_the_board_shows_it(kernel):
    run = execute(kernel[1], "import machine\nprint('pin:')\nmachine.Pin(25).value()")
    assert run.stdout == "pin:\n"
    [result] = results(run)
    assert result["data"] == {"text/plain": "0"}
    assert result["execution_count"] == run.reply["execution_count"]
    # The board's own repr, and `_` holds the value as in MicroPython's REPL.
    [result] = results(execute(kernel[1], "b'\\x00' + 'é'.encode()"))
    assert result["data"]["text/plain"] == "b'\\x00\\xc3\\xa9'"
    assert execute(kernel[1], "print(_)").stdout == "b'\\x00\\xc3\\xa9'\n"


@pytest.mark.parametrize("cell", [
    "x = 3",                # a statement
    "x;",                   # a trailing ; hides the value, as in IPython
    "print('hi')",          # None shows nothing
    "[].append(1)",
    "for i in range(2):\n    i",  # not at the top level
    "%board\n",             # a magic line
])
def test_cells_without_a_value_have_no_result(kernel, cell):
    run = execute(kernel[1], cell)
    assert run.reply["status"] == "ok"
    assert results(run) == []


def test_an_error_in_the_last_expression_keeps_its_line(kernel):
    # The line the board gives the failing statement, as it does without the
    # result (MicroPython names the line an expression starts on).
    run = execute(kernel[1], "x = 1\n\n(x +\n  undefined_name)")
    assert results(run) == []
    assert run.errors[0]["traceback"][1] == '  File "<stdin>", line 3, in <module>'
    assert run.reply["evalue"] == "name 'undefined_name' isn't defined"


def test_only_the_last_expression_of_a_cell_with_magics_is_shown(kernel):
    run = execute(kernel[1], "1 + 1\n%board\n2 + 2")
    assert [r["data"]["text/plain"] for r in results(run)] == ["4"]


def test_syntax_the_board_rejects_is_a_syntax_error(kernel):
    run = execute(kernel[1], "x = 2\nmatch x:\n    case 2:\n        pass")
    assert run.reply["ename"] == "SyntaxError"
    assert '  File "<stdin>", line 2' in run.errors[0]["traceback"]


def test_modules_the_board_lacks_cannot_be_imported(kernel):
    run = execute(kernel[1], "import numpy")
    assert run.reply["ename"] == "ImportError"
    assert run.reply["evalue"] == "no module named 'numpy'"


def test_magic_lines_run_on_the_host_in_order_with_board_code(kernel):
    run = execute(kernel[1], "print('board')\n%lsmagic\nprint('again')")
    assert run.reply["status"] == "ok"
    out = run.stdout
    assert out.index("board\n") < out.index("%connect") < out.index("again\n")


@pytest.mark.parametrize("cell, message", [
    ("%conect sim://pico\nmarker = 'changed'", "Did you mean %connect?"),
    # A bad magic further down stops the cell before any of it starts.
    ("marker = 'changed'\n%connect --baud fast", "invalid int value: 'fast'"),
])
def test_a_magic_error_is_a_usage_error_and_nothing_runs_on_the_board(kernel, cell, message):
    execute(kernel[1], "marker = 'untouched'")
    run = execute(kernel[1], cell)
    assert run.reply["ename"] == "UsageError"
    assert message in run.reply["evalue"]
    assert execute(kernel[1], "print(marker)").stdout == "untouched\n"


def test_host_cells_run_cpython_in_the_kernel(kernel):
    run = execute(kernel[1], "%%host\nimport sys\nprint(sys.implementation.name)")
    assert run.stdout == "cpython\n"


def test_connect_says_which_board(kernel):
    run = execute(kernel[1], "%connect sim://pico")
    assert run.reply["status"] == "ok"
    assert run.stdout.startswith("Connected to sim://pico: MicroPython 1.28.0 on ")
    assert "KB free" in run.stdout


def test_board_says_which_board_cells_run_on(kernel):
    run = execute(kernel[1], "%board")
    assert run.stdout.startswith("Cells run on sim://pico: MicroPython 1.28.0 on ")


def test_connect_to_a_missing_port_says_what_to_do(kernel):
    run = execute(kernel[1], "%connect /dev/ttyNOSUCHPORT")
    assert run.reply["status"] == "error"
    assert "/dev/ttyNOSUCHPORT" in run.reply["evalue"]
    # The kernel lives on and can connect again.
    execute(kernel[1], "%connect sim://pico")
    assert execute(kernel[1], "print(1 + 1)").stdout == "2\n"


def test_stop_button_interrupts_a_busy_loop_on_the_board(kernel):
    km, kc = kernel
    cell = RunningCell(kc, "n = 0\nprint('started')\nwhile True:\n    n += 1")
    cell.wait_for_stdout("started\n")
    pressed = time.monotonic()
    km.interrupt_kernel()
    run = cell.finish()
    assert time.monotonic() - pressed < 3
    assert run.reply["status"] == "error"
    assert run.reply["ename"] == "KeyboardInterrupt"
    # The board's state survives an interrupt; the next cell runs normally.
    assert execute(kc, "print(n > 0)").stdout == "True\n"


def test_restart_gives_a_clean_board(kernelspec):
    km, kc = start_kernel(kernelspec)
    try:
        execute(kc, "kept = 42")
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        run = execute(kc, "print(kept)")
        assert run.reply["ename"] == "NameError"
        assert run.reply["evalue"] == "name 'kept' isn't defined"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# -- completion, inspection, is_complete --------------------------------------

def ask(kc, send, *args, **kwargs):
    return shell_reply(kc, send(*args, **kwargs), timeout=20)["content"]


def test_tab_completes_attributes_from_the_live_board(kernel):
    kc = kernel[1]
    execute(kc, "import machine\nclass Sensor:\n    reading = 3\nsensor = Sensor()")
    reply = ask(kc, kc.complete, "machine.Pin.O")
    assert "machine.Pin.OUT" in reply["matches"] or "OUT" in reply["matches"]
    reply = ask(kc, kc.complete, "sensor.rea")
    code = "sensor.rea"
    assert [code[:reply["cursor_start"]] + m for m in reply["matches"]] == ["sensor.reading"]


def test_tab_after_import_lists_the_boards_modules(kernel):
    reply = ask(kernel[1], kernel[1].complete, "import mach")
    assert "machine" in reply["matches"]


def test_completion_does_not_change_the_boards_globals(kernel):
    kc = kernel[1]
    before = execute(kc, "print(sorted(globals()))").stdout
    ask(kc, kc.complete, "import o")
    ask(kc, kc.complete, "machine.")
    assert execute(kc, "print(sorted(globals()))").stdout == before


def test_shift_tab_shows_the_micropython_signature_and_doc(kernel):
    reply = ask(kernel[1], kernel[1].inspect, "import time\ntime.sleep_ms(",
                len("import time\ntime.sleep_ms("))
    assert reply["found"]
    text = reply["data"]["text/plain"]
    assert "sleep_ms" in text and "ms" in text


def test_is_complete_like_the_micropython_repl(kernel):
    kc = kernel[1]
    reply = ask(kc, kc.is_complete, "for i in range(3):")
    assert reply["status"] == "incomplete" and reply["indent"] == "    "
    assert ask(kc, kc.is_complete, "print(1)")["status"] == "complete"


def test_tab_while_a_cell_runs_is_answered_when_the_cell_ends(kernel):
    """On the main shell Tab and Shift-Tab wait for the running cell, as in
    every Jupyter kernel, and are answered once it ends."""
    kc = kernel[1]
    execute(kc, "import machine")
    cell = kc.execute("line = input()\nprint('got', line)", allow_stdin=True)
    kc.get_stdin_msg(timeout=30)        # the cell runs: the board waits for a line
    tab = kc.complete("machine.P")
    shift_tab = kc.inspect("machine.Pin", len("machine.Pin"))
    kc.input("go")
    replies = [kc.get_shell_msg(timeout=30) for _ in range(3)]
    assert [r["parent_header"]["msg_id"] for r in replies] == [cell, tab, shift_tab]
    assert replies[0]["content"]["status"] == "ok"
    assert any(m.endswith("Pin") for m in replies[1]["content"]["matches"])
    assert replies[2]["content"]["found"]
    assert "Pin" in replies[2]["content"]["data"]["text/plain"]


def test_tab_and_shift_tab_on_a_subshell_answer_while_a_cell_runs_without_touching_the_board(
        kernel):
    kc = kernel[1]
    subshell = create_subshell(kc)
    execute(kc, "import machine")
    ask(kc, kc.complete, "machine.P")   # learnt while the board was idle
    cell = kc.execute("line = input()\nprint('got', line)", allow_stdin=True)
    kc.get_stdin_msg(timeout=30)        # the cell runs: the board waits for a line
    # The cell cannot end before it has its line: an answer queued behind it
    # would never come (shell_reply() would give up).
    tab = shell_reply(kc, send_request(kc, "complete_request", subshell, code="machine.P",
                                       cursor_pos=len("machine.P")), 20)["content"]
    shift_tab = shell_reply(kc, send_request(kc, "inspect_request", subshell, code="machine.Pin",
                                             cursor_pos=len("machine.Pin"), detail_level=0),
                            20)["content"]
    indent = shell_reply(kc, send_request(kc, "is_complete_request", subshell,
                                          code="for i in range(3):"), 20)["content"]
    kc.input("go")
    messages = messages_of(kc, cell)
    assert shell_reply(kc, cell)["content"]["status"] == "ok"
    assert any(m.endswith("Pin") for m in tab["matches"])
    assert shift_tab["found"] and "Pin" in shift_tab["data"]["text/plain"]
    assert indent["status"] == "incomplete"
    # The cell's own output and status were not disturbed by the answers.
    assert [m["content"]["text"] for m in messages if m["msg_type"] == "stream"] == ["got go\n"]
    states = [m["content"]["execution_state"] for m in messages if m["msg_type"] == "status"]
    assert states == ["busy", "idle"]


def messages_of(kc, msg_id, timeout=30):
    """The iopub messages sent for one request, up to its idle."""
    messages = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.1))
        if msg["parent_header"].get("msg_id") == msg_id:
            messages.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return messages


@pytest.fixture
def new_kernel(kernelspec):
    """A kernel of its own: no cell has run, nothing was asked of the board."""
    km, kc = start_kernel(kernelspec)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def completion_types(reply):
    return {entry["text"]: entry["type"]
            for entry in reply["metadata"]["_jupyter_types_experimental"]}


def test_tab_before_any_cell_ran_offers_what_the_boards_firmware_has(new_kernel):
    kc = new_kernel
    reply = ask(kc, kc.complete, "machine.")
    found = completion_types(reply)
    assert (found["Pin"], found["freq"], found["PWRON_RESET"]) == ("class", "function", "constant")
    assert "ADCWiPy" not in found and "SDCard" not in found   # in the stubs, not on a Pico
    run = execute(kc, "print('machine' in globals())\nimport machine\n"
                      "print([n for n in dir(machine) if not n.startswith('_')])")
    bound, names = run.stdout.splitlines()
    assert bound == "False"                                   # asking bound no name
    # The board's own list, all of it and nothing else (no dht_readinto
    # where the board has none).
    assert set(reply["matches"]) == set(ast.literal_eval(names))


def test_tab_on_a_subshell_while_the_first_cell_runs_answers_from_the_stubs(new_kernel):
    kc = new_kernel
    subshell = create_subshell(kc)
    cell = kc.execute("line = input()", allow_stdin=True)
    kc.get_stdin_msg(timeout=30)            # the cell runs: the board waits for a line
    reply = shell_reply(kc, send_request(kc, "complete_request", subshell, code="machine.",
                                         cursor_pos=len("machine.")), 20)
    found = completion_types(reply["content"])
    kc.input("go")
    assert shell_reply(kc, cell)["content"]["status"] == "ok"
    assert (found["Pin"], found["freq"], found["PWRON_RESET"]) == ("class", "function", "constant")
    assert "statement" not in found.values()
    assert "ADCWiPy" in found                                 # the stubs' names: the board was busy
    assert "ADCWiPy" not in ask(kc, kc.complete, "machine.")["matches"]   # now it was asked


def test_shift_tab_shows_the_docs_as_text_and_markdown(kernel):
    reply = ask(kernel[1], kernel[1].inspect, "machine.ADC", len("machine.ADC"), 1)
    text, markdown = reply["data"]["text/plain"], reply["data"]["text/markdown"]
    for rendered in (text, markdown):   # no role, directive or ``literal``
        assert not re.search(r":\w+:`|\.\. \w+::|(?<!`)``(?!`)", rendered), rendered
    assert "Example usage:\n\n    import machine\n" in text
    assert "Example usage:\n\n```python\nimport machine\n" in markdown


# -- input() on the board -------------------------------------------------------

def test_input_on_the_board_asks_in_the_notebook(kernel):
    run = execute(kernel[1], "name = input('Your name? ')\nage = input()\n"
                             "print('Hello,', name, '-', age)", answers=["Ada", "36"])
    assert run.prompts == ["Your name? ", ""]
    assert run.reply["status"] == "ok"
    assert run.stdout == "Hello, Ada - 36\n"


def test_input_without_a_frontend_that_can_answer_is_a_clear_error(kernel):
    kc = kernel[1]
    run = execute(kc, "print('asking')\nx = input('? ')", allow_stdin=False, timeout=15)
    assert run.stdout == "asking\n"
    assert run.reply["ename"] == "StdinNotImplementedError"
    assert "put the value in the code" in run.reply["evalue"]
    assert execute(kc, "print('still here')").stdout == "still here\n"


def test_input_in_a_host_cell_asks_in_the_notebook_when_the_frontend_can_answer(kernel):
    kc = kernel[1]
    run = execute(kc, "%%host\nprint('host:', input('On the host? '))", answers=["yes"])
    assert run.prompts == ["On the host? "]
    assert run.stdout == "host: yes\n"
    run = execute(kc, "%%host\ninput('? ')", allow_stdin=False)
    assert run.reply["ename"] == "StdinNotImplementedError"
    # and the board's input() still asks after a host cell that could not
    run = execute(kc, "print(input('board? '))", answers=["ok"])
    assert run.prompts == ["board? "] and run.stdout == "ok\n"


def test_input_works_again_after_a_soft_reset(kernel):
    kc = kernel[1]
    execute(kc, "%softreset")
    run = execute(kc, "print(input('again? '))", answers=["yes"])
    assert run.prompts == ["again? "] and run.stdout == "yes\n"


def test_a_soft_reset_shows_what_boot_py_printed(kernel):
    kc = kernel[1]
    execute(kc, "%%writefile boot.py\nprint('boot.py: ready')")
    try:
        out = execute(kc, "%softreset").stdout
        assert out == ("Soft reset: the board's variables are cleared.\n"
                       "boot.py printed:\nboot.py: ready\n")
    finally:
        execute(kc, "import os\nos.remove('boot.py')")
    assert execute(kc, "%softreset").stdout == "Soft reset: the board's variables are cleared.\n"


def test_stop_while_input_waits_and_the_next_input_gets_its_own_answer(kernel):
    """Stopping a cell whose input() waits for a line ends the wait: the
    line typed for the next cell's input() goes to that cell, not to the
    stopped one, and nothing reaches the board uninvited."""
    km, kc = kernel
    cell = kc.execute("print(input('first? '))", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=30)["content"]["prompt"] == "first? "
    km.interrupt_kernel()
    assert shell_reply(kc, cell)["content"]["ename"] == "KeyboardInterrupt"
    for _ in range(3):
        run = execute(kc, "print(input('next? '))", answers=["yes"])
        assert run.prompts == ["next? "] and run.stdout == "yes\n"
    assert execute(kc, "print('board idle')").stdout == "board idle\n"


def test_end_of_input_in_the_box_is_eoferror_on_the_board(kernel):
    """`jupyter console` answers Ctrl-D in an input box with end of input;
    the board's input() raises EOFError, as MicroPython's own does."""
    kc = kernel[1]
    run = execute(kc, "try:\n    input('? ')\nexcept EOFError:\n    print('EOF')",
                  answers=["\x04"])
    assert run.prompts == ["? "] and run.stdout == "EOF\n"
    assert execute(kc, "print(input('more? '))", answers=["x\x04y"]).stdout == "x\x04y\n"
