"""The simulated MicroPython board: the board's real firmware (MicroPython
built for a virtual board, port/), run by wasmtime in this process, and the
board's hardware, modelled in Python.

Reach a board through pyserial (`sim://pico`, see urlhandler/protocol_sim.py)
or a pseudo-terminal (`serve_pty`).

Where things are:
    port/           the firmware's source: a MicroPython port (its README explains it)
    firmware/       the built firmware, one .wasm per board, and MicroPython's licence
    firmware.py     loading a board's firmware (compiled once, cached)
    host.py         one power-on of the chip: the wasm instance and its host imports
    board.py        Board: the hardware, the CPU thread, resets
    hardware.py     what the kernel reads and drives of a board (SimulatedHardware)
    hal.py, hal_*.py  the machine module's hardware as host imports (pins, ADC,
                    PWM, buses, timers, the system)
    console.py      the USB serial port's two byte streams
    clock.py, timeline.py   the board's time (real or virtual) and its events
    gpio.py         pin states (what the pin view draws)
    peripherals.py  what is wired to the buses and pins; UART wires, RTC, watchdog
    i2c_wire.py     an I2C target on two pins, for bit-banged SoftI2C
    flash.py        the flash's bytes, kept in a file
    pty.py          a board behind a pseudo-terminal
    testing.py      helpers to drive a board by its bytes in tests

The boards and the parts wired to them are data in boardlab.boards.
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
