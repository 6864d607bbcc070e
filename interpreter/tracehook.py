"""Run something in the board's CPU thread between two lines of board code,
however busy that code is (`while not flag: pass` included).

MicroPython runs a soft interrupt handler "between bytecodes": its VM checks
a pending flag at jumps and calls. CPython's nearest hook is the trace
function. Tracing every line would slow board code several times, so it is
set only while something is pending: another thread (a button pressed in a
widget, a timer coming due) arms a C-level trace function on the CPU
thread's own thread state (CPython's `_PyEval_SetTrace(tstate, ...)`, the
call `threading.settrace_all_threads` is built on in 3.12). The CPU thread
then gets a trace event at its next line or backward jump, runs the pending
work, and the trace is removed. Code that is not traced costs nothing.

The callback runs inside a ctypes callback, which cannot let an exception
through. One the pending work raises for the board code (KeyboardInterrupt,
a reset, MemoryError) is thrown at the next trace event instead, by
CPython's own Python-level trace machinery: the frame gets a local trace
function that raises it, and the thread's trace function becomes
sys.settrace's trampoline (found once, in `_find_trampoline`), so the
exception propagates into the board code as if its next line raised it.
"""

import ctypes
import logging
import sys
import threading

log = logging.getLogger(__name__)

_api = ctypes.pythonapi
_set_trace = _api._PyEval_SetTrace
_set_trace.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_set_trace.restype = ctypes.c_int
_get_tstate = _api.PyThreadState_Get
_get_tstate.argtypes = ()
_get_tstate.restype = ctypes.c_void_p
_set_async_exc = _api.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
_set_async_exc.restype = ctypes.c_int

# int (*Py_tracefunc)(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
_TRACEFUNC = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


def _find_trampoline():
    """The C function sys.settrace() installs (CPython's trace_trampoline),
    read back from this thread's state: PyThreadState has c_tracefunc two
    pointers before c_traceobj (3.11-3.12). None if it cannot be found."""
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


_TRAMPOLINE = _find_trampoline()


def raise_in_thread(thread_id, exc_type):
    """Schedule `exc_type` (a class, kept alive by its owner) in a thread.
    To cancel one pending for the current thread use cancel_async_exc()."""
    _set_async_exc(thread_id, id(exc_type))


class _Flush(BaseException):
    """Raised in our own thread only to consume it (see cancel_async_exc)."""


def cancel_async_exc():
    """Drop an asynchronous exception pending for the current thread.

    PyThreadState_SetAsyncExc(id, NULL) would drop it but leave CPython's
    interpreter-wide "async exception pending" flag set (3.11 clears it only
    when a thread consumes its exception): every later eval-breaker check,
    in every thread, would take the slow path, and with a trace function
    set a RESUME would loop on it forever. So the pending exception is
    replaced by one of ours, which is raised here and caught at once."""
    try:
        _set_async_exc(threading.get_ident(), id(_Flush))
        for _ in range(4):
            pass
    except _Flush:
        pass


class CpuHook:
    """`on_trace(frame)` runs in the bound thread at its next trace event
    after `arm()`; it returns True when its work is done (the trace is then
    removed) or False to be called again at the next event."""

    def __init__(self, on_trace):
        self._on_trace = on_trace
        self._lock = threading.Lock()
        self._tstate = None
        self._ident = None
        self._armed = False
        self._cfunc = _TRACEFUNC(self._trace)
        self._cfunc_ptr = ctypes.cast(self._cfunc, ctypes.c_void_p)
        self._throwing = None
        self._raiser = self._raise_pending       # one bound method, kept alive

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

    def arm(self):
        with self._lock:
            if self._tstate is None or self._armed:
                return
            self._armed = True
            _set_trace(self._tstate, self._cfunc_ptr, None)

    def disarm(self):
        with self._lock:
            if self._armed and self._tstate is not None:
                _set_trace(self._tstate, None, None)
            self._armed = False

    @property
    def armed(self):
        return self._armed

    def _trace(self, _obj, frame_ptr, _what, _arg):
        frame = None
        try:
            frame = ctypes.cast(frame_ptr, ctypes.py_object).value
            if self._on_trace(frame):
                self.disarm()
        except BaseException as exc:       # noqa: B902 - nothing may escape a ctypes callback
            if isinstance(exc, Exception) and not getattr(exc, "to_board", False):
                self.disarm()
                log.exception("board interrupt hook failed")
            else:
                # KeyboardInterrupt, a reset, a MemoryError meant for the board code
                self._throw(frame, exc)
        return 0

    def _throw(self, frame, exc):
        """Raise `exc` in the traced thread at its next trace event."""
        with self._lock:
            if _TRAMPOLINE is None or frame is None or self._tstate is None:
                self._armed = False
                if self._tstate is not None:
                    _set_trace(self._tstate, None, None)
                # An asynchronous exception set from another thread lands after
                # this callback has returned (most likely in the board code).
                threading.Thread(target=raise_in_thread, args=(self._ident, type(exc)),
                                 daemon=True).start()
                return
            self._throwing = exc
            frame.f_trace = self._raiser
            self._armed = True
            _set_trace(self._tstate, _TRAMPOLINE, id(self._raiser))

    def _raise_pending(self, frame, event, arg):
        exc, self._throwing = self._throwing, None
        self.disarm()
        if exc is not None:
            raise exc
