"""Opening and closing the link (pyserial), and the messages a user sees when
a port cannot be opened."""

import os

import pytest
import serial

from boardlab.transport.errors import TransportError
from boardlab.transport.link import (
    READ_POLL_SECONDS,
    Link,
    close_link,
    open_link,
    register_url_handlers,
)


def test_url_handler_packages_are_registered_once():
    register_url_handlers()
    register_url_handlers()
    assert serial.protocol_handler_packages.count("boardlab.interpreter.urlhandler") == 1


def test_open_a_url_with_short_reads():
    link = open_link("loop://")
    try:
        assert link.is_open
        assert link.timeout == READ_POLL_SECONDS
        link.write(b"abc")
        assert link.read(3) == b"abc"
    finally:
        close_link(link)
    assert not link.is_open


def test_pyserial_ports_are_links_without_abilities_they_lack():
    link = open_link("loop://")
    try:
        assert isinstance(link, Link)
        assert link.has_control_lines is False  # loop:// accepts the levels and drops them
        assert link.hard_reset() is False
        assert link.simulated_hardware() is None
        assert link.direct_fds() is None
        link.cancel_read()  # no read to wake: nothing happens
        assert link.port == "loop://"
    finally:
        close_link(link)


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_a_serial_port_has_control_lines_and_is_read_directly():
    controller, device = os.openpty()
    link = open_link(os.ttyname(device))
    try:
        assert link.has_control_lines  # (a pty's then refuse a pulse: no way to reset)
        assert link.direct_fds() is not None  # the reader selects on the device itself
        os.write(controller, b"hi")
        assert link.read(2) == b"hi"
    finally:
        close_link(link)
        os.close(controller)
        os.close(device)


def test_the_simulated_boards_link_is_used_as_it_is():
    link = open_link("sim://pico")
    try:
        assert type(link).__module__ == "boardlab.interpreter.urlhandler.protocol_sim"
        assert link.simulated_hardware() is link.board and not link.has_control_lines
    finally:
        close_link(link)


def test_control_lines_are_set_before_opening():
    link = open_link("loop://", dtr=False, rts=True)
    try:
        assert link.dtr is False and link.rts is True
    finally:
        close_link(link)


def test_missing_port_says_what_to_do():
    with pytest.raises(TransportError) as caught:
        open_link("/dev/ttyBOARDLAB_NO_SUCH_PORT")
    message = str(caught.value)
    assert "/dev/ttyBOARDLAB_NO_SUCH_PORT" in message
    assert "no such port" in message and "%boards" in message
    assert caught.value.port == "/dev/ttyBOARDLAB_NO_SUCH_PORT"


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_busy_port_names_the_usual_suspects():
    controller, device = os.openpty()
    path = os.ttyname(device)
    first = open_link(path)
    try:
        with pytest.raises(TransportError, match="in use by another program") as caught:
            open_link(path)
        assert path in str(caught.value)
    finally:
        close_link(first)
        os.close(controller)
        os.close(device)


def test_unknown_url_scheme():
    with pytest.raises(TransportError, match="nope://x"):
        open_link("nope://x")


def test_never_1200_baud():
    with pytest.raises(ValueError, match="bootloader"):
        open_link("loop://", baudrate=1200)


def test_close_clears_rts_before_dtr():
    events = []

    class Recording:
        def __setattr__(self, name, value):
            events.append((name, value))

        def close(self):
            events.append(("close", None))

    close_link(Recording())
    assert events == [("rts", False), ("dtr", False), ("close", None)]


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_close_tolerates_a_port_without_control_lines():
    controller, device = os.openpty()
    link = open_link(os.ttyname(device))
    close_link(link)  # a pty refuses TIOCMBIC: no error
    os.close(controller)
    os.close(device)
