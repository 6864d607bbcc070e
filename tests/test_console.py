"""`jupyter console --kernel boardlab` in a real terminal, the README's
command: a session on the simulated Pico, typed as a person types it."""

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from jupyter_client.kernelspec import KernelSpecManager

# The `jupyter` command of this environment: `jupyter console` works only when
# jupyter_console is installed beside it (./scripts/lab installs it).
JUPYTER = Path(sys.executable).with_name("jupyter")


@pytest.fixture
def console(kernelspec, tmp_path):
    env = dict(os.environ, BOARDLAB_BOARD="sim://pico", TERM="dumb",
               JUPYTER_CONFIG_DIR=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path))
    child = pexpect.spawn(str(JUPYTER), ["console", "--kernel", kernelspec, "--simple-prompt"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    child.expect(r"In \[1\]: ")
    child.first_screen = child.before
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


def test_the_first_screen_has_no_debugger_warning(console):
    """This kernel has no debugger, but ipykernel loads debugpy, which warned
    about frozen modules under the first cell (when the console heard it:
    the kernel sends it as it starts)."""
    assert "MicroPython (BoardLab" in console.first_screen
    console.sendline("print('first')")
    console.expect(r"In \[2\]: ")
    first_cell = console.before
    console.sendline("print('second')")
    console.expect(r"In \[3\]: ")
    seen = console.first_screen + first_cell + console.before
    assert "first" in first_cell and "second" in console.before
    assert "Debugger warning" not in seen, seen


def test_the_kernels_interpreter_loads_the_debugger_module_silently(kernelspec):
    """What the console shows depends on when it subscribes to the kernel's
    output; this check does not. The kernelspec's interpreter, with its
    options and environment, imports ipykernel's debugger module as the
    kernel does at every start, and prints nothing."""
    spec = KernelSpecManager().get_kernel_spec(kernelspec)
    interpreter = spec.argv[:spec.argv.index("-m")]
    done = subprocess.run([*interpreter, "-c", "import ipykernel.debugger"],
                          env=dict(os.environ, **spec.env), capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
