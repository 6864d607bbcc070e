"""The chip's peripherals as hardware state that outlives one VM: what is
wired to the buses and pins, the UARTs' wires, the RTC, the watchdog.

Simulated parts (boards/parts.py) attach themselves here when the board is
built: I2C devices to a bus's (scl, sda) pins, analog sources to ADC pins,
bitstream sinks (NeoPixels) to a GPIO. The machine module's classes look
them up: an I2C object on pins where nothing is wired finds nothing, as on a
breadboard.
"""

import threading

from .host import POWER_ON, RESET_BUTTON
from .timeline import MACHINE


class UartLink:
    """The wires of one UART: bytes the board receives (from the host with
    `receive`, from itself with `loopback`, or from a scripted `peer`) and
    bytes it sent (`take_sent()`).

    `peer(data) -> bytes or None` is called with what the board sends and
    its answer arrives at the board's RX: a modem, a GPS, another board.
    """

    RX_BUFFER = 4096        # what the RX FIFO and ring buffer hold; more is lost

    def __init__(self, board, uart_id):
        self.board = board
        self.id = uart_id
        self.loopback = False
        self.peer = None
        self._lock = threading.Lock()
        self._rx = bytearray()
        self._sent = bytearray()
        self.watchers = []          # called with bytes the board sent (CPU thread)

    def receive(self, data):
        """Bytes arriving at the board's RX pin (any thread)."""
        with self._lock:
            room = self.RX_BUFFER - len(self._rx)
            self._rx += data[:max(0, room)]
        self.board.chip_wake()

    def transmit(self, data):
        """The board sends `data` (CPU thread)."""
        data = bytes(data)
        with self._lock:
            self._sent += data
            if len(self._sent) > 1 << 20:
                del self._sent[:-(1 << 20)]
        for watcher in list(self.watchers):
            watcher(data)
        if self.loopback:
            self.receive(data)
        if self.peer is not None:
            answer = self.peer(data)
            if answer:
                self.receive(answer.encode() if isinstance(answer, str) else bytes(answer))

    def take_sent(self):
        """Everything the board sent since the last call (the host reads it)."""
        with self._lock:
            data = bytes(self._sent)
            self._sent.clear()
            return data

    # board side
    def any(self):
        with self._lock:
            return len(self._rx)

    def read(self, size=None):
        with self._lock:
            n = len(self._rx) if size is None else min(size, len(self._rx))
            data = bytes(self._rx[:n])
            del self._rx[:n]
            return data

    def peek_line(self):
        """Length of the first line in the buffer (with its \\n), or 0."""
        with self._lock:
            end = self._rx.find(b"\n")
            return end + 1 if end >= 0 else 0

    def clear(self):
        with self._lock:
            self._rx.clear()
            self._sent.clear()


class Peripherals:
    def __init__(self, board):
        self.board = board
        self.i2c_devices = []       # each has .scl, .sda, .address, i2c_write(), i2c_read()
        self.analog_sources = {}    # GPIO -> callable() giving volts
        self.bitstream_sinks = {}   # GPIO -> callable(bytes) (NeoPixels)
        self.touch_sources = {}     # GPIO -> callable() giving True while touched
        self.spi_devices = []       # each has .sck, .cs and spi_transfer(data) -> bytes
        self.spi_loopback = set()   # SCK pins of buses with MOSI jumpered to MISO
        self._uarts = {}
        # The RTC outside the chip: what it read at board time 0 (µs since
        # the port's epoch), None until the firmware starts it; its memory.
        self.rtc_base_us = None
        self.rtc_memory = b""
        self.nvs = None             # the ESP32's NVS (hal_system.Nvs), on first use
        self.pwm = {}               # port PWM state (machine_pwm.py), stopped by a soft reset
        self.watchdog = None
        self.cpu_freq = board.definition.cpu_freq

    # ---- wiring (parts call these when the board is built) ----------------

    def attach_i2c(self, device):
        self.i2c_devices.append(device)

    def attach_analog(self, gpio, volts):
        self.analog_sources[gpio] = volts

    def attach_bitstream(self, gpio, sink):
        self.bitstream_sinks[gpio] = sink

    def attach_spi(self, device):
        self.spi_devices.append(device)

    def attach_touch(self, gpio, touched):
        self.touch_sources[gpio] = touched

    # ---- what the machine module asks -------------------------------------

    def i2c_bus(self, scl, sda):
        """address -> device for the devices wired to these two pins."""
        return {d.address: d for d in self.i2c_devices if d.scl == scl and d.sda == sda}

    def analog_volts(self, gpio):
        source = self.analog_sources.get(gpio)
        if source is not None:
            return source()
        # A floating ADC input picks up whatever is near: a low, wandering level.
        return 0.15 + self.board.noise.gauss(0, 0.05)

    def uart(self, uart_id):
        link = self._uarts.get(uart_id)
        if link is None:
            link = self._uarts[uart_id] = UartLink(self.board, uart_id)
        return link

    # ---- the watchdog -----------------------------------------------------

    def start_watchdog(self, timeout_ms):
        self.watchdog = {"timeout_ns": timeout_ms * 1_000_000, "event": None}
        self.feed_watchdog()

    def feed_watchdog(self):
        dog = self.watchdog
        if dog is None:
            return
        if dog["event"] is not None:
            dog["event"].cancel()
        dog["event"] = self.board.timeline.after(dog["timeout_ns"], self._watchdog_bites, MACHINE)

    def stop_watchdog(self):
        dog, self.watchdog = self.watchdog, None
        if dog is not None and dog["event"] is not None:
            dog["event"].cancel()

    def _watchdog_bites(self):
        self.board.watchdog_reset()

    # ---- resets -----------------------------------------------------------

    def soft_reset(self):
        self.pwm.clear()

    def _rtc_through_reset(self):
        """The RTC runs on through a reset of the chip (the board's clock
        restarts at 0 next, so its base moves by the time now), but not
        through power-on or the reset button, which reset its domain too."""
        if self.board.last_stop in (POWER_ON, RESET_BUTTON) or self.rtc_base_us is None:
            self.rtc_base_us = None
            self.rtc_memory = b""
        else:
            self.rtc_base_us += self.board.clock.peek_ns() // 1000

    def hard_reset(self):
        self.pwm.clear()
        self.cpu_freq = self.board.definition.cpu_freq
        self.watchdog = None
        self._rtc_through_reset()
        for link in self._uarts.values():
            link.clear()
