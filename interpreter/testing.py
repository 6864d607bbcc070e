"""Helpers to drive a simulated board by its bytes, for tests.

    with sim_link("sim://pico") as link:
        enter_raw(link)
        out, err = raw_exec(link, "print(1)")     # ("1\\r\\n", "")
"""

import contextlib
import time

import serial

from . import register_url_handler


class WireTimeout(AssertionError):
    """The board did not send what a test waited for; carries what it did send."""


@contextlib.contextmanager
def sim_link(url="sim://pico", timeout=2, read_banner=True):
    """An open link to a fresh simulated board (closed at the end). With
    `read_banner` the power-on banner is consumed first."""
    register_url_handler()
    link = serial.serial_for_url(url, timeout=timeout)
    try:
        if read_banner:
            read_until(link, b">>> ")
        yield link
    finally:
        link.close()


def read_until(link, marker, timeout=5.0):
    """Bytes up to and including `marker`, or WireTimeout."""
    data = bytearray()
    deadline = time.monotonic() + timeout
    while not data.endswith(marker):
        if time.monotonic() > deadline:
            raise WireTimeout(f"waited {timeout} s for {marker!r}; got {bytes(data)!r}")
        data += link.read(1)
    return bytes(data)


def read_available(link, settle=0.2):
    """Everything the board sends until it has been quiet for `settle` seconds."""
    data = bytearray()
    saved = link.timeout
    link.timeout = settle
    try:
        while True:
            chunk = link.read(4096)
            if not chunk:
                return bytes(data)
            data += chunk
    finally:
        link.timeout = saved


def enter_raw(link):
    link.write(b"\r\x01")
    read_until(link, b"raw REPL; CTRL-B to exit\r\n>")


def raw_exec(link, code, timeout=5.0):
    """Run `code` in the raw REPL (already entered); (stdout, traceback) as text."""
    if isinstance(code, str):
        code = code.encode()
    link.write(code + b"\x04")
    read_until(link, b"OK", timeout)
    out = read_until(link, b"\x04", timeout)[:-1]
    err = read_until(link, b"\x04", timeout)[:-1]
    read_until(link, b">", timeout)
    return out.decode(), err.decode()
