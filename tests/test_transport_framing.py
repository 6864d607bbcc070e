"""The output framing parser alone: the same bytes give the same result
however reads split them."""

import pytest

from boardlab.transport.framing import CellFraming

TRACEBACK = (b"Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\n"
             b"NameError: name 'x' isn't defined\r\n")

CASES = [
    (b"123\r\n\x04\x04>", "123\n", ""),
    (b"OK?\x04" + TRACEBACK + b"\x04>", "OK?", TRACEBACK.decode().replace("\r\n", "\n")),
    (b"\x04\x04>", "", ""),
    ("é→😀\n".encode() + b"\x04\x04>", "é→😀\n", ""),
    (b"a\x04b\r\n\x04\x04>", "a\x04b\n", ""),
    (b"\x04\x04\x04\x04>", "\x04\x04", ""),
    (b"x\x04Err\x04\x04MemoryError: \r\n\x04>", "x\x04Err\x04", "MemoryError: \n"),
    (b"\xff\x04\x04>", "\ufffd", ""),
]


def parse(chunks):
    outputs, errors = [], []
    framing = CellFraming(outputs.append, errors.append)
    used = 0
    for chunk in chunks:
        used = framing.feed(chunk)
        if framing.done:
            break
    assert framing.done
    output, traceback = framing.result()
    assert "".join(outputs) == output and "".join(errors) == traceback
    return output, traceback, used, chunk


@pytest.mark.parametrize("stream, output, traceback", CASES)
def test_every_split_gives_the_same_result(stream, output, traceback):
    assert parse([stream])[:2] == (output, traceback)
    assert parse([stream[i:i + 1] for i in range(len(stream))])[:2] == (output, traceback)
    for cut in range(1, len(stream)):
        assert parse([stream[:cut], stream[cut:]])[:2] == (output, traceback), cut


def test_bytes_after_the_prompt_are_left_alone():
    output, traceback, used, chunk = parse([b"1\x04\x04>rest"])
    assert chunk[used:] == b"rest"


def test_soft_reboot_after_the_framing():
    framing = CellFraming()
    framing.feed(b"bye\r\n\x04\x04MPY: soft reboot\r\n")
    assert framing.done and framing.rebooted == "soft"
    assert framing.result()[0] == "bye\n"


def test_boot_banner_mid_output_means_a_hard_reset():
    framing = CellFraming()
    framing.feed(b"tick\r\nrst:0xc (SW_CPU_RESET)\r\nMicroPython v1.23.0 on 2024-06-02; ")
    assert not framing.done
    framing.feed(b"ESP32 module with ESP32\r\nType \"help()\" for more information.\r\n>>> ")
    assert framing.done and framing.rebooted == "hard"
    assert framing.result()[0].startswith("tick\nrst:0xc (SW_CPU_RESET)\n")


def test_output_in_the_same_read_as_a_boot_banner_is_kept():
    framing = CellFraming()
    framing.feed(b"last words\r\nMicroPython v1.23.0 on 2024-06-02; ESP32\r\n"
                 b"Type \"help()\" for more information.\r\n>>> ")
    assert framing.rebooted == "hard"
    assert framing.result()[0].startswith("last words\n")
