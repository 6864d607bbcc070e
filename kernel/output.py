"""Board output to Jupyter stream messages, batched.

The board's output arrives in chunks of any size, sometimes a few bytes. A
message per chunk would pass the notebook server's limit of 1000 iopub
messages per second and lose output, so text is gathered and sent at most
every FLUSH_INTERVAL seconds. A finished line after a quiet spell goes out at
once (a line printed before a long sleep shows before the sleep ends); a
partial line waits one interval for the rest of its line.
"""

import asyncio
import time

FLUSH_INTERVAL = 0.05  # seconds: at most 20 stream messages a second
MAX_PENDING = 64 * 1024  # characters: flush sooner than that on a flood


def normalize_newlines(text):
    """Bare-metal boards end printed lines with CR LF; notebooks want LF (a lone
    CR is kept: it returns to the line's start, as progress counters expect)."""
    return text.replace("\r\n", "\n")


class StreamBatcher:
    """Collects text from the board and sends it through `send(text)`.

    Call `add(text)` from the event loop as output arrives and `close()` when
    the cell ends.
    """

    def __init__(self, send, interval=FLUSH_INTERVAL):
        self._send = send
        self._interval = interval
        self._pending = []
        self._size = 0
        self._last_flush = 0.0
        self._timer = None

    def add(self, text):
        if not text:
            return
        self._pending.append(text)
        self._size += len(text)
        now = time.monotonic()
        if self._size >= MAX_PENDING or (
                "\n" in text and now >= self._last_flush + self._interval):
            self.flush()
        elif self._timer is None:
            wait = max(self._last_flush + self._interval - now, 0) or self._interval
            self._timer = asyncio.get_running_loop().call_later(wait, self.flush)

    def flush(self, final=False):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        text = "".join(self._pending)
        # A CR LF split between two chunks: keep the CR until its LF arrives.
        held = ""
        if text.endswith("\r") and not final:
            text, held = text[:-1], "\r"
        self._pending = [held] if held else []
        self._size = len(held)
        if text:
            self._last_flush = time.monotonic()
            self._send(normalize_newlines(text))

    def close(self):
        self.flush(final=True)
