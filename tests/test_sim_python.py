"""The simulated board on the Pythons it runs on, and what a user sees when it
cannot run: a clear error when the board is opened, never a hang.

What differs between CPython versions is checked where a user would notice
it: an interrupt handler reaching a busy loop is in test_sim_machine_pin.py,
Ctrl-C in test_sim_interrupt.py; here the heap watchdog's MemoryError, which
the interrupt hook raises in the board code, caught by that code's own `try`.
"""

import platform

import pytest
import serial

from boardlab.interpreter import board as board_module
from boardlab.interpreter import tracehook
from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link
from boardlab.kernel.connection import Connection
from boardlab.transport.errors import TransportError
from boardlab.transport.link import open_link, register_url_handlers

PYTHON = f"{platform.python_implementation()} {platform.python_version()}"


@pytest.fixture
def raw():
    with sim_link() as link:
        enter_raw(link)
        yield link


GROW_IN_A_FUNCTION = """\
def grow():
    data = []
    try:
        while True: data.append(str(len(data)))
    except MemoryError:
        return len(data)
print('caught', grow() > 1000)
"""

GROW_AT_TOP_LEVEL = """\
data = []
try:
    while True:
        data.append(str(len(data)))
except MemoryError:
    n = len(data)
    data = None
    print('caught', n > 1000)
"""


@pytest.mark.parametrize("code", [GROW_IN_A_FUNCTION, GROW_AT_TOP_LEVEL], ids=["function", "top level"])
def test_the_watchdogs_memoryerror_is_caught_by_the_loops_own_try(raw, code):
    # A one-line loop gets its interrupts at its backward jump: the
    # exception must still land inside the `try` around it.
    assert raw_exec(raw, code, timeout=20) == ("caught True\r\n", "")
    assert raw_exec(raw, "print('after')") == ("after\r\n", "")


def test_an_irq_handler_runs_while_a_loop_catches_keyboardinterrupt(raw):
    code = ("from machine import Pin\nseen = []\np = Pin(9, Pin.OUT)\n"
            "p.irq(lambda pin: seen.append(1), Pin.IRQ_RISING)\n"
            "try:\n    p.on()\n    while not seen: pass\n    print('handled')\n"
            "except KeyboardInterrupt:\n    print('interrupted')")
    assert raw_exec(raw, code) == ("handled\r\n", "")


@pytest.fixture
def unsupported_python(monkeypatch):
    monkeypatch.setattr(tracehook, "_why_unavailable", "no way to interrupt running code")


def test_opening_the_board_on_an_unsupported_python_says_which_pythons_work(unsupported_python):
    with pytest.raises(TransportError) as caught:
        open_link("sim://pico")
    text = str(caught.value)
    assert text.startswith("could not open sim://pico: SimulatorUnavailable: "
                           f"the simulated board cannot run on {PYTHON} (no way to interrupt running code)")
    assert f"It runs on {tracehook.SUPPORTED}" in text
    assert "PYTHON=python3.12 ./scripts/lab" in text


def test_a_url_handler_that_fails_to_load_is_a_transport_error(tmp_path, monkeypatch):
    # As the simulator did on Python 3.13 before it knew sys.monitoring: an
    # AttributeError while pyserial imported the handler.
    package = tmp_path / "brokenlink"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "protocol_broken.py").write_text("raise AttributeError('undefined symbol: _PyEval_SetTrace')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    register_url_handlers()     # before the list is swapped: open_link adds nothing to it then
    monkeypatch.setattr(serial, "protocol_handler_packages", ["brokenlink"])
    with pytest.raises(TransportError) as caught:
        open_link("broken://board")
    assert str(caught.value) == ("could not open broken://board: AttributeError: "
                                 "undefined symbol: _PyEval_SetTrace")


def test_a_board_whose_simulator_fails_at_boot_says_so_at_once(monkeypatch):
    def fail(self):
        raise RuntimeError("something the simulator did not expect")

    monkeypatch.setattr(board_module.Board, "_boot", fail)
    with pytest.raises(TransportError) as caught:
        Connection("sim://pico", timeout=30)
    text = str(caught.value)
    assert text.startswith("lost the link to sim://pico: the simulated board stopped: "
                           "RuntimeError: something the simulator did not expect. "
                           f"That is a bug in BoardLab's simulator on {PYTHON}")
    assert "Restart the kernel" in text

