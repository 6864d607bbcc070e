import contextlib

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link
from kernel_fixtures import kernelspec  # noqa: F401  (a fixture)
from transport_fixtures import board_port, board_repl, shared_board_repl  # noqa: F401  (fixtures)

# The files that take longest (a few minutes of both cores between them) run
# first: `./scripts/test` hands files to its parallel workers in the order
# collected, and a long one handed out last would keep one worker busy
# after the others are done.
LONGEST_FIRST = ["test_firmware_build.py", "test_micropython_suite.py", "test_browser.py"]


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: each file's tests stay in their order


# What MicroPython v1.28.0, built on its release date, says at power-on.
VERSION = "MicroPython v1.28.0 on 2026-04-06"


def banner(machine="Raspberry Pi Pico with RP2040"):
    return f'{VERSION}; {machine}\r\nType "help()" for more information.\r\n'.encode()


# ---- a simulated board in the raw REPL ----------------------------------------

@contextlib.contextmanager
def board_in_raw_repl(url):
    """A fresh simulated board at `url` (e.g. "sim://esp32?time=virtual&seed=3"),
    in the raw REPL; powered off at the end."""
    with sim_link(url) as link:
        enter_raw(link)
        yield link


def board_fixture(url, scope="function"):
    """A fixture giving a test board_in_raw_repl(url): a fresh board for each
    test, or one for a module's tests with scope="module". A test file names
    its own board so:

        from conftest import board_fixture
        esp32 = board_fixture("sim://esp32?time=virtual&seed=3")
    """
    def board():
        with board_in_raw_repl(url) as link:
            yield link
    board.__doc__ = f"{url}, in the raw REPL."
    return pytest.fixture(scope=scope)(board)


# The boards a test gets by naming them, each fresh, on virtual time.
raw = board_fixture("sim://pico?time=virtual")
picow = board_fixture("sim://picow?time=virtual")
esp32 = board_fixture("sim://esp32?time=virtual")


def run(link, code, timeout=5):
    """What `code` prints, which must not fail: lines joined by "\\n", stripped."""
    out, err = raw_exec(link, code, timeout)
    assert err == "", err
    return out.replace("\r\n", "\n").strip()


def error(link, code, timeout=5):
    """The last line of the traceback `code` ends in."""
    out, err = raw_exec(link, code, timeout)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]
