# The rp2 module: _rp2's Flash and bootsel_button, as in ports/rp2, where
# this file also holds the PIO assembler. The simulated board does not model
# the RP2040's PIO blocks or its DMA: a program that uses them stops at the
# first name it takes from here, with an error that says why, rather than
# running on a PIO that behaves differently from the chip's.
from _rp2 import *

_UNMODELLED = {
    "PIO": "PIO",
    "StateMachine": "PIO",
    "asm_pio": "PIO",
    "asm_pio_encode": "PIO",
    "PIOASMEmit": "PIO",
    "PIOASMError": "PIO",
    "DMA": "DMA",
}


def __getattr__(name):
    if name == "country":
        # The Pico W's rp2.country, the deprecated name of network.country.
        try:
            from network import country

            return country
        except ImportError:
            pass
    block = _UNMODELLED.get(name)
    if block is not None:
        raise AttributeError("rp2.%s: the simulated board does not model the RP2040's %s" % (name, block))
    raise AttributeError("'module' object has no attribute '%s'" % name)
