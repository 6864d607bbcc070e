"""pyserial URL handler `fault://BOARD?...`: a simulated board (`sim://BOARD`,
opened underneath) seen through a link that misbehaves the way real boards,
USB bridges and cables do.

    fault://pico?boot=0.8                      ESP reset on port open: for 0.8 s the
                                               host's bytes are lost and ROM noise comes
    fault://pico?drop_first=5                  the first 5 bytes the host sends are lost
    fault://pico?garbage=%FE%00boot+log%0D%0A  bytes before the board's own output
    fault://pico?crlf=double                   every \\r\\n arrives as \\r\\r\\n
    fault://pico?paste=no                      raw-paste request answered R\\x00
    fault://pico?paste=old                     firmware without raw paste (answers
                                               with the raw REPL banner)
    fault://pico?window=32                     raw-paste window of 32 bytes, enforced
    fault://pico?vanish_after=0.5              unplugged 0.5 s after open (or after
             &trigger=TEXT                     the host sent TEXT), reads then fail
             &vanish=error|eof                 ... with SerialException (a USB port) or
                                               with empty reads at once (a socket)
    fault://pico?reset_after=0.5&trigger=TEXT  the reset button, 0.5 s after TEXT went out
    fault://pico?runtime=missing               the simulator's runtime (wasmtime) does not
                                               load, as on a platform it has no build for:
                                               opening fails
    fault://pico?reset=link|rts|unwired|none   how the host can reset the board: the
                                               link's hard_reset() (like a sim link),
                                               RTS/DTR wired like an ESP DevKit's
                                               auto-reset circuit, RTS/DTR that reach
                                               no reset circuit (a native USB board on
                                               a serial port), or not at all (default)
    flash=DIR, time=real|virtual, seed=N       passed on to sim://

A reset power-cycles the simulated board (a new one boots from the same
flash folder; the port survives, as behind a USB-UART bridge). The link is a
transport Link (transport/link.py) whose abilities follow `reset=`; it has
no simulated_hardware(), so that to the kernel it plays a real board. It records
what happened for tests: `written`, `dropped`, `resets`, `window_violations`,
`vanished`.
"""

import contextlib
import shutil
import tempfile
import threading
import time
import urllib.parse

import serial
from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from boardlab.transport.link import Link

# What an ESP32's ROM prints when the chip comes out of reset.
ROM_LOG = (
    b"ets Jul 29 2019 12:21:46\r\n\r\n"
    b"rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
    b"configsip: 0, SPIWP:0xee\r\nmode:DIO, clock div:2\r\n"
    b"load:0x3fff0030,len:4540\r\nentry 0x400805c4\r\n"
)
# The same chip with IO0 low at reset: the ROM bootloader, no MicroPython.
DOWNLOAD_MODE = (
    b"ets Jul 29 2019 12:21:46\r\n\r\n"
    b"rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\n"
    b"waiting for download\r\n"
)
# An ESP8266's ROM talks at 74880 baud: read at 115200 it is noise.
BOOT_NOISE = b"\xfe\x00\xe0\x1c\x8c\xec\x0fl\x9c\x9c\x9c\xe3\x0cr\x8c\x82\x8c\xf2n\xfc"

PASTE_REQUEST = b"\x05A\x01"
FLOAT_OPTIONS = ("boot", "vanish_after", "reset_after")
INT_OPTIONS = ("drop_first", "window")
CHOICES = {"crlf": ("single", "double"), "paste": ("yes", "no", "old"),
           "vanish": ("error", "eof"), "reset": ("none", "link", "rts", "unwired"),
           "runtime": ("present", "missing")}
SIM_OPTIONS = ("flash", "time", "seed")


def parse_url(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "fault":
        raise SerialException(f"expected fault://BOARD?OPTIONS, got {url!r}")
    board = parts.netloc or parts.path.lstrip("/")
    options = {"crlf": "single", "paste": "yes", "vanish": "error", "reset": "none",
               "runtime": "present"}
    sim = {}
    for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if key in SIM_OPTIONS:
            sim[key] = value
        elif key in FLOAT_OPTIONS:
            options[key] = float(value)
        elif key in INT_OPTIONS:
            options[key] = int(value)
        elif key in CHOICES:
            if value not in CHOICES[key]:
                raise SerialException(f"{key} must be one of {CHOICES[key]} in {url!r}")
            options[key] = value
        elif key == "garbage":
            options[key] = urllib.parse.unquote_to_bytes(value)
        elif key == "trigger":
            options[key] = value.encode()
        else:
            raise SerialException(f"unknown option {key!r} in {url!r}")
    return board, options, sim


@contextlib.contextmanager
def _runtime_missing(missing):
    """While the board is made: no wasmtime, as on a platform it has no build
    for (the firmware module's own handle on it, put back at once)."""
    if not missing:
        yield
        return
    from boardlab.interpreter import firmware
    saved = firmware.wasmtime, getattr(firmware, "_WASMTIME_ERROR", None)
    firmware.wasmtime = None
    firmware._WASMTIME_ERROR = ImportError("fault://?runtime=missing")
    try:
        yield
    finally:
        firmware.wasmtime, firmware._WASMTIME_ERROR = saved


class Serial(SerialBase, Link):
    """A fault-injecting link to a simulated board."""

    def __init__(self, *args, **kwargs):
        self._inner = None
        self._lock = threading.RLock()
        super().__init__(*args, **kwargs)

    # -- opening and closing --------------------------------------------

    def open(self):
        if self.is_open:
            raise SerialException("Port is already open.")
        board, self.options, sim = parse_url(self._port)
        self._own_flash = None
        if "flash" not in sim:  # a reset must not lose the board's files
            self._own_flash = sim["flash"] = tempfile.mkdtemp(prefix="boardlab-fault-")
        self._sim_url = f"sim://{board}?{urllib.parse.urlencode(sim)}"
        from faultlink import register
        register()
        self._inner = serial.serial_for_url(self._sim_url, timeout=0, do_not_open=True)
        self._out = bytearray()  # bytes for the host, faults applied
        self.written = bytearray()  # what reached the board
        self.dropped = bytearray()  # what the host sent and the board never got
        self.resets = 0
        self.window_violations = 0
        self.vanished = False
        self._cancelled = False
        self._last_cr = False
        # Raw paste with a window of our own: the board's answer is rewritten
        # ("header": waiting for it, "active": its own grants are dropped
        # until its \x04) and the host's bytes are counted against our grants.
        self._paste = None
        self._counting = False
        self._header = bytearray()
        self._opened = time.monotonic()
        self._trigger_at = None if self.options.get("trigger") else self._opened
        self._reset_done = False
        self._held_in_reset = False
        try:
            with _runtime_missing(self.options["runtime"] == "missing"):
                self._inner.open()
        except BaseException:
            if self._own_flash:
                shutil.rmtree(self._own_flash, ignore_errors=True)
            raise
        self._out += self.options.get("garbage", b"")
        if self.options.get("boot"):
            self._out += BOOT_NOISE + ROM_LOG
        self.is_open = True
        if self.options["reset"] == "rts":
            self._apply_reset_wiring()

    def close(self):
        if not self.is_open:
            return
        self.is_open = False
        with self._lock:
            if self._inner is not None:
                self._inner.close()
        if self._own_flash:
            shutil.rmtree(self._own_flash, ignore_errors=True)

    def from_url(self, url):
        return parse_url(url)

    def _reconfigure_port(self, force_update=False):
        pass

    # -- faults in time ---------------------------------------------------

    def _tick(self):
        if self._trigger_at is None:
            return
        elapsed = time.monotonic() - self._trigger_at
        if self.options.get("vanish_after") is not None and elapsed >= self.options["vanish_after"]:
            self.vanish()
        if (self.options.get("reset_after") is not None and not self._reset_done
                and elapsed >= self.options["reset_after"]):
            self._reset_done = True
            self.power_cycle(rom_log=False)

    def _booting(self):
        boot = self.options.get("boot")
        return bool(boot) and time.monotonic() - self._opened < boot

    def vanish(self):
        """The USB cable is pulled: the board goes, the port fails."""
        with self._lock:
            if not self.vanished:
                self.vanished = True
                self._inner.close()

    def power_cycle(self, rom_log=False):
        """The board restarts; the port (a USB-UART bridge) stays."""
        with self._lock:
            self.resets += 1
            self._paste, self._counting = None, False
            self._inner.close()
            if rom_log:
                self._out += ROM_LOG
            self._inner.open()

    def hard_reset(self):
        """The link's own reset, only for reset=link (like a simulated board's)."""
        if not self.is_open or self.options["reset"] != "link":
            return False
        self.power_cycle()
        return True

    @property
    def has_control_lines(self):
        return self.options["reset"] in ("rts", "unwired")

    def _apply_reset_wiring(self):
        """ESP DevKit auto-reset: EN low while RTS asserted and DTR not; IO0
        low while DTR asserted and RTS not, sampled when EN goes high."""
        enable = not (self._rts_state and not self._dtr_state)
        boot_pin_low = self._dtr_state and not self._rts_state
        with self._lock:
            if not enable and not self._held_in_reset:
                self._held_in_reset = True
                self._paste, self._counting = None, False
                self._inner.close()
            elif enable and self._held_in_reset:
                self._held_in_reset = False
                self.resets += 1
                if boot_pin_low:
                    self._out += DOWNLOAD_MODE  # stays in the ROM bootloader
                else:
                    self._out += ROM_LOG
                    self._inner.open()

    def _update_dtr_state(self):
        if self.is_open and self.options["reset"] == "rts":
            self._apply_reset_wiring()

    def _update_rts_state(self):
        if self.is_open and self.options["reset"] == "rts":
            self._apply_reset_wiring()

    def _update_break_state(self):
        pass

    # -- data ---------------------------------------------------------------

    def _check(self):
        if not self.is_open:
            raise PortNotOpenError()
        self._tick()
        if self.vanished and self.options["vanish"] == "error":
            raise SerialException(
                "device reports readiness to read but returned no data "
                "(device disconnected or multiple access on port?)")

    def _board_on(self):
        return self._inner.is_open and not self.vanished and not self._held_in_reset

    def write(self, data):
        self._check()
        if self.vanished:
            raise SerialException("write failed: [Errno 32] Broken pipe")
        data = bytes(data)
        with self._lock:
            lost = 0
            if self._booting() or not self._board_on():
                lost = len(data)
            elif self.options.get("drop_first", 0) > len(self.dropped):
                lost = min(len(data), self.options["drop_first"] - len(self.dropped))
            self.dropped += data[:lost]
            data = data[lost:]
            if data:
                self._to_board(data)
            trigger = self.options.get("trigger")
            if trigger and self._trigger_at is None and trigger in self.written:
                self._trigger_at = time.monotonic()
        return len(data) + lost

    def _to_board(self, data):
        self.written += data
        paste = self.options["paste"]
        if data == PASTE_REQUEST and self._paste is None:
            if paste == "no":
                self._out += b"R\x00"  # a known command the firmware does not support
                return
            if paste == "old":
                # Older firmware keeps \x05 and "A" in its buffer and takes \x01
                # for "enter the raw REPL": banner and prompt again.
                self._inner.write(b"\x01")
                return
            if self.options.get("window"):
                self._paste = "header"
        elif self._counting:
            self._count_window(data)
        self._inner.write(data)

    def _count_window(self, data):
        """A board with a small window: one \\x01 per `window` bytes taken;
        the header and the first \\x01 grant the first two windows."""
        window = self.options["window"]
        for byte in data:
            if byte in (3, 4):  # Ctrl-C or the end of the code
                self._counting = False
                return
            self._received += 1
            if self._received > self._granted:
                self.window_violations += 1
            if self._received % window == 0:
                self._granted += window
                self._out += b"\x01"

    def _from_board(self, data):
        if self._paste == "header":
            self._header += data
            if len(self._header) < 5:
                return
            data = bytes(self._header[5:])
            header = bytes(self._header[:5])
            self._header.clear()
            if header[:2] == b"R\x01":
                window = self.options["window"]
                self._out += b"R\x01" + window.to_bytes(2, "little") + b"\x01"
                self._paste = "active"
                self._counting = True
                self._received, self._granted = 0, 2 * window
            else:
                self._out += header
                self._paste = None
        if self._paste == "active":
            # The real board's own window grants are replaced by ours; its
            # \x04 (end of the code, or a syntax error) ends the paste.
            end = data.find(b"\x04")
            head, data = (data, b"") if end < 0 else (data[:end], data[end:])
            self._out += head.replace(b"\x01", b"")
            if end < 0:
                return
            self._paste = None
        if self.options["crlf"] == "double":
            doubled = data.replace(b"\r\n", b"\r\r\n")
            if self._last_cr and data.startswith(b"\n"):
                doubled = b"\r" + doubled
            self._last_cr = data.endswith(b"\r")
            data = doubled
        self._out += data

    def _pull(self, wait):
        """Move the board's output (faults applied) to the host's queue,
        waiting at most `wait` seconds for some."""
        if self._booting() or not self._board_on():
            if wait:
                time.sleep(wait)
            return
        try:
            self._inner.timeout = wait
            data = self._inner.read(max(1, self._inner.in_waiting))
        except (SerialException, OSError):
            return  # powered off meanwhile (a reset, a vanish)
        if data:
            with self._lock:
                self._from_board(data)

    @property
    def in_waiting(self):
        self._check()
        if self.vanished:
            return 0
        self._pull(0)
        return len(self._out)

    def read(self, size=1):
        self._check()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while len(self._out) < size and not self.vanished and not self._cancelled:
            self._pull(0)
            if len(self._out) >= size:
                break
            left = 0.02 if deadline is None else min(0.02, deadline - time.monotonic())
            if left <= 0:
                break
            self._pull(left)
            self._tick()
        self._cancelled = False
        if self.vanished and self.options["vanish"] == "error":
            self._check()
        with self._lock:
            data = bytes(self._out[:size])
            del self._out[:size]
        return data

    def cancel_read(self):
        self._cancelled = True

    def flush(self):
        pass

    def reset_input_buffer(self):
        with self._lock:
            self._out.clear()

    def reset_output_buffer(self):
        pass

    @property
    def out_waiting(self):
        return 0

    @property
    def sim_board(self):
        """The simulated board now behind the link (a new one after a reset).
        Not simulated_hardware(): to the kernel, a fault:// link plays a real board."""
        return getattr(self._inner, "board", None)

    @property
    def cts(self):
        return True

    @property
    def dsr(self):
        return True

    @property
    def ri(self):
        return False

    @property
    def cd(self):
        return True
