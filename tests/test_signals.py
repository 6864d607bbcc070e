"""Finding the board's signals (input() requests, a cell's value) in its
output, whatever the reads' sizes."""

from boardlab.kernel.signals import PREFIX, SignalScanner

STREAM = f"before\n{PREFIX}input;Your name? \x07after\n{PREFIX}value;[1, 2]\x07"


def test_text_and_signals_come_out_in_order():
    scanner = SignalScanner()
    assert scanner.feed(STREAM) == [
        ("text", "before\n"), ("input", "Your name? "), ("text", "after\n"),
        ("value", "[1, 2]")]


def test_a_signal_split_at_every_point_is_found():
    for cut in range(1, len(STREAM)):
        scanner = SignalScanner()
        events = scanner.feed(STREAM[:cut]) + scanner.feed(STREAM[cut:])
        text = "".join(v for k, v in events if k == "text")
        assert text == "before\nafter\n", cut
        assert [(k, v) for k, v in events if k != "text"] == [
            ("input", "Your name? "), ("value", "[1, 2]")], cut


def test_an_escape_that_is_not_a_signal_is_kept_as_text():
    scanner = SignalScanner()
    events = scanner.feed("colour: \x1b]")
    events += scanner.feed("31m red")
    assert "".join(v for _, v in events) + scanner.close() == "colour: \x1b]31m red"
