"""The Raspberry Pi Pico (RP2040) as MicroPython's RPI_PICO build presents it,
with the parts a starter kit wires to it:

    GP14           push button to ground (use Pin.PULL_UP)
    GP26 / ADC0    potentiometer wiper (0 - 3.3 V)
    GP4/GP5        I2C0 (SDA/SCL, the port's default pins): SHT31 temperature
                   and humidity sensor at 0x44, SSD1306 128x64 OLED at 0x3C
    GP22           a strip of 8 NeoPixels
"""

from .definition import BoardDefinition
from .i2c_parts import SHT31, SSD1306
from .parts import Button, NeoPixels, Potentiometer


def starter_kit(board):
    sensor = SHT31(board, scl=5, sda=4)
    return [
        Button(board, 14, label="Push button on GP14"),
        Potentiometer(board, 26, label="Potentiometer on GP26 (ADC0)"),
        *sensor.parts(),
        SSD1306(board, scl=5, sda=4, label="SSD1306 OLED 128x64 on I2C0 (GP4/GP5, 0x3C)"),
        NeoPixels(board, 22, count=8, label="8 NeoPixels on GP22"),
    ]


RP2040 = dict(
    port="rp2",
    mcu="RP2040",
    # The RP2040 has GPIO0-29; the Pico brings out GP0-GP28 (GPIO29 reads VSYS/3),
    # and firmware accepts Pin(29) all the same.
    gpio_count=30,
    cpu_freq=125_000_000,
    fs_block_size=4096,
    fs_blocks=352,                      # 1408 KiB of the 2 MiB flash
    usb_ids=((0x2E8A, 0x0005),),        # MicroPython's own id on RP2040 boards
    adc_pins={26: 0, 27: 1, 28: 2, 29: 3},
    adc_vref=3.3,
    # ports/rp2/machine_{i2c,spi,uart}.c with the Pico SDK's board defaults
    i2c_pins={0: (5, 4), 1: (7, 6)},
    spi_pins={0: (18, 19, 16), 1: (10, 11, 8)},
    uart_pins={0: (0, 1), 1: (4, 5)},
    wiring=(starter_kit,),
)

PICO = BoardDefinition(
    name="pico",
    machine="Raspberry Pi Pico with RP2040",
    build="RPI_PICO",
    # ports/rp2/boards/RPI_PICO/pins.csv: GP23, GP24 and GP29 have no board names.
    pin_names={**{f"GP{n}": n for n in (*range(23), 25, 26, 27, 28)}, "LED": 25},
    led=25,
    **RP2040,
)
