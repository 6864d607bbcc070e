"""machine.SPI and machine.SoftSPI.

Nothing is wired to the SPI buses by default: reads give 0xFF (MISO idles
high), writes go nowhere. A device (`.sck`, `.cs`, `spi_transfer(data) ->
bytes`) attached with `board.peripherals.attach_spi(device)` answers while
its chip-select pin is low; `board.peripherals.spi_loopback.add(sck)` puts a
jumper from MOSI to MISO of the bus clocked on that pin.

rp2 (ports/rp2/machine_spi.c): SPI(0 or 1, baudrate=1000000, *, polarity=0,
phase=0, bits=8, firstbit=SPI.MSB, sck, mosi, miso), pins checked like the
port (`bad SCK pin`); esp32: SPI(1) and SPI(2) (HSPI, VSPI).
"""

from . import gpio as _gpio

MSB, LSB = 0, 1


class _Bus:
    def _transfer(self, data):
        board = self._board
        board.spend_ns(len(data) * self._bits * 1_000_000_000 // max(1, self._baudrate))
        peripherals = board.peripherals
        if self._sck in peripherals.spi_loopback:
            return bytes(data)
        for device in peripherals.spi_devices:
            if device.sck == self._sck and board.gpio[device.cs].level == 0:
                answer = bytes(device.spi_transfer(bytes(data)))
                return (answer + b"\xff" * len(data))[:len(data)]
        return b"\xff" * len(data)

    def read(self, nbytes, write=0x00):
        return self._transfer(bytes([write & 0xFF]) * nbytes)

    def readinto(self, buf, write=0x00):
        buf[:] = self._transfer(bytes([write & 0xFF]) * len(buf))

    def write(self, buf):
        self._transfer(bytes(memoryview(buf)))

    def write_readinto(self, write_buf, read_buf):
        data = bytes(memoryview(write_buf))
        if len(data) != len(read_buf):
            raise ValueError("buffers must be the same length")
        read_buf[:] = self._transfer(data)

    def deinit(self):
        pass

    def _configure(self, baudrate, polarity, phase, bits, firstbit):
        for name, value in (("_baudrate", baudrate), ("_polarity", polarity), ("_phase", phase),
                            ("_bits", bits), ("_firstbit", firstbit)):
            if value is not None:
                setattr(self, name, int(value))
        bank = self._board.gpio
        for gpio in (self._sck, self._mosi, self._miso):
            if gpio is not None:
                state = bank[gpio]
                bank.change(state, lambda state=state: (setattr(state, "mode", _gpio.ALT),
                                                       setattr(state, "alt", "SPI")))


def make_spi_classes(vm, Pin):
    board = vm.board
    definition = board.definition
    esp32 = definition.port == "esp32"
    buses = {}

    class SPI(_Bus):
        MSB, LSB = MSB, LSB

        def __new__(cls, id, *args, **kwargs):
            if isinstance(id, bool) or not isinstance(id, int):
                raise TypeError(f"can't convert {type(id).__name__} to int")
            if id not in definition.spi_pins:
                raise ValueError(f"SPI({id}) doesn't exist")
            self = buses.get(id)
            if self is None:
                self = buses[id] = object.__new__(cls)
                self._id, self._board = id, board
                self._sck, self._mosi, self._miso = definition.spi_pins[id]
                self._baudrate, self._polarity, self._phase, self._bits, self._firstbit = \
                    1_000_000, 0, 0, 8, MSB
            return self

        def __init__(self, id, baudrate=None, *, polarity=None, phase=None, bits=None,
                     firstbit=None, sck=None, mosi=None, miso=None):
            self.init(baudrate, polarity=polarity, phase=phase, bits=bits, firstbit=firstbit,
                      sck=sck, mosi=mosi, miso=miso)

        def init(self, baudrate=None, *, polarity=None, phase=None, bits=None, firstbit=None,
                 sck=None, mosi=None, miso=None):
            checks = (("SCK", sck, 2, "_sck"), ("MOSI", mosi, 3, "_mosi"), ("MISO", miso, 0, "_miso"))
            for name, pin, low_bits, attr in checks:
                if pin is None:
                    continue
                gpio = Pin._find(pin)
                if not esp32 and not (gpio & 3 == low_bits and (gpio & 8) >> 3 == self._id):
                    raise ValueError(f"bad {name} pin")
                setattr(self, attr, gpio)
            self._configure(baudrate, polarity, phase, bits, firstbit)

        def __repr__(self):
            return (f"SPI({self._id}, baudrate={self._baudrate}, polarity={self._polarity}, "
                    f"phase={self._phase}, bits={self._bits}, sck={self._sck}, mosi={self._mosi}, "
                    f"miso={self._miso})")

    class SoftSPI(_Bus):
        MSB, LSB = MSB, LSB

        def __init__(self, baudrate=500_000, *, polarity=0, phase=0, bits=8, firstbit=MSB,
                     sck=None, mosi=None, miso=None):
            self._board = board
            self._sck = None if sck is None else Pin._find(sck)
            self._mosi = None if mosi is None else Pin._find(mosi)
            self._miso = None if miso is None else Pin._find(miso)
            self._configure(baudrate, polarity, phase, bits, firstbit)

        def init(self, *args, **kwargs):
            self.__init__(*args, **kwargs)

        def __repr__(self):
            return (f"SoftSPI(baudrate={self._baudrate}, polarity={self._polarity}, "
                    f"phase={self._phase}, sck={self._sck}, mosi={self._mosi}, miso={self._miso})")

    SPI.__qualname__, SoftSPI.__qualname__ = "SPI", "SoftSPI"
    return SPI, SoftSPI
