"""The simulated boards behind a pseudo-terminal, driven by mpremote, the
official MicroPython tool: exec, and file operations (cp, ls, cat, rm)."""

import os
import shutil
import subprocess
import sys

import pytest

from boardlab.interpreter import serve_pty

MPREMOTE = shutil.which("mpremote", path=os.path.dirname(sys.executable)) or shutil.which("mpremote")


def mpremote(path, *args, timeout=30):
    assert MPREMOTE, "mpremote is not installed (it is one of the test extras)"
    result = subprocess.run([MPREMOTE, "connect", path, *args], capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture
def pico():
    server = serve_pty("pico")
    try:
        yield server
    finally:
        server.stop()


def test_mpremote_exec(pico):
    assert mpremote(pico.path, "exec", "import sys; print(sys.platform, 6 * 7)") == "rp2 42\n"


def test_mpremote_file_operations(pico, tmp_path):
    local = tmp_path / "hello.py"
    local.write_text("print('hello from flash')\n" + "# padding\n" * 300)
    out = mpremote(pico.path, "fs", "cp", str(local), ":hello.py", "+", "fs", "ls", "+",
                   "exec", "import hello")
    assert "hello.py" in out and "hello from flash" in out
    assert mpremote(pico.path, "exec", "import os; print(os.stat('hello.py')[6])") == \
        f"{local.stat().st_size}\n"
    assert mpremote(pico.path, "fs", "cat", ":hello.py").startswith("print('hello from flash')\n")
    back = tmp_path / "back.py"
    mpremote(pico.path, "fs", "cp", ":hello.py", str(back))
    assert back.read_text() == local.read_text()
    mpremote(pico.path, "fs", "mkdir", ":lib", "+", "fs", "rm", ":hello.py")
    assert mpremote(pico.path, "exec", "import os; print(os.listdir())") == "['lib']\n"


def test_mpremote_sees_board_errors(pico):
    result = subprocess.run([MPREMOTE, "connect", pico.path, "exec", "1/0"], capture_output=True,
                            text=True, timeout=30)
    assert "ZeroDivisionError: divide by zero" in result.stdout + result.stderr


@pytest.mark.parametrize("board, platform", [("esp32", "esp32"), ("picow", "rp2")])
def test_the_cli_serves_each_board(board, platform):
    process = subprocess.Popen([sys.executable, "-m", "boardlab.kernel.cli", "sim", "--pty", "--board", board],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        path = process.stdout.readline().strip()
        assert path.startswith("/dev/")
        assert mpremote(path, "exec", "import sys; print(sys.platform)") == f"{platform}\n"
    finally:
        process.terminate()
        process.wait(10)
