"""display_data and update_display_data sent with an explicit parent.

Widgets and plots outlive the moment they were shown: a plot's static
picture replaces its live widget when the cell ends, and the pin view's
saved picture follows the board after each cell. Both need a display id,
and both must name the cell they belong to themselves: while a cell runs,
ipykernel dispatches comm messages concurrently and sets the shell's parent
to the comm message for a moment, so IPython's display() could attach the
output to the wrong request.
"""

import uuid


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
                        ident=kernel._topic(msg_type))


def widget_view(widget):
    """The mime entry that shows `widget` in a frontend with widgets."""
    return {"application/vnd.jupyter.widget-view+json":
            {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}
