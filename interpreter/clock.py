"""The board's sense of time: real (wall time) or virtual (sleeps cost nothing).

A clock gives nanoseconds since the board powered on, the RTC's seconds since
1970, and sleeps. Sleeps wait on the board's wake Event, which Ctrl-C and
power-off set, so an interrupt ends a sleep at once.
"""

import time


class RealClock:
    virtual = False

    def __init__(self):
        self._t0 = time.monotonic_ns()

    def restart(self):
        self._t0 = time.monotonic_ns()

    def now_ns(self):
        return time.monotonic_ns() - self._t0

    def epoch_ns(self):
        return time.time_ns()

    def sleep_ns(self, ns, wake):
        if ns <= 0:
            return
        deadline = time.monotonic_ns() + ns
        while True:
            remaining = deadline - time.monotonic_ns()
            if remaining <= 0:
                return
            if wake.wait(remaining / 1e9):
                # A Ctrl-C woke us: its KeyboardInterrupt is raised in this
                # thread at the next bytecode. Any other wake is stale.
                wake.clear()


class VirtualClock:
    """Time that moves only when the board sleeps, plus a small step per
    reading so that busy-wait loops on ticks_ms() still come to an end. Two
    runs of the same code see the same times: notebook outputs reproduce."""

    virtual = True
    STEP_NS = 10_000                        # each reading advances 10 us
    EPOCH_NS = 1_767_225_600 * 10**9        # 2026-01-01 00:00:00 UTC

    def __init__(self):
        self._now = 0

    def restart(self):
        self._now = 0

    def now_ns(self):
        self._now += self.STEP_NS
        return self._now

    def epoch_ns(self):
        return self.EPOCH_NS + self.now_ns()

    def sleep_ns(self, ns, wake):
        if ns > 0:
            self._now += ns
        if wake.is_set():
            wake.clear()


def make_clock(kind):
    if kind in (None, "real"):
        return RealClock()
    if kind == "virtual":
        return VirtualClock()
    raise ValueError(f"time must be 'real' or 'virtual', not {kind!r}")
