"""display_data and update_display_data sent with an explicit parent, and
the IOPub topic of what the kernel sends itself.

Widgets and plots outlive the moment they were shown: a plot's static
picture replaces its live widget when the cell ends, and the pin view's
saved picture follows the board after each cell. Both need a display id,
and both must name the cell they belong to themselves: a widget's callback
runs for a comm message (alongside the cell, or on a subshell's thread),
where the shell's parent is that comm message, so IPython's display() would
attach the output to it rather than to the cell.
"""

import base64
import uuid
from html import escape


def topic(kernel, msg_type):
    """The IOPub topic of a message the kernel sends itself: the messaging
    spec's convention, which ipykernel follows (frontends subscribe to all
    topics; a tool may subscribe to one kernel's)."""
    return f"kernel.{kernel.ident}.{msg_type}".encode()


def new_display_id():
    return uuid.uuid4().hex


def publish(kernel, data, display_id, update=False, parent=None, metadata=None):
    """Send `data` (a mime bundle) as display_data, or as update_display_data
    of the outputs shown with `display_id`."""
    msg_type = "update_display_data" if update else "display_data"
    content = {"data": data, "metadata": metadata or {},
               "transient": {"display_id": display_id}}
    kernel.session.send(kernel.iopub_socket, msg_type, content,
                        parent=parent or kernel.get_parent("shell"),
                        ident=topic(kernel, msg_type))


def widget_view(widget):
    """The mime entry that shows `widget` in a frontend with widgets."""
    return {"application/vnd.jupyter.widget-view+json":
            {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


def picture(svg, text):
    """The mime bundle of a picture the notebook keeps: what a viewer shows
    when the kernel (and its widgets) are gone.

    JupyterLab never draws image/svg+xml in a notebook it does not trust
    (any notebook saved elsewhere: a lab as handed out, a file sent by a
    student): it shows text/plain instead. HTML passes its sanitizer, and
    an SVG inside an <img> cannot run scripts, so text/html carries the same
    picture as a data: URL (nbconvert shows it too). The SVG stays for
    viewers that prefer it; the text for terminals, and as the alt text."""
    data = base64.b64encode(svg.encode()).decode("ascii")
    html = f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(text)}">'
    return {"text/html": html, "image/svg+xml": svg, "text/plain": text}
