"""Finding input() requests in the board's output, whatever the reads' sizes."""

from boardlab.kernel.stdin import MARKER, InputScanner

STREAM = f"before\n{MARKER}Your name? \x07after\n"


def test_text_and_requests_come_out_in_order():
    scanner = InputScanner()
    assert scanner.feed(STREAM) == [
        ("text", "before\n"), ("input", "Your name? "), ("text", "after\n")]


def test_a_request_split_at_every_point_is_found():
    for cut in range(1, len(STREAM)):
        scanner = InputScanner()
        events = scanner.feed(STREAM[:cut]) + scanner.feed(STREAM[cut:])
        text = "".join(v for k, v in events if k == "text")
        assert text == "before\nafter\n", cut
        assert [v for k, v in events if k == "input"] == ["Your name? "], cut


def test_an_escape_that_is_not_a_request_is_kept_as_text():
    scanner = InputScanner()
    events = scanner.feed("colour: \x1b]")
    events += scanner.feed("31m red")
    assert "".join(v for _, v in events) + scanner.close() == "colour: \x1b]31m red"
