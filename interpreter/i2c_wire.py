"""The I2C bus at the level of its two wires, for code that drives the pins
itself (machine.SoftI2C's start, write, readinto and stop, which bit-bang
SCL and SDA through the firmware's HAL, or Pin objects toggled by hand):
the devices wired to the bus (boards/i2c_parts.py) watch SCL and SDA and
answer as their chips do, pulling SDA low to acknowledge and to send their
bits. Transfers (machine.I2C's, and SoftI2C's readfrom, writeto, scan...)
do not come through here: they reach the devices whole (hal_buses.py).

What the wires carry becomes the devices' transfers:

* START (SDA falls while SCL is high), then the address byte: a device at
  that address acknowledges a write if it answers a probe
  (`i2c_write(b"")`), a read if `i2c_read` gives it bytes;
* the bytes of a write are acknowledged as they come and handed to the
  device as one `i2c_write(data)` at the STOP or repeated START that ends
  them;
* a read asks the device for READ_AHEAD bytes when it acknowledges its
  address (after the clock stretching it asks for, `i2c_stretch_ns()`,
  spent as board time) and sends them as the controller clocks them out,
  until the controller answers a byte with NACK; past them the bus reads
  0xFF.

A device pulls the bus low through `PinState.drive(0)` and lets it go with
`drive(None)`; with the pins open-drain, a pin reads low while either side
pulls it down.
"""

IDLE, ADDRESS, WRITE, READ, IGNORE = "idle", "address", "write", "read", "ignore"


class I2cWire:
    READ_AHEAD = 32

    def __init__(self, board, scl, sda):
        self.board = board
        self.scl, self.sda = scl, sda
        self._scl_level = board.gpio[scl].level
        self._sda_level = board.gpio[sda].level
        self._state = IDLE
        self._device = None
        self._clocks = 0            # SCL rises in this byte's 9 clocks
        self._byte = 0
        self._data = bytearray()    # a write's bytes, for the device at its end
        self._out = b""             # a read's bytes still to send
        self._reading = False       # the address asked for a read
        self._acked = False
        board.gpio.watch(self._pin_changed)

    # ---- the wires -------------------------------------------------------

    def _pin_changed(self, number, level):
        if number == self.scl:
            if level != self._scl_level:
                self._scl_level = level
                self._clock_edge(level)
        elif number == self.sda:
            if level != self._sda_level:
                self._sda_level = level
                # SDA moves only while SCL is low, except for START and STOP.
                if self._scl_level == 1:
                    if level == 0:
                        self._start()
                    else:
                        self._stop()

    def _pull_sda(self, low):
        self.board.gpio[self.sda].drive(0 if low else None)

    def _start(self):
        self._finish_write()
        self._state = ADDRESS
        self._clocks, self._byte = 0, 0

    def _stop(self):
        self._finish_write()
        self._state = IDLE
        self._pull_sda(False)

    def _clock_edge(self, level):
        if self._state in (ADDRESS, WRITE):
            self._receive_clock(level)
        elif self._state == READ:
            self._send_clock(level)

    def _receive_clock(self, level):
        """A byte from the controller, then our ACK (or NACK) in the 9th clock."""
        if level == 1:
            if self._clocks < 8:
                self._byte = (self._byte << 1) | self._sda_level
            self._clocks += 1
        elif self._clocks == 8:
            self._acked = self._byte_received(self._byte)
            self._pull_sda(self._acked)
        elif self._clocks == 9:
            self._pull_sda(False)
            self._clocks, self._byte = 0, 0
            if not self._acked:
                self._state = IGNORE
            elif self._state == ADDRESS:
                self._state = READ if self._reading else WRITE
                if self._reading:
                    self._load_byte()

    def _send_clock(self, level):
        """A byte to the controller, most significant bit first, then its ACK."""
        if level == 1:
            self._clocks += 1
            if self._clocks == 9:
                self._acked = self._sda_level == 0
        elif self._clocks < 8:
            self._pull_sda(not (self._byte >> (7 - self._clocks)) & 1)
        elif self._clocks == 8:
            self._pull_sda(False)           # the controller's ACK bit
        elif self._clocks == 9:
            if self._acked:
                self._load_byte()
            else:
                self._state = IGNORE        # NACK: it wants no more; STOP follows

    def _load_byte(self):
        """The next byte of a read goes out: its first bit now, while SCL is low."""
        if not self._out:
            more = self._device.i2c_read(self.READ_AHEAD)
            self._out = bytes(more) if more is not None else b"\xff" * self.READ_AHEAD
        self._byte, self._out = self._out[0], self._out[1:]
        self._clocks = 0
        self._pull_sda(not (self._byte >> 7) & 1)

    # ---- the devices -------------------------------------------------------

    def _byte_received(self, byte):
        """Acknowledge this byte?"""
        if self._state == WRITE:
            self._data.append(byte)
            return True
        address, self._reading = byte >> 1, bool(byte & 1)
        self._device = self.board.peripherals.i2c_bus(self.scl, self.sda).get(address)
        self._data = bytearray()
        if self._device is None:
            return False
        if not self._reading:
            return self._device.i2c_write(b"") is not None
        stretch = getattr(self._device, "i2c_stretch_ns", None)
        if stretch is not None:
            self.board.sleep_ns(stretch())
        data = self._device.i2c_read(self.READ_AHEAD)
        if data is None:
            return False
        self._out = bytes(data)
        return True

    def _finish_write(self):
        if self._state == WRITE and self._data:
            self._device.i2c_write(bytes(self._data))
        self._data = bytearray()
