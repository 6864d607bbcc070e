"""Which modules a board's firmware has built in, and how to make each.

A new MicroPython module is one `mp_<name>.py` with a `make_module(vm)` and a
line here. Board code can also import `u`-prefixed names (utime, ujson...),
aliases MicroPython keeps for old code.
"""

from . import (mp_asyncio, mp_builtins, mp_errno, mp_esp32, mp_framebuf, mp_gc, mp_machine,
               mp_micropython, mp_neopixel, mp_os, mp_rp2, mp_select, mp_stdlib, mp_sys, mp_time)

_COMMON = {
    "asyncio": mp_asyncio.make_module,
    "builtins": mp_builtins.make_module,
    "errno": mp_errno.make_module,
    "framebuf": mp_framebuf.make_module,
    "gc": mp_gc.make_module,
    "machine": mp_machine.make_module,
    "micropython": mp_micropython.make_module,
    "neopixel": mp_neopixel.make_module,
    "os": mp_os.make_module,
    "select": mp_select.make_module,
    "sys": mp_sys.make_module,
    "time": mp_time.make_module,
    **mp_stdlib.factories(),
}

# Modules only some ports have, by sys.platform.
_PORT = {
    "rp2": {"rp2": mp_rp2.make_module},
    "esp32": {"esp": mp_esp32.make_esp, "esp32": mp_esp32.make_esp32},
}

# u-prefixed aliases that still import on current firmware.
_ALIASED = ("array asyncio binascii collections errno hashlib heapq io json "
            "machine os random re select struct sys time").split()


def module_factories(port):
    """name -> make_module(vm) for a board whose sys.platform is `port`."""
    table = dict(_COMMON)
    table.update(_PORT.get(port, {}))
    for name in _ALIASED:
        table["u" + name] = table[name]
    return table


def canonical_name(name):
    """`utime` -> `time`: the name the module is stored under in sys.modules."""
    if name.startswith("u") and name[1:] in _ALIASED:
        return name[1:]
    return name
