"""The chip's peripherals as hardware state that outlives one VM: what is
wired to the buses and pins, the UARTs' wires, the RTC, the watchdog.

Simulated parts (boards/parts.py) attach themselves here when the board is
built: I2C devices to a bus's (scl, sda) pins, analog sources to ADC pins,
bitstream sinks (NeoPixels) to a GPIO. The machine module's classes look
them up: an I2C object on pins where nothing is wired finds nothing, as on a
breadboard.
"""

import threading
from collections import deque

from .host import EVENT_UART_RX, EVENT_UART_TX, POWER_ON, RESET_BUTTON
from .i2c_wire import I2cWire
from .timeline import HOST, MACHINE

# EVENT_UART_RX's second word (interpreter/port/host.h).
UART_RX_DATA, UART_RX_IDLE = 1, 2


class UartLink:
    """The wires of one UART: bytes the board receives (from the host with
    `receive`, from itself with `loopback`, or from a scripted `peer`) and
    bytes it sent (`take_sent()`).

    `peer(data) -> bytes or None` is called with what the board sends and
    its answer arrives at the board's RX once the board's bytes have gone
    out: a modem, a GPS, another board.

    The wires keep time: a character takes its frame's bits at the baud rate
    the firmware set (`switch_on`), arriving bytes come one after the other
    at that pace, and what the receive buffer (the port's ring buffer and
    the chip's FIFO) cannot hold when it arrives is lost. While the UART is
    off, what arrives at its RX is lost, as on a board.
    """

    IDLE_BITS = 32          # bit periods without a character: the line is idle (the PL011's RX timeout)
    SENT_KEPT = 1 << 20     # what take_sent() keeps for the host, at most

    def __init__(self, board, uart_id):
        self.board = board
        self.id = uart_id
        self.loopback = False
        self.peer = None
        self.watchers = []          # called with bytes the board sent (CPU thread)
        self._lock = threading.Lock()
        self._on = False
        self._generation = 0        # counts switch-ons: events of an earlier one are dropped
        self._bit_ns = self._char_ns = 1
        self._capacity = 0
        self._arriving = deque()    # (time it has arrived, byte), not yet in the buffer
        self._rx = bytearray()      # the receive buffer
        self._rx_line_free = 0      # when the RX wire is free for the next character
        self._tx_free = 0           # when TX has sent all it was given
        self._sent = bytearray()

    # ---- the host's side -------------------------------------------------

    def receive(self, data, start_ns=None, owner=HOST):
        """Bytes arriving at the board's RX pin (any thread), one character
        time each, from `start_ns` (default: now) or after those still
        arriving. What the host sends is a HOST event on the timeline: on
        virtual time it arrives at once while the board idles."""
        data = bytes(data)
        clock = self.board.clock
        with self._lock:
            if not self._on or not data:
                return
            t = max(clock.peek_ns() if start_ns is None else start_ns, self._rx_line_free)
            first = t + self._char_ns
            for byte in data:
                t += self._char_ns
                self._arriving.append((t, byte))
            self._rx_line_free = last = t
            generation, idle = self._generation, last + self.IDLE_BITS * self._bit_ns
        timeline = self.board.timeline
        timeline.at(first, lambda: self._tell(generation, EVENT_UART_RX, UART_RX_DATA), owner)
        if last != first:
            timeline.at(last, lambda: self._tell(generation, EVENT_UART_RX, UART_RX_DATA), owner)
        timeline.at(idle, lambda: self._tell_idle(generation, last), owner)

    def take_sent(self):
        """Everything the board sent since the last call (the host reads it)."""
        with self._lock:
            data = bytes(self._sent)
            self._sent.clear()
            return data

    # ---- the firmware's side (CPU thread) -----------------------------------

    def switch_on(self, baudrate, frame_bits, rx_bytes):
        with self._lock:
            self._on = True
            self._generation += 1
            self._bit_ns = max(1, 1_000_000_000 // baudrate)
            self._char_ns = max(1, frame_bits * 1_000_000_000 // baudrate)
            self._capacity = rx_bytes
            self._arriving.clear()
            self._rx.clear()

    def switch_off(self):
        with self._lock:
            self._on = False
            self._arriving.clear()
            self._rx.clear()

    def transmit(self, data):
        """The board sends `data` after what it is still sending; the time
        (ns) when the last byte has left TX."""
        data = bytes(data)
        now = self.board.clock.peek_ns()
        with self._lock:
            start = max(now, self._tx_free)
            self._tx_free = end = start + len(data) * self._char_ns
            generation = self._generation
            self._sent += data
            if len(self._sent) > self.SENT_KEPT:
                del self._sent[:-self.SENT_KEPT]
        for watcher in list(self.watchers):
            watcher(data)
        if self.loopback:
            self.receive(data, start, MACHINE)      # each byte arrives as it goes out
        if self.peer is not None:
            answer = self.peer(data)
            if answer:
                self.receive(answer.encode() if isinstance(answer, str) else answer, end, MACHINE)
        self.board.timeline.at(end, lambda: self._tell(generation, EVENT_UART_TX, 0), MACHINE)
        return end

    def read(self, size):
        """Up to `size` bytes from the receive buffer."""
        with self._lock:
            self._settle()
            data = bytes(self._rx[:size])
            del self._rx[:size]
            return data

    def any(self):
        with self._lock:
            self._settle()
            return len(self._rx)

    def clear(self):
        self.switch_off()
        with self._lock:
            self._sent.clear()

    def _settle(self):
        """Bytes that have arrived by now go to the receive buffer, those
        that find it full are lost (lock held)."""
        now = self.board.clock.peek_ns()
        while self._arriving and self._arriving[0][0] <= now:
            _, byte = self._arriving.popleft()
            if len(self._rx) < self._capacity:
                self._rx.append(byte)

    def _tell(self, generation, kind, what):
        chip = self.board.chip
        if chip is not None and self._on and generation == self._generation:
            chip.post(kind, self.id, what)

    def _tell_idle(self, generation, last):
        if self._rx_line_free == last:      # nothing came after that burst
            self._tell(generation, EVENT_UART_RX, UART_RX_IDLE)


class Peripherals:
    def __init__(self, board):
        self.board = board
        self.i2c_devices = []       # each has .scl, .sda, .address, i2c_write(), i2c_read()
        self.i2c_wires = {}         # (scl, sda) -> I2cWire: the devices on the bus's wires
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
        pins = (device.scl, device.sda)
        if pins not in self.i2c_wires:
            self.i2c_wires[pins] = I2cWire(self.board, *pins)

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

    def spi_exchange(self, sck, miso, data):
        """What comes back on MISO while `data` goes out on the bus clocked
        on pin `sck`: the jumpered MOSI, or the device whose chip select is
        low, or the level MISO rests at."""
        if sck in self.spi_loopback:
            return bytes(data)
        for device in self.spi_devices:
            if device.sck == sck and self.board.gpio[device.cs].level == 0:
                answer = bytes(device.spi_transfer(bytes(data)))
                return (answer + b"\xff" * len(data))[:len(data)]
        level = self.board.gpio[miso].level if miso >= 0 else 0
        return (b"\xff" if level else b"\x00") * len(data)

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
