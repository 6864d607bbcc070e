"""The three simulated boards: what sets the Pico W and the ESP32 DevKit
apart from the Pico, as their MicroPython ports show it."""

import pytest

from boardlab.interpreter.testing import enter_raw, read_until, sim_link
from conftest import board_fixture, error, run

# picow: conftest's (a Pico W on virtual time, in the raw REPL).
esp32 = board_fixture("sim://esp32?time=virtual&seed=2")


@pytest.mark.parametrize("board, platform, machine, build, build_type", [
    ("pico", "rp2", "Raspberry Pi Pico with RP2040", "RPI_PICO", " (GNU 14.2.1 MinSizeRel)"),
    ("picow", "rp2", "Raspberry Pi Pico W with RP2040", "RPI_PICO_W", " (GNU 14.2.1 MinSizeRel)"),
    ("esp32", "esp32", "Generic ESP32 module with ESP32", "ESP32_GENERIC", ""),
])
def test_banner_and_identity(board, platform, machine, build, build_type):
    # The firmware is MicroPython v1.28.0, built with its release date.
    with sim_link(f"sim://{board}", read_banner=False) as link:
        banner = read_until(link, b">>> ")
        assert banner == (f"MicroPython v1.28.0 on 2026-04-06; {machine}\r\n"
                          'Type "help()" for more information.\r\n>>> ').encode()
        enter_raw(link)
        assert run(link, "import sys, os\nprint(sys.platform, sys.implementation._machine, "
                         "sys.implementation._build, sys.implementation.version)\nprint(os.uname())") == \
            f"{platform} {machine} {build} (1, 28, 0, '')\n" \
            f"(sysname='{platform}', nodename='{platform}', release='1.28.0', " \
            f"version='v1.28.0 on 2026-04-06{build_type}', machine='{machine}')"


# ---- Pico W -------------------------------------------------------------

def test_picow_led_is_on_the_wireless_chip(picow):
    board = picow.board
    assert run(picow, "from machine import Pin\nled = Pin('LED', Pin.OUT)\nled.on()\nprint(led)") == \
        "Pin(EXT_GPIO0, mode=OUT)"
    assert board.gpio[board.definition.led].level == 1
    assert board.gpio[25].level == 0
    # Pin(25) exists but is the RP2040's GPIO25, not the LED
    run(picow, "Pin(25, Pin.OUT).on()")
    assert run(picow, "print(Pin('WL_GPIO0') is led, Pin(25))") == "True Pin(GPIO25, mode=OUT)"


def test_picow_pins_without_board_names(picow):
    assert error(picow, "from machine import Pin\nPin('GP25')") == 'ValueError: unknown named pin "GP25"'
    assert error(picow, "from machine import Pin\nPin('LED', Pin.IN, Pin.PULL_UP)") == \
        "ValueError: pulls are not supported for external pins"
    assert error(picow, "from machine import Pin\nPin('LED').irq(lambda p: None)") == \
        "ValueError: expecting a regular GPIO Pin"


def test_picow_has_less_flash_and_heap_than_the_pico(picow):
    out = run(picow, "import os, gc\ns = os.statvfs('/')\nprint(s[0] * s[2], gc.mem_free() + gc.mem_alloc())")
    assert out == f"{848 * 1024} 166016"


# ---- ESP32 --------------------------------------------------------------

# The ESP32 port (ports/esp32/machine_pin.h) enables GPIO6-11 (the flash's)
# and GPIO20 too: only 24 and 28-31 are missing.
@pytest.mark.parametrize("pin", [24, 28, 29, 30, 31, 40, -1])
def test_esp32_gpios_it_does_not_have(esp32, pin):
    assert error(esp32, f"from machine import Pin\nPin({pin})") == "ValueError: invalid pin"


def test_esp32_pin_constants_and_repr(esp32):
    assert run(esp32, "from machine import Pin\nprint(Pin.IN, Pin.OUT, Pin.OPEN_DRAIN, Pin.PULL_UP, "
                      "Pin.PULL_DOWN, Pin.IRQ_RISING, Pin.IRQ_FALLING, Pin(2))") == "1 3 7 2 1 1 2 Pin(2)"
    assert error(esp32, "from machine import Pin\nPin(36, Pin.OUT)") == "ValueError: pin can only be input"
    assert error(esp32, "from machine import Pin\nPin('LED')") == "ValueError: invalid pin"


def test_esp32_led_on_gpio2(esp32):
    run(esp32, "from machine import Pin\nPin(2, Pin.OUT).on()")
    assert esp32.board.gpio[esp32.board.definition.led].level == 1


def test_esp32_adc_attenuation_and_width(esp32):
    esp32.board.parts["potentiometer"].value = 50          # 1.65 V on GPIO34
    out = run(esp32, "from machine import ADC, Pin\na = ADC(Pin(34))\nprint(a)\nprint(a.read())\n"
                     "a.atten(ADC.ATTN_0DB)\nprint(a.read())\na.atten(ADC.ATTN_11DB)\n"
                     "a.width(ADC.WIDTH_10BIT)\nprint(a.read())\nprint(a.read_uv())")
    lines = out.splitlines()
    assert lines[0] == "ADC(Pin(34), atten=3)"               # the port's default: 11 dB
    assert abs(int(lines[1]) - 2048) < 20                    # 11 dB: the full 3.3 V range, 12 bits
    assert int(lines[2]) == 4095                             # 0 dB: saturated above about 1.1 V
    assert abs(int(lines[3]) - 512) < 6                      # 10 bits
    assert abs(int(lines[4]) - 1_650_000) < 10_000
    assert error(esp32, "from machine import ADC, Pin\nADC(Pin(5))") == "ValueError: invalid pin"


def test_esp32_touchpad(esp32):
    touch = esp32.board.parts["touch"]
    assert (touch.kind, touch.pin) == ("button", 4)
    assert int(run(esp32, "from machine import TouchPad, Pin\nt = TouchPad(Pin(4))\nprint(t.read())")) > 400
    touch.press()
    assert int(run(esp32, "print(t.read())")) < 150
    assert error(esp32, "TouchPad(Pin(5))") == "ValueError: invalid pin for touchpad"


def test_esp32_boot_button_has_its_own_pull_up(esp32):
    button = esp32.board.parts["button"]
    assert (button.pin, button.label) == (0, "BOOT button on GPIO0")
    assert run(esp32, "from machine import Pin\nb = Pin(0, Pin.IN)\nprint(b.value())") == "1"
    button.press()
    assert run(esp32, "import time\ntime.sleep_ms(10)\nprint(b.value())") == "0"
    button.release()
    assert run(esp32, "time.sleep_ms(10)\nprint(b.value())") == "1"


def test_esp32_i2c_reports_enodev(esp32):
    assert run(esp32, "from machine import I2C\ni2c = I2C(0)\nprint(i2c, i2c.scan())") == \
        "I2C(0, scl=18, sda=19, freq=400000, timeout=50000) [60, 68]"
    assert error(esp32, "i2c.readfrom(0x50, 1)") == "OSError: [Errno 19] ENODEV"


def test_esp32_pwm_has_ten_bit_duty(esp32):
    out = run(esp32, "from machine import PWM, Pin\np = PWM(Pin(2), freq=1000, duty=512)\n"
                     "print(p.freq(), p.duty(), p.duty_u16())")
    # 1 kHz gets 16 bits from the 80 MHz APB clock, whose divider steps make it 998 Hz.
    assert out == "998 512 32768"
    assert esp32.board.gpio[2].pwm == pytest.approx(0.5, abs=0.01)


def test_esp32_uart_from_the_host_arrives_on_uart2(esp32):
    run(esp32, "from machine import UART\nimport time\nu = UART(2)")
    esp32.board.uart_input("hi")
    assert run(esp32, "time.sleep_ms(1)\nprint(u.read())") == "b'hi'"
    run(esp32, "UART(2).write(b'back')")
    assert esp32.board.uart_output() == b"back"


def test_esp32_flash_and_heap(esp32):
    # The heap starts at 56000 bytes and may grow by the 110592 ESP-IDF has
    # free: gc.mem_free() counts both (test_sim_memory.py).
    out = run(esp32, "import os, gc, machine\ns = os.statvfs('/')\n"
                     "print(s[0] * s[2], gc.mem_free() + gc.mem_alloc(), machine.freq())")
    assert out == f"{2 * 1024 * 1024} {56000 + 110592} 160000000"


def test_esp32_help_is_the_ports(esp32):
    assert run(esp32, "help()").startswith("Welcome to MicroPython on the ESP32!")


def test_native_code_compiles_for_the_boards_architecture(esp32):
    # no import: @micropython.native is a compiler directive on the board
    assert run(esp32, "@micropython.native\ndef f(x):\n    return x + 1\nprint(f(1))") == "2"


def test_esp32_port_modules(esp32):
    assert run(esp32, "import esp, esp32\nprint(esp.flash_size(), 80 < esp32.raw_temperature() < 200)") == \
        "4194304 True"
    assert error(esp32, "import rp2") == "ImportError: no module named 'rp2'"
