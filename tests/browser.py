"""JupyterLab in a real browser: a Jupyter server on loopback with this working
tree's kernelspec, Debian's chromium driven by Playwright, and the few things a
person does with a notebook (open it, run cells, read what appears below them).

Fixtures: `lab` (the server, one per session), `other_lab` (a second server,
as on another machine), `browser` and `browser_context` (chromium and one
profile, one per session), `page` (a new tab per test; the kernels it started
are shut down after the test). Tests skip with the reason when chromium or
Playwright is missing, unless BOARDLAB_REQUIRE_BROWSER=1, which makes that a
failure.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

CHROMIUM = os.environ.get("BOARDLAB_CHROMIUM", "/usr/bin/chromium")
# No network here but package registries: every background connection
# Chromium would make on its own (updates, sync, QUIC probes) is switched off.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
SERVER_START_TIMEOUT = 60  # seconds until /api/status answers
KERNEL_START_TIMEOUT = 60  # seconds until a new notebook's kernel is idle
CELL_TIMEOUT = 30          # seconds a cell may run

BOARDLAB_KERNEL = {"name": "boardlab", "display_name": "MicroPython (BoardLab)",
                   "language": "micropython"}
PYTHON_KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                 "language": "python"}

# JupyterLab 4's user settings: no "get notified about Jupyter news?" toast,
# no update check (both would also reach for the network).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def _missing_browser(reason):
    """Skip, or fail when the run promised a browser."""
    reason += " (scripts/browser-deps.sh installs it)"
    if os.environ.get("BOARDLAB_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; BOARDLAB_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running `jupyter lab` server: where it is, and how to talk to it."""

    def __init__(self, process, port, token, root, log):
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.root = root
        self.log = log

    def address(self, path):
        """A browser address with the token, e.g. address('/lab/tree/a.ipynb')."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, method, path, timeout=10):
        request = urllib.request.Request(
            self.base + path, method=method,
            headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines=40):
        text = Path(self.log).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def wait_until_up(self, timeout=SERVER_START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {timeout}s:\n" + self.log_tail())

    def shutdown_kernels(self):
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self):
        """Ask the server to shut down (it stops its kernels), then insist."""
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
            except (OSError, urllib.error.URLError):
                pass
        for ask in (None, self.process.terminate, self.process.kill):
            if ask:
                ask()
            try:
                self.process.wait(timeout=15)
                return
            except subprocess.TimeoutExpired:
                pass


def start_lab(home):
    """`jupyter lab` from this interpreter's environment, headless, on a free
    loopback port, serving home/notebooks, with its own settings, config,
    data and runtime folders under `home` (the data folder holds the
    signatures of the notebooks it saved: which ones it trusts). The
    kernelspec fixture has set JUPYTER_PATH, so the server finds this
    working tree's "boardlab" kernel."""
    root, settings = home / "notebooks", home / "settings"
    root.mkdir()
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.answer_yes=True",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # jupyter refuses root without it
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(home / "config"),    # no user config leaks in
               JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               BOARDLAB_BOARD="sim://pico")
    log = home / "jupyter-lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = Lab(process, port, token, root, log)
    try:
        server.wait_until_up()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def lab(kernelspec, tmp_path_factory):
    """The JupyterLab server the browser tests use, one per session."""
    server = start_lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def other_lab(kernelspec, tmp_path_factory):
    """A second JupyterLab, as on another machine: it trusts none of the
    notebooks the first one saved (a lab handed out, a notebook sent on)."""
    server = start_lab(tmp_path_factory.mktemp("other-lab"))
    yield server
    server.stop()


# Module scope, not session: Playwright's sync API keeps an event loop running
# in the main thread while it is started, which would break later tests that
# run asyncio themselves.
@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, through Playwright (never a downloaded build)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("Playwright for Python is not installed in this environment")
    if not os.access(CHROMIUM, os.X_OK):
        _missing_browser(f"Chromium is not at {CHROMIUM}")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def browser_context(browser):
    """One browser profile for the module: JupyterLab's scripts load from its
    cache after the first page (a fresh profile per test costs seconds)."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, lab):
    """A new browser tab; afterwards it is closed and the kernels of the
    notebooks it opened are shut down."""
    tab = browser_context.new_page()
    yield tab
    tab.close()
    lab.shutdown_kernels()


def write_notebook(lab, name, cells, kernel=BOARDLAB_KERNEL):
    """Write NAME.ipynb into the server's folder. A cell is a string (code) or
    ('markdown', text). The metadata names the kernelspec, so JupyterLab starts
    that kernel without asking."""
    made = []
    for cell in cells:
        if isinstance(cell, tuple) and cell[0] == "markdown":
            made.append(nbformat.v4.new_markdown_cell(cell[1]))
        else:
            made.append(nbformat.v4.new_code_cell(cell))
    notebook = nbformat.v4.new_notebook(cells=made)
    notebook.metadata["kernelspec"] = dict(kernel)
    path = Path(lab.root) / f"{name}.ipynb"
    nbformat.write(notebook, str(path))
    return path


def open_notebook(page, lab, name, kernel=BOARDLAB_KERNEL, timeout=KERNEL_START_TIMEOUT):
    """Open NAME.ipynb in the tab and wait until its kernel is idle. `?reset`
    starts from an empty workspace: without it JupyterLab reopens every
    notebook opened before (the workspace lives on the server), each starting
    its kernel again."""
    page.goto(lab.address(f"/lab/tree/{name}.ipynb?reset"))
    notebook = notebook_in_tab(page, f"{name}.ipynb", kernel, timeout)
    notebook.dismiss_notifications()
    return notebook


def notebook_in_tab(page, filename, kernel=BOARDLAB_KERNEL, timeout=KERNEL_START_TIMEOUT):
    """The notebook FILENAME once JupyterLab shows it in a tab of the page
    and its kernel is idle."""
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab",
                       has_text=re.compile(rf"^{re.escape(filename)}$"))
    tab.wait_for(timeout=timeout * 1000)
    panel = f'#jp-main-dock-panel [id="{tab.get_attribute("data-id")}"]'
    notebook = Notebook(page, kernel, panel, tab)
    notebook.wait_for_kernel_idle(timeout)
    return notebook


_PROMPT_DONE = re.compile(r"^\[\d+\]:$")


class Notebook:
    """The notebook a person sees in the tab, addressed by cell index (0-based,
    counting markdown cells too)."""

    def __init__(self, page, kernel, panel, tab):
        self.page = page
        self.kernel = kernel
        self.panel = panel  # CSS selector of this notebook's panel
        self.tab = tab      # its tab in the main area (a locator)

    # -- what is on the screen

    def cell(self, index):
        return self.page.locator(f"{self.panel} .jp-Cell").nth(index)

    def prompt(self, index):
        return self.cell(index).locator(".jp-InputPrompt").inner_text().strip()

    def kernel_status(self):
        """The toolbar's kernel name and the execution indicator's state
        ('idle', 'busy', 'starting', 'connecting', 'dead', ...)."""
        return self.page.evaluate("""(selector) => {
            const panel = document.querySelector(selector);
            if (!panel) return [null, null];
            const name = panel.querySelector('.jp-Toolbar-kernelName');
            const state = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return [name && name.textContent.trim(),
                    state && state.getAttribute('data-status')];
        }""", self.panel)

    def dialog_text(self):
        dialogs = self.page.locator(".jp-Dialog")
        return dialogs.first.inner_text() if dialogs.count() else None

    def output_text(self, index):
        """Everything under the cell, as text, outputs joined by newlines."""
        outputs = self.cell(index).locator(".jp-OutputArea-output")
        return "\n".join(outputs.nth(i).inner_text() for i in range(outputs.count()))

    def error_text(self, index):
        """The red part under the cell: error outputs and stderr."""
        outputs = self.cell(index).locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        return "\n".join(outputs.nth(i).inner_text() for i in range(outputs.count()))

    # -- waiting

    def _wait(self, ready, timeout, what, seen=None):
        """Poll ready() until true; on timeout say what was on the screen
        (the kernel's state, and seen() when given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dialog = self.dialog_text()
            if dialog:
                raise AssertionError(f"a dialog appeared while waiting for {what}:\n{dialog}")
            if ready():
                return
            self.page.wait_for_timeout(100)
        name, state = self.kernel_status()
        found = f"; found:\n{seen()}" if seen else ""
        raise AssertionError(
            f"no {what} within {timeout}s (kernel {name!r} is {state!r}){found}")

    def wait_for_kernel_idle(self, timeout=KERNEL_START_TIMEOUT, steady=0.5):
        """Idle, with the right kernel, for `steady` seconds: at start the
        indicator goes idle, connecting, idle, so one glimpse is not enough."""
        since = [None]

        def ready():
            if self.kernel_status() != [self.kernel["display_name"], "idle"]:
                since[0] = None
                return False
            since[0] = since[0] or time.monotonic()
            return time.monotonic() - since[0] >= steady

        self._wait(ready, timeout, f"idle kernel {self.kernel['display_name']!r}")

    def wait_for_text(self, index, text, timeout=CELL_TIMEOUT):
        """Wait until `text` appears under cell `index`; returns all its output."""
        self._wait(lambda: text in self.output_text(index), timeout,
                   f"{text!r} under cell {index}", seen=lambda: self.output_text(index))
        return self.output_text(index)

    # -- doing

    def dismiss_notifications(self):
        for close in self.page.locator(".jp-toastContainer .jp-Notification-Toast-Close").all():
            close.click()

    def run_cell(self, index, timeout=CELL_TIMEOUT):
        """Select the cell and press Shift+Enter, as a person does; wait until
        it has run (its prompt went through [*] and shows an execution count).
        Returns its output."""
        prompt = self.cell(index).locator(".jp-InputPrompt")
        before = self.prompt(index)
        # A stored notebook's prompt may show the count it will show again
        # ([1] for a new kernel's first cell), and a quick cell's [*] can come
        # and go between two looks: an observer on the prompt sees every change.
        prompt.evaluate("""(prompt) => {
            prompt.boardlabSawRunning = false;
            new MutationObserver(() => {
                if (prompt.textContent.includes('*')) prompt.boardlabSawRunning = true;
            }).observe(prompt, {childList: true, characterData: true, subtree: true});
        }""")
        self.start_cell(index)

        def ran():
            now = self.prompt(index)
            return bool(_PROMPT_DONE.match(now)) and (
                now != before or prompt.evaluate("(prompt) => prompt.boardlabSawRunning"))

        self._wait(ran, timeout, f"end of cell {index} (prompt was {before!r})",
                   seen=lambda: f"prompt {self.prompt(index)!r}, output:\n{self.output_text(index)}")
        return self.output_text(index)

    def start_cell(self, index):
        """Select the cell and press Shift+Enter; do not wait for it."""
        self.cell(index).locator(".jp-InputPrompt").click()
        self.page.keyboard.press("Shift+Enter")

    def stop(self):
        """The toolbar's stop button (Interrupt the kernel)."""
        self.page.locator(f"{self.panel} [data-command='notebook:interrupt-kernel']").click()

    def run_all(self, timeout=CELL_TIMEOUT):
        """Run > Run All Cells from the menu bar; wait until no cell is still
        running and the kernel is idle (a failing cell stops the rest)."""
        first_code = self.page.locator(f"{self.panel} .jp-CodeCell").first
        before = first_code.locator(".jp-InputPrompt").inner_text().strip()
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        prompts = self.page.locator(f"{self.panel} .jp-CodeCell .jp-InputPrompt")

        def done():
            first = first_code.locator(".jp-InputPrompt").inner_text().strip()
            if not _PROMPT_DONE.match(first) or first == before:
                return False
            running = any(p.strip() == "[*]:" for p in prompts.all_inner_texts())
            return not running and self.kernel_status()[1] == "idle"

        self._wait(done, timeout, "end of Run All Cells")

    def save(self, timeout=CELL_TIMEOUT):
        """Ctrl+S, as a person saves; wait until the tab no longer marks
        unsaved changes (the server has written the file)."""
        self.page.keyboard.press("Control+s")
        self._wait(lambda: "jp-mod-dirty" not in (self.tab.get_attribute("class") or ""),
                   timeout, "the notebook saved")

    def hide_file_browser(self):
        """View > Appearance > Show Left Sidebar off, for a wider notebook."""
        if self.page.locator("#jp-left-stack:visible").count():
            self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^View$")).click()
            self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Appearance$")).hover()
            self.page.locator(".lm-Menu-itemLabel",
                              has_text=re.compile(r"^Show Left Sidebar$")).click()
            self.page.locator("#jp-left-stack").wait_for(state="hidden", timeout=5000)

    def screenshot(self, path):
        """What the tab shows now, as a PNG (notifications closed first)."""
        self.dismiss_notifications()
        self.page.mouse.move(0, VIEWPORT["height"] - 1)  # no hover tooltips
        self.page.screenshot(path=str(path))
        return Path(path)
