"""machine.I2C / SoftI2C with the simulated devices, machine.SPI, machine.UART
and the host's side of the UART wires."""

import time

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, read_until, sim_link
from conftest import board_fixture, run, error


raw = board_fixture("sim://pico?time=virtual&seed=4")
esp32 = board_fixture("sim://esp32?time=virtual&seed=4")


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


@pytest.mark.parametrize("board, setup, repr_", [
    ("pico", "I2C(0)", "I2C(0, freq=399361, scl=5, sda=4, timeout=50000)"),
    ("picow", "I2C(0)", "I2C(0, freq=399361, scl=5, sda=4, timeout=50000)"),
    ("esp32", "I2C(0)", "I2C(0, scl=18, sda=19, freq=400000, timeout=50000)"),
    ("pico", "SoftI2C(scl=Pin(5), sda=Pin(4))", "SoftI2C(scl=5, sda=4, freq=500000)"),
    ("esp32", "SoftI2C(scl=Pin(18), sda=Pin(19), freq=100_000)", "SoftI2C(scl=18, sda=19, freq=100000)"),
])
def test_scan_finds_the_sensor_and_the_display(board, setup, repr_):
    with sim_link(f"sim://{board}?time=virtual") as link:
        enter_raw(link)
        assert run(link, f"from machine import I2C, SoftI2C, Pin\nbus = {setup}\nprint(bus)\n"
                         f"print([hex(a) for a in bus.scan()])") == f"{repr_}\n['0x3c', '0x44']"


def test_i2c_sets_its_pins_up(raw):
    run(raw, "from machine import I2C, SoftI2C, Pin\nI2C(1)\nSoftI2C(scl=Pin(9), sda=Pin(8))")
    gpio = raw.board.gpio
    assert (gpio[7].mode, gpio[7].alt, gpio[7].pull) == (3, "I2C", 1)       # ALT, pulled up
    assert (gpio[6].mode, gpio[6].alt) == (3, "I2C")
    assert (gpio[9].mode, gpio[9].level, gpio[8].mode) == (2, 1, 2)         # open drain, released


def test_esp32_errors_are_the_ports(esp32):
    assert error(esp32, "from machine import I2C\nI2C(2)") == "ValueError: I2C(2) doesn't exist"
    assert error(esp32, "I2C(0).readfrom(0x50, 1)") == "OSError: [Errno 19] ENODEV"
    assert error(esp32, "I2C(0).writeto(0x50, b'x')") == "OSError: [Errno 19] ENODEV"
    # I2C(-1, ...) is the old way to make a SoftI2C: the port warns and makes one
    out, err = raw_exec(esp32, "from machine import Pin\nprint(I2C(-1, scl=Pin(18), sda=Pin(19)))")
    assert (out.replace("\r\n", "\n"), err) == (
        "Warning: I2C(-1, ...) is deprecated, use SoftI2C(...) instead\n"
        "SoftI2C(scl=18, sda=19, freq=500000)\n", "")


def test_sht31_single_shot_as_its_datasheet_says(raw):
    """Lab 7's measurement: command 0x2400, 15 ms, six bytes with a CRC-8 per word."""
    raw.board.parts["temperature"].value = 30.0
    raw.board.parts["humidity"].value = 60.0
    out = run(raw, "from machine import I2C\nimport time\ni2c = I2C(0)\n"
                   "def crc8(data):\n    crc = 0xFF\n    for byte in data:\n        crc ^= byte\n"
                   "        for bit in range(8):\n"
                   "            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF\n"
                   "    return crc\n"
                   "i2c.writeto(0x44, b'\\x24\\x00')\ntime.sleep_ms(15)\ndata = i2c.readfrom(0x44, 6)\n"
                   "print(crc8(data[0:2]) == data[2], crc8(data[3:5]) == data[5])\n"
                   "print(-45 + 175 * (data[0] << 8 | data[1]) / 65535)\n"
                   "print(100 * (data[3] << 8 | data[4]) / 65535)")
    checks, celsius, humidity = out.splitlines()
    assert checks == "True True"
    assert float(celsius) == pytest.approx(30.0, abs=0.2)
    assert float(humidity) == pytest.approx(60.0, abs=0.5)


def test_sht31_status_register_and_periodic_mode(raw):
    # the status word (0xF32D) read as a 16-bit register address; 0x3041 clears it
    out = run(raw, "from machine import I2C\nimport time\ni2c = I2C(0)\n"
                   "print(i2c.readfrom_mem(0x44, 0xF32D, 3, addrsize=16)[:2].hex())\n"
                   "i2c.writeto(0x44, b'\\x30\\x41')\n"
                   "print(i2c.readfrom_mem(0x44, 0xF32D, 3, addrsize=16)[:2].hex())")
    assert out == "8010\n0000"
    # periodic mode (0x2130: 1 measurement a second), fetched with 0xE000, stopped with 0x3093
    out = run(raw, "i2c.writeto(0x44, b'\\x21\\x30')\ntime.sleep_ms(20)\n"
                   "i2c.writeto(0x44, b'\\xe0\\x00')\nprint(len(i2c.readfrom(0x44, 6)))\n"
                   "i2c.writeto(0x44, b'\\x30\\x93')\ni2c.writeto(0x44, b'\\xe0\\x00')\n"
                   "try:\n    i2c.readfrom(0x44, 6)\nexcept OSError as e:\n    print(e)")
    assert out == "6\n[Errno 5] EIO"


def test_rp2_times_out_a_transfer_longer_than_its_timeout(raw):
    # the Pico SDK bounds the whole transfer: a display frame at 100 kHz takes 92 ms
    frame = "b = bytearray(1025)\nb[0] = 0x40\n"
    assert error(raw, "from machine import I2C\n" + frame + "I2C(0, freq=100_000).writeto(0x3C, b)") == \
        "OSError: [Errno 110] ETIMEDOUT"
    assert run(raw, "print(I2C(0, freq=100_000, timeout=200_000).writeto(0x3C, b))") == "1025"


def test_bus_time_follows_the_clock_rate(raw):
    out = run(raw, "from machine import I2C, Pin\nimport time\nreading = bytearray(6)\n"
                   "for freq in (100_000, 400_000):\n"
                   "    bus = I2C(0, freq=freq)\n    bus.writeto(0x44, b'\\x24\\x00')\n    time.sleep_ms(15)\n"
                   "    t = time.ticks_us()\n    bus.readfrom_into(0x44, reading)\n"
                   "    print(time.ticks_diff(time.ticks_us(), t))")
    slow, fast = (int(n) for n in out.splitlines())
    assert 630 <= slow < 700 and 157 <= fast < 200         # 7 bytes of 9 bits, and the VM's own time


def test_esp32_cuts_clock_stretching_at_13_ms(esp32):
    # the ESP32's I2C timeout register holds 2**20 APB cycles: 13 ms, whatever timeout= says;
    # the SHT31's high-repeatability conversion (0x2C06) stretches 15 ms, medium (0x2C0D) 6 ms
    assert error(esp32, "from machine import I2C\ni2c = I2C(0)\ni2c.writeto(0x44, b'\\x2c\\x06')\n"
                        "i2c.readfrom(0x44, 6)") == "OSError: [Errno 110] ETIMEDOUT"
    assert run(esp32, "i2c.writeto(0x44, b'\\x2c\\x0d')\nprint(len(i2c.readfrom(0x44, 6)))") == "6"


DISPLAY = """
import framebuf
buffer = bytearray(128 * 64 // 8)
fb = framebuf.FrameBuffer(buffer, 128, 64, framebuf.MONO_VLSB)
for cmd in (0xAE, 0x20, 0x00, 0xA1, 0xC8, 0x8D, 0x14, 0xAF):
    bus.writeto(0x3C, bytes([0x80, cmd]))
fb.fill(0)
fb.text('Hi', 0, 0)
fb.hline(0, 63, 128, 1)
for cmd in (0x21, 0, 127, 0x22, 0, 7):
    bus.writeto(0x3C, bytes([0x80, cmd]))
bus.writevto(0x3C, (b'\\x40', buffer))
"""


@pytest.mark.parametrize("board, setup", [
    ("pico", "I2C(0)"),
    ("esp32", "SoftI2C(scl=Pin(18), sda=Pin(19))"),   # as many ESP32 tutorials drive it
])
def test_ssd1306_receives_a_framebuffer(board, setup):
    with sim_link(f"sim://{board}?time=virtual") as link:
        enter_raw(link)
        display = link.board.parts["display"]
        run(link, f"from machine import I2C, SoftI2C, Pin\nbus = {setup}\n" + DISPLAY)
        assert display.on
        assert display.framebuffer == bytes.fromhex(run(link, "print(buffer.hex())"))
        pixels = display.pixels
        assert pixels[63] == [1] * 128                      # the line along the bottom
        assert pixels[0][1:3] == [1, 1] and pixels[3][1:7] == [1, 1, 1, 1, 1, 1]   # the H's bars


# ---- SPI ----------------------------------------------------------------

def test_spi_defaults_and_an_empty_bus(raw):
    # Nothing drives MISO: it reads low (the RP2040's pads pull down by default).
    out = run(raw, "from machine import SPI\nspi = SPI(0)\nprint(spi)\nprint(spi.read(2))")
    assert out == ("SPI(0, baudrate=1000000, polarity=0, phase=0, bits=8, sck=18, mosi=19, miso=16)\n"
                   "b'\\x00\\x00'")
    assert error(raw, "from machine import SPI, Pin\nSPI(0, sck=Pin(3))") == "ValueError: bad SCK pin"


def test_spi_loopback_jumper(raw):
    raw.board.peripherals.spi_loopback.add(18)
    assert run(raw, "from machine import SPI\nspi = SPI(0)\nb = bytearray(3)\n"
                    "spi.write_readinto(b'abc', b)\nprint(b)") == "bytearray(b'abc')"


def test_spi_rates_and_pins_are_the_ports(raw):
    # the Pico SDK's divider on its 48 MHz peripheral clock; LSB first is not supported
    assert run(raw, "from machine import SPI, SoftSPI, Pin\nprint(SPI(1, 10_000_000))\nprint(SPI(0, miso=None))") == (
        "SPI(1, baudrate=8000000, polarity=0, phase=0, bits=8, sck=10, mosi=11, miso=8)\n"
        "SPI(0, baudrate=1000000, polarity=0, phase=0, bits=8, sck=18, mosi=19, miso=None)")
    assert error(raw, "SPI(0, firstbit=SPI.LSB)") == "NotImplementedError: LSB"
    assert error(raw, "SPI(2)") == "ValueError: SPI(2) doesn't exist"
    assert error(raw, "SPI(0, mosi=Pin(18))") == "ValueError: bad MOSI pin"
    assert run(raw, "print(SoftSPI(sck=Pin(2), mosi=Pin(3), miso=Pin(4)))") == \
        "SoftSPI(baudrate=500000, polarity=0, phase=0, firstbit=1, sck=2, mosi=3, miso=4)"
    assert error(raw, "SoftSPI(sck=Pin(2), mosi=Pin(3))") == "ValueError: must specify all of sck/mosi/miso"


def test_esp32_spi_is_the_ports(esp32):
    assert run(esp32, "from machine import SPI\nprint(SPI(1))\nprint(SPI(2, 3_000_000))") == (
        "SPI(id=1, baudrate=500000, polarity=0, phase=0, bits=8, firstbit=0, sck=14, mosi=13, miso=12)\n"
        "SPI(id=2, baudrate=2962962, polarity=0, phase=0, bits=8, firstbit=0, sck=18, mosi=23, miso=19)")
    assert error(esp32, "SPI(0)") == "ValueError: SPI(0) doesn't exist"
    assert error(esp32, "s = SPI(1)\ns.deinit()\ns.read(1)") == "OSError: transfer on deinitialized SPI"


def test_softspi_loopback_least_significant_bit_first_takes_its_bus_time(raw):
    raw.board.peripherals.spi_loopback.add(2)
    out = run(raw, "from machine import SoftSPI, Pin\nimport time\n"
                   "s = SoftSPI(baudrate=100_000, sck=Pin(2), mosi=Pin(3), miso=Pin(4), firstbit=SoftSPI.LSB)\n"
                   "b = bytearray(3)\nt = time.ticks_us()\ns.write_readinto(b'xyz', b)\n"
                   "print(b, time.ticks_diff(time.ticks_us(), t) >= 240)")
    assert out == "bytearray(b'xyz') True"


class Counter:
    """An SPI device answering each byte with the number of bytes before it."""

    def __init__(self, sck, cs):
        self.sck, self.cs = sck, cs
        self.received = b""

    def spi_transfer(self, data):
        self.received += data
        return bytes(range(len(data)))


def test_spi_device_answers_while_selected(raw):
    device = Counter(sck=18, cs=17)
    raw.board.peripherals.attach_spi(device)
    out = run(raw, "from machine import SPI, Pin\ncs = Pin(17, Pin.OUT)\ncs.value(1)\nspi = SPI(0)\n"
                   "print(spi.read(3, 0xAA))\ncs.value(0)\nprint(spi.read(3, 0xAA))\nspi.write(b'hi')\ncs.value(1)")
    assert out == "b'\\x00\\x00\\x00'\nb'\\x00\\x01\\x02'"
    assert device.received == b"\xaa\xaa\xaahi"


# ---- UART ---------------------------------------------------------------

def test_uart_write_reaches_the_host(raw):
    # timeout_char is at least 13 bit times, in whole ms: 2 at 9600 baud (ports/rp2).
    assert run(raw, "from machine import UART\nu = UART(0, 9600)\nprint(u)\nprint(u.write(b'hello'))") == \
        ("UART(0, baudrate=9600, bits=8, parity=None, stop=1, tx=0, rx=1, txbuf=256, rxbuf=256, "
         "timeout=0, timeout_char=2, invert=None, irq=0)\n5")
    assert raw.board.peripherals.uart(0).take_sent() == b"hello"


def test_uart_input_from_the_host(raw):
    run(raw, "from machine import UART\nimport time\nu = UART(0)")
    raw.board.uart_input("GPS,1\nrest")
    # 10 characters at 115200 baud take 0.9 ms to arrive
    assert run(raw, "time.sleep_ms(1)\nprint(u.any(), u.readline(), u.read(2), u.read(), u.read())") == \
        "10 b'GPS,1\\n' b're' b'st' None"


def test_uart_input_before_the_uart_is_set_up_is_lost(raw):
    raw.board.uart_input("early")
    assert run(raw, "from machine import UART\nu = UART(0)\nprint(u.any(), u.read())") == "0 None"


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
        link.write(b"from machine import UART\nimport time\nu = UART(0, timeout=2000)\nprint('reading')\n"
                   b"t = time.ticks_ms()\nd = u.read(3)\nprint(d, time.ticks_diff(time.ticks_ms(), t) < 2000)\x04")
        read_until(link, b"reading\r\n")
        # The read has most likely begun to wait by now (no print can come
        # from inside it); bytes that came before it would be read all the same.
        time.sleep(0.1)
        link.board.uart_input(b"xyz")
        # the data ends the wait: before the 2 s timeout, on the board's clock
        assert read_until(link, b"\x04>", timeout=5) == b"b'xyz' True\r\n\x04\x04>"


def test_uart_with_select_poll(raw):
    run(raw, "import select\nfrom machine import UART\nu = UART(0)\np = select.poll()\n"
             "p.register(u, select.POLLIN)\nprint(p.poll(0))")
    raw.board.uart_input(b"k")
    assert run(raw, "print(len(p.poll(1)), u.read())") == "1 b'k'"


@pytest.mark.parametrize("code, message", [
    ("UART(2)", "ValueError: UART(2) doesn't exist"),
    ("UART(0, tx=Pin(1))", "ValueError: bad TX pin"),
])
def test_uart_errors_are_the_ports(raw, code, message):
    assert error(raw, "from machine import UART, Pin\n" + code) == message


def test_uart_bytes_take_their_time_at_the_baud_rate(raw):
    raw.board.peripherals.uart(1).loopback = True
    out = run(raw, "from machine import UART\nimport time\nu = UART(1, 9600, timeout=20)\n"
                   "u.write(b'0123456789')\nprint(u.txdone())\n"
                   "t = time.ticks_us()\nprint(u.read(10))\nprint(time.ticks_diff(time.ticks_us(), t) // 1000)\n"
                   "u.flush()\nprint(u.txdone())")
    sent, data, ms, done = out.splitlines()
    assert (sent, data, done) == ("False", "b'0123456789'", "True")
    assert 10 <= int(ms) <= 11                  # 10 characters of 10 bits at 9600 baud


def test_uart_read_times_out_on_the_board_clock(raw):
    out = run(raw, "from machine import UART\nimport time\nu = UART(0, timeout=50)\n"
                   "t = time.ticks_ms()\nprint(u.read(5), u.readline())\nprint(time.ticks_diff(time.ticks_ms(), t))")
    nothing, ms = out.splitlines()
    assert nothing == "None None" and 100 <= int(ms) <= 103


def test_uart_receive_buffer_overflows_as_the_ports(raw):
    # rxbuf=32 (the port's least) and the RX FIFO's 32 bytes hold 64; the rest is lost
    run(raw, "from machine import UART\nimport time\nu = UART(0, rxbuf=10)\nprint(u)")
    raw.board.uart_input(bytes(range(100)))
    assert run(raw, "time.sleep_ms(20)\nprint(u.any(), u.read()[-1])") == "64 63"


def test_uart_rxidle_irq_runs_after_a_burst(raw):
    run(raw, "from machine import UART\nimport time\nu = UART(0)\ngot = []\n"
             "u.irq(lambda uart: got.append((uart.irq().flags(), uart.read())), UART.IRQ_RXIDLE)")
    raw.board.uart_input("burst")
    assert run(raw, "time.sleep_ms(5)\nprint(got, u.irq().flags() == UART.IRQ_RXIDLE)") == \
        "[(64, b'burst')] True"
    assert error(raw, "u.irq(print, 0x10)") == "ValueError: trigger 0x0010 unsupported"


def test_esp32_uart_is_the_ports(esp32):
    out = run(esp32, "from machine import UART\nprint(UART(2))\nprint(UART(1, 9600, parity=0))")
    assert out == (
        "UART(2, baudrate=115201, bits=8, parity=None, stop=1, tx=17, rx=16, rts=-1, cts=-1, "
        "txbuf=256, rxbuf=256, timeout=0, timeout_char=0, irq=0)\n"
        "UART(1, baudrate=9600, bits=8, parity=0, stop=1, tx=10, rx=9, rts=-1, cts=-1, "
        "txbuf=256, rxbuf=256, timeout=0, timeout_char=0, irq=0)")
    assert error(esp32, "UART(3)") == "ValueError: UART(3) does not exist"
    assert error(esp32, "UART(2, bits=9)") == "ValueError: invalid data bits"
    assert error(esp32, "UART(0).irq()") == "ValueError: REPL UART does not support IRQs"
    assert error(esp32, "UART(2).irq(print, UART.IRQ_RX, hard=True)") == "ValueError: hard IRQ is not supported"


def test_esp32_uart_irq_rx_and_host_output(esp32):
    run(esp32, "from machine import UART\nimport time\nu = UART(2)\ngot = []\n"
               "u.irq(lambda uart: got.append(uart.read()), UART.IRQ_RX)")
    esp32.board.uart_input("hello")
    assert run(esp32, "time.sleep_ms(5)\nprint(b''.join(got))\nprint(u.write('back'))") == "b'hello'\n4"
    assert esp32.board.uart_output() == b"back"


def test_uart_stream_for_asyncio(raw):
    run(raw, "from machine import UART\nimport asyncio\nu = UART(0)")
    raw.board.uart_input("line one\n")
    assert run(raw, "async def main():\n    reader = asyncio.StreamReader(u)\n"
                    "    print(await reader.readline())\nasyncio.run(main())") == "b'line one\\n'"


def test_uart_soft_reset_switches_it_off(raw):
    run(raw, "from machine import UART\nu = UART(0)")
    raw.write(b"\x02\x04")            # leave the raw REPL, soft reset
    read_until(raw, b">>> ")
    enter_raw(raw)
    raw.board.uart_input("lost")
    assert run(raw, "import time\ntime.sleep_ms(1)\nfrom machine import UART\nprint(UART(0).any())") == "0"
