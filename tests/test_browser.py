"""What a person sees in JupyterLab, in a real browser, with the kernel
"MicroPython (BoardLab)" on the simulated Pico (sim://pico)."""

import os
from pathlib import Path

from browser import browser, browser_context, lab, page  # noqa: F401  (fixtures)
from browser import open_notebook, write_notebook

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"


def open_cells(page, lab, name, cells):  # noqa: F811
    write_notebook(lab, name, cells)
    return open_notebook(page, lab, name)


def test_print_appears_under_the_cell(page, lab):  # noqa: F811
    notebook = open_cells(page, lab, "hello", ["print('hello from the board')"])
    notebook.run_cell(0)
    assert notebook.wait_for_text(0, "hello from the board").strip() == "hello from the board"


def test_an_error_shows_the_boards_traceback(page, lab):  # noqa: F811
    notebook = open_cells(page, lab, "error", ["1/0"])
    notebook.run_cell(0)
    notebook.wait_for_text(0, "ZeroDivisionError")
    assert "ZeroDivisionError: divide by zero" in notebook.error_text(0)


def test_the_led_turns_on(page, lab):  # noqa: F811
    notebook = open_cells(page, lab, "led", [
        "from machine import Pin\nled = Pin('LED', Pin.OUT)\nled.on()\nprint(led.value())"])
    assert notebook.run_cell(0).strip() == "1"


BLINK = [
    ("markdown", "# Blink\nThe Pico's LED, on the simulated board: no hardware needed."),
    "from machine import Pin\nimport time\n\nled = Pin('LED', Pin.OUT)\n"
    "for n in range(4):\n    led.toggle()\n"
    "    print('blink', n + 1, '- LED', 'on' if led.value() else 'off')\n"
    "    time.sleep_ms(250)",
    "import sys\nprint(sys.implementation.name, sys.platform)",
]


def test_a_blink_notebook_runs_all_cells(page, lab, tmp_path):  # noqa: F811
    """Run > Run All Cells on a small example; the picture is docs/screenshot.png
    when BOARDLAB_UPDATE_SCREENSHOT=1 (otherwise it goes to a temp folder)."""
    notebook = open_cells(page, lab, "blink", BLINK)
    notebook.run_all()
    assert notebook.output_text(1).splitlines() == [
        "blink 1 - LED on", "blink 2 - LED off", "blink 3 - LED on", "blink 4 - LED off"]
    assert notebook.output_text(2).strip() == "micropython rp2"
    notebook.hide_file_browser()
    update = os.environ.get("BOARDLAB_UPDATE_SCREENSHOT") == "1"
    picture = notebook.screenshot(SCREENSHOT if update else tmp_path / "blink.png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
