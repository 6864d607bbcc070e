"""`jupyter console --kernel boardlab` in a real terminal: a session on the
simulated Pico, typed as a person types it."""

import os
import sys

import pexpect
import pytest


@pytest.fixture
def console(kernelspec, tmp_path):
    env = dict(os.environ, BOARDLAB_BOARD="sim://pico", TERM="dumb",
               JUPYTER_CONFIG_DIR=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path))
    child = pexpect.spawn(sys.executable, ["-m", "jupyter_console", "--kernel", kernelspec,
                                           "--simple-prompt"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    child.expect(r"In \[1\]: ")
    yield child
    if child.isalive():
        child.sendline("exit")
        child.expect(pexpect.EOF)


def test_a_console_session_on_the_board(console):
    console.sendline("import sys; print(sys.implementation.name, 6 * 7)")
    console.expect("micropython 42")
    console.expect(r"In \[2\]: ")
    console.sendline("for i in range(3): print('line', i)")
    console.expect("line 0")
    console.expect("line 2")
    console.expect(r"In \[3\]: ")
    console.sendline("1/0")
    console.expect("ZeroDivisionError: divide by zero")
    console.expect(r"In \[4\]: ")
    console.sendline("%lsmagic")
    console.expect("%connect")
    console.expect(r"In \[5\]: ")
    console.sendline("[i * i for i in range(4)]")
    console.expect(r"Out\[5\]: \[0, 1, 4, 9\]")
    console.expect(r"In \[6\]: ")
    console.sendline("exit")
    console.expect(pexpect.EOF)


def test_input_is_asked_in_the_console(console):
    console.sendline("print('Hello,', input('Your name? '))")
    console.expect("Your name\\? ")
    console.sendline("Ada")
    console.expect("Hello, Ada")
