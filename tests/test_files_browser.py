"""The upload progress bar as a person sees it in JupyterLab, in a real
browser: the simulated Pico behind a 115200-baud line (bench/paced_link.py),
so a 16 KB upload takes more than a second."""

import os
import sys
from pathlib import Path

import pytest

from boardlab.interpreter.pty import serve_pty
from browser import browser, browser_context, lab, page  # noqa: F401  (fixtures)
from browser import open_notebook, write_notebook

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
from paced_link import PacedLink  # noqa: E402


@pytest.fixture
def slow_board():
    served = serve_pty("sim://pico")
    line = PacedLink(served.path)
    yield line.path
    line.close()
    served.stop()


def test_a_slow_upload_shows_a_progress_bar_that_fills(page, lab, slow_board):  # noqa: F811
    (Path(lab.root) / "slow.bin").write_bytes(os.urandom(16_000))
    write_notebook(lab, "upload", [f"%connect {slow_board}", "%put slow.bin /slow.bin"])
    notebook = open_notebook(page, lab, "upload")
    assert notebook.run_cell(0).startswith(f"Connected to {slow_board}")
    said = notebook.run_cell(1)
    assert "Stored slow.bin on the board as /slow.bin (15.6 KB, checked by sha256)." in said
    assert said.startswith("put /slow.bin\n15.6 KB of 15.6 KB\n")  # the widget's labels
    assert notebook.cell(1).locator(".widget-hprogress .progress-bar-success").count() == 1
