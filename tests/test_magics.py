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
