"""The board's sense of time: real (wall time) or virtual (sleeps cost nothing).

A clock gives nanoseconds since the board powered on and the RTC's seconds
since 1970. `now_ns()` is a reading by board code; `peek_ns()` is the same
time seen from outside (the scheduler, the host) and never moves a virtual
clock. Waiting is the scheduler's business (scheduler.py): it asks the clock
to `wait_until(t, wake)`, which returns early when `wake` is set (Ctrl-C,
power-off, an interrupt request).
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

    peek_ns = now_ns

    def epoch_ns(self):
        return time.time_ns()

    def wait_until(self, t_ns, wake):
        remaining = t_ns - self.now_ns()
        if remaining > 0 and wake.wait(remaining / 1e9):
            # Woken: by Ctrl-C (its KeyboardInterrupt is raised in this thread
            # at the next bytecode) or by an interrupt request the caller serves.
            wake.clear()

    def advance_to(self, t_ns):
        """Only virtual time can be moved."""


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

    def peek_ns(self):
        return self._now

    def epoch_ns(self):
        return self.EPOCH_NS + self.now_ns()

    def wait_until(self, t_ns, wake):
        if t_ns > self._now:
            self._now = t_ns
        if wake.is_set():
            wake.clear()

    def advance_to(self, t_ns):
        if t_ns > self._now:
            self._now = t_ns


def make_clock(kind):
    if kind in (None, "real"):
        return RealClock()
    if kind == "virtual":
        return VirtualClock()
    raise ValueError(f"time must be 'real' or 'virtual', not {kind!r}")
