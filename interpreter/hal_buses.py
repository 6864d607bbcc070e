"""The buses' host imports (interpreter/port/host.h: i2c_transfer,
spi_transfer, uart_*): what the firmware's machine.I2C, SPI, SoftSPI and
UART ask of the devices and wires the board's model has
(peripherals.py, boards/i2c_parts.py). Each transfer takes the bus time it
takes on the board's clock.
"""

from .host import I32, I64, host_import

# extmod's MP_MACHINE_I2C_FLAG_* and host.h's additions.
I2C_READ, I2C_STOP, I2C_WRITE1, I2C_TIMEOUT_WHOLE = 0x01, 0x02, 0x04, 0x100
I2C_NACK, I2C_TIMEOUT = -1, -2
I2C_BYTE_BITS = 9           # 8 data bits and the ACK


class I2cBlock:
    """The I2C controllers: each transaction reaches the device at its
    address on the bus's pins as one i2c_write / i2c_read."""

    def __init__(self, board):
        self.board = board

    @host_import("i2c_transfer", [I32] * 10, [I32])
    def i2c_transfer(self, scl, sda, freq, timeout_us, addr, wbuf, wlen, rbuf, rlen, flags):
        bus = _BusClock(self.board, freq, timeout_us, whole=bool(flags & I2C_TIMEOUT_WHOLE))
        device = self.board.peripherals.i2c_bus(scl, sda).get(addr)
        result = 0
        try:
            if flags & I2C_WRITE1 or not flags & I2C_READ:
                data = self.chip.read(wbuf, wlen)
                acked = self._write(bus, device, data)
                if acked < 0 or not flags & I2C_WRITE1 or acked < wlen:
                    return acked
                result = acked
            data = self._read(bus, device, rlen)
            if isinstance(data, int):
                return data
            self.chip.write(rbuf, data)
            return result + len(data)
        finally:
            bus.stop(flags & I2C_STOP)
            bus.catch_up()

    def _write(self, bus, device, data):
        """The address for a write, then the data: how many were acknowledged."""
        bus.transfer(1)
        if device is None:
            return I2C_NACK
        sent = bus.bytes_in_time(len(data))
        acked = device.i2c_write(data[:sent])
        if acked is None:
            return I2C_NACK
        if sent < len(data):
            bus.time_out()
            return I2C_TIMEOUT
        bus.transfer(len(data))
        return min(acked, len(data))

    def _read(self, bus, device, size):
        """The address for a read (a repeated start after a write), then the
        bytes, or I2C_NACK or I2C_TIMEOUT."""
        bus.transfer(1)
        if device is None:
            return I2C_NACK
        stretch = getattr(device, "i2c_stretch_ns", None)
        if stretch is not None and not bus.stretch(stretch()):
            return I2C_TIMEOUT
        bus.catch_up()              # the device answers when the time has come
        data = device.i2c_read(size)
        if data is None:
            return I2C_NACK
        if bus.bytes_in_time(size) < size:
            bus.time_out()
            return I2C_TIMEOUT
        bus.transfer(size)
        return bytes(data)


class _BusClock:
    """The time one I2C transaction takes, against the controller's timeout:
    for a device stretching the clock, or (`whole`, the Pico SDK's) for all
    of the transaction."""

    def __init__(self, board, freq, timeout_us, whole):
        self.board = board
        self.byte_ns = I2C_BYTE_BITS * 1_000_000_000 // max(1, freq & 0xFFFFFFFF)
        self.timeout_ns = (timeout_us & 0xFFFFFFFF) * 1000
        self.whole = whole
        self.elapsed_ns = self.byte_ns // I2C_BYTE_BITS      # the START
        self._spent_ns = 0

    def catch_up(self):
        """Board time moves on to where the transaction is."""
        self.board.sleep_ns(self.elapsed_ns - self._spent_ns)
        self._spent_ns = self.elapsed_ns

    def transfer(self, nbytes):
        self.elapsed_ns += nbytes * self.byte_ns

    def bytes_in_time(self, nbytes):
        """How many of `nbytes` go over the bus before the timeout."""
        if not self.whole:
            return nbytes
        return max(0, min(nbytes, (self.timeout_ns - self.elapsed_ns) // self.byte_ns))

    def stretch(self, ns):
        """A device holds SCL low for `ns`: False if the controller gives up first."""
        limit = self.timeout_ns - self.elapsed_ns if self.whole else self.timeout_ns
        if ns > limit:
            self.elapsed_ns += max(0, limit)
            return False
        self.elapsed_ns += max(0, ns)
        return True

    def time_out(self):
        self.elapsed_ns = max(self.elapsed_ns, self.timeout_ns)

    def stop(self, stop):
        if stop:
            self.elapsed_ns += self.byte_ns // I2C_BYTE_BITS


class SpiBlock:
    """The SPI controllers (and SoftSPI): full-duplex transfers with what is
    wired to the bus (peripherals.spi_exchange)."""

    def __init__(self, board):
        self.board = board

    @host_import("spi_transfer", [I32] * 7)
    def spi_transfer(self, sck, mosi, miso, baudrate, src, dest, size):
        data = self.chip.read(src, size)
        answer = self.board.peripherals.spi_exchange(sck, miso, data)
        self.board.sleep_ns(size * 8 * 1_000_000_000 // max(1, baudrate & 0xFFFFFFFF))
        if dest:
            self.chip.write(dest, answer)


class UartBlock:
    """The UARTs' wires (peripherals.UartLink)."""

    def __init__(self, board):
        self.board = board

    def _link(self, uart_id):
        return self.board.peripherals.uart(uart_id)

    @host_import("uart_init", [I32] * 4)
    def uart_init(self, uart_id, baudrate, frame_bits, rx_bytes):
        self._link(uart_id).switch_on(baudrate & 0xFFFFFFFF, frame_bits, rx_bytes)

    @host_import("uart_deinit", [I32])
    def uart_deinit(self, uart_id):
        self._link(uart_id).switch_off()

    @host_import("uart_write", [I32] * 3, [I64])
    def uart_write(self, uart_id, pointer, size):
        return self._link(uart_id).transmit(self.chip.read(pointer, size)) // 1000

    @host_import("uart_read", [I32] * 3, [I32])
    def uart_read(self, uart_id, pointer, size):
        data = self._link(uart_id).read(size)
        if data:
            self.chip.write(pointer, data)
        return len(data)

    @host_import("uart_any", [I32], [I32])
    def uart_any(self, uart_id):
        return self._link(uart_id).any()


def blocks(board):
    return [I2cBlock(board), SpiBlock(board), UartBlock(board)]
