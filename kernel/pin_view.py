"""The pin view: the board's pins with their states, and inputs for the
simulated board's parts, as one widget that `%pins` shows.

How it stays current:

* Simulated board: a task on the kernel's event loop reads its pins
  directly (Connection.simulated, interpreter/hardware.py) up to LIVE_RATE
  times a second and redraws only when something
  changed, so the view moves while a cell runs (a blinking LED blinks) and
  never sends more than LIVE_RATE widget messages a second.
* Real board: after each cell (the kernel's after-cell hook) and when the
  Refresh button is pressed, one small raw-REPL query (pin_states) reads
  the pins. It goes through Connection.try_call, which gives up at once if
  the board is busy: nothing ever enters the raw REPL while a cell runs.

After each cell the static copy the notebook keeps (the picture beside the
widget, display.picture) is updated too, so a saved notebook shows the board
as it was.
"""

import asyncio
import logging
import time

import ipywidgets as widgets

from boardlab.kernel import board_inputs, display, pin_picture, pin_states
from boardlab.transport.errors import BoardExecError, TransportError

log = logging.getLogger(__name__)

LIVE_RATE = 20   # redraws a second at most, simulated board


class PinView:
    def __init__(self, kernel):
        self.kernel = kernel
        self.picture = widgets.HTML(_dom_classes=["boardlab-pin-picture"])
        self.status = widgets.HTML(_dom_classes=["boardlab-pin-status"])
        self.refresh_button = widgets.Button(
            description="Refresh", tooltip="read the pins again (on a real board: "
                                           "only while no cell runs)",
            layout=widgets.Layout(width="auto"))
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.inputs = widgets.VBox(_dom_classes=["boardlab-inputs"])
        side = widgets.VBox([self.inputs, widgets.HBox([self.refresh_button, self.status])],
                            layout=widgets.Layout(padding="28px 0 0 12px"))
        self.widget = widgets.HBox([self.picture, side], _dom_classes=["boardlab-pin-view"])
        self.layout = None
        self.readings = None
        self.note = ""
        self.redraws = 0
        self.queries = 0
        self._board = None         # the simulated board's hardware the inputs act on
        self._live = False
        self._drawn = None
        self._saved = None         # what the static copy shows
        self._display_ids = []
        self._task = None
        self._loop = None          # the kernel's main event loop

    # -- showing

    async def show(self):
        """Display the view under the current cell (again, if shown before)."""
        self.update()
        if self._simulated() is None and self.kernel.connection is not None:
            await self.query_real_board()
        display_id = display.new_display_id()
        self._display_ids.append(display_id)
        display.publish(self.kernel, self.bundle(), display_id)
        self._saved = self._state()
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._task = self._loop.create_task(self._follow())

    def bundle(self):
        """Widget view, plus the picture and a text summary for viewers
        without widgets (a reopened notebook, nbconvert, GitHub)."""
        return {**display.widget_view(self.widget),
                **display.picture(self.svg(live=False), self.text())}

    def svg(self, live=None):
        layout = self.layout or pin_picture.layout_for("board")
        return pin_picture.render(layout, self.readings, self.note,
                                  live=self._live if live is None else live)

    def text(self):
        """The states as text: the pins doing something, one per line."""
        title = self.layout.title if self.layout else "No board"
        lines = [f"{title}: {self.note}" if self.note else title]
        if self.readings and self.layout:
            names = {pin_picture.gpio_of(n): n for n in self.layout.left + self.layout.right}
            for reading in self.readings:
                key, text = pin_picture.describe(reading)
                if key not in ("idle", "unknown"):
                    name = names.get(reading.gpio, f"GPIO{reading.gpio}")
                    if reading.gpio == self.layout.led:
                        name = "LED" if reading.gpio not in names else f"{name} (LED)"
                    lines.append(f"  {name}: {text}")
        return "\n".join(lines)

    # -- keeping current

    def _simulated(self):
        connection = self.kernel.connection
        board = connection.simulated if connection is not None else None
        if board is None or board.closed:
            return None
        return board

    def update(self):
        """Read the simulated board now (no-op for a real board)."""
        board = self._simulated()
        if board is not self._board:
            self._attach(board)
        if board is not None:
            self.readings = pin_states.read_simulated(board)
        elif self.kernel.connection is None:
            self.readings, self.note = None, "no board connected"
        self._redraw()

    def _attach(self, board):
        self._board = board
        old, self.inputs.children = self.inputs.children, ()
        for control in old:    # the parts of a board we left
            _close(control)
        if board is None:
            self._live = False
            self.layout = None
            self.readings = None
            self.note = ""
            return
        definition = board.definition
        led = definition.led
        led_pin = None
        if led is not None and led >= definition.gpio_count:
            led_pin = definition.pin_name(led)
        elif led is not None and definition.name not in pin_picture.PICO_HEADER:
            led_pin = f"GPIO{led}"
        self.layout = pin_picture.layout_for(
            definition.name, definition.gpio_count, led,
            title=f"{definition.machine} (simulated)",
            skip=definition.invalid_pins, led_pin=led_pin)
        self._live = True
        self.note = ""
        self.inputs.children = tuple(board_inputs.controls(board))
        self.status.value = "live"

    def _redraw(self):
        state = (self.layout, self.readings, self.note, self._live)
        if state == self._drawn:
            return
        self._drawn = state
        self.picture.value = self.svg()
        self.redraws += 1

    def _state(self):
        return (self.layout, self.readings, self.note)

    async def _follow(self):
        """The live loop: at most LIVE_RATE redraws a second, only on change."""
        while True:
            try:
                await asyncio.sleep(1 / LIVE_RATE)
                if self._simulated() is not None or self._board is not None:
                    self.update()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("pin view update failed")

    def after_cell(self):
        """The kernel's after-cell hook: bring the view and its saved copy
        up to date (a real board is asked once, after the cell)."""
        if self._simulated() is not None or self.kernel.connection is None:
            self.update()
            self._save()
        else:
            asyncio.ensure_future(self._query_and_save())

    def refresh(self):
        """The Refresh button. Widget callbacks may run in a subshell's
        thread (JupyterLab sends comm messages to one): the work is handed
        to the kernel's main event loop, where the live loop runs too."""
        if self._loop is not None and self._loop is not _running_loop():
            self._loop.call_soon_threadsafe(self._refresh_now)
        else:
            self._refresh_now()

    def _refresh_now(self):
        if self._simulated() is not None or self.kernel.connection is None:
            self._drawn = None
            self.update()
        else:
            asyncio.ensure_future(self.query_real_board())

    async def _query_and_save(self):
        await self.query_real_board()
        self._save()

    async def query_real_board(self):
        """One pin query on a real board, unless a cell runs on it."""
        connection = self.kernel.connection
        if connection is None or connection.simulated is not None:
            return
        if self._board is not None:
            self._attach(None)
        try:
            output = await asyncio.to_thread(connection.try_call, connection.repl.exec,
                                             pin_states.QUERY_SNIPPET)
        except (TransportError, BoardExecError, OSError) as err:
            self.status.value = f"could not read the pins: {_first_line(err)}"
            return
        if output is None:
            self.status.value = "a cell is running: the pins are read after it"
            return
        self.queries += 1
        try:
            answer = pin_states.decode_query(output)
        except ValueError:
            self.status.value = "the board's answer was not understood"
            log.warning("pin query answer: %r", output)
            return
        self.layout = _real_layout(answer.machine)
        self.readings = answer.readings
        self.note = answer.note or f"as of {time.strftime('%H:%M:%S')}, after the last cell"
        self.status.value = "read after each cell" if answer.readings else "states unknown"
        self._redraw()

    def _save(self):
        """Update the copy a saved notebook shows, when the board changed."""
        state = self._state()
        if state == self._saved or not self._display_ids:
            return
        self._saved = state
        bundle = self.bundle()
        for display_id in self._display_ids:
            display.publish(self.kernel, bundle, display_id, update=True)


def _close(widget):
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _real_layout(machine):
    if "RP2040" in machine and "Pico" in machine:
        # The Pico W's LED hangs off the wireless chip, not a GPIO.
        led = None if "Pico W" in machine else 25
        return pin_picture.layout_for("pico", led=led, title=machine)
    # Pins of other boards are not read: draw the board without pins.
    return pin_picture.Layout(machine or "board", (), (), None)


def _first_line(err):
    text = str(err) or type(err).__name__
    return text.splitlines()[0]


def view_for(kernel):
    """The kernel's one pin view (made on first use; its after-cell hook
    registered with the kernel)."""
    view = getattr(kernel, "_boardlab_pin_view", None)
    if view is None:
        view = PinView(kernel)
        kernel._boardlab_pin_view = view
        hooks = getattr(kernel, "after_cell", None)
        if hooks is not None:
            hooks.append(view.after_cell)
    return view
