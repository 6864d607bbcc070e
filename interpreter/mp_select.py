"""`select` on the board: poll() and select() over the board's stdin and
stdout, the way MicroPython programs check for a key press:

    poller = select.poll()
    poller.register(sys.stdin, select.POLLIN)
    if poller.poll(0): key = sys.stdin.read(1)

Other objects never report ready. With virtual time, a poll timeout advances
the clock instead of waiting (input still ends an infinite wait).
"""

import types

from .mp_errno import ENOENT, oserror
from .mp_sys import BoardStdin, BoardStdinBuffer, BoardStdout, BoardStdoutBuffer

POLLIN, POLLOUT, POLLERR, POLLHUP = 1, 4, 8, 16


class Poll:
    def __init__(self, board):
        self._board = board
        self._entries = {}

    def register(self, obj, eventmask=POLLIN | POLLOUT):
        self._entries[id(obj)] = (obj, eventmask)

    def unregister(self, obj):
        self._entries.pop(id(obj), None)

    def modify(self, obj, eventmask):
        if id(obj) not in self._entries:
            raise oserror(ENOENT)
        self._entries[id(obj)] = (obj, eventmask)

    def _ready(self):
        has_input = self._board.console.board_has_input()
        ready = []
        for obj, mask in self._entries.values():
            events = 0
            poll_events = getattr(obj, "_poll_events", None)
            if poll_events is not None:         # UART and other board streams
                events = poll_events(mask)
            if mask & POLLIN and isinstance(obj, (BoardStdin, BoardStdinBuffer)) and has_input:
                events |= POLLIN
            if mask & POLLOUT and isinstance(obj, (BoardStdout, BoardStdoutBuffer)):
                events |= POLLOUT
            if events:
                ready.append((obj, events))
        return ready

    def poll(self, timeout=-1):
        """[(obj, events)] ready now, or after waiting up to `timeout` ms of
        board time (-1: no limit). Interrupts run while it waits."""
        board = self._board
        clock = board.clock
        end = None if timeout is None or timeout < 0 else clock.peek_ns() + int(timeout) * 1_000_000
        while True:
            ready = self._ready()
            if ready:
                return ready
            now = clock.peek_ns()
            if end is not None and now >= end:
                return ready
            board.scheduler.wait(None if end is None else end - now)

    def ipoll(self, timeout=-1, flags=0):
        return iter(self.poll(timeout))


def make_module(vm):
    board = vm.board
    module = types.ModuleType("select")

    def poll():
        return Poll(board)

    def select(rlist, wlist, xlist, timeout=None):
        poller = Poll(board)
        for obj in rlist:
            poller.register(obj, POLLIN)
        for obj in wlist:
            poller.register(obj, POLLOUT)
        ms = -1 if timeout is None else int(timeout * 1000)
        ready = poller.poll(ms)
        readable = [obj for obj, events in ready if events & POLLIN]
        writable = [obj for obj, events in ready if events & POLLOUT]
        return readable, writable, []

    module.__dict__.update(poll=poll, select=select, POLLIN=POLLIN, POLLOUT=POLLOUT,
                           POLLERR=POLLERR, POLLHUP=POLLHUP)
    return module
