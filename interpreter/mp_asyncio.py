"""`asyncio` on the board: CPython's event loop on the board's clock.

The loop's selector does not wait on host file descriptors (board code has
none): it sleeps on the board's clock, so virtual time applies to asyncio
too, and a Ctrl-C wakes it at once like any other sleep. The module shows the
names MicroPython's asyncio has, plus sleep_ms and wait_for_ms.
"""

import asyncio as _asyncio
import selectors
import types

NAMES = """CancelledError Event Lock Task TimeoutError create_task current_task
    gather sleep wait_for""".split()


class BoardSelector(selectors.BaseSelector):
    """Keeps registrations (the loop registers its self-pipe) but waits only
    on the board's clock."""

    def __init__(self, board):
        self._board = board
        self._keys = {}

    def register(self, fileobj, events, data=None):
        key = selectors.SelectorKey(fileobj, _fd(fileobj), events, data)
        self._keys[fileobj] = key
        return key

    def unregister(self, fileobj):
        return self._keys.pop(fileobj)

    def select(self, timeout=None):
        # Interrupts run while the loop waits; one that wakes a task (a
        # ThreadSafeFlag set by an IRQ handler) ends the wait early.
        if timeout is None:
            self._board.scheduler.wait()     # only an interrupt, Ctrl-C or power-off ends this
        elif timeout > 0:
            self._board.scheduler.wait(int(timeout * 1e9))
        else:
            self._board.poll()
        return []

    def get_map(self):
        return self._keys

    def close(self):
        self._keys.clear()


def _fd(fileobj):
    return fileobj if isinstance(fileobj, int) else fileobj.fileno()


class BoardEventLoop(_asyncio.SelectorEventLoop):
    def __init__(self, board):
        super().__init__(BoardSelector(board))
        self._board = board

    def time(self):
        return self._board.clock.now_ns() / 1e9


def make_module(vm):
    board = vm.board
    module = types.ModuleType("asyncio")
    for name in NAMES:
        setattr(module, name, getattr(_asyncio, name))
    state = {"loop": None}

    def get_event_loop():
        loop = state["loop"]
        if loop is None or loop.is_closed():
            loop = state["loop"] = BoardEventLoop(board)
        _asyncio.set_event_loop(loop)
        return loop

    def new_event_loop():
        if state["loop"] is not None and not state["loop"].is_closed():
            state["loop"].close()
        state["loop"] = None
        return get_event_loop()

    def run(coro):
        loop = get_event_loop()
        try:
            return loop.run_until_complete(coro)
        finally:
            # Other tasks stay queued for the next run, as on MicroPython;
            # if the VM goes first, dropping them is not worth a host warning.
            for task in _asyncio.all_tasks(loop):
                task._log_destroy_pending = False

    class ThreadSafeFlag(_asyncio.Event):
        """Set from an interrupt handler, awaited by a task; wait() clears it."""

        async def wait(self):
            await super().wait()
            self.clear()

    ThreadSafeFlag.__qualname__ = ThreadSafeFlag.__name__ = "ThreadSafeFlag"

    async def sleep_ms(ms):
        await _asyncio.sleep(ms / 1000)

    async def wait_for_ms(aw, timeout):
        return await _asyncio.wait_for(aw, timeout / 1000)

    module.__dict__.update(get_event_loop=get_event_loop, new_event_loop=new_event_loop, run=run,
                           sleep_ms=sleep_ms, wait_for_ms=wait_for_ms, ThreadSafeFlag=ThreadSafeFlag)
    return module
