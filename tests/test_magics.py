"""Magic parsing and cell splitting: what runs on the host and what goes to the board."""

import pytest

from boardlab.kernel import magic_board  # noqa: F401  (registers the magics)
from boardlab.kernel import magics


def test_code_between_magics_keeps_its_line_numbers():
    steps = magics.split_cell("%connect sim://pico\nx = 1\n1/0\n%lsmagic\nprint(x)")
    assert steps == [
        ("magic", "%connect sim://pico"),
        ("code", "\nx = 1\n1/0"),
        ("magic", "%lsmagic"),
        ("code", "\n\n\n\nprint(x)"),
    ]
    # The board would report `1/0` on line 3, the cell's own line 3.
    assert steps[1][1].splitlines()[2] == "1/0"


def test_a_cell_without_magics_is_one_code_step():
    assert magics.split_cell("for i in range(3):\n    print(i)\n") == [
        ("code", "for i in range(3):\n    print(i)")]


def test_blank_code_between_magics_is_not_sent():
    assert magics.split_cell("%lsmagic\n\n%help") == [
        ("magic", "%lsmagic"), ("magic", "%help")]


def test_arguments_are_parsed_with_quotes():
    found, args = magics.parse('%connect "/dev/tty USB0" --baud 9600')
    assert found.name == "connect"
    assert args.url == "/dev/tty USB0" and args.baud == 9600


def test_unknown_magic_suggests_the_closest():
    with pytest.raises(magics.MagicError, match=r"Unknown magic %conect\. Did you mean %connect\?"):
        magics.parse("%conect /dev/ttyACM0")


def test_bad_argument_is_a_usage_error_on_the_host():
    with pytest.raises(magics.MagicError, match="invalid int value"):
        magics.parse("%connect sim://pico --baud fast")


def test_help_of_a_magic_describes_its_options():
    with pytest.raises(magics.MagicExit) as done:
        magics.parse("%connect --help")
    assert "--no-soft-reset" in str(done.value)
    assert "usage: %connect" in str(done.value)


def test_cell_magic_used_as_line_magic_says_so():
    with pytest.raises(magics.MagicError, match="use %%host"):
        magics.parse("%host")


def test_lsmagic_lists_every_magic_with_a_summary():
    text = magics.listing()
    for m in magics.MAGICS.values():
        assert m.name in text and m.summary in text
    assert "%%host" in text


# -- finding the board -------------------------------------------------------

from serial.tools.list_ports_common import ListPortInfo  # noqa: E402

from boardlab.kernel import magic_board  # noqa: E402
from boardlab.kernel.errors import CellError  # noqa: E402
from boardlab.transport import discovery  # noqa: E402


def fake_port(device, vid=None, pid=None, description="n/a"):
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.description = vid, pid, description
    return info


@pytest.fixture
def plugged(monkeypatch):
    ports = []
    monkeypatch.setattr(discovery.list_ports, "comports", lambda: list(ports))
    return ports


def test_a_pico_is_found_and_named(plugged):
    plugged += [fake_port("/dev/ttyS0"), fake_port("/dev/ttyACM0", 0x2E8A, 0x0005)]
    assert magic_board.find_the_board() == "/dev/ttyACM0"
    pico = discovery.serial_ports()[0]
    assert pico.micropython and pico.usb_id == "2e8a:0005"
    assert "Pico" in pico.description


def test_an_esp32_devkit_behind_a_bridge_is_a_candidate(plugged):
    plugged += [fake_port("/dev/ttyUSB0", 0x10C4, 0xEA60)]
    assert magic_board.find_the_board() == "/dev/ttyUSB0"
    assert not discovery.serial_ports()[0].micropython


def test_no_board_says_how_to_use_the_simulated_one(plugged):
    plugged += [fake_port("/dev/ttyS0"), fake_port("/dev/ttyUSB3", 0x1234, 0x5678)]
    with pytest.raises(CellError) as err:
        magic_board.find_the_board()
    assert err.value.ename == "NoBoardFound"
    assert "%connect sim://pico" in err.value.evalue


def test_several_boards_are_listed_to_choose_from(plugged):
    plugged += [fake_port("/dev/ttyACM0", 0x2E8A, 0x0005),
                fake_port("/dev/ttyUSB0", 0x1A86, 0x7523)]
    with pytest.raises(CellError) as err:
        magic_board.find_the_board()
    assert "%connect /dev/ttyACM0" in err.value.evalue
    assert "%connect /dev/ttyUSB0" in err.value.evalue
