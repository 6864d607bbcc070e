"""The README's main command, `./scripts/lab`, run as a new user runs it: in
a terminal, with extra arguments that go to `jupyter lab` (a free port, no
browser of its own), and the address it prints opened by hand in a real
browser. What it prints on the way is checked too: a first start shows
BoardLab's own two lines, then JupyterLab's log.

A first start installs into .venv. The venv is already there (./scripts/test
made it), so the test takes away the stamp that says it is installed: the
script then installs again, exactly as on a first run (BoardLab and the "lab"
extra are already present, so it takes seconds), and the stamp is put back
afterwards."""

import json
import os
import re
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pexpect
import pytest

from browser import BOARDLAB_KERNEL, VIEWPORT, browser, free_port, notebook_in_tab  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
FIRST_LAB = REPO / "notebooks" / "01-first-steps.ipynb"
STAMP = REPO / ".venv" / ".boardlab-installed"
START_TIMEOUT = 600  # seconds for the install and JupyterLab's start
FIRST_SCREEN = [
    "Installing BoardLab and its dependencies into .venv (lab); "
    "the first time takes a few minutes ...",
    "Starting JupyterLab on notebooks/01-first-steps.ipynb: "
    "open the address it prints below. Ctrl-C stops it.",
]
NEWS_SETTINGS = "@jupyterlab/apputils-extension:notification"
NEWS_QUESTION = "get notified about official Jupyter news"
# JupyterLab saves a notebook that was run; switched off for this test's
# user, so that the lab in notebooks/ stays as committed.
NO_AUTOSAVE = {"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings":
               {"autosave": False}}


@pytest.fixture
def first_start(tmp_path):
    """./scripts/lab started as on a first run, for a user with no Jupyter
    settings of their own; yields its terminal and port. The stamp and the
    lab are as they were afterwards."""
    settings = tmp_path / "config" / "lab" / "user-settings"
    for name, values in NO_AUTOSAVE.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    # Jupyter's folders are this test's own: no settings, workspaces or kernels
    # of the person running the tests, and none of the test run's (JUPYTER_PATH,
    # BOARDLAB_BOARD): the lab uses what the script installs.
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "BOARDLAB_BOARD")}
    env.update(TERM="dumb", JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    stamp = STAMP.read_bytes() if STAMP.exists() else None
    lab_before = FIRST_LAB.read_bytes()
    port = free_port()
    STAMP.unlink(missing_ok=True)
    terminal = pexpect.spawn("./scripts/lab", ["--no-browser", f"--port={port}"], cwd=str(REPO),
                             env=env, encoding="utf-8", timeout=START_TIMEOUT,
                             dimensions=(50, 250))
    try:
        yield terminal, port
    finally:
        if terminal.isalive():
            terminal.terminate(force=True)
        if stamp is not None:
            STAMP.write_bytes(stamp)
        if FIRST_LAB.read_bytes() != lab_before:
            FIRST_LAB.write_bytes(lab_before)
            pytest.fail(f"JupyterLab saved {FIRST_LAB} during the test (it is restored)")


class Server:
    """The Jupyter server the script started, asked over HTTP with its token."""

    def __init__(self, terminal, port, token):
        self.terminal, self.port, self.token = terminal, port, token

    def get(self, path, timeout=30):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def wait_until_listening(self, timeout=60):
        """The server prints its address, then starts listening."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.get("/api/status", timeout=5)
            except OSError:
                if not self.terminal.isalive() or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


def read_until_addresses(terminal):
    """What the terminal shows until JupyterLab has said where to open it."""
    terminal.expect("Or copy and paste one of these URLs:")
    screen = terminal.before + terminal.after
    terminal.expect(r"http://\S+\r\n")
    return (screen + terminal.before + terminal.after).replace("\r\n", "\n")


@pytest.mark.timeout(START_TIMEOUT + 300)
def test_the_readme_command_opens_lab_1_and_runs_its_first_cell(browser, first_start):  # noqa: F811
    terminal, port = first_start
    screen = read_until_addresses(terminal)

    # BoardLab's lines come first, then JupyterLab's log (lines in brackets):
    # no shell errors, no pip or setuptools notes.
    ours = re.split(r"^\[", screen, maxsplit=1, flags=re.M)[0]
    assert ours.splitlines() == FIRST_SCREEN, screen
    for noise in ("No such file or directory", "Editable installation", "Traceback"):
        assert noise not in screen, screen

    # Every address it prints is the first tutorial's, with the token.
    addresses = sorted(set(re.findall(r"http://\S+(?=\n)", screen)))
    assert addresses, screen
    for address in addresses:
        assert re.fullmatch(rf"http://[^/]+:{port}/lab/tree/01-first-steps\.ipynb\?token=\w+",
                            address), screen
    address = next((a for a in addresses if "127.0.0.1" in a), addresses[0])

    # For a user with no settings, the script's defaults say "no Jupyter news"
    # (so JupyterLab does not ask), as its settings service tells the page.
    server = Server(terminal, port, parse_qs(urlsplit(address).query)["token"][0])
    server.wait_until_listening()
    news = server.get(f"/lab/api/settings/{NEWS_SETTINGS}")
    assert news["schema"]["properties"]["fetchNews"]["default"] == "false"

    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(address)
        notebook = notebook_in_tab(page, FIRST_LAB.name)   # lab 1, its kernel idle
        assert notebook.kernel_status() == [BOARDLAB_KERNEL["display_name"], "idle"]

        cells = nbformat.read(FIRST_LAB, 4).cells
        first_code = next(i for i, cell in enumerate(cells) if cell.cell_type == "code")
        # The lab's outputs are stored from the board the notebook tests use;
        # the script's kernel runs on the default board, sim://pico.
        stored = cells[first_code].outputs[0]["text"]
        expected = stored.replace("sim://pico?time=virtual&seed=1", "sim://pico").strip()
        assert notebook.run_cell(first_code).strip() == expected

        toasts = page.locator(".jp-toastContainer")
        shown = toasts.inner_text() if toasts.count() else ""
        assert NEWS_QUESTION not in shown, shown
    finally:
        context.close()

    terminal.sendintr()                                   # Ctrl-C stops it
    terminal.expect(pexpect.EOF, timeout=60)
    terminal.close()
    assert terminal.exitstatus == 0, terminal.before
