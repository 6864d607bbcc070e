"""Controls that act on the simulated board's parts: a push button for each
button (pressed while held down; push_button.py), a slider for each analog
part (potentiometer, temperature, humidity), a text box for UART input.

They act while a cell runs: ipykernel 7.4 handles comm messages alongside
an async cell awaiting the board, and those JupyterLab sends on a subshell
on that subshell's thread, so a slider moved during a loop that reads the
ADC changes what the loop reads. Their callbacks may run on either thread.

The parts, and the UART, come from the simulated board's hardware
(interpreter/hardware.py's SimulatedHardware: `parts`, name -> part with
`.name`, `.kind`, `.label`, `.pin`; buttons have press(), release(),
.pressed; sliders .value, .minimum, .maximum, .step, .unit; see
boards/parts.py). Parts of other kinds (a display, NeoPixels) have no
control here.
"""

import ipywidgets as widgets

from boardlab.kernel.push_button import PushButton


def control_for(part):
    """The widget that acts on one part, or None for a kind it doesn't know."""
    if part.kind == "button":
        return _button(part)
    if part.kind == "slider":
        return _slider(part)
    return None


def _button(part):
    return PushButton(part, _dom_classes=_classes(part))


class PartSlider(widgets.FloatSlider):
    """A slider that sets its part's value and follows it when it is set
    from elsewhere (%part, a `%%host` cell)."""

    def __init__(self, part, **kwargs):
        super().__init__(value=part.value, min=part.minimum, max=part.maximum, **kwargs)
        self.part = part
        self.observe(self._set_part, "value")
        part.watch(self._follow)

    def _set_part(self, change):
        self.part.value = change["new"]

    def _follow(self, part):
        # In the thread that set the value; the slider's own change finds
        # the same value here and sends nothing.
        self.value = part.value

    def close(self):
        self.part.unwatch(self._follow)
        super().close()


def _slider(part):
    """The part's label on one line, the slider and its unit below it (a
    long label beside the slider would squeeze its track to nothing)."""
    step = float(part.step or (part.maximum - part.minimum) / 100)
    slider = PartSlider(part, step=step, readout_format=_readout(step),
                        layout=widgets.Layout(width="300px"), tooltip=part.label,
                        _dom_classes=_classes(part))
    unit = widgets.Label(part.unit or "")
    return widgets.VBox([widgets.Label(part.label), widgets.HBox([slider, unit])],
                        layout=widgets.Layout(margin="4px 0 0 0"))


def _classes(part):
    return ["boardlab-part", f"boardlab-part-{part.name}"]


def _readout(step):
    if step >= 1:
        return ".0f"
    if step >= 0.1:
        return ".1f"
    return ".2f"


def uart_box(board):
    """A text box whose line goes to the simulated board's UART."""
    text = widgets.Text(placeholder="text for the board's UART", description="UART in",
                        layout=widgets.Layout(width="300px"), _dom_classes=["boardlab-uart"])
    send = widgets.Button(description="Send", tooltip="send the line (with a newline)",
                          layout=widgets.Layout(width="auto"))

    def clicked(_button):
        board.uart_input(text.value + "\n")
        text.value = ""
    send.on_click(clicked)
    return widgets.HBox([text, send])


def controls(board):
    """All the controls for a simulated board, as one column."""
    items = []
    for part in board.parts.values():
        control = control_for(part)
        if control is not None:
            items.append(control)
    items.append(uart_box(board))
    return items
