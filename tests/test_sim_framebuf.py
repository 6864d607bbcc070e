"""framebuf as MicroPython has it, and a display driver drawing on the
simulated SSD1306 through it."""

from conftest import run

# raw: conftest's (a Pico on virtual time, in the raw REPL).


def test_mono_vlsb_layout_is_the_ssd1306s(raw):
    out = run(raw, "import framebuf\nb = bytearray(16)\nf = framebuf.FrameBuffer(b, 8, 16, framebuf.MONO_VLSB)\n"
                   "f.pixel(0, 0, 1)\nf.pixel(1, 7, 1)\nf.pixel(2, 8, 1)\nprint(b.hex())\n"
                   "print(f.pixel(1, 7), f.pixel(1, 6), f.pixel(99, 0))")
    # page 0: column 0 bit 0, column 1 bit 7; page 1 (rows 8-15): column 2 bit 0
    assert out == "0180000000000000" "0000010000000000" "\n1 0 None"


def test_hlsb_and_rgb565_layouts(raw):
    out = run(raw, "import framebuf\nb = bytearray(2)\nf = framebuf.FrameBuffer(b, 16, 1, framebuf.MONO_HLSB)\n"
                   "f.pixel(0, 0, 1)\nf.pixel(9, 0, 1)\nprint(b.hex())\n"
                   "c = bytearray(4)\ng = framebuf.FrameBuffer(c, 2, 1, framebuf.RGB565)\ng.pixel(1, 0, 0xF800)\n"
                   "print(c.hex(), g.pixel(1, 0))")
    assert out == "8040\n000000f8 63488"


def test_lines_rects_and_fill(raw):
    out = run(raw, "import framebuf\nb = bytearray(8 * 8)\nf = framebuf.FrameBuffer(b, 8, 8, framebuf.GS8)\n"
                   "f.line(0, 0, 7, 7, 1)\nf.rect(0, 0, 8, 8, 2)\nf.fill_rect(3, 3, 2, 2, 3)\n"
                   "for y in range(8):\n    print(''.join(str(f.pixel(x, y)) for x in range(8)))")
    assert out.splitlines() == ["22222222", "21000002", "20100002", "20033002",
                                "20033002", "20000102", "20000012", "22222222"]


def test_text_takes_eight_by_eight_cells(raw):
    # MicroPython's 8x8 font (extmod/font_petme128_8x8.h): lit pixels per column
    out = run(raw, "import framebuf\nb = bytearray(3 * 8)\nf = framebuf.FrameBuffer(b, 24, 8, framebuf.MONO_VLSB)\n"
                   "f.text('Hi!', 0, 0)\nprint([sum(1 for y in range(8) if f.pixel(x, y)) for x in range(24)])\n"
                   "print(any(f.pixel(x, 7) for x in range(24)))")
    counts, bottom_row = out.splitlines()
    assert eval(counts) == [0, 7, 7, 1, 1, 7, 7, 0,  0, 0, 0, 6, 6, 0, 0, 0,  0, 0, 0, 5, 5, 0, 0, 0]
    assert bottom_row == "False"                    # the last row of a cell is the space between lines


def test_scroll_and_blit(raw):
    out = run(raw, "import framebuf\nb = bytearray(4)\nf = framebuf.FrameBuffer(b, 2, 2, framebuf.GS8)\n"
                   "f.pixel(0, 0, 7)\nf.scroll(1, 1)\nprint(f.pixel(1, 1))\n"
                   "d = bytearray(9)\ng = framebuf.FrameBuffer(d, 3, 3, framebuf.GS8)\ng.blit(f, 1, 1, 0)\nprint(d.hex())")
    # scroll leaves the old pixel where it was; blit skips the key colour 0
    assert out == "7\n" "000000" "000700" "000007"


def test_ellipse_is_symmetric(raw):
    out = run(raw, "import framebuf\nb = bytearray(11 * 11)\nf = framebuf.FrameBuffer(b, 11, 11, framebuf.GS8)\n"
                   "f.ellipse(5, 5, 4, 3, 1)\n"
                   "print(all(f.pixel(x, y) == f.pixel(10 - x, y) == f.pixel(x, 10 - y) for x in range(11) for y in range(11)))\n"
                   "print(f.pixel(9, 5), f.pixel(5, 2), f.pixel(5, 5))")
    assert out == "True\n1 1 0"


DRIVER = """
import framebuf
class OLED(framebuf.FrameBuffer):
    def __init__(self, i2c, width=128, height=64, addr=0x3C):
        self.i2c, self.addr, self.width, self.height = i2c, addr, width, height
        self.buffer = bytearray(width * height // 8)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        for cmd in (0xAE, 0x20, 0x00, 0x40, 0xA1, 0xA8, height - 1, 0xC8, 0xD3, 0x00,
                    0xDA, 0x12, 0xD5, 0x80, 0xD9, 0xF1, 0xDB, 0x30, 0x81, 0xFF, 0xA4, 0xA6,
                    0x8D, 0x14, 0xAF):
            self.i2c.writeto(self.addr, bytes([0x80, cmd]))
    def show(self):
        for cmd in (0x21, 0, self.width - 1, 0x22, 0, self.height // 8 - 1):
            self.i2c.writeto(self.addr, bytes([0x80, cmd]))
        self.i2c.writevto(self.addr, (b'\\x40', self.buffer))
"""


def test_a_driver_draws_on_the_simulated_display(raw):
    display = raw.board.parts["display"]
    assert display.kind == "display" and not display.on
    run(raw, DRIVER + "from machine import I2C\noled = OLED(I2C(0))\noled.fill(0)\n"
                      "oled.rect(0, 0, 128, 64, 1)\noled.pixel(10, 20, 1)\noled.show()")
    assert display.on
    pixels = display.pixels
    assert len(pixels) == 64 and len(pixels[0]) == 128
    assert pixels[0] == [1] * 128 and pixels[63] == [1] * 128
    assert pixels[20][10] == 1 and pixels[20][11] == 0
    assert display.framebuffer == bytes.fromhex(run(raw, "print(oled.buffer.hex())"))
    run(raw, "oled.i2c.writeto(0x3C, b'\\x80\\xa7')")       # invert
    assert display.pixels[20][11] == 1
