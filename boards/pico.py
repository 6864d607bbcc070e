"""The Raspberry Pi Pico (RP2040) as MicroPython's RPI_PICO build presents it."""

from .definition import BoardDefinition

PICO = BoardDefinition(
    name="pico",
    machine="Raspberry Pi Pico with RP2040",
    build="RPI_PICO",
    port="rp2",
    mcu="RP2040",
    # The RP2040 has GPIO0-29; the Pico brings out GP0-GP28 (GPIO29 reads VSYS/3),
    # and firmware accepts Pin(29) all the same.
    gpio_count=30,
    pin_names={**{f"GP{n}": n for n in range(29)}, "LED": 25},
    led=25,
    cpu_freq=125_000_000,
    ram_bytes=264 * 1024,
    heap_bytes=264 * 1024,
    fs_block_size=4096,
    fs_blocks=352,                      # 1408 KiB of the 2 MiB flash
    usb_ids=((0x2E8A, 0x0005),),        # MicroPython's own id on RP2040 boards
    adc_pins={26: 0, 27: 1, 28: 2, 29: 3},
)
