"""What a person sees in JupyterLab, in a real browser, with the kernel
"MicroPython (BoardLab)" on the simulated Pico (sim://pico)."""

import base64
import os
import re
import shutil
from pathlib import Path

import nbformat

from browser import browser, browser_context, lab, other_lab, page  # noqa: F401  (fixtures)
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


def test_input_asks_in_a_box_and_the_stop_button_ends_the_wait(page, lab):  # noqa: F811
    ask = "print('Hello,', input('Your name? '))"
    notebook = open_cells(page, lab, "input", [ask, ask])
    notebook.start_cell(0)
    notebook.cell(0).locator(".jp-Stdin-input").wait_for(timeout=30_000)
    assert "Your name?" in notebook.output_text(0)
    notebook.stop()
    notebook.wait_for_text(0, "KeyboardInterrupt")
    # The next cell's input() gets the line typed for it.
    notebook.start_cell(1)
    box = notebook.cell(1).locator(".jp-Stdin-input")
    box.wait_for(timeout=30_000)
    box.fill("Ada")
    box.press("Enter")
    notebook.wait_for_text(1, "Hello, Ada")
    notebook.wait_for_kernel_idle()


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


# -- seeing the board: the pin view, its inputs, live plots -----------------------

WIDGETS_SCREENSHOT = SCREENSHOT.parent / "screenshot-widgets.png"

SEE_THE_BOARD = [
    "%pins",
    "from machine import Pin\nled = Pin('LED', Pin.OUT)\nled.on()",
    "import time\nbutton = Pin(14, Pin.IN, Pin.PULL_UP)\nlast = None\n"
    "for i in range(160):\n    now = button.value()\n    if now != last:\n"
    "        time.sleep_ms(20)  # the contacts bounce: read again once settled\n"
    "        now = button.value()\n"
    "        print('button', 'pressed' if now == 0 else 'released')\n        last = now\n"
    "    time.sleep_ms(50)",
    "%%plot --quiet --title 'Printed by the board'\nimport math, time\n"
    "for i in range(150):\n"
    "    print('sin:', math.sin(i / 15), 'cos:', 0.5 * math.cos(i / 10))\n"
    "    time.sleep_ms(20)",
]


def start_cell(notebook, index):
    """Shift+Enter on a cell, without waiting for it to end."""
    notebook.cell(index).locator(".jp-InputPrompt").click()
    notebook.page.keyboard.press("Shift+Enter")
    notebook.cell(index).locator(".jp-InputPrompt", has_text="[*]").wait_for(timeout=10_000)


def wait_until_done(notebook, index, timeout=30):
    prompt = notebook.cell(index).locator(".jp-InputPrompt")
    prompt.filter(has_text=re.compile(r"^\[\d+\]:$")).wait_for(timeout=timeout * 1000)


def test_the_pin_view_its_button_and_a_live_plot(page, lab, tmp_path):  # noqa: F811
    """The LED lit in the pin view, a button in the view pressed while a
    loop runs, a plot drawn live and kept as a picture. The picture is
    docs/screenshot-widgets.png when BOARDLAB_UPDATE_SCREENSHOT=1."""
    notebook = open_cells(page, lab, "see", SEE_THE_BOARD)
    notebook.hide_file_browser()
    view = notebook.cell(0).locator(".boardlab-pin-view")
    notebook.run_cell(0)
    view.locator('[data-pin="LED"][data-led="off"]').wait_for(timeout=10_000)

    notebook.run_cell(1)
    view.locator('[data-pin="LED"][data-led="on"]').wait_for(timeout=10_000)

    start_cell(notebook, 2)
    notebook.wait_for_text(2, "button released")
    view.locator(".boardlab-part-button button").hover()
    page.mouse.down()                                # held down: pressed
    notebook.wait_for_text(2, "button pressed")
    view.locator('[data-pin="GP14"][data-state="in-low"]').wait_for(timeout=5_000)
    page.mouse.up()                                  # let go: released again
    wait_until_done(notebook, 2)
    assert notebook.output_text(2).splitlines() == [
        "button released", "button pressed", "button released"]

    start_cell(notebook, 3)
    live = notebook.cell(3).locator(".boardlab-live-plot polyline[data-series='sin']")
    live.wait_for(timeout=10_000)                    # drawn while the cell runs
    wait_until_done(notebook, 3)
    picture = notebook.cell(3).locator(".jp-OutputArea-output img")
    picture.wait_for(timeout=10_000)                 # the picture the notebook keeps
    assert notebook.cell(3).locator(".boardlab-live-plot").count() == 0

    update = os.environ.get("BOARDLAB_UPDATE_SCREENSHOT") == "1"
    page.set_viewport_size({"width": 1280, "height": 1500})
    notebook.cell(0).scroll_into_view_if_needed()
    shot = notebook.screenshot(WIDGETS_SCREENSHOT if update else tmp_path / "widgets.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_slider_moved_in_the_browser_reaches_a_running_loop(page, lab):  # noqa: F811
    notebook = open_cells(page, lab, "slider", [
        "%pins",
        "from machine import ADC\nimport time\nadc = ADC(26)\nfor i in range(100):\n"
        "    print('knob', adc.read_u16())\n    time.sleep_ms(50)",
    ])
    notebook.run_cell(0)
    view = notebook.cell(0).locator(".boardlab-pin-view")
    view.wait_for(timeout=10_000)
    slider = view.locator(".boardlab-part-potentiometer")
    assert slider.count() == 1
    start_cell(notebook, 1)
    notebook._wait(lambda: "knob" in notebook.output_text(1) or "Error" in notebook.output_text(1),
                   10, "the loop's first reading")
    assert "Error" not in notebook.output_text(1), notebook.output_text(1)
    track = slider.locator(".noUi-target")
    box = track.bounding_box()
    # Clicking the track moves the knob there (noUiSlider's "tap").
    track.click(position={"x": box["width"] * 0.95, "y": box["height"] / 2})
    assert slider.locator(".widget-readout").inner_text().strip() == "95"

    def high():
        values = [int(line.split()[1]) for line in notebook.output_text(1).splitlines()
                  if line.startswith("knob ")]
        return values and values[-1] > 55000

    notebook._wait(high, 10, "a reading near the top after moving the knob",
                   seen=lambda: notebook.output_text(1)[-200:])
    wait_until_done(notebook, 1)


# -- the push button: pressed while held, and the same everywhere -------------------

CHECK = ("%part button\nfrom machine import Pin\nimport time\ntime.sleep_ms(20)\n"
         "print('pin', Pin(14, Pin.IN, Pin.PULL_UP).value())")
PUSH_BUTTON = [
    "%pins",                                                        # 0
    CHECK,                                                          # 1
    "%pins",                                                        # 2: a new view
    "%softreset",                                                   # 3
    "import machine\nmachine.reset()",                              # 4: a hard reset
    "%part button release",                                         # 5
    "%part button press",                                           # 6
    "b = Pin(14, Pin.IN, Pin.PULL_UP)\nfor i in range(300):\n"      # 7: a loop that
    "    if b.value() == 0:\n        break\n    time.sleep_ms(20)\n"   # ends at a press
    "print('saw the press')",
]
PRESSED = "button: pressed (Push button on GP14)\npin 0"
RELEASED = "button: released (Push button on GP14)\npin 1"


class PushButtonOnScreen:
    """The push button in one view of %pins, as a person sees it."""

    def __init__(self, notebook, cell):
        view = notebook.cell(cell).locator(".boardlab-pin-view")
        self.view = view
        self.button = view.locator(".boardlab-part-button button")
        self.hold = view.locator(".boardlab-part-button .boardlab-push-hold input")

    def wait_for(self, pressed, held=None):
        """Until the button looks pressed (or not), the pin picture beside it
        shows GP14 low (or high), and the hold box is ticked as `held` says."""
        from playwright.sync_api import expect    # here: without Playwright the tests skip
        timeout = 10_000
        expect(self.button).to_have_attribute(
            "aria-pressed", "true" if pressed else "false", timeout=timeout)
        expect(self.view.locator('[data-pin="GP14"]')).to_have_attribute(
            "data-state", "in-low" if pressed else "in-high", timeout=timeout)
        if held is not None:
            expect(self.hold).to_be_checked(checked=held, timeout=timeout)

    def look(self):
        """What sets a pressed button apart on the screen."""
        return self.button.evaluate(
            "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.transform]; }")


def check(notebook):
    """%part's answer and the pin's level, from a cell."""
    return notebook.run_cell(1).strip()


def test_the_push_button_is_pressed_while_held_and_agrees_with_part_and_pin(page, lab):  # noqa: F811
    notebook = open_cells(page, lab, "push", PUSH_BUTTON)
    notebook.run_cell(0)
    assert check(notebook) == RELEASED          # sets GP14 up as an input with its pull-up
    first = PushButtonOnScreen(notebook, 0)
    first.wait_for(pressed=False, held=False)

    # Held down with the mouse: pressed until the mouse button comes up.
    up = first.look()
    first.button.hover()
    page.mouse.down()
    first.wait_for(pressed=True, held=False)
    down = first.look()
    assert down[0] != up[0] and down[1] != up[1], (up, down)   # lit and sunk
    page.mouse.up()
    first.wait_for(pressed=False)
    assert first.look() == up
    assert check(notebook) == RELEASED

    # A drag off the button still lets go of it.
    first.button.hover()
    page.mouse.down()
    first.wait_for(pressed=True)
    page.mouse.move(5, 5)
    page.mouse.up()
    first.wait_for(pressed=False)

    # The space key, while the button has the focus.
    first.button.focus()
    page.keyboard.down(" ")
    first.wait_for(pressed=True, held=False)
    page.keyboard.up(" ")
    first.wait_for(pressed=False)
    assert check(notebook) == RELEASED

    # A click, press and release at once, while no cell runs: released after it.
    first.button.click()
    first.wait_for(pressed=False)
    assert check(notebook) == RELEASED

    # Hold: pressed after the mouse lets go, for %part and the pin too.
    first.hold.check()
    first.wait_for(pressed=True, held=True)
    assert check(notebook) == PRESSED

    # A new %pins shows it pressed, and so does the first view, through both resets.
    notebook.run_cell(2)
    second = PushButtonOnScreen(notebook, 2)
    second.wait_for(pressed=True, held=True)
    notebook.run_cell(3)
    assert check(notebook) == PRESSED
    notebook.run_cell(4)
    assert "restarted" in notebook.error_text(4)
    assert check(notebook) == PRESSED
    for view in (first, second):
        view.wait_for(pressed=True, held=True)

    # %part lets go: every view lets go. A press from %part shows as held.
    notebook.run_cell(5)
    for view in (first, second):
        view.wait_for(pressed=False, held=False)
    assert check(notebook) == RELEASED
    notebook.run_cell(6)
    for view in (first, second):
        view.wait_for(pressed=True, held=True)
    assert check(notebook) == PRESSED
    second.hold.uncheck()                       # unticked in one view: released in both
    for view in (first, second):
        view.wait_for(pressed=False, held=False)
    assert check(notebook) == RELEASED

    # Held down while a cell runs: the running loop sees the press.
    start_cell(notebook, 7)
    second.button.hover()
    page.mouse.down()
    notebook.wait_for_text(7, "saw the press")
    page.mouse.up()
    first.wait_for(pressed=False)
    wait_until_done(notebook, 7)


def test_a_saved_pin_view_shows_the_board_where_its_kernel_is_gone(
        page, lab, other_lab, browser_context):  # noqa: F811
    """%pins, the LED lit, saved; the file opened in another JupyterLab (a
    lab handed out, a notebook sent to a teacher): the board as it was, a
    picture, not the text summary beside it."""
    notebook = open_cells(page, lab, "saved-pins", [
        "%pins", "from machine import Pin\nPin('LED', Pin.OUT).on()"])
    view = notebook.cell(0).locator(".boardlab-pin-view")
    notebook.run_cell(0)
    view.locator('[data-pin="LED"][data-led="off"]').wait_for(timeout=10_000)
    notebook.run_cell(1)
    view.locator('[data-pin="LED"][data-led="on"]').wait_for(timeout=10_000)
    notebook.save()
    lab.shutdown_kernels()

    saved = Path(lab.root) / "saved-pins.ipynb"
    [output] = nbformat.read(str(saved), 4).cells[0].outputs
    # what nbconvert and GitHub have to show: the picture, the LED lit
    assert 'data-pin="LED" data-led="on"' in output.data["image/svg+xml"]
    shutil.copy(saved, Path(other_lab.root) / saved.name)
    tab = browser_context.new_page()
    try:
        reopened = open_notebook(tab, other_lab, "saved-pins")
        picture = reopened.cell(0).locator(".jp-OutputArea-output img")
        reopened._wait(lambda: picture.count() > 0, 10, "the saved picture under %pins",
                       seen=lambda: reopened.output_text(0))
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), \
            "the picture did not load"
        svg = base64.b64decode(picture.get_attribute("src").split(",", 1)[1]).decode()
        assert 'data-pin="LED" data-led="on"' in svg
        assert "LED: OUT high" not in reopened.output_text(0)
    finally:
        tab.close()
        other_lab.shutdown_kernels()
