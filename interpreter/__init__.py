"""The simulated MicroPython board: the raw-REPL server, the executor that runs
board code in-process behind MicroPython's gates, and the runtime surface.

Reach a board through pyserial (`sim://pico`, see urlhandler/protocol_sim.py)
or a pseudo-terminal (`serve_pty`).
"""

URL_HANDLER_PACKAGE = "boardlab.interpreter.urlhandler"


def register_url_handler():
    """Let serial.serial_for_url() open `sim://` URLs."""
    import serial
    if URL_HANDLER_PACKAGE not in serial.protocol_handler_packages:
        serial.protocol_handler_packages.append(URL_HANDLER_PACKAGE)


def serve_pty(board_name="pico", **options):
    from .pty import serve_pty as serve
    return serve(board_name, **options)
