"""Board output becomes few, well-formed Jupyter stream messages."""

import asyncio

from boardlab.kernel.output import StreamBatcher


def run(coro):
    return asyncio.run(coro)


def test_first_text_goes_out_at_once_then_batches():
    async def go():
        sent = []
        batcher = StreamBatcher(sent.append, interval=0.05)
        batcher.add("first\r\n")
        assert sent == ["first\n"]          # no wait for the first line
        for i in range(100):
            batcher.add(f"{i}\r\n")
        assert len(sent) == 1               # a flood waits for the interval
        await asyncio.sleep(0.1)
        assert len(sent) == 2               # ... then goes as one message
        batcher.close()
        return "".join(sent)
    text = run(go())
    assert text == "first\n" + "".join(f"{i}\n" for i in range(100))


def test_a_line_arriving_in_pieces_is_one_message():
    async def go():
        sent = []
        batcher = StreamBatcher(sent.append, interval=0.05)
        batcher.add("f")
        assert sent == []                   # a partial line waits ...
        batcher.add("irst\r\n")
        assert sent == ["first\n"]          # ... for the end of its line
        batcher.add("no newline yet")
        await asyncio.sleep(0.1)
        assert sent == ["first\n", "no newline yet"]  # or for one interval
        batcher.close()
    run(go())


def test_cr_lf_split_between_chunks_is_one_newline():
    async def go():
        sent = []
        batcher = StreamBatcher(sent.append, interval=0)
        batcher.add("a\r")
        batcher.add("\nb")
        batcher.close()
        return "".join(sent)
    assert run(go()) == "a\nb"


def test_a_lone_carriage_return_is_kept_for_progress_lines():
    async def go():
        sent = []
        batcher = StreamBatcher(sent.append, interval=0)
        batcher.add("10%\r20%\r")
        batcher.close()
        return "".join(sent)
    assert run(go()) == "10%\r20%\r"
