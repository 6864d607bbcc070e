"""Simulated I2C parts, modelled at the level of their bus traffic so that
the drivers written for the real chips work unchanged.

An I2C device has `.address`, `.scl`, `.sda` (the bus pins it is wired to)
and answers the machine module's transfers:

    i2c_write(data) -> number of bytes it acknowledged, None if it does not
                       answer its address (the bus then reports a NACK);
                       b"" is an address-only probe (scan)
    i2c_read(n)     -> n bytes, or None if it does not answer (NACK)
    i2c_stretch_ns() (optional) -> how long it holds SCL low before a read
                       now (clock stretching); the controller waits that
                       long, or times out

SHT31 (Sensirion SHT3x-DIS), a temperature and humidity sensor at 0x44:

    i2c.writeto(0x44, b"\\x24\\x00")       # single shot, high repeatability
    time.sleep_ms(16)                      # the conversion takes 15 ms
    d = i2c.readfrom(0x44, 6)              # T msb, lsb, CRC, RH msb, lsb, CRC
    t = -45 + 175 * (d[0] << 8 | d[1]) / 65535
    rh = 100 * (d[3] << 8 | d[4]) / 65535

It knows single shot (0x24xx, and 0x2Cxx with clock stretching), periodic
mode (0x20xx-0x27xx with fetch 0xE000, 0x3093 break), soft reset 0x30A2,
heater 0x306D/0x3066, status 0xF32D and its clear 0x3041. A read before
the conversion is done is not acknowledged, as on the chip. Its two
sliders, "temperature" (degC) and "humidity" (%RH), set the air it measures;
readings carry seeded noise (sigma 0.03 degC, 0.1 %RH).

SSD1306, a 128x64 monochrome OLED controller at 0x3C: the command set the
micropython-lib `ssd1306` driver and most others use (addressing modes,
column/page windows, contrast, invert, display on/off, segment remap and
COM scan direction, charge pump...). Scrolling commands are accepted and
ignored; the start line and display offset are not modelled.
"""

from .parts import Part, Slider


def crc8(data):
    """Sensirion's CRC-8: polynomial 0x31, init 0xFF."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x31) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _word(value):
    data = bytes(((value >> 8) & 0xFF, value & 0xFF))
    return data + bytes((crc8(data),))


class SHT31:
    MEASURE_NS = {0x00: 15_000_000, 0x0B: 6_000_000, 0x16: 4_000_000,        # 0x24xx
                  0x06: 15_000_000, 0x0D: 6_000_000, 0x10: 4_000_000}        # 0x2Cxx
    STATUS_AFTER_RESET = 0x8010

    def __init__(self, board, scl, sda, address=0x44):
        self.board = board
        self.scl, self.sda, self.address = scl, sda, address
        self.temperature = Slider(board, "temperature", f"SHT31 temperature (I2C 0x{address:02X})",
                                  -40.0, 125.0, 0.1, "°C", 21.5)
        self.humidity = Slider(board, "humidity", f"SHT31 humidity (I2C 0x{address:02X})",
                               0.0, 100.0, 0.5, "%RH", 45.0)
        self._reset()
        board.peripherals.attach_i2c(self)

    def parts(self):
        return [self.temperature, self.humidity]

    def _reset(self):
        self._result = None         # bytes ready to read
        self._ready_at = None       # board time the single-shot conversion ends
        self._stretch = False
        self._periodic = False
        self._heater = False
        self._status = self.STATUS_AFTER_RESET

    def _measure(self):
        noise = self.board.noise
        t = self.temperature.value + noise.gauss(0, 0.03) + (3.0 if self._heater else 0.0)
        rh = self.humidity.value + noise.gauss(0, 0.1)
        t_raw = round((t + 45.0) / 175.0 * 65535)
        rh_raw = round(rh / 100.0 * 65535)
        return _word(max(0, min(65535, t_raw))) + _word(max(0, min(65535, rh_raw)))

    def i2c_write(self, data):
        if len(data) < 2:
            return len(data)        # an address-only probe (scan) is acknowledged
        command = data[0] << 8 | data[1]
        now = self.board.clock.peek_ns()
        if data[0] in (0x24, 0x2C) and data[1] in self.MEASURE_NS:
            self._result = None
            self._ready_at = now + self.MEASURE_NS[data[1]]
            self._stretch = data[0] == 0x2C
        elif 0x20 <= data[0] <= 0x27 and data[0] != 0x24:
            self._periodic = True
            self._result = None
        elif command == 0xE000:
            if self._periodic:
                self._result = self._measure()
        elif command == 0x3093:
            self._periodic = False
        elif command == 0x30A2:
            self._reset()
        elif command == 0x306D:
            self._heater = True
            self._status |= 0x2000
        elif command == 0x3066:
            self._heater = False
            self._status &= ~0x2000
        elif command == 0xF32D:
            self._result = _word(self._status)
        elif command == 0x3041:
            self._status &= 0x2000
        else:
            return 2                # unknown command: the chip acks, then flags it
        return len(data)

    def i2c_stretch_ns(self):
        """How long the chip holds SCL low before answering a read now: with
        clock stretching (0x2Cxx), until its conversion is done."""
        if self._ready_at is None or not self._stretch:
            return 0
        return max(0, self._ready_at - self.board.clock.peek_ns())

    def i2c_read(self, n):
        if self._ready_at is not None:
            if self._ready_at > self.board.clock.peek_ns():
                return None         # conversion running: no acknowledge
            self._ready_at = None
            self._result = self._measure()
        if self._result is None:
            return None
        data, self._result = self._result, None
        return (data + b"\xff" * n)[:n]


# SSD1306 commands followed by this many argument bytes.
_ARGS = {0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xA8: 1, 0xD3: 1, 0xDA: 1, 0xD5: 1, 0xD9: 1,
         0xDB: 1, 0x8D: 1, 0x26: 6, 0x27: 6, 0x29: 5, 0x2A: 5, 0xA3: 2}


class SSD1306(Part):
    kind = "display"

    def __init__(self, board, scl, sda, address=0x3C, width=128, height=64, name="display",
                 label=None):
        super().__init__(board, name, label or f"SSD1306 OLED {width}x{height} (I2C 0x{address:02X})")
        self.scl, self.sda, self.address = scl, sda, address
        self.width, self.height = width, height
        self._ram = bytearray(width * height // 8)
        self._reset()
        board.peripherals.attach_i2c(self)

    def _reset(self):
        self.on = False
        self.inverted = False
        self.all_on = False
        self.contrast = 0x7F
        self.segment_remap = False      # 0xA1: column 0 at the left edge of a usual module
        self.com_reversed = False       # 0xC8: page 0 at the top edge
        self._mode = 2                  # page addressing after reset
        self._cols = (0, self.width - 1)
        self._pages = (0, self.height // 8 - 1)
        self._col, self._page = 0, 0
        self._command = []

    # ---- state for the host ----------------------------------------------

    @property
    def framebuffer(self):
        """The display RAM as the chip holds it: pages of 8 rows, one byte
        per column, bit 0 the top row of the page."""
        return bytes(self._ram)

    @property
    def pixels(self):
        """What the screen shows: `height` rows of `width` values 0/1."""
        if not self.on:
            return [[0] * self.width for _ in range(self.height)]
        rows = []
        for y in range(self.height):
            ram_y = y if self.com_reversed else self.height - 1 - y
            page, bit = divmod(ram_y, 8)
            base = page * self.width
            row = []
            for x in range(self.width):
                ram_x = x if self.segment_remap else self.width - 1 - x
                lit = self.all_on or (self._ram[base + ram_x] >> bit) & 1
                row.append(int(bool(lit) != self.inverted))
            rows.append(row)
        return rows

    # ---- the bus ----------------------------------------------------------

    def i2c_write(self, data):
        if not data:
            return 0                # an address-only probe (scan)
        i = 0
        while i < len(data):
            control = data[i]
            i += 1
            if control & 0x80:                      # Co: one byte, then a new control byte
                if i < len(data):
                    self._byte(data[i], control & 0x40)
                i += 1
                continue
            for byte in data[i:]:
                self._byte(byte, control & 0x40)
            break
        self.changed()
        return len(data)

    def i2c_read(self, n):
        status = 0x00 if self.on else 0x40          # bit 6: display off
        return bytes([status] * n)

    def _byte(self, byte, is_data):
        if is_data:
            self._data(byte)
        else:
            self._command_byte(byte)

    def _command_byte(self, byte):
        command = self._command
        command.append(byte)
        if len(command) - 1 < _ARGS.get(command[0], 0):
            return
        self._command = []
        op, args = command[0], command[1:]
        pages = self.height // 8
        if op in (0xAE, 0xAF):
            self.on = op == 0xAF
        elif op == 0x81:
            self.contrast = args[0]
        elif op in (0xA4, 0xA5):
            self.all_on = op == 0xA5
        elif op in (0xA6, 0xA7):
            self.inverted = op == 0xA7
        elif op in (0xA0, 0xA1):
            self.segment_remap = op == 0xA1
        elif op in (0xC0, 0xC8):
            self.com_reversed = op == 0xC8
        elif op == 0x20:
            self._mode = args[0] & 3
        elif op == 0x21:
            self._cols = (args[0] % self.width, args[1] % self.width)
            self._col = self._cols[0]
        elif op == 0x22:
            self._pages = (args[0] % pages, args[1] % pages)
            self._page = self._pages[0]
        elif 0xB0 <= op <= 0xB7:
            self._page = (op & 7) % pages
        elif op <= 0x0F:
            self._col = (self._col & 0xF0) | op
        elif 0x10 <= op <= 0x1F:
            self._col = ((op & 0x0F) << 4 | (self._col & 0x0F)) % self.width

    def _data(self, byte):
        self._ram[self._page * self.width + self._col] = byte
        (c0, c1), (p0, p1) = self._cols, self._pages
        if self._mode == 2:                         # page: column moves, wraps in the page
            self._col = self._col + 1 if self._col < self.width - 1 else 0
        elif self._mode == 0:                       # horizontal
            if self._col < c1:
                self._col += 1
            else:
                self._col = c0
                self._page = self._page + 1 if self._page < p1 else p0
        else:                                       # vertical
            if self._page < p1:
                self._page += 1
            else:
                self._page = p0
                self._col = self._col + 1 if self._col < c1 else c0
