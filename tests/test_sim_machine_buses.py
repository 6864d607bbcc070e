"""machine.I2C / SoftI2C with the simulated devices, machine.SPI, machine.UART
and the host's side of the UART wires."""

import time

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link


@pytest.fixture
def raw():
    with sim_link("sim://pico?time=virtual&seed=4") as link:
        enter_raw(link)
        yield link


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out.replace("\r\n", "\n").strip()


def error(link, code):
    out, err = raw_exec(link, code)
    return err.rstrip("\r\n").rsplit("\r\n", 1)[-1]


# ---- I2C ----------------------------------------------------------------

def test_i2c_defaults_and_scan(raw):
    assert run(raw, "from machine import I2C, Pin\ni2c = I2C(0)\nprint(i2c)\nprint(i2c.scan())") == \
        "I2C(0, freq=399361, scl=5, sda=4, timeout=50000)\n[60, 68]"
    assert run(raw, "print(I2C(0, freq=100_000))") == "I2C(0, freq=100000, scl=5, sda=4, timeout=50000)"
    assert run(raw, "print(I2C(1).scan())") == "[]"          # nothing wired to GP6/GP7


@pytest.mark.parametrize("code, message", [
    ("I2C(2)", "ValueError: I2C(2) doesn't exist"),
    ("I2C(0, scl=Pin(4))", "ValueError: bad SCL pin"),
    ("I2C(0, sda=Pin(5))", "ValueError: bad SDA pin"),
    ("I2C(0).readfrom(0x50, 1)", "OSError: [Errno 5] EIO"),
    ("I2C(0).writeto(0x50, b'')", "OSError: [Errno 19] ENODEV"),
    ("SoftI2C(scl=Pin(5), sda=Pin(4)).readfrom(0x50, 1)", "OSError: [Errno 19] ENODEV"),
])
def test_i2c_errors_are_the_ports(raw, code, message):
    assert error(raw, "from machine import I2C, SoftI2C, Pin\n" + code) == message


def test_softi2c_reaches_the_same_devices(raw):
    assert run(raw, "from machine import SoftI2C, Pin\ns = SoftI2C(scl=Pin(5), sda=Pin(4))\nprint(s.scan())") == \
        "[60, 68]"
    # the primitive operations: a status read from the SHT31, byte by byte
    out = run(raw, "s.start()\nprint(s.write(bytes([0x44 << 1, 0xF3, 0x2D])))\ns.stop()\n"
                   "b = bytearray(3)\ns.start()\ns.write(bytes([0x44 << 1 | 1]))\ns.readinto(b)\ns.stop()\n"
                   "print(b.hex())")
    assert out.splitlines()[0] == "3"
    assert out.splitlines()[1].startswith("8010")


def test_sht31_conversion_takes_time_and_has_a_crc(raw):
    raw.board.parts["temperature"].value = 25.0
    out = run(raw, "from machine import I2C\nimport time\ni2c = I2C(0)\ni2c.writeto(0x44, b'\\x24\\x00')\n"
                   "try:\n    i2c.readfrom(0x44, 6)\nexcept OSError as e:\n    print('busy', e.errno)\n"
                   "time.sleep_ms(15)\nd = i2c.readfrom(0x44, 6)\n"
                   "def crc(b):\n    c = 0xFF\n    for x in b:\n        c ^= x\n        for _ in range(8):\n"
                   "            c = ((c << 1) ^ 0x31) & 0xFF if c & 0x80 else (c << 1) & 0xFF\n    return c\n"
                   "print(crc(d[0:2]) == d[2], crc(d[3:5]) == d[5])\n"
                   "print(round(-45 + 175 * (d[0] << 8 | d[1]) / 65535))")
    assert out == "busy 5\nTrue True\n25"


def test_sht31_clock_stretching_read_waits(raw):
    out = run(raw, "from machine import I2C\nimport time\ni2c = I2C(0)\nt = time.ticks_ms()\n"
                   "i2c.writeto(0x44, b'\\x2c\\x06')\nd = i2c.readfrom(0x44, 6)\n"
                   "print(time.ticks_diff(time.ticks_ms(), t) >= 15)")
    assert out == "True"


def test_memory_transfers(raw):
    # the display answers a read with its status byte (bit 6: display off)
    assert run(raw, "from machine import I2C\ni2c = I2C(0)\nprint(i2c.readfrom_mem(0x3C, 0, 1))") == "b'@'"
    run(raw, "i2c.writeto_mem(0x3C, 0x00, b'\\xaf')")
    assert raw.board.parts["display"].on is True
    assert run(raw, "b = bytearray(1)\ni2c.readfrom_mem_into(0x3C, 0, b)\nprint(b)") == "bytearray(b'\\x00')"


# ---- SPI ----------------------------------------------------------------

def test_spi_defaults_and_an_empty_bus(raw):
    out = run(raw, "from machine import SPI\nspi = SPI(0)\nprint(spi)\nprint(spi.read(2))")
    assert out == ("SPI(0, baudrate=1000000, polarity=0, phase=0, bits=8, sck=18, mosi=19, miso=16)\n"
                   "b'\\xff\\xff'")
    assert error(raw, "from machine import SPI, Pin\nSPI(0, sck=Pin(3))") == "ValueError: bad SCK pin"


def test_spi_loopback_jumper(raw):
    raw.board.peripherals.spi_loopback.add(18)
    assert run(raw, "from machine import SPI\nspi = SPI(0)\nb = bytearray(3)\n"
                    "spi.write_readinto(b'abc', b)\nprint(b)") == "bytearray(b'abc')"


# ---- UART ---------------------------------------------------------------

def test_uart_write_reaches_the_host(raw):
    assert run(raw, "from machine import UART\nu = UART(0, 9600)\nprint(u)\nprint(u.write(b'hello'))") == \
        ("UART(0, baudrate=9600, bits=8, parity=None, stop=1, tx=0, rx=1, txbuf=256, rxbuf=256, "
         "timeout=0, timeout_char=1, invert=None, irq=0)\n5")
    assert raw.board.peripherals.uart(0).take_sent() == b"hello"


def test_uart_input_from_the_host(raw):
    raw.board.uart_input("GPS,1\nrest")
    assert run(raw, "from machine import UART\nu = UART(0)\nprint(u.any(), u.readline(), u.read(2), u.read(), u.read())") == \
        "10 b'GPS,1\\n' b're' b'st' None"


def test_uart_loopback_and_scripted_peer(raw):
    link = raw.board.peripherals.uart(1)
    link.loopback = True
    assert run(raw, "from machine import UART\nu = UART(1)\nu.write('ping')\nprint(u.read())") == "b'ping'"
    link.loopback = False
    link.peer = lambda data: b"OK\r\n" if data == b"AT\r\n" else None
    assert run(raw, "u.write('AT\\r\\n')\nprint(u.readline())") == "b'OK\\r\\n'"


def test_uart_read_waits_for_the_timeout_and_sees_data_arriving():
    with sim_link() as link:
        enter_raw(link)
        link.write(b"from machine import UART\nu = UART(0, timeout=2000)\nprint('reading')\n"
                   b"print(u.read(3))\x04")
        read_until(link, b"reading\r\n")
        time.sleep(0.1)
        link.board.uart_input(b"xyz")
        assert read_until(link, b"\x04>", timeout=1) == b"b'xyz'\r\n\x04\x04>"


def test_uart_with_select_poll(raw):
    raw.board.uart_input(b"k")
    assert run(raw, "import select\nfrom machine import UART\nu = UART(0)\np = select.poll()\n"
                    "p.register(u, select.POLLIN)\nprint(len(p.poll(0)), u.read())") == "1 b'k'"


@pytest.mark.parametrize("code, message", [
    ("UART(2)", "ValueError: UART(2) doesn't exist"),
    ("UART(0, tx=Pin(1))", "ValueError: bad TX pin"),
])
def test_uart_errors_are_the_ports(raw, code, message):
    assert error(raw, "from machine import UART, Pin\n" + code) == message
