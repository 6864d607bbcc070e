"""The Raspberry Pi Pico W (RP2040 + CYW43439 wireless chip) as MicroPython's
RPI_PICO_W build presents it. Its LED is wired to the wireless chip, not to
the RP2040: `Pin("LED")` is EXT_GPIO0 (WL_GPIO0); Pin(25) is the RP2040's
GPIO25, which on this board drives the wireless chip's SPI select, not an
LED. GP23-25 and GP29 have no board names. The parts are the Pico's.
"""

from .definition import BoardDefinition
from .pico import RP2040

PICO_W = BoardDefinition(
    name="picow",
    machine="Raspberry Pi Pico W with RP2040",
    build="RPI_PICO_W",
    pin_names={**{f"GP{n}": n for n in (*range(23), 26, 27, 28)},
               "WL_GPIO0": 30, "WL_GPIO1": 31, "WL_GPIO2": 32, "LED": 30},
    extra_pins=("EXT_GPIO0", "EXT_GPIO1", "EXT_GPIO2"),
    led=30,
    **{**RP2040,
       "fs_blocks": 212}                 # 848 KiB of flash storage (mpconfigboard.h)
)
