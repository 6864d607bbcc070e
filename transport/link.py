"""The byte link to a board: a pyserial object opened from a port name or URL.

`serial.serial_for_url` gives one code path for every kind of board:
"/dev/ttyACM0" or "COM3" (a USB serial port), "rfc2217://host:port" and
"socket://host:port" (a board across the network), "sim://pico" (the simulated
board). URL schemes BoardLab adds are pyserial handler packages listed in the
entry-point group `boardlab.url_handlers`, and in the environment variable
BOARDLAB_URL_HANDLERS (package names separated by commas: handlers of your own,
or the tests' `fault://`, in a kernel process that the tests start).

What the transport asks of a link is declared here, in `Link`: pyserial's
calls, and the abilities that differ from link to link. The simulated
board's link and the tests' fault:// link derive from it; pyserial's own
ports are adapted to it once, by open_link (`SerialLink`).
"""

import errno
import os
import sys
import time
from importlib.metadata import entry_points

import serial
import serial.rfc2217

from .errors import PortUnavailable, TransportError

#: How long one read may block. Short, so that a loop following a quiet cell
#: still notices a closed link or a stop request several times a second.
READ_POLL_SECONDS = 0.1

#: A hard reset through DTR/RTS, as esptool does it on ESP boards with the
#: two-transistor auto-reset circuit: EN (reset) is low while RTS is asserted
#: and DTR is not; IO0 (boot mode) is low while DTR is asserted and RTS is not.
RESET_PULSE_SECONDS = 0.1

#: How long one write may block. A board that stops reading (a stalled USB CDC
#: port, a UART blocked by a flash write) must not freeze the host for ever.
WRITE_TIMEOUT_SECONDS = 10

_registered_handlers = set()


class Link:
    """A byte link to a board, as the transport uses it.

    A link is a pyserial port: `read(size)`, `write(data)`, `in_waiting`,
    `timeout`, `is_open`, `close()`, the control lines `dtr` and `rts`, and
    `port` (its name). What links differ in is declared below, each ability
    with the answer of a link that has not got it; a link that has one says
    so by overriding it. The transport asks nothing else of a link.
    """

    #: Whether DTR and RTS reach the board, so that a pulse on RTS resets an
    #: ESP board with an auto-reset circuit: a serial port's and an RFC 2217
    #: server's lines do. A link without them accepts the levels and drops them.
    has_control_lines = False

    def simulated_hardware(self):
        """The hardware of the simulated board behind the link (a
        boardlab.interpreter.hardware.SimulatedHardware: its pins and parts),
        for the kernel's direct look at them, never through the raw REPL;
        None for a real board, whose pins only the board itself can read."""
        return None

    def hard_reset(self):
        """Restart the board by the link's own means (a simulated board's
        reset button); True once done, False when the link has none (the
        transport then pulses RTS if it can). Must not block for long."""
        return False

    def cancel_read(self):
        """Make a read blocked in another thread return now, with what it has."""

    def direct_fds(self):
        """(device fd, cancel-pipe fd) when the reader may select() on the
        device and read it itself (a POSIX serial port: see reader.py);
        None when reads go through `read`."""
        return None


class LinkFailure(serial.SerialException):
    """What a link's read or write raises when the link knows why it stopped
    (a simulated board whose simulator failed): the user sees this text
    alone, not the guesses about cables and ports that fit a real board."""


def _forwarded(name, settable=False):
    """A SerialLink property that is its pyserial port's attribute `name`."""
    def get(link):
        return getattr(link.serial, name)

    def set(link, value):
        setattr(link.serial, name, value)
    return property(get, set if settable else None)


class SerialLink(Link):
    """One of pyserial's own ports (a serial port, rfc2217://, socket://,
    loop://), which know nothing of `Link`: what each can do is read from
    its class, once, here."""

    def __init__(self, serial_port):
        self.serial = serial_port
        # A pty is a serial.Serial too: its lines refuse the pulse, which
        # the transport then reports as no way to reset the board.
        self.has_control_lines = isinstance(serial_port, (serial.Serial, serial.rfc2217.Serial))
        self._posix = type(serial_port).__module__ == "serial.serialposix"

    # pyserial's attributes, as they are.
    port = _forwarded("port")
    is_open = _forwarded("is_open")
    in_waiting = _forwarded("in_waiting")
    timeout = _forwarded("timeout", settable=True)
    dtr = _forwarded("dtr", settable=True)
    rts = _forwarded("rts", settable=True)

    def read(self, size=1):
        return self.serial.read(size)

    def write(self, data):
        if self._posix and self.serial.is_open:
            # pyserial's write waits in select() for room after every
            # os.write, even one that took it all: a cell's code and the
            # protocol's control bytes fit in one os.write.
            try:
                written = os.write(self.serial.fd, data)
            except BlockingIOError:
                written = 0
            if written == len(data):
                return written
            data = data[written:]  # the rest as pyserial does it: waiting, with its timeout
        return self.serial.write(data)

    def close(self):
        self.serial.close()

    def cancel_read(self):
        if isinstance(self.serial, serial.Serial):  # the others never block for long
            self.serial.cancel_read()

    def direct_fds(self):
        # pyserial's POSIX ports keep their fd non-blocking (VTIMESerial,
        # which blocks, reads through pyserial).
        if not self._posix or os.get_blocking(self.serial.fd):
            return None
        return self.serial.fd, self.serial.pipe_abort_read_r


def register_url_handlers():
    """Add every package of the `boardlab.url_handlers` entry-point group and
    of BOARDLAB_URL_HANDLERS to pyserial's handler search list (once), so
    `sim://...` URLs resolve."""
    packages = [entry.module for entry in entry_points(group="boardlab.url_handlers")]
    packages += [name.strip() for name in os.environ.get("BOARDLAB_URL_HANDLERS", "").split(",")
                 if name.strip()]
    for package in packages:
        if package in _registered_handlers:
            continue
        _registered_handlers.add(package)
        if package not in serial.protocol_handler_packages:
            serial.protocol_handler_packages.append(package)


def open_link(url, baudrate=115200, dtr=None, rts=None, exclusive=True):
    """Open `url` and return it as a `Link` (pyserial's own ports wrapped in
    a SerialLink, handlers that are Links as they are).

    `dtr`/`rts` None keeps pyserial's default (both asserted on open): native
    USB CDC boards stall their output when DTR is low. Boards with a DTR/RTS
    auto-reset circuit (ESP with a USB-UART bridge) may need other levels.
    The baud rate is never 1200: opening at 1200 baud drops some boards
    (Arduino-style bootloaders, RP2040 with some firmware) into their bootloader.
    """
    if baudrate == 1200:
        raise ValueError("1200 baud would put some boards into their bootloader; use 115200")
    register_url_handlers()
    options = dict(
        baudrate=baudrate,
        timeout=READ_POLL_SECONDS,
        write_timeout=WRITE_TIMEOUT_SECONDS,
        do_not_open=True,
    )
    try:
        try:
            link = serial.serial_for_url(url, exclusive=exclusive, **options)
        except TypeError:
            # A handler whose Serial class does not know `exclusive`.
            link = serial.serial_for_url(url, **options)
    except ValueError as error:
        raise TransportError(
            f"could not open {url}: {error}. A board is a serial port "
            "(/dev/ttyACM0, COM3), rfc2217://host:port, socket://host:port or "
            "sim://pico; `%boards` lists the serial ports.",
            port=url,
        ) from error
    except Exception as error:
        # A URL handler that fails to load: the cell must say so (any other
        # exception would leave the kernel with no reply to send).
        raise TransportError(f"could not open {url}: {type(error).__name__}: {error}",
                             port=url) from error
    try:
        if dtr is not None:
            link.dtr = dtr
        if rts is not None:
            link.rts = rts
        try:
            link.open()
        except NotImplementedError:
            # pyserial's rfc2217:// client refuses a write timeout (its open
            # fails after connecting, and closes again). Over TCP the
            # server's buffers stand between us and a board that stops
            # reading, so it does without.
            link.write_timeout = None
            link.open()
    except (serial.SerialException, OSError) as error:
        raise PortUnavailable(explain_open_error(url, error), port=url) from error
    except Exception as error:
        # The handler's own failure (a simulated board that cannot run on
        # this Python): not a port that may come back, and not a hang either.
        close_link(link)
        raise TransportError(f"could not open {url}: {type(error).__name__}: {error}",
                             port=url) from error
    return link if isinstance(link, Link) else SerialLink(link)


def explain_open_error(url, error):
    """Say why `url` could not be opened and what the user can do about it."""
    text = str(error)
    code = getattr(error, "errno", None)
    lowered = text.lower()
    if code == errno.ENOENT or "no such file" in lowered or "cannot find the file" in lowered:
        return (
            f"could not open {url}: no such port. Is the board plugged in? "
            "`%boards` lists the serial ports."
        )
    busy = code in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK) or "lock" in lowered
    if sys.platform == "win32" and ("access is denied" in lowered or code == errno.EACCES):
        busy = True  # Windows reports a port held by another program this way
    if busy:
        return (
            f"could not open {url}: it is in use by another program (Thonny, "
            "mpremote, a serial monitor?): close it and try again."
        )
    if code == errno.EACCES or "permission denied" in lowered:
        return (
            f"could not open {url}: permission denied. On Linux add yourself to "
            "the `dialout` group (sudo usermod -aG dialout $USER) and log in again."
        )
    if "refused" in lowered or "timed out" in lowered:
        return f"could not open {url}: nobody answers at that address ({text})."
    return f"could not open {url}: {text}"


def close_link(link):
    """Release the control lines and close the link.

    RTS is cleared before DTR: on ESP boards with an auto-reset circuit the
    other order (which some drivers use when a port simply closes) pulses the
    reset line. A pseudo-terminal or socket has no control lines: ignored."""
    for line in ("rts", "dtr"):
        try:
            setattr(link, line, False)
        except (serial.SerialException, OSError, ValueError, AttributeError):
            pass
    try:
        link.close()
    except (serial.SerialException, OSError):
        pass


def pulse_reset_line(link):
    """Reset an ESP board through its auto-reset circuit: EN low for a
    moment with IO0 high (so the chip boots its firmware, not the ROM
    bootloader), then the levels as they were. Setting DTR after RTS again
    is esptool's work-around for Windows' usbser.sys, which sends the RTS
    level only along with a DTR change. DTR goes back before RTS: the other
    order would hold EN low again."""
    dtr, rts = link.dtr, link.rts
    try:
        link.dtr = False  # IO0 high
        link.rts = True  # EN low: in reset
        link.dtr = False
        time.sleep(RESET_PULSE_SECONDS)
        link.rts = False  # EN high: the chip boots, IO0 still high
        link.dtr = False
        time.sleep(0.05)  # boot-mode pins are latched
    finally:
        link.dtr = dtr  # native USB boards stall their output with DTR low
        link.rts = rts
