"""machine.I2C and machine.SoftI2C (extmod/machine_i2c.c and each port's
hardware I2C), talking to the simulated devices wired to the bus's pins.

A device answers at its address on the pins it is wired to (see
interpreter/peripherals.py and boards/i2c_parts.py). An address nobody
answers gives the port's error: `OSError: [Errno 5] EIO` from the rp2's
hardware I2C, `OSError: [Errno 19] ENODEV` from SoftI2C, from the esp32 and
from a zero-length write on the rp2 (the port does those in software).
Board time moves on by the bus time of each transfer (9 clocks a byte).

rp2: I2C(id=0, freq=400000, *, scl, sda, timeout) with the board's default
pins, SCL on odd and SDA on even pins of the bus (`bad SCL pin`), the
frequency the RP2040 divider gives (400 kHz reads back 399361 Hz).
esp32: I2C(0) on SCL 18 / SDA 19, I2C(1) on 25 / 26.
"""

from . import gpio as _gpio
from .mp_errno import oserror

EIO, ENODEV, EINVAL = 5, 19, 22


def _bus_ns(freq, nbytes):
    return (nbytes + 1) * 9 * 1_000_000_000 // max(1, freq)


class _Bus:
    """What I2C and SoftI2C share: the transfers of extmod/machine_i2c.c."""

    _nack_errno = ENODEV

    def _devices(self):
        return self._board.peripherals.i2c_bus(self._scl, self._sda)

    def _nack(self, nbytes):
        return oserror(ENODEV if nbytes == 0 else self._nack_errno)

    def _write(self, addr, data):
        device = self._devices().get(addr)
        self._board.spend_ns(_bus_ns(self._freq, len(data)))
        acked = None if device is None else device.i2c_write(bytes(data))
        if acked is None:
            raise self._nack(len(data))
        return acked

    def _read(self, addr, nbytes):
        device = self._devices().get(addr)
        self._board.spend_ns(_bus_ns(self._freq, nbytes))
        data = None if device is None else device.i2c_read(nbytes)
        if data is None:
            raise self._nack(nbytes)
        return bytes(data)

    def scan(self):
        found = []
        devices = self._devices()
        for addr in range(0x08, 0x78):
            self._board.spend_ns(_bus_ns(self._freq, 0))
            if addr in devices and devices[addr].i2c_write(b"") is not None:
                found.append(addr)
        return found

    def writeto(self, addr, buf, stop=True):
        return self._write(addr, _buffer(buf))

    def writevto(self, addr, vector, stop=True):
        return self._write(addr, b"".join(_buffer(b) for b in vector))

    def readfrom(self, addr, nbytes, stop=True):
        return self._read(addr, nbytes)

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self._read(addr, len(buf))

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        self._write(addr, _memaddr(memaddr, addrsize))
        return self._read(addr, nbytes)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, _memaddr(memaddr, addrsize))
        buf[:] = self._read(addr, len(buf))

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, _memaddr(memaddr, addrsize) + _buffer(buf))

    def _take_pins(self):
        bank = self._board.gpio
        for gpio in (self._scl, self._sda):
            state = bank[gpio]
            bank.change(state, lambda state=state: (setattr(state, "mode", _gpio.ALT),
                                                   setattr(state, "alt", "I2C"),
                                                   setattr(state, "pull", _gpio.PULL_UP)))


def _buffer(buf):
    if isinstance(buf, str):
        raise TypeError("object with buffer protocol required")
    return bytes(memoryview(buf))


def _memaddr(memaddr, addrsize):
    if addrsize not in (8, 16, 24, 32):
        raise ValueError("invalid addrsize")
    return int(memaddr).to_bytes(addrsize // 8, "big")


def make_i2c_classes(vm, Pin):
    board = vm.board
    definition = board.definition
    esp32 = definition.port == "esp32"
    buses = {}

    class I2C(_Bus):
        _nack_errno = ENODEV if esp32 else EIO

        def __new__(cls, id=0, *args, **kwargs):
            if isinstance(id, bool) or not isinstance(id, int):
                raise TypeError(f"can't convert {type(id).__name__} to int")
            if id not in definition.i2c_pins:
                raise ValueError(f"I2C({id}) doesn't exist")
            self = buses.get(id)
            if self is None:
                self = buses[id] = object.__new__(cls)
                self._id = id
                self._board = board
                self._scl, self._sda = definition.i2c_pins[id]
                self._freq = 0
            return self

        def __init__(self, id=0, freq=None, *, scl=None, sda=None, timeout=50_000):
            if freq is None and scl is None and sda is None and self._freq:
                return      # I2C(0) again: the bus as it was set up
            freq = 400_000 if freq is None else freq
            if scl is not None:
                scl = Pin._find(scl)
                if not esp32 and not (scl & 1 == 1 and (scl & 2) >> 1 == self._id):
                    raise ValueError("bad SCL pin")
                self._scl = scl
            if sda is not None:
                sda = Pin._find(sda)
                if not esp32 and not (sda & 1 == 0 and (sda & 2) >> 1 == self._id):
                    raise ValueError("bad SDA pin")
                self._sda = sda
            self._freq = freq if esp32 else _rp2_baudrate(board.peripherals.cpu_freq, freq)
            self._timeout = timeout
            self._take_pins()

        def __repr__(self):
            if esp32:
                return f"I2C({self._id}, scl={self._scl}, sda={self._sda}, freq={self._freq})"
            return (f"I2C({self._id}, freq={self._freq}, scl={self._scl}, sda={self._sda}, "
                    f"timeout={self._timeout})")

    class SoftI2C(_Bus):
        def __init__(self, scl, sda, *, freq=400_000, timeout=50_000):
            self._board = board
            self._scl, self._sda = Pin._find(scl), Pin._find(sda)
            self._freq = freq
            self._timeout = timeout
            self._transaction = None
            for gpio in (self._scl, self._sda):
                state = board.gpio[gpio]
                board.gpio.change(state, lambda state=state: (setattr(state, "mode", _gpio.OPEN_DRAIN),
                                                             setattr(state, "output", 1)))

        # The primitive operations: a transaction built byte by byte.
        def start(self):
            self._transaction = {"addr": None, "read": False, "data": bytearray()}

        def stop(self):
            t, self._transaction = self._transaction, None
            if t is not None and t["addr"] is not None and not t["read"]:
                device = self._devices().get(t["addr"])
                if device is not None:
                    device.i2c_write(bytes(t["data"]))

        def write(self, buf):
            t = self._transaction
            if t is None:
                raise oserror(EIO)
            acks = 0
            for byte in _buffer(buf):
                self._board.spend_ns(_bus_ns(self._freq, 0))
                if t["addr"] is None:
                    t["addr"], t["read"] = byte >> 1, bool(byte & 1)
                    if t["addr"] not in self._devices():
                        return acks
                else:
                    t["data"].append(byte)
                acks += 1
            return acks

        def readinto(self, buf, nack=True):
            t = self._transaction
            device = None if t is None or t["addr"] is None else self._devices().get(t["addr"])
            data = device.i2c_read(len(buf)) if device is not None else None
            buf[:] = data if data is not None else b"\xff" * len(buf)

        def init(self, scl, sda, *, freq=400_000, timeout=50_000):
            self.__init__(scl, sda, freq=freq, timeout=timeout)

        def __repr__(self):
            return f"SoftI2C(scl={self._scl}, sda={self._sda}, freq={self._freq})"

    I2C.__qualname__, SoftI2C.__qualname__ = "I2C", "SoftI2C"
    return I2C, SoftI2C


def _rp2_baudrate(source_hz, baudrate):
    """The rate the Pico SDK's i2c_set_baudrate() achieves."""
    period = (source_hz + baudrate // 2) // baudrate
    return source_hz // period
