"""pyserial URL handler for simulated boards: `sim://pico`.

    import serial
    serial.protocol_handler_packages.append("boardlab.interpreter.urlhandler")
    link = serial.serial_for_url("sim://pico?time=virtual&seed=1", timeout=1)

Opening the link powers on a fresh board (its CPU thread starts and prints the
banner); closing it powers the board off. The board runs its real firmware
(interpreter/firmware.py). The link is a transport Link (transport/link.py):
`link.simulated_hardware()` gives the Board's pins and parts to the kernel
(interpreter/hardware.py); `link.hard_reset()` presses its reset button; it
has no control lines. `link.board` is the Board itself, for the simulator's
own tests.

URL options:
    flash=DIR       keep the board's flash in DIR/flash.bin, so its files outlive
                    the kernel (default: a temporary folder, removed when the
                    link closes)
    time=real|virtual
                    virtual: time.sleep() costs no wall time (default real)
    seed=N          seed the board's random numbers and unique_id
"""

import urllib.parse

from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from boardlab.boards import BOARDS, UnknownBoard, get_board
from boardlab.interpreter.board import Board
from boardlab.transport.link import Link, LinkFailure

URL_FORM = "sim://<board>[?flash=DIR&time=real|virtual&seed=N]"


def parse_url(url):
    """'sim://pico?time=virtual' -> ('pico', {'time': 'virtual'}); SerialException if malformed."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "sim":
        raise SerialException(f"expected a URL of the form {URL_FORM}, got {url!r}")
    name = (parts.netloc or parts.path.lstrip("/")).lower()
    try:
        get_board(name)
    except UnknownBoard:
        raise SerialException(
            f"no simulated board {name!r} in {url!r}; known boards: {', '.join(sorted(BOARDS))}") from None
    options = {}
    for key, values in urllib.parse.parse_qs(parts.query, keep_blank_values=True).items():
        value = values[-1]
        if key == "flash":
            options["flash"] = value
        elif key == "time":
            if value not in ("real", "virtual"):
                raise SerialException(f"time must be 'real' or 'virtual' in {url!r}, not {value!r}")
            options["time"] = value
        elif key == "seed":
            try:
                options["seed"] = int(value)
            except ValueError:
                raise SerialException(f"seed must be an integer in {url!r}, not {value!r}") from None
        else:
            raise SerialException(
                f"unknown option {key!r} in {url!r}; options are flash=DIR, time=real|virtual, seed=N")
    return name, options


class BoardFailed(LinkFailure):
    """The board's CPU thread stopped on an error of the simulator's own
    (the transport shows this text alone)."""


class Serial(SerialBase, Link):
    """A pyserial port whose other end is a simulated board."""

    has_control_lines = False   # DTR/RTS are accepted and do nothing, as on USB CDC

    def __init__(self, *args, **kwargs):
        self.board = None
        super().__init__(*args, **kwargs)

    def open(self):
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        name, options = parse_url(self._port)
        try:
            self.board = Board(get_board(name), **options)
        except OSError as exc:
            raise SerialException(f"could not set up the flash folder for {self._port!r}: {exc}") from exc
        self.board.start()
        self.is_open = True

    def close(self):
        if self.is_open:
            self.is_open = False
            self.board.close()

    def from_url(self, url):
        return parse_url(url)

    def _reconfigure_port(self, force_update=False):
        pass    # baud rate, parity... mean nothing to a USB CDC board, or to this one

    # ---- data --------------------------------------------------------------

    @property
    def in_waiting(self):
        self._check_open()
        return self.board.console.host_in_waiting

    def read(self, size=1):
        self._check_open()
        if size <= 0:
            return b""
        data = self.board.console.host_read(size, self._timeout)
        if not data and self.board.failure:
            raise BoardFailed(self.board.failure)
        return data

    def write(self, data):
        self._check_open()
        data = bytes(memoryview(data)) if not isinstance(data, bytes) else data
        self.board.console.host_write(data)
        return len(data)

    def flush(self):
        self._check_open()

    def reset_input_buffer(self):
        self._check_open()
        self.board.console.host_discard_output()

    def reset_output_buffer(self):
        self._check_open()     # writes reach the board at once: nothing is queued

    @property
    def out_waiting(self):
        self._check_open()
        return 0

    def simulated_hardware(self):
        """The Board: it implements SimulatedHardware."""
        return self.board

    def cancel_read(self):
        if self.board is not None:
            self.board.console.cancel_read()

    def hard_reset(self):
        """The board's reset button: the chip reboots, its flash stays."""
        if not self.is_open:
            return False
        self.board.hard_reset()
        return True

    def cancel_write(self):
        pass

    # ---- modem lines: accepted, no effect (a USB CDC board ignores them) -----

    def _update_dtr_state(self):
        pass

    def _update_rts_state(self):
        pass

    def _update_break_state(self):
        pass

    @property
    def cts(self):
        self._check_open()
        return True

    @property
    def dsr(self):
        self._check_open()
        return True

    @property
    def ri(self):
        self._check_open()
        return False

    @property
    def cd(self):
        self._check_open()
        return True

    def _check_open(self):
        if not self.is_open:
            raise PortNotOpenError()
