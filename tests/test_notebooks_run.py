"""`boardlab run NOTEBOOK`: a course's CI runs its notebooks headless on a
board and learns from the exit status whether every cell ran.

Each test runs the installed `boardlab` command as a course's CI would, on
the simulated Pico with virtual time (no hardware, seconds per notebook)."""

import base64
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

BOARD = "sim://pico?time=virtual&seed=1"
BOARDLAB = Path(sys.executable).with_name("boardlab")


def notebook(path, *sources):
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "boardlab", "display_name": "MicroPython (BoardLab)",
                                 "language": "micropython"}
    nb.cells = [v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


def boardlab_run(*args):
    return subprocess.run([str(BOARDLAB), "run", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def outputs_text(cell):
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "".join(parts)


@pytest.fixture(autouse=True)
def kernel_installed(kernelspec):
    """The kernelspec of this working tree, found through JUPYTER_PATH (which
    the subprocess inherits)."""


def test_a_notebook_that_passes_exits_0_and_writes_the_executed_notebook(tmp_path):
    source = notebook(tmp_path / "lab.ipynb",
                      "%board",
                      "import time\nt = time.ticks_ms()\ntime.sleep(30)\n"
                      "print('slept', time.ticks_diff(time.ticks_ms(), t) // 1000, 's')")
    out = tmp_path / "out" / "lab.ipynb"
    out.parent.mkdir()

    done = boardlab_run(source, "--board", BOARD, "--output", out)

    assert done.returncode == 0, done.stderr
    assert "2 code cells ran without error" in done.stdout
    ran = nbformat.read(out, as_version=4)
    assert outputs_text(ran.cells[0]).startswith(f"Cells run on {BOARD}: MicroPython ")
    # Virtual time: thirty board seconds, no wall time.
    assert outputs_text(ran.cells[1]) == "slept 30 s\n"
    assert ran.cells[1].execution_count == 2
    # The notebook itself is left as it was.
    assert nbformat.read(source, as_version=4).cells[0].outputs == []


def test_a_pin_view_run_headless_leaves_the_picture_that_nbconvert_shows(tmp_path):
    from nbconvert import HTMLExporter

    source = notebook(tmp_path / "lab.ipynb",
                      "%pins", "from machine import Pin\nPin('LED', Pin.OUT).on()")
    stored = nbformat.read(source, as_version=4)   # as an earlier run left it
    stored.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"0f" * 16: {"model_name": "HTMLModel", "state": {"value": "old"}}},
        "version_major": 2, "version_minor": 0}}
    nbformat.write(stored, source)
    out = tmp_path / "ran.ipynb"

    done = boardlab_run(source, "--board", BOARD, "--output", out)

    assert done.returncode == 0, done.stderr
    ran = nbformat.read(out, as_version=4)
    assert "widgets" not in ran.metadata
    html, _ = HTMLExporter().from_notebook_node(ran)
    [picture] = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert 'data-pin="LED" data-led="on"' in base64.b64decode(picture).decode()


def test_a_failing_cell_exits_1_naming_the_error_and_stops_there(tmp_path):
    source = notebook(tmp_path / "lab.ipynb",
                      "print('before')",
                      "from machine import Pin\nPin(99)",
                      "print('never')")
    out = tmp_path / "ran.ipynb"

    done = boardlab_run(source, "--board", BOARD, "--output", out)

    assert done.returncode == 1
    assert "a cell failed with ValueError: invalid pin" in done.stderr
    ran = nbformat.read(out, as_version=4)
    assert outputs_text(ran.cells[0]) == "before\n"
    assert "ValueError: invalid pin" in outputs_text(ran.cells[1])
    assert ran.cells[2].outputs == [] and ran.cells[2].execution_count is None


def test_a_misused_magic_fails_the_run_too(tmp_path):
    source = notebook(tmp_path / "lab.ipynb", "%conect sim://pico")

    done = boardlab_run(source, "--board", BOARD)

    assert done.returncode == 1
    assert "UsageError" in done.stderr and "Did you mean %connect?" in done.stderr


def test_a_missing_notebook_exits_2(tmp_path):
    done = boardlab_run(tmp_path / "nowhere.ipynb")

    assert done.returncode == 2
    assert f"no notebook at {tmp_path / 'nowhere.ipynb'}" in done.stderr
