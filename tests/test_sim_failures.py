"""What a user sees when the simulator itself fails, or a link cannot load:
a clear error when the board is opened, never a hang."""

import pytest
import serial

from boardlab.interpreter import host
from boardlab.kernel.connection import Connection
from boardlab.transport.errors import TransportError
from boardlab.transport.link import open_link, register_url_handlers


def test_a_url_handler_that_fails_to_load_is_a_transport_error(tmp_path, monkeypatch):
    # A handler package whose import fails (an AttributeError while pyserial
    # imported it) is reported, not raised through.
    package = tmp_path / "brokenlink"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "protocol_broken.py").write_text("raise AttributeError('undefined symbol: _PyEval_SetTrace')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    register_url_handlers()     # before the list is swapped: open_link adds nothing to it then
    monkeypatch.setattr(serial, "protocol_handler_packages", ["brokenlink"])
    with pytest.raises(TransportError) as caught:
        open_link("broken://board")
    assert str(caught.value) == ("could not open broken://board: AttributeError: "
                                 "undefined symbol: _PyEval_SetTrace")


def test_a_board_whose_simulator_fails_at_boot_says_so_at_once(monkeypatch):
    def fail(self):
        raise RuntimeError("something the simulator did not expect")

    monkeypatch.setattr(host.Chip, "run", fail)
    with pytest.raises(TransportError) as caught:
        Connection("sim://pico", timeout=30)
    text = str(caught.value)
    assert text.startswith("lost the link to sim://pico: the simulated board stopped: "
                           "RuntimeError: something the simulator did not expect. "
                           "That is a bug in BoardLab's simulator")
    assert "Restart the kernel" in text
