"""The micropython module: schedule (the scheduler queue), const, compiler
directives, memory reports, kbd_intr, opt_level."""

from boardlab.interpreter.testing import raw_exec
from conftest import run

# raw: a Pico on virtual time, in the raw REPL (conftest.py).


def test_schedule_runs_soon_not_now(raw):
    # Not inside schedule() itself; at the latest at the next jump of the running code.
    assert run(raw, "import micropython\nlog = []\nmicropython.schedule(log.append, 'scheduled')\n"
                    "log.append('after')\nfor i in range(2):\n    pass\nprint(sorted(log))") == \
        "['after', 'scheduled']"
    assert run(raw, "log.clear()\nmicropython.schedule(log.append, 1)\nfor i in range(2):\n    pass\n"
                    "log.append(2)\nprint(log)") == "[1, 2]"


def test_schedule_queue_holds_eight(raw):
    # Filled from a scheduled function (the queue is locked while one runs):
    # the ninth raises, the error is printed, the eight queued ones run after.
    out = run(raw, "import micropython, time\ndef fill(_):\n    for i in range(9):\n"
                   "        micropython.schedule(print, i)\nmicropython.schedule(fill, None)\ntime.sleep_ms(1)")
    lines = out.splitlines()
    assert lines[-9:] == ["RuntimeError: schedule queue full"] + [str(i) for i in range(8)]


def test_scheduled_functions_do_not_nest(raw):
    assert run(raw, "import micropython, time\nlog = []\ndef outer(_):\n"
                    "    micropython.schedule(log.append, 'inner')\n    time.sleep_ms(1)\n    log.append('outer done')\n"
                    "micropython.schedule(outer, None)\ntime.sleep_ms(5)\nprint(log)") == \
        "['outer done', 'inner']"


def test_const_and_directives_without_import(raw):
    assert run(raw, "X = const(7)\n@micropython.native\ndef f(a):\n    return a + X\nprint(f(1))") == "8"
    assert run(raw, "from micropython import const\nY = const(2)\nprint(Y)") == "2"


def test_viper_is_refused_with_the_reason(raw):
    # The simulated board has no native code emitter (interpreter/port/README.md).
    out, err = raw_exec(raw, "@micropython.viper\ndef f(a: int) -> int:\n    return a\nprint('compiled')")
    assert out == "" and err.endswith(
        "SyntaxError: the simulated board has no native code emitter: viper and assembler code run on a "
        "real board\r\n")


def test_opt_level_and_emergency_buffer(raw):
    assert run(raw, "import micropython\nmicropython.alloc_emergency_exception_buf(100)\n"
                    "print(micropython.opt_level())\nmicropython.opt_level(2)\nprint(micropython.opt_level())") == "0\n2"


def test_mem_info_and_stack_use(raw):
    out = run(raw, "import micropython\nmicropython.mem_info()\nprint(micropython.stack_use() > 0)")
    assert out.startswith("stack: ") and " out of 16848\nGC: total: 233024" in out and out.endswith("True")


def test_gc_module(raw):
    assert run(raw, "import gc\ngc.collect()\ngc.disable()\nprint(gc.isenabled())\ngc.enable()\n"
                    "gc.threshold(4096)\nprint(gc.isenabled(), gc.threshold())") == "False\nTrue 4096"


def test_sys_print_exception_to_a_stream(raw):
    assert run(raw, "import sys, io\ns = io.StringIO()\ntry:\n    [][1]\nexcept Exception as e:\n"
                    "    sys.print_exception(e, s)\nprint(repr(s.getvalue()))") == \
        "'Traceback (most recent call last):\\n  File \"<stdin>\", line 4, in <module>\\nIndexError: list index out of range\\n'"
