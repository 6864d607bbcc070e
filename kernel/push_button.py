"""The push button of %pins: a simulated board's button (or touch pad),
pressed while the mouse, a finger or the space key holds it down and
released when let go; its "hold" box keeps it pressed.

ipywidgets' Button and ToggleButton only know clicks, not a button going
down and coming up, so this is a small anywidget (push_button.js). Its state
is two synced traits the browser sets, `pressed` and `held`, never custom
messages (those are lost when sent before the widget is on the screen): a
view shown later, by a new %pins, starts from the same state.

It follows its part both ways: `pressed` set in the browser presses or
releases the part, and a press or release from anywhere else (%part, a
`%%host` cell) sets `pressed`, so every view of the button shows what its
pin reads. A press from elsewhere lasts until a release: it ticks "hold".
A reset of the board changes neither: the button is outside the chip.
"""

import pathlib

import anywidget
import traitlets

HERE = pathlib.Path(__file__).parent


class PushButton(anywidget.AnyWidget):
    _esm = HERE / "push_button.js"
    _css = HERE / "push_button.css"

    label = traitlets.Unicode().tag(sync=True)
    pressed = traitlets.Bool(False).tag(sync=True)
    held = traitlets.Bool(False).tag(sync=True)     # the hold box: stays pressed when let go

    def __init__(self, part, **kwargs):
        """`part`: kind "button", with .label, .pressed, press(), release()
        and watch()/unwatch() (boards/parts.py)."""
        super().__init__(label=part.label, pressed=part.pressed, held=part.pressed, **kwargs)
        self.part = part
        self.observe(self._press_or_release, "pressed")
        part.watch(self._part_changed)

    def _press_or_release(self, change):
        if change["new"]:
            self.part.press()
        else:
            self.part.release()

    def _part_changed(self, part):
        """Runs in the thread that pressed or released the part. A press
        from this widget finds `pressed` already set: nothing is sent."""
        with self.hold_sync():
            if part.pressed != self.pressed:
                self.held = part.pressed
            self.pressed = part.pressed

    def close(self):
        self.part.unwatch(self._part_changed)
        super().close()
