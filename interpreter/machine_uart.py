"""machine.UART: bytes over the board's UART wires (interpreter/peripherals.py).

What the board writes is kept for the host (`board.peripherals.uart(0).take_sent()`),
looped back when `loopback` is set, or answered by a scripted `peer`; what
the host sends (`board.uart_input("...")`) arrives at RX. read() waits up to
`timeout` ms of board time for data, like the port: None if nothing came.
UART objects work with select.poll.

rp2 (ports/rp2/machine_uart.c): UART(0 or 1, baudrate=115200, bits=8,
parity=None, stop=1, *, tx, rx, timeout=0, ...), TX/RX only on the pins the
RP2040 allows (`bad TX pin`), `UART(2) doesn't exist`. esp32: UART 0 is the
REPL's; UART(1) and UART(2) (TX 17, RX 16) are free.
"""

from . import gpio as _gpio

POLLIN, POLLOUT = 1, 4


def make_uart_class(vm, Pin):
    board = vm.board
    definition = board.definition
    esp32 = definition.port == "esp32"
    objects = {}

    class UART:
        INV_TX, INV_RX = 1, 2
        RTS, CTS = 1, 2
        if not esp32:
            IRQ_RXIDLE = 64

        def __new__(cls, id, *args, **kwargs):
            if isinstance(id, bool) or not isinstance(id, int):
                raise TypeError(f"can't convert {type(id).__name__} to int")
            if id not in definition.uart_pins:
                raise ValueError(f"UART({id}) doesn't exist")
            self = objects.get(id)
            if self is None:
                self = objects[id] = object.__new__(cls)
                self._id = id
                self._link = board.peripherals.uart(id)
                self._tx, self._rx = definition.uart_pins[id]
                self._settings = dict(baudrate=115200, bits=8, parity=None, stop=1, timeout=0,
                                      timeout_char=1, txbuf=256, rxbuf=256)
            return self

        def __init__(self, id, *args, **kwargs):
            if args or kwargs:
                self.init(*args, **kwargs)

        def init(self, baudrate=None, bits=None, parity=None, stop=None, *, tx=None, rx=None,
                 cts=None, rts=None, txbuf=None, rxbuf=None, timeout=None, timeout_char=None,
                 invert=None, flow=None):
            if tx is not None:
                tx = Pin._find(tx)
                if not esp32 and not (tx & 3 == 0 and ((tx + 4) >> 3) & 1 == self._id):
                    raise ValueError("bad TX pin")
                self._tx = tx
            if rx is not None:
                rx = Pin._find(rx)
                if not esp32 and not (rx & 3 == 1 and ((rx + 4) >> 3) & 1 == self._id):
                    raise ValueError("bad RX pin")
                self._rx = rx
            if bits is not None and bits not in (5, 6, 7, 8, 9 if esp32 else 8):
                raise ValueError("invalid data bits")
            if stop is not None and stop not in (1, 2):
                raise ValueError("invalid stop bits")
            for name, value in (("baudrate", baudrate), ("bits", bits), ("stop", stop),
                                ("timeout", timeout), ("timeout_char", timeout_char),
                                ("txbuf", txbuf), ("rxbuf", rxbuf)):
                if value is not None:
                    self._settings[name] = value
            self._settings["parity"] = parity
            bank = board.gpio
            for gpio, name in ((self._tx, "UART"), (self._rx, "UART")):
                state = bank[gpio]
                bank.change(state, lambda state=state, name=name: (
                    setattr(state, "mode", _gpio.ALT), setattr(state, "alt", name)))

        def deinit(self):
            pass

        def any(self):
            board.poll()
            return self._link.any()

        def _wait(self, wanted):
            """Wait (board time, the port's timeouts) until `wanted` bytes are
            there, or what `timeout` allows."""
            timeout_ns = self._settings["timeout"] * 1_000_000
            start = board.clock.peek_ns()
            while True:
                board.poll()
                have = self._link.any()
                if have >= wanted:
                    return
                waited = board.clock.peek_ns() - start
                if waited >= timeout_ns:
                    return
                board.scheduler.wait(timeout_ns - waited)

        def read(self, nbytes=None):
            self._wait(1 if nbytes is None else nbytes)
            data = self._link.read(nbytes)
            return data or None

        def readinto(self, buf, nbytes=None):
            nbytes = len(buf) if nbytes is None else min(nbytes, len(buf))
            self._wait(nbytes)
            data = self._link.read(nbytes)
            if not data:
                return None
            buf[:len(data)] = data
            return len(data)

        def readline(self):
            timeout_ns = self._settings["timeout"] * 1_000_000
            start = board.clock.peek_ns()
            while True:
                board.poll()
                size = self._link.peek_line()
                if size:
                    return self._link.read(size)
                waited = board.clock.peek_ns() - start
                if waited >= timeout_ns:
                    return self._link.read() or None
                board.scheduler.wait(timeout_ns - waited)

        def write(self, buf):
            if isinstance(buf, str):
                data = buf.encode()
            else:
                data = bytes(memoryview(buf))
            bits = 2 + self._settings["bits"] + (1 if self._settings["parity"] is not None else 0)
            board.spend_ns(len(data) * bits * 1_000_000_000 // self._settings["baudrate"])
            self._link.transmit(data)
            board.poll()
            return len(data)

        def flush(self):
            pass

        def txdone(self):
            return True

        def sendbreak(self):
            pass

        def _poll_events(self, mask):
            board.poll()
            return (POLLIN if mask & POLLIN and self._link.any() else 0) | (mask & POLLOUT)

        def __repr__(self):
            s = self._settings
            if esp32:
                return (f"UART({self._id}, baudrate={s['baudrate']}, bits={s['bits']}, "
                        f"parity={s['parity']}, stop={s['stop']}, tx={self._tx}, rx={self._rx}, "
                        f"rts=-1, cts=-1, txbuf={s['txbuf']}, rxbuf={s['rxbuf']}, "
                        f"timeout={s['timeout']}, timeout_char={s['timeout_char']})")
            return (f"UART({self._id}, baudrate={s['baudrate']}, bits={s['bits']}, "
                    f"parity={s['parity']}, stop={s['stop']}, tx={self._tx}, rx={self._rx}, "
                    f"txbuf={s['txbuf']}, rxbuf={s['rxbuf']}, timeout={s['timeout']}, "
                    f"timeout_char={s['timeout_char']}, invert=None, irq=0)")

    UART.__qualname__ = "UART"
    return UART
