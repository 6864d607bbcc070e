"""An ESP32 DevKit (ESP32-WROOM-32, 4 MB flash) as MicroPython's ESP32_GENERIC
build presents it, with the parts a starter kit wires to it:

    GPIO0          the DevKit's BOOT button (to ground, with a pull-up on the board)
    GPIO2          the on-board LED
    GPIO4 / T0     a touch pad (machine.TouchPad)
    GPIO34         potentiometer wiper (ADC1 channel 6; use ADC.ATTN_11DB for 0-3.3 V)
    GPIO18/GPIO19  I2C(0) (SCL/SDA, the port's default pins): SHT31 at 0x44,
                   SSD1306 128x64 OLED at 0x3C
    GPIO5          a strip of 8 NeoPixels
    GPIO17/GPIO16  UART(2) TX/RX: what board.uart_input() sends arrives here

Pin(n) takes the GPIOs the port enables for an ESP32 without PSRAM
(ports/esp32/machine_pin.h): all of 0-39 but 24 and 28-31. 6-11 are wired to
the flash chip (the firmware accepts them all the same), 34-39 are inputs
only.
"""

from .definition import BoardDefinition
from .i2c_parts import SHT31, SSD1306
from .parts import Button, NeoPixels, Potentiometer, TouchPad


def starter_kit(board):
    sensor = SHT31(board, scl=18, sda=19)
    return [
        Button(board, 0, label="BOOT button on GPIO0", released=1),
        Potentiometer(board, 34, label="Potentiometer on GPIO34 (ADC1)"),
        *sensor.parts(),
        SSD1306(board, scl=18, sda=19, label="SSD1306 OLED 128x64 on I2C0 (GPIO18/19, 0x3C)"),
        NeoPixels(board, 5, count=8, label="8 NeoPixels on GPIO5"),
        TouchPad(board, 4, label="Touch pad on GPIO4 (T0)"),
    ]


ESP32_DEVKIT = BoardDefinition(
    name="esp32",
    machine="Generic ESP32 module with ESP32",
    build="ESP32_GENERIC",
    port="esp32",
    mcu="ESP32",
    gpio_count=40,
    invalid_pins=frozenset((24, 28, 29, 30, 31)),
    pin_names={},
    led=2,
    cpu_freq=160_000_000,
    fs_block_size=4096,
    fs_blocks=512,                      # the 2 MiB "vfs" partition
    usb_ids=((0x10C4, 0xEA60), (0x1A86, 0x7523)),   # CP2102, CH340 USB-UART bridges
    adc_pins={36: 0, 37: 1, 38: 2, 39: 3, 32: 4, 33: 5, 34: 6, 35: 7},
    adc_vref=3.3,
    touch_pins=frozenset((4, 0, 2, 15, 13, 12, 14, 27, 33, 32)),
    # ports/esp32/machine_{i2c,spi,uart}.c defaults
    i2c_pins={0: (18, 19), 1: (25, 26)},
    spi_pins={1: (14, 13, 12), 2: (18, 23, 19)},
    uart_pins={0: (1, 3), 1: (10, 9), 2: (17, 16)},
    host_uart=2,                        # UART 0 carries the REPL, UART 1's pins are the flash's
    wiring=(starter_kit,),
)
