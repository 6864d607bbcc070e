"""Events on the board's clock: a timer's expiry, a button's bounce edges,
the watchdog's deadline. An event's action runs in the board's CPU thread
(from the firmware's poll or wait) once the clock has passed its time;
actions only change hardware state or post events to the firmware, they
never run board code themselves.

Every event has an owner: VM events (machine.Timer) end with a soft reset,
MACHINE events (the watchdog) with a hard reset, HOST events (parts the
host drives) are never dropped by a reset.
"""

import heapq
import itertools
import threading

VM, MACHINE, HOST = "vm", "machine", "host"


class Event:
    __slots__ = ("time", "seq", "action", "owner", "cancelled")

    def __init__(self, time, seq, action, owner):
        self.time, self.seq, self.action, self.owner = time, seq, action, owner
        self.cancelled = False

    def __lt__(self, other):
        return (self.time, self.seq) < (other.time, other.seq)

    def cancel(self):
        self.cancelled = True


class Timeline:
    def __init__(self, clock, on_change=None):
        self.clock = clock
        self.on_change = on_change      # wakes the CPU thread: an event may come due sooner
        self._lock = threading.Lock()
        self._events = []
        self._seq = itertools.count()

    def at(self, time_ns, action, owner=VM):
        """Run `action()` once the board's clock reaches `time_ns`. Any thread."""
        event = Event(time_ns, next(self._seq), action, owner)
        with self._lock:
            heapq.heappush(self._events, event)
        if self.on_change is not None:
            self.on_change()
        return event

    def after(self, delay_ns, action, owner=VM):
        return self.at(self.clock.peek_ns() + delay_ns, action, owner)

    def next_due(self, owners=None):
        """The time of the next live event (of these owners), or None."""
        with self._lock:
            while self._events and self._events[0].cancelled:
                heapq.heappop(self._events)
            times = [e.time for e in self._events
                     if not e.cancelled and (owners is None or e.owner in owners)]
            return min(times) if times else None

    def run_due(self):
        """Run the actions of every event whose time has come (CPU thread)."""
        now = self.clock.peek_ns()
        while True:
            with self._lock:
                if not self._events or self._events[0].time > now:
                    return
                event = heapq.heappop(self._events)
            if not event.cancelled:
                event.action()

    def restart_clock(self):
        """A hard reset restarts the board's clock at 0. Events that survive
        it (a button's bounce still settling) keep their delay from now: the
        part is outside the chip and goes on as if nothing happened."""
        with self._lock:
            before = self.clock.peek_ns()
            self.clock.restart()
            shift = self.clock.peek_ns() - before
            for event in self._events:
                event.time += shift      # the same shift for all: still a heap

    def soft_reset(self):
        self._drop(VM)

    def hard_reset(self):
        self._drop(VM, MACHINE)

    def _drop(self, *owners):
        with self._lock:
            for event in self._events:
                if event.owner in owners:
                    event.cancelled = True
