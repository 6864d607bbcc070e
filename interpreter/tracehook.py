"""Run something in the board's CPU thread between two lines of board code,
however busy that code is (`while not flag: pass` included).

MicroPython runs a soft interrupt handler "between bytecodes": its VM checks
a pending flag at jumps and calls. CPython's nearest hooks are its line and
jump events. Watching every line would slow board code several times, so
they are switched on only while something is pending: another thread (a
button pressed in a widget, a timer coming due) arms the hook, the CPU
thread gets an event at its next line or backward jump of board code, runs
the pending work there, and the events are switched off again. Code that
runs while nothing is pending costs nothing.

Two ways to get those events, one per CPython generation:

* 3.12 and later: `sys.monitoring` (PEP 669), a documented API. LINE and
  JUMP events (JUMP: a one-line `while True: pass` has no LINE event after
  its first) are switched on for every thread, and ignored except in the
  CPU thread's board code; elsewhere the callback returns DISABLE, which
  silences that place until the events are next switched on.
* 3.10 and 3.11: a C-level trace function set on the CPU thread's own
  thread state from another thread (`_PyEval_SetTrace(tstate, ...)`, the
  private call `threading.settrace_all_threads` was later built on), and
  opcode events for the frame running at that moment (a loop of one
  instruction has no line event there).

Work done at an event may have an exception for the board code: the
KeyboardInterrupt that stopped a stuck handler, a reset, the heap
watchdog's MemoryError. It must land in the board code as if its next
line raised it, so the board code's own `try` can catch it:

* sys.monitoring: an exception raised in a callback propagates into the
  monitored code, but raised from a JUMP event it skips the handlers of the
  frame it is raised in (CPython 3.12 and 3.13 alike). So it is raised one
  event later, from an INSTRUCTION event switched on for that code object
  alone: the instruction the jump lands on, in the same frame.
* The trace function runs inside a ctypes callback, which cannot let an
  exception through. CPython's own Python-level trace machinery throws it:
  the frame gets a local trace function that raises it, and the thread's
  trace function becomes sys.settrace's C trampoline (read back from the
  thread state once, in `_find_trampoline`).

Ctrl-C and power-off use PyThreadState_SetAsyncExc (public C API, every
version): the exception lands at the thread's next eval-breaker check.

If neither way works on this Python, `check_python()` and `CpuHook()` raise
SimulatorUnavailable, whose text tells the user which Pythons the simulated
board runs on and how to use one.
"""

import logging
import platform
import sys
import threading

log = logging.getLogger(__name__)

SUPPORTED = "CPython 3.10 to 3.13"


class SimulatorUnavailable(RuntimeError):
    """This Python gives the simulated board no way to run interrupts."""


def python_name():
    return f"{platform.python_implementation()} {platform.python_version()}"


def _unavailable_text(reason):
    return (f"the simulated board cannot run on {python_name()} "
            f"({reason}). It runs on {SUPPORTED}: make BoardLab's environment with one "
            f"of those, e.g. `rm -rf .venv && PYTHON=python3.12 ./scripts/lab`.")


_why_unavailable = None     # set below when this Python has no way in


def check_python():
    """SimulatorUnavailable if this Python gives the board no way to run
    interrupts (Board checks before it makes anything)."""
    if _why_unavailable is not None:
        raise SimulatorUnavailable(_unavailable_text(_why_unavailable))

# ---- asynchronous exceptions (Ctrl-C, power off) ----------------------------

try:
    import ctypes
    _set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    _set_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
    _set_async_exc.restype = ctypes.c_int
except (ImportError, AttributeError) as exc:      # not CPython
    _set_async_exc = None
    _why_unavailable = f"no PyThreadState_SetAsyncExc: {exc}"


def raise_in_thread(thread_id, exc_type):
    """Schedule `exc_type` (a class, kept alive by its owner) in a thread.
    To cancel one pending for the current thread use cancel_async_exc()."""
    _set_async_exc(thread_id, id(exc_type))


class _Flush(BaseException):
    """Raised in our own thread only to consume it (see cancel_async_exc)."""


def cancel_async_exc():
    """Drop an asynchronous exception pending for the current thread.

    PyThreadState_SetAsyncExc(id, NULL) would drop it but leave CPython's
    interpreter-wide "async exception pending" flag set (3.10-3.12 clear it
    only when a thread consumes its exception): every later eval-breaker
    check, in every thread, would take the slow path, and with a trace
    function set a RESUME would loop on it forever. So the pending exception
    is replaced by one of ours, which is raised here and caught at once."""
    try:
        _set_async_exc(threading.get_ident(), id(_Flush))
        for _ in range(4):
            pass
    except _Flush:
        pass


def _is_for_board(exc):
    """Exceptions the work raises for the board code, as opposed to bugs."""
    return not isinstance(exc, Exception) or getattr(exc, "to_board", False)


# ---- the hook ------------------------------------------------------------------

class CpuHook:
    """`on_event(code)` runs in the bound thread at its next line or jump
    after `arm()`, `code` being the code object running there. It returns
    True when its work is done (the hook is then disarmed), False to be
    called again at the next event, None if `code` is not board code (it is
    called again at the next event, and on 3.12+ no more at that place)."""

    def __new__(cls, on_event):
        # The way this Python has (see the module's docstring), or why none.
        check_python()
        return super().__new__(_Monitoring if _monitoring is not None else _Tracing)

    def __init__(self, on_event):
        self._on_event = on_event
        self._lock = threading.Lock()
        self._ident = None
        self._armed = False

    @property
    def armed(self):
        return self._armed

    def _serve(self, code):
        """The work at one event: True to disarm. An exception for the board
        code is raised; any other (a simulator bug) is logged."""
        try:
            return self._on_event(code)
        except BaseException as exc:       # noqa: B902 - sorted below
            if _is_for_board(exc):
                raise
            log.exception("board interrupt hook failed")
            return True


# ---- 3.12 and later: sys.monitoring ---------------------------------------------

_monitoring = getattr(sys, "monitoring", None)
_bound = {}                 # thread ident -> _Monitoring hook of a board's CPU thread
_armed_hooks = set()        # the events are on while this is not empty
_events_lock = threading.Lock()


def _choose_tool():
    """A free sys.monitoring tool id (0-2 are the debugger's, coverage's and
    the profiler's by convention; 5 the optimizer's)."""
    for tool in (4, 3, 2, 0, 1, 5):
        if _monitoring.get_tool(tool) is None:
            _monitoring.use_tool_id(tool, "boardlab")
            return tool
    return None


class _Monitoring(CpuHook):
    def __init__(self, on_event):
        super().__init__(on_event)
        self._throwing = None       # (exception, frame, code) to raise at the next instruction

    # One lock for every board's hook: the events are switched for all at once.

    def bind(self):
        """Called by the CPU thread itself when it starts."""
        with _events_lock:
            self._ident = threading.get_ident()
            _bound[self._ident] = self

    def unbind(self):
        """Called by the CPU thread before it ends."""
        with _events_lock:
            _bound.pop(self._ident, None)
            self._ident = None          # arm() does nothing from here on
        self.disarm()
        self.drop_pending_throw()

    def arm(self):
        with _events_lock:
            if self._ident is None or self._armed:
                return
            self._armed = True
            _armed_hooks.add(self)
            if len(_armed_hooks) == 1:
                _monitoring.set_events(_TOOL, _EVENTS)

    def disarm(self):
        with _events_lock:
            if not self._armed:
                return
            self._armed = False
            _armed_hooks.discard(self)
            if not _armed_hooks:
                _monitoring.set_events(_TOOL, 0)

    def drop_pending_throw(self):
        """Forget an exception not yet raised (the code it was meant for has
        ended some other way, Ctrl-C say): it must never land elsewhere."""
        pending, self._throwing = self._throwing, None
        if pending is not None:
            _monitoring.set_local_events(_TOOL, pending[2], 0)

    def _event(self, code, frame):
        if not self._armed:
            return None
        try:
            done = self._serve(code)
        except BaseException as exc:       # noqa: B902 - for the board code
            self.disarm()
            self.drop_pending_throw()
            self._throwing = (exc, frame, code)
            _monitoring.set_local_events(_TOOL, code, _monitoring.events.INSTRUCTION)
            return None
        if done is None:
            return _monitoring.DISABLE
        if done:
            self.disarm()
        return None

    def _instruction(self, code, frame):
        pending = self._throwing
        if pending is None or pending[1] is not frame:
            return None
        self.drop_pending_throw()
        raise pending[0]


def _on_event(code, *_):
    """LINE and JUMP events, in whatever thread runs code while armed."""
    hook = _bound.get(threading.get_ident())
    if hook is None:
        # Not a board's CPU thread: it never runs board code, nothing to do
        # here until the events are switched on again.
        return _monitoring.DISABLE
    return hook._event(code, sys._getframe(1))


def _on_instruction(code, _offset):
    hook = _bound.get(threading.get_ident())
    if hook is not None:
        hook._instruction(code, sys._getframe(1))


if _monitoring is not None:
    _TOOL = _choose_tool()
    if _TOOL is None:
        _why_unavailable = "all six sys.monitoring tool ids are taken"
    else:
        _EVENTS = _monitoring.events.LINE | _monitoring.events.JUMP
        _monitoring.register_callback(_TOOL, _monitoring.events.LINE, _on_event)
        _monitoring.register_callback(_TOOL, _monitoring.events.JUMP, _on_event)
        _monitoring.register_callback(_TOOL, _monitoring.events.INSTRUCTION, _on_instruction)


# ---- 3.10 and 3.11: a C trace function on another thread's state ------------

class _Tracing(CpuHook):
    def __init__(self, on_event):
        super().__init__(on_event)
        self._tstate = None
        self._cfunc = _TRACEFUNC(self._trace)
        self._cfunc_ptr = ctypes.cast(self._cfunc, ctypes.c_void_p)
        self._throwing = None
        self._raiser = self._raise_pending       # one bound method, kept alive
        self._opcodes = None        # the frame asked for opcode events (see _watch_opcodes)

    def bind(self):
        """Called by the CPU thread itself when it starts."""
        with self._lock:
            self._tstate = _get_tstate()
            self._ident = threading.get_ident()
            self._armed = False

    def unbind(self):
        """Called by the CPU thread before it ends: its thread state is about
        to be freed, nobody may touch it after this."""
        with self._lock:
            if self._armed and self._tstate is not None:
                _set_trace(self._tstate, None, None)
            self._tstate = None
            self._armed = False
            self._throwing = None
            self._watch_opcodes(None)

    def arm(self):
        with self._lock:
            if self._tstate is None or self._armed:
                return
            self._armed = True
            _set_trace(self._tstate, self._cfunc_ptr, None)
            if threading.get_ident() != self._ident:
                # Frames started from here on get a call event; the one running now:
                self._watch_opcodes(sys._current_frames().get(self._ident))

    def disarm(self):
        with self._lock:
            if self._armed and self._tstate is not None:
                _set_trace(self._tstate, None, None)
            self._armed = False
            self._watch_opcodes(None)

    def _watch_opcodes(self, frame):
        """Ask for an event at each opcode of `frame` (None: of no frame). A
        one-instruction loop (`try: while True: pass`) jumps to itself, which
        3.10 and 3.11 do not report as a line: only opcode events reach it."""
        if self._opcodes is not None:
            self._opcodes.f_trace_opcodes = False
        self._opcodes = frame
        if frame is not None:
            frame.f_trace_opcodes = True

    def drop_pending_throw(self):
        with self._lock:
            if self._throwing is None:
                return
            self._throwing = None
            self._armed = False
            self._watch_opcodes(None)
            if self._tstate is not None:
                _set_trace(self._tstate, None, None)     # the raiser goes with it

    def _trace(self, _obj, frame_ptr, _what, _arg):
        if self._throwing is not None:
            # CPython already holds this function for the event that follows
            # (an opcode event after a line event): the raiser is next.
            return 0
        frame = None
        try:
            frame = ctypes.cast(frame_ptr, ctypes.py_object).value
            if self._serve(frame.f_code):
                self.disarm()
        except BaseException as exc:       # noqa: B902 - nothing may escape a ctypes callback
            self._throw(frame, exc)
        return 0

    def _throw(self, frame, exc):
        """Raise `exc` in the traced thread at its next trace event."""
        with self._lock:
            if frame is None or self._tstate is None:
                self._armed = False
                if self._tstate is not None:
                    _set_trace(self._tstate, None, None)
                return
            self._throwing = exc
            frame.f_trace = self._raiser
            self._watch_opcodes(frame)
            self._armed = True
            _set_trace(self._tstate, _TRAMPOLINE, id(self._raiser))

    def _raise_pending(self, frame, event, arg):
        exc, self._throwing = self._throwing, None
        self.disarm()
        if exc is not None:
            raise exc


def _find_trampoline():
    """The C function sys.settrace() installs (CPython's trace_trampoline),
    read back from this thread's state: PyThreadState has c_tracefunc two
    pointers before c_traceobj (3.10-3.11). None if it cannot be found."""
    def probe(frame, event, arg):
        return None

    previous = sys.gettrace()
    sys.settrace(probe)
    try:
        slots = (ctypes.c_void_p * 40).from_address(_get_tstate())
        for i in range(2, 40):
            if slots[i] == id(probe) and slots[i - 2]:
                return slots[i - 2]
    finally:
        sys.settrace(previous)
    return None


if _monitoring is None and _why_unavailable is None:
    try:
        _set_trace = ctypes.pythonapi._PyEval_SetTrace
        _set_trace.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
        _set_trace.restype = ctypes.c_int
        _get_tstate = ctypes.pythonapi.PyThreadState_Get
        _get_tstate.argtypes = ()
        _get_tstate.restype = ctypes.c_void_p
        # int (*Py_tracefunc)(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
        _TRACEFUNC = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                      ctypes.c_int, ctypes.c_void_p)
        _TRAMPOLINE = _find_trampoline()
    except AttributeError as exc:
        _why_unavailable = f"no _PyEval_SetTrace: {exc}"
    else:
        if _TRAMPOLINE is None:
            _why_unavailable = "sys.settrace's trampoline not found in the thread state"
