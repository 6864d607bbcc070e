"""Interrupts on the simulated board: MicroPython's scheduler queue and a
timeline of events on the board's clock.

* The queue is py/scheduler.c's: soft IRQ handlers (Pin.irq, Timer) and
  `micropython.schedule` put (function, arg) in it; it holds 8, more are
  dropped (schedule() then returns False). A queued function runs in the
  CPU thread "between bytecodes" (see tracehook.py), or at the next sleep,
  idle or input wait, REPL included, like mp_handle_pending. While one runs
  the queue is locked, so handlers never nest. An exception in a handler is
  printed and the main code goes on, as mp_call_function_1_protected does;
  KeyboardInterrupt and resets go through to the main code.
* The timeline holds events at board times: timer expiries, a button's
  bounce edges, a sensor's conversion, the watchdog. An event's action runs
  in the CPU thread once the clock has passed its time; actions only change
  hardware state and queue handlers, they never run board code themselves.

With virtual time the clock moves only as board code reads it or sleeps, so
everything happens in one order on every run; a sleep jumps from event to
event (code that only computes lets virtual time follow the wall clock, see
_Alarm). With real time a small alarm thread wakes the CPU thread when an
event comes due while board code is busy.

Every event has an owner: "vm" events (timers) end with a soft reset,
"machine" events (the watchdog) with a hard reset, "host" events (parts the
host drives) never end early. With virtual time, host events due while the
board idles at the REPL are played at once (the clock moves on to them):
nobody waits for a button's bounce to settle.
"""

import heapq
import itertools
import threading
import time
from collections import deque

from .tracehook import CpuHook

DEPTH = 8           # MICROPY_SCHEDULER_DEPTH on rp2 and esp32
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


class Scheduler:
    def __init__(self, board):
        self.board = board
        self.clock = board.clock
        self.flag = False               # work for the CPU thread (checked without the lock)
        self._lock = threading.Lock()
        self._queue = deque()
        self._timeline = []
        self._seq = itertools.count()
        self._sched_locked = 0
        self._hook = CpuHook(self._on_event)
        self._catch_up = 0
        self._watch_due = False
        self._alarm = _Alarm(self)
        self.print_exception = None     # set by the VM: how an uncaught handler error prints

    # ---- the CPU thread's life ------------------------------------------

    def bind(self):
        self._hook.bind()
        if self._alarm is not None and not self._alarm.is_alive():
            self._alarm.start()

    def unbind(self):
        self._hook.unbind()
        if self._alarm is not None:
            self._alarm.stop()

    def code_started(self):
        """Board code is about to run: a request made just before must reach it."""
        self._hook.drop_pending_throw()     # meant for code that has ended
        if self.flag:
            self._hook.arm()
        self._alarm.changed()       # it watches the heap while code runs

    # ---- any thread --------------------------------------------------------

    def schedule(self, function, arg):
        """mp_sched_schedule: False if the queue is full."""
        with self._lock:
            if len(self._queue) >= DEPTH:
                return False
            self._queue.append((function, arg))
        self.request()
        return True

    def at(self, time_ns, action, owner=VM):
        """Run `action()` in the CPU thread once the board clock reaches `time_ns`."""
        event = Event(time_ns, next(self._seq), action, owner)
        with self._lock:
            heapq.heappush(self._timeline, event)
            first = self._timeline[0] is event
        if first:
            if time_ns <= self.clock.peek_ns():
                self.request()
            elif self._alarm is not None:
                self._alarm.changed()
        return event

    def after(self, delay_ns, action, owner=VM):
        return self.at(self.clock.peek_ns() + delay_ns, action, owner)

    def watch_memory(self):
        """Ask the CPU thread to look at the heap (memory.py's watchdog)."""
        self._watch_due = True
        self.request()

    def catch_up(self, time_ns):
        """Virtual time: ask the CPU thread to move its clock on to `time_ns`."""
        self._catch_up = time_ns
        self.request()

    def request(self):
        """Ask the CPU thread to serve the queue and due events soon: between
        two lines of running code, at once if it sleeps or waits for input."""
        self.flag = True
        board = self.board
        if board.running:
            self._hook.arm()
        board.wake.set()
        board.console.poke()

    def next_due(self):
        with self._lock:
            timeline = self._timeline
            while timeline and timeline[0].cancelled:
                heapq.heappop(timeline)
            return timeline[0].time if timeline else None

    # ---- resets ------------------------------------------------------------

    def soft_reset(self):
        self._drop(VM)

    def hard_reset(self):
        self._drop(VM, MACHINE)

    def restart_clock(self):
        """A hard reset restarts the board's clock at 0. Host events (a
        button's bounce still settling) keep their delay from now: the part
        is outside the chip and goes on as if nothing happened."""
        with self._lock:
            before = self.clock.peek_ns()
            self.clock.restart()
            shift = self.clock.peek_ns() - before
            for event in self._timeline:
                event.time += shift      # the same shift for all: still a heap
        if self._alarm is not None:
            self._alarm.changed()

    def _drop(self, *owners):
        with self._lock:
            self._queue.clear()
            self._timeline = [e for e in self._timeline if e.owner not in owners and not e.cancelled]
            heapq.heapify(self._timeline)
            self._sched_locked = 0
        self.flag = False

    # ---- the CPU thread ----------------------------------------------------

    def poll(self):
        """Cheap check at the board's own calls (sleeps, ticks, waits)."""
        if self.flag:
            self.service()
        else:
            timeline = self._timeline
            if timeline and timeline[0].time <= self.clock.peek_ns():
                self.service()

    def service(self):
        self.flag = False
        if self._catch_up:
            self.clock.advance_to(self._catch_up)
            self._catch_up = 0
        if self._watch_due:
            self._watch_due = False
            if self.board.running and self.board.vm is not None:
                self.board.vm.heap.watch()      # MemoryError goes to the running code
        self._run_due()
        if self._sched_locked:
            if self._queue:
                self.flag = True
            return
        while True:
            with self._lock:
                if not self._queue:
                    return
                function, arg = self._queue.popleft()
            self._call(function, arg)
            self._run_due()

    def sleep_ns(self, ns):
        """Sleep on the board clock, serving interrupts on the way."""
        clock = self.clock
        end = clock.peek_ns() + max(0, ns)
        wake = self.board.wake
        while True:
            self.poll()
            if clock.peek_ns() >= end:
                return
            due = self.next_due()
            clock.wait_until(end if due is None or due > end else due, wake)

    def wait(self, timeout_ns=None):
        """Wait once: until the next event, an interrupt request, Ctrl-C or the
        timeout (None: no limit), then serve what came. Callers loop."""
        self.poll()
        clock, wake = self.clock, self.board.wake
        due = self.next_due()
        if timeout_ns is not None:
            end = clock.peek_ns() + max(0, timeout_ns)
            due = end if due is None else min(due, end)
        if due is None:
            wake.wait()
            wake.clear()
        else:
            clock.wait_until(due, wake)
        self.poll()

    def idle(self):
        """The REPL (or a stdin read) waits for input: serve what is pending and
        say how long the wait may last before the next event, in seconds."""
        if self.clock.virtual:
            self._play_host_events()
        self.poll()
        due = self.next_due()
        if due is None or self.clock.virtual:
            return None
        return max(0.0, (due - self.clock.peek_ns()) / 1e9)

    def _play_host_events(self):
        while True:
            with self._lock:
                if not any(e.owner == HOST and not e.cancelled for e in self._timeline):
                    return
            due = self.next_due()
            if due is None:
                return
            self.clock.advance_to(due)
            self.service()

    def _run_due(self):
        now = self.clock.peek_ns()
        ran = False
        while True:
            with self._lock:
                timeline = self._timeline
                if not timeline or timeline[0].time > now:
                    break
                event = heapq.heappop(timeline)
            if not event.cancelled:
                ran = True
                event.action()
        if ran and self._alarm is not None:
            self._alarm.changed()

    def _call(self, function, arg):
        self._sched_locked += 1
        try:
            function(arg)
        except Exception as exc:
            if self.print_exception is not None:
                self.print_exception(exc)
        finally:
            self._sched_locked -= 1

    def _on_event(self, code):
        """The CpuHook's callback: True when nothing is left to do."""
        if not self.flag:
            return True
        vm = self.board.vm
        if vm is None or code.co_filename not in vm.user_files:
            return None         # simulator code: wait for the board code's next line
        self.service()
        return not self.flag


class _Alarm(threading.Thread):
    """Wakes the CPU thread when the next event comes due while board code
    is busy (a sleeping or idle board computes its own waits).

    With virtual time, code that computes without reading the clock or
    sleeping would never reach the next event; while it runs, virtual time
    follows the wall clock: the alarm asks the CPU thread to move its clock
    on by the time that passed (the CPU thread itself moves it, so readings
    stay monotonic). Code that reads the clock or sleeps is not affected.
    """

    def __init__(self, scheduler):
        super().__init__(name="boardlab-alarm", daemon=True)
        self._scheduler = scheduler
        self._changed = threading.Condition()
        self._stopped = False
        self._next_watch = None
        self._quiet = None          # (virtual time, wall time) when the clock last moved

    def changed(self):
        with self._changed:
            self._changed.notify()

    def stop(self):
        with self._changed:
            self._stopped = True
            self._changed.notify()

    WATCH_S = 0.1           # how often the heap is looked at while board code runs

    def run(self):
        scheduler = self._scheduler
        clock = scheduler.clock
        with self._changed:
            while not self._stopped:
                limit = self._watch_heap()
                due = scheduler.next_due()
                if due is None:
                    self._changed.wait(limit)
                    continue
                if clock.virtual:
                    self._follow_wall_clock(due)
                    continue
                delay = (due - clock.peek_ns()) / 1e9
                if delay > 0:
                    self._changed.wait(delay if limit is None else min(delay, limit))
                    continue
                scheduler.request()
                # Until the CPU thread has taken the event (or a new one came).
                self._changed.wait(0.05)

    def _watch_heap(self):
        """While board code runs, ask for a heap check every WATCH_S; the
        longest the alarm may sleep before the next one (None: not running)."""
        if not self._scheduler.board.running:
            self._next_watch = None
            return None
        now = time.monotonic()
        vm = self._scheduler.board.vm
        # Closer to the end of the heap, look more often.
        interval = self.WATCH_S if vm is None or vm.heap.fraction_used() < 0.5 else self.WATCH_S / 5
        if self._next_watch is None:
            self._next_watch = now + interval
        elif now >= self._next_watch:
            self._next_watch = now + interval
            self._scheduler.watch_memory()
        return max(0.001, self._next_watch - now)

    QUIET_S = 0.2           # virtual time: how long code may compute unseen before time moves

    def _follow_wall_clock(self, due):
        """Virtual time, an event pending: if the running code has not read
        the clock for QUIET_S of wall time, move the clock on, to the event
        at least (so a loop waiting for it ends) and by the wall time passed
        at least (so timers keep their pace). Code that reads the clock or
        sleeps in time is never moved: its runs reproduce."""
        scheduler = self._scheduler
        clock = scheduler.clock
        if not scheduler.board.running:
            self._quiet = None
            self._changed.wait()        # code_started() wakes us
            return
        now = clock.peek_ns()
        if self._quiet is None or self._quiet[0] != now:
            self._quiet = (now, time.monotonic())
        if self._changed.wait(self.WATCH_S) or self._stopped:
            return
        since, started = self._quiet
        waited = time.monotonic() - started
        if scheduler.board.running and clock.peek_ns() == since and waited >= self.QUIET_S:
            self._quiet = None
            scheduler.catch_up(max(since + int(waited * 1e9), due))
