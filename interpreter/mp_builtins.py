"""The builtins board code sees: MicroPython's set, with print/input/open and
`__import__` wired to the board.

Board code runs with this dict as `__builtins__`, so CPython-only builtins
(`FileNotFoundError`, `ascii`, `breakpoint`, `exit`...) are simply not there,
at no cost to lookups.
"""

import builtins
import types

from .memory import GuardedType, buffer_size
from .mp_errno import BoardOSError
from .tracebacks import BOARD_EXCEPTIONS

# Builtin functions and types of MicroPython's rp2 port (py/modbuiltins.c with
# the "extra features" level).
BOARD_BUILTINS = frozenset("""
    abs all any bin bool bytearray bytes callable chr classmethod compile
    complex delattr dict dir divmod enumerate eval exec filter float frozenset
    getattr globals hasattr hash hex id int isinstance issubclass iter len list
    locals map max memoryview min next object oct ord pow property range repr
    reversed round set setattr slice sorted staticmethod str sum super tuple
    type zip NotImplemented Ellipsis __build_class__
""".split()) | BOARD_EXCEPTIONS

HELP_TEXT = """Welcome to MicroPython!

For online help please visit https://micropython.org/help/.

For access to the hardware use the 'machine' module.  RP2 specific commands
are in the 'rp2' module.

Quick overview of some objects:
  machine.Pin(pin) -- get a pin, eg machine.Pin(0)
  machine.Pin(pin, m, [p]) -- get a pin and configure it for IO mode m, pull mode p
    methods: init(..), value([v]), high(), low(), irq(handler)
  machine.ADC(pin) -- make an analog object from a pin
    methods: read_u16()
  machine.PWM(pin) -- make a PWM object from a pin
    methods: deinit(), freq([f]), duty_u16([d]), duty_ns([d])
  machine.I2C(id) -- create an I2C object (id=0,1)
    methods: readfrom(addr, buf, stop=True), writeto(addr, buf, stop=True)
             readfrom_mem(addr, memaddr, arg), writeto_mem(addr, memaddr, arg)
  machine.SPI(id, baudrate=1000000) -- create an SPI object (id=0,1)
    methods: read(nbytes, write=0x00), write(buf), write_readinto(wr_buf, rd_buf)
  machine.Timer(freq, callback) -- create a software timer object
    eg: machine.Timer(freq=1, callback=lambda t:print(t))

Pins are numbered 0-29, and 26-29 have ADC capabilities
Pin IO modes are: Pin.IN, Pin.OUT, Pin.ALT
Pin pull modes are: Pin.PULL_UP, Pin.PULL_DOWN

Useful control commands:
  CTRL-C -- interrupt a running program
  CTRL-D -- on a blank line, do a soft reset of the board
  CTRL-E -- on a blank line, enter paste mode

For further help on a specific object, type help(obj)
For a list of available modules, type help('modules')
"""

ESP32_HELP_TEXT = """Welcome to MicroPython on the ESP32!

For online docs please visit http://docs.micropython.org/

For access to the hardware use the 'machine' module:

import machine
pin12 = machine.Pin(12, machine.Pin.OUT)
pin12.value(1)
pin13 = machine.Pin(13, machine.Pin.IN, machine.Pin.PULL_UP)
print(pin13.value())
i2c = machine.I2C(scl=machine.Pin(21), sda=machine.Pin(22))
i2c.scan()
i2c.writeto(addr, b'1234')
i2c.readfrom(addr, 4)

Basic WiFi configuration:

import network
sta_if = network.WLAN(network.STA_IF); sta_if.active(True)
sta_if.scan()                             # Scan for available access points
sta_if.connect("<AP_name>", "<password>") # Connect to an AP
sta_if.isconnected()                      # Check for successful connection

Control commands:
  CTRL-A        -- on a blank line, enter raw REPL mode
  CTRL-B        -- on a blank line, enter normal REPL mode
  CTRL-C        -- interrupt a running program
  CTRL-D        -- on a blank line, do a soft reset of the board
  CTRL-E        -- on a blank line, enter paste mode

For further help on a specific object, type help(obj)
For a list of available modules, type help('modules')
"""


def make_builtins(vm):
    """The builtins dict for one VM (one soft-reset lifetime)."""
    board = vm.board
    table = {name: getattr(builtins, name) for name in BOARD_BUILTINS if hasattr(builtins, name)}

    def print_(*args, sep=" ", end="\n", file=None):
        text = (" " if sep is None else sep).join(map(str, args)) + ("\n" if end is None else end)
        if file is None or file is vm.stdout:
            board.write_text(text)
        else:
            file.write(text)

    def input_(prompt=None):
        if prompt is not None:
            board.write_text(str(prompt))
        return board.read_line()

    def repl_print(value):
        if value is not None:
            vm.globals["_"] = value
            board.write_text(repr(value) + "\n")

    def help_(obj=None):
        if obj is None:
            board.write_text(ESP32_HELP_TEXT if board.definition.port == "esp32" else HELP_TEXT)
        elif obj == "modules":
            board.write_text(" ".join(sorted(vm.available_modules())) + "\n")
        else:
            lines = [f"object {obj!r} is of type {type(obj).__name__}"]
            for name in sorted(dir(obj)):
                if not name.startswith("__"):
                    try:
                        lines.append(f"  {name} -- {getattr(obj, name)!r}")
                    except Exception:
                        pass
            board.write_text("\n".join(lines) + "\n")

    for function, name in ((print_, "print"), (input_, "input"), (help_, "help")):
        function.__name__ = function.__qualname__ = name
    table.update({
        "__name__": "builtins",
        "__import__": vm.import_,
        "__repl_print__": repl_print,
        # what rewrite.py puts in board code
        "__mp_repeat__": vm.heap.repeat,
        "__mp_oserror__": BoardOSError,
        # allocations the heap model checks first (memory.py)
        "bytearray": GuardedType(bytearray, vm.heap, buffer_size),
        "bytes": GuardedType(bytes, vm.heap, buffer_size),
        "print": print_,
        "input": input_,
        "help": help_,
        "open": vm.open,
    })
    return table


def make_module(vm):
    """`import builtins`. Assigning `builtins.input = f` overrides the builtin
    for all board code, as on firmware built with MICROPY_CAN_OVERRIDE_BUILTINS
    (rp2, esp32)."""
    table = vm.builtins

    class BuiltinsModule(types.ModuleType):
        def __setattr__(self, name, value):
            super().__setattr__(name, value)
            table[name] = value

        def __delattr__(self, name):
            super().__delattr__(name)
            table.pop(name, None)

    module = BuiltinsModule("builtins")
    module.__dict__.update(table)
    return module
