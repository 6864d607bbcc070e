"""The board's clock: real (wall time) or virtual (a sleep costs no wall time).

`now_ns()` is the board's time since power-on, as board code reads it;
`peek_ns()` is the same time seen from outside (the timeline, the host),
which never moves a virtual clock.

Virtual time is deterministic: it moves only when the board sleeps (to the
sleep's end, or to the next event on the timeline before it), when it
computes (`run(steps)`: the VM reports how many bytecode branches it took,
each costing about what one costs on an RP2040), and by a microsecond per
reading, so that a C loop polling the clock (time_pulse_us) ends. Two runs
of the same code see the same times: a notebook's outputs repeat exactly.
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

    def run(self, steps):
        """Computation takes the wall time it takes."""

    def advance_to(self, t_ns):
        """Only virtual time can be moved."""


class VirtualClock:
    virtual = True
    STEP_NS = 2_000         # one VM branch on an RP2040 at 125 MHz, roughly
    READING_NS = 1_000      # what reading the clock costs

    def __init__(self):
        self._now = 0

    def restart(self):
        self._now = 0

    def now_ns(self):
        self._now += self.READING_NS
        return self._now

    def peek_ns(self):
        return self._now

    def run(self, steps):
        self._now += steps * self.STEP_NS

    def advance_to(self, t_ns):
        if t_ns > self._now:
            self._now = t_ns


def make_clock(kind):
    if kind in (None, "real"):
        return RealClock()
    if kind == "virtual":
        return VirtualClock()
    raise ValueError(f"time must be 'real' or 'virtual', not {kind!r}")
