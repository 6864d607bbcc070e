import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link
from kernel_fixtures import kernelspec  # noqa: F401  (a fixture)
from transport_fixtures import board_port, board_repl, shared_board_repl  # noqa: F401  (fixtures)

# What MicroPython v1.28.0, built on its release date, says at power-on.
VERSION = "MicroPython v1.28.0 on 2026-04-06"


def banner(machine="Raspberry Pi Pico with RP2040"):
    return f'{VERSION}; {machine}\r\nType "help()" for more information.\r\n'.encode()


# ---- a simulated board in the raw REPL ----------------------------------------

@pytest.fixture
def raw():
    """A fresh Pico on virtual time, in the raw REPL."""
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        yield link


@pytest.fixture
def picow():
    with sim_link("sim://picow?time=virtual") as link:
        enter_raw(link)
        yield link


@pytest.fixture
def esp32():
    with sim_link("sim://esp32?time=virtual") as link:
        enter_raw(link)
        yield link


def run(link, code, timeout=5):
    """What `code` prints, which must not fail: lines joined by "\\n", stripped."""
    out, err = raw_exec(link, code, timeout)
    assert err == "", err
    return out.replace("\r\n", "\n").strip()


def error(link, code, timeout=5):
    """The last line of the traceback `code` ends in."""
    out, err = raw_exec(link, code, timeout)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]
