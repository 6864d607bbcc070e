"""The simulated MicroPython board: the raw-REPL server, the executor that runs
board code in-process behind MicroPython's gates, and the runtime surface.

Reach a board through pyserial (`sim://pico`, see urlhandler/protocol_sim.py)
or a pseudo-terminal (`serve_pty`).

Where things are:
    board.py        Board: hardware state, the CPU thread, Ctrl-C, resets, the host API
    console.py      the USB serial port's two byte streams
    repl.py         friendly REPL, paste mode, raw REPL, raw-paste (pyexec.c)
    readline.py     line editing with echo, auto-indent, history
    vm.py           one VM life (globals, sys.modules, cwd, heap) and the import gate
    compiler.py     the syntax gate: mpy-cross verdict, then CPython compile
    rewrite.py      what MicroPython's compiler does that CPython's does not (AST)
    tracebacks.py   exceptions printed as MicroPython prints them
    runtime.py      which modules the firmware has; mp_<name>.py makes each
    machine_*.py    the machine module's classes, after MicroPython's source files
    scheduler.py    interrupts: the scheduler queue and the board-clock timeline
    tracehook.py    running interrupt handlers between two lines of busy code
    memory.py       the heap model: gc.mem_free(), MemoryError
    peripherals.py  what is wired to the buses and pins; UART wires, RTC, watchdog
    clock.py, gpio.py, flash.py   time, pins and the flash folder
    font5x7.py      the font framebuf.text() draws with
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
