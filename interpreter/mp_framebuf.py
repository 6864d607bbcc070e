"""`framebuf` as MicroPython has it (extmod/modframebuf.c): a FrameBuffer
draws into the buffer it was given, in the same byte layout, so a driver
that sends the buffer to a display (the ssd1306 driver does) shows what was
drawn.

Formats: MONO_VLSB (pages of 8 rows, bit 0 on top: the SSD1306's), MONO_HLSB,
MONO_HMSB, RGB565, GS2_HMSB, GS4_HMSB, GS8. Drawing: fill, pixel, hline,
vline, line, rect, fill_rect, ellipse, poly, text (8x8 cells), scroll, blit.

Text is drawn in 8x8 cells as on the board, but with a 5x7 font of the
simulator's own (font5x7.py), not the firmware's: the pixels of each letter
differ from a real board's, where it is and how big it is do not.
"""

import types

from .font5x7 import glyph_columns

MONO_VLSB, RGB565, GS4_HMSB, MONO_HLSB, MONO_HMSB, GS2_HMSB, GS8 = 0, 1, 2, 3, 4, 5, 6


class _Layout:
    """Where a pixel lives in the buffer, per format."""

    @staticmethod
    def for_format(fmt):
        try:
            return _LAYOUTS[fmt]
        except KeyError:
            raise ValueError("invalid format") from None


def _vlsb_get(fb, x, y):
    return (fb.buf[(y >> 3) * fb.stride + x] >> (y & 7)) & 1


def _vlsb_set(fb, x, y, c):
    i = (y >> 3) * fb.stride + x
    bit = 1 << (y & 7)
    fb.buf[i] = (fb.buf[i] | bit) if c & 1 else (fb.buf[i] & ~bit & 0xFF)


def _hlsb_index(fb, x, y):
    return (x + y * ((fb.stride + 7) & ~7)) >> 3


def _hlsb_get(fb, x, y):
    return (fb.buf[_hlsb_index(fb, x, y)] >> (7 - (x & 7))) & 1


def _hlsb_set(fb, x, y, c):
    i = _hlsb_index(fb, x, y)
    bit = 0x80 >> (x & 7)
    fb.buf[i] = (fb.buf[i] | bit) if c & 1 else (fb.buf[i] & ~bit & 0xFF)


def _hmsb_get(fb, x, y):
    return (fb.buf[_hlsb_index(fb, x, y)] >> (x & 7)) & 1


def _hmsb_set(fb, x, y, c):
    i = _hlsb_index(fb, x, y)
    bit = 1 << (x & 7)
    fb.buf[i] = (fb.buf[i] | bit) if c & 1 else (fb.buf[i] & ~bit & 0xFF)


def _rgb565_get(fb, x, y):
    i = (x + y * fb.stride) * 2
    return fb.buf[i] | fb.buf[i + 1] << 8


def _rgb565_set(fb, x, y, c):
    i = (x + y * fb.stride) * 2
    fb.buf[i] = c & 0xFF
    fb.buf[i + 1] = (c >> 8) & 0xFF


def _gs2_get(fb, x, y):
    i = (x + y * fb.stride) >> 2
    return (fb.buf[i] >> ((x & 3) << 1)) & 3


def _gs2_set(fb, x, y, c):
    i = (x + y * fb.stride) >> 2
    shift = (x & 3) << 1
    fb.buf[i] = (fb.buf[i] & ~(3 << shift) & 0xFF) | ((c & 3) << shift)


def _gs4_get(fb, x, y):
    i = (x + y * fb.stride) >> 1
    return (fb.buf[i] & 0x0F) if x & 1 else (fb.buf[i] >> 4)


def _gs4_set(fb, x, y, c):
    i = (x + y * fb.stride) >> 1
    if x & 1:
        fb.buf[i] = (fb.buf[i] & 0xF0) | (c & 0x0F)
    else:
        fb.buf[i] = (fb.buf[i] & 0x0F) | ((c & 0x0F) << 4)


def _gs8_get(fb, x, y):
    return fb.buf[x + y * fb.stride]


def _gs8_set(fb, x, y, c):
    fb.buf[x + y * fb.stride] = c & 0xFF


_LAYOUTS = {
    MONO_VLSB: (_vlsb_get, _vlsb_set), MONO_HLSB: (_hlsb_get, _hlsb_set),
    MONO_HMSB: (_hmsb_get, _hmsb_set), RGB565: (_rgb565_get, _rgb565_set),
    GS2_HMSB: (_gs2_get, _gs2_set), GS4_HMSB: (_gs4_get, _gs4_set), GS8: (_gs8_get, _gs8_set),
}


def _needed_bytes(width, height, fmt, stride):
    if fmt == MONO_VLSB:
        return ((height + 7) >> 3) * stride
    if fmt in (MONO_HLSB, MONO_HMSB):
        return ((stride + 7) & ~7) * height // 8
    bits = {RGB565: 16, GS2_HMSB: 2, GS4_HMSB: 4, GS8: 8}[fmt]
    return (stride * height * bits + 7) // 8


class FrameBuffer:
    def __init__(self, buffer, width, height, format, stride=None):
        self._get, self._set = _Layout.for_format(format)
        self.width, self.height, self.format = width, height, format
        self.stride = width if stride is None else stride
        self.buf = memoryview(buffer).cast("B")
        if len(self.buf) < _needed_bytes(width, height, format, self.stride):
            raise ValueError("buffer too small")

    # ---- pixels -----------------------------------------------------------

    def _put(self, x, y, c):
        if 0 <= x < self.width and 0 <= y < self.height:
            self._set(self, x, y, c)

    def pixel(self, x, y, c=None):
        if not (0 <= x < self.width and 0 <= y < self.height):
            return None
        if c is None:
            return self._get(self, x, y)
        self._set(self, x, y, c)

    def fill_rect(self, x, y, w, h, c):
        if h < 1 or w < 1 or x + w <= 0 or y + h <= 0 or y >= self.height or x >= self.width:
            return
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        for yy in range(y0, y1):
            for xx in range(x0, x1):
                self._set(self, xx, yy, c)

    def fill(self, c):
        self.fill_rect(0, 0, self.width, self.height, c)

    def hline(self, x, y, w, c):
        self.fill_rect(x, y, w, 1, c)

    def vline(self, x, y, h, c):
        self.fill_rect(x, y, 1, h, c)

    def rect(self, x, y, w, h, c, f=False):
        if f:
            self.fill_rect(x, y, w, h, c)
            return
        self.fill_rect(x, y, w, 1, c)
        self.fill_rect(x, y + h - 1, w, 1, c)
        self.fill_rect(x, y, 1, h, c)
        self.fill_rect(x + w - 1, y, 1, h, c)

    def line(self, x1, y1, x2, y2, c):
        # Bresenham, stepping along the longer axis; the end point drawn last.
        dx, sx = (x2 - x1, 1) if x2 > x1 else (x1 - x2, -1)
        dy, sy = (y2 - y1, 1) if y2 > y1 else (y1 - y2, -1)
        steep = dy > dx
        if steep:
            x1, y1, dx, dy, sx, sy = y1, x1, dy, dx, sy, sx
        err = 2 * dy - dx
        for _ in range(dx):
            if steep:
                self._put(y1, x1, c)
            else:
                self._put(x1, y1, c)
            while err >= 0:
                y1 += sy
                err -= 2 * dx
            x1 += sx
            err += 2 * dy
        self._put(x2, y2, c)

    def ellipse(self, cx, cy, xr, yr, c, f=False, m=0x0F):
        """Quadrants in `m`: bit 0 upper right, 1 upper left, 2 lower left, 3 lower right."""
        m = m & 0x0F or 0x0F

        def draw(x, y):
            quads = ((1, cx + x, cy - y), (2, cx - x, cy - y), (4, cx - x, cy + y), (8, cx + x, cy + y))
            if f:
                if m & 1:
                    self.fill_rect(cx, cy - y, x + 1, 1, c)
                if m & 2:
                    self.fill_rect(cx - x, cy - y, x + 1, 1, c)
                if m & 4:
                    self.fill_rect(cx - x, cy + y, x + 1, 1, c)
                if m & 8:
                    self.fill_rect(cx, cy + y, x + 1, 1, c)
            else:
                for bit, px, py in quads:
                    if m & bit:
                        self._put(px, py, c)

        if xr == 0 and yr == 0:
            if m & 0x0F:
                self._put(cx, cy, c)
            return
        two_a2, two_b2 = 2 * xr * xr, 2 * yr * yr
        # Kennedy's algorithm: the first set of points, where the slope > -1
        x, y = xr, 0
        xchange, ychange = yr * yr * (1 - 2 * xr), xr * xr
        error, stop_x, stop_y = 0, two_b2 * xr, 0
        while stop_x >= stop_y:
            draw(x, y)
            y += 1
            stop_y += two_a2
            error += ychange
            ychange += two_a2
            if 2 * error + xchange > 0:
                x -= 1
                stop_x -= two_b2
                error += xchange
                xchange += two_b2
        # the second set, where the slope < -1
        x, y = 0, yr
        xchange, ychange = yr * yr, xr * xr * (1 - 2 * yr)
        error, stop_x, stop_y = 0, 0, two_a2 * yr
        while stop_x <= stop_y:
            draw(x, y)
            x += 1
            stop_x += two_b2
            error += xchange
            xchange += two_b2
            if 2 * error + ychange > 0:
                y -= 1
                stop_y -= two_a2
                error += ychange
                ychange += two_a2

    def poly(self, x, y, coords, c, f=False):
        points = list(coords)
        n = len(points) // 2
        if n < 1:
            return
        vertices = [(x + points[2 * i], y + points[2 * i + 1]) for i in range(n)]
        if not f:
            for i in range(n):
                (ax, ay), (bx, by) = vertices[i - 1], vertices[i]
                self.line(ax, ay, bx, by, c)
            return
        ys = [vy for _, vy in vertices]
        for row in range(min(ys), max(ys) + 1):
            crossings = []
            for i in range(n):
                (ax, ay), (bx, by) = vertices[i - 1], vertices[i]
                if (ay <= row < by) or (by <= row < ay):
                    crossings.append(ax + (row - ay) * (bx - ax) / (by - ay))
            crossings.sort()
            for start, end in zip(crossings[0::2], crossings[1::2]):
                self.fill_rect(round(start), row, round(end) - round(start) + 1, 1, c)
        for i in range(n):                  # the outline too, as the board draws it
            (ax, ay), (bx, by) = vertices[i - 1], vertices[i]
            self.line(ax, ay, bx, by, c)

    # ---- text and whole-buffer moves --------------------------------------

    def text(self, s, x0, y0, c=1):
        for ch in str(s):
            columns = glyph_columns(ch)
            for dx, column in enumerate(columns):
                for dy in range(8):
                    if column >> dy & 1:
                        self._put(x0 + dx, y0 + dy, c)
            x0 += 8

    def scroll(self, xstep, ystep):
        w, h = self.width, self.height
        xs = range(w - 1, -1, -1) if xstep > 0 else range(w)
        ys = range(h - 1, -1, -1) if ystep > 0 else range(h)
        for y in ys:
            for x in xs:
                sx, sy = x - xstep, y - ystep
                if 0 <= sx < w and 0 <= sy < h:
                    self._set(self, x, y, self._get(self, sx, sy))

    def blit(self, source, x, y, key=-1, palette=None):
        if isinstance(source, tuple):       # (buffer, width, height, format[, stride])
            source = FrameBuffer(*source)
        for sy in range(source.height):
            for sx in range(source.width):
                tx, ty = x + sx, y + sy
                if not (0 <= tx < self.width and 0 <= ty < self.height):
                    continue
                col = source._get(source, sx, sy)
                if palette is not None:
                    col = palette._get(palette, col, 0)
                if col != key:
                    self._set(self, tx, ty, col)


def FrameBuffer1(buffer, width, height, format=MONO_VLSB, stride=None):
    """The old name some drivers still use."""
    return FrameBuffer(buffer, width, height, format, stride)


def make_module(vm):
    module = types.ModuleType("framebuf")
    FrameBuffer.__module__ = "framebuf"
    module.__dict__.update(
        FrameBuffer=FrameBuffer, FrameBuffer1=FrameBuffer1,
        MONO_VLSB=MONO_VLSB, MONO_HLSB=MONO_HLSB, MONO_HMSB=MONO_HMSB, RGB565=RGB565,
        GS2_HMSB=GS2_HMSB, GS4_HMSB=GS4_HMSB, GS8=GS8, MVLSB=MONO_VLSB,
    )
    return module
