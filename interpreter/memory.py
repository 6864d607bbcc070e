"""The board's heap: how much of it board code uses, and MemoryError when it
runs out.

The model. CPython does not allocate from a 264 KB heap, so the heap is
estimated, and only where it is cheap to look:

* Usage is the firmware's own share (`base_alloc`) plus what MicroPython
  would need for the objects board code can reach: the globals of __main__,
  of modules imported from flash, and the locals of the board code running
  now. Sizes are MicroPython's on a 32-bit port, in 16-byte GC blocks: a
  small int costs nothing (it lives in the pointer), a float one block, a
  str or bytes a header block plus its bytes, a list a header plus 4 bytes
  per item, a dict 8 bytes per slot, an instance its attribute table...
  Builtin and firmware objects (ROM on the board) cost nothing. Containers
  of more than 1024 items are sampled. gc.mem_free() and gc.mem_alloc()
  walk this graph when asked; so the numbers fall as a cell allocates and
  rise when it lets go, within some percent of a real board's.
* Large allocations are checked before they happen, at the points the
  simulator controls: bytearray(n), bytes(n), and repetition of a sequence
  literal (`[0] * n`, `b"\\0" * n`, `"-" * n`, rewritten by rewrite.py). One
  that does not fit raises `MemoryError: memory allocation failed,
  allocating N bytes` before CPython allocates anything; with
  micropython.heap_lock() any of them raises `... heap is locked`.
* Growth anywhere else (a list appended to in a loop) is caught by a
  watchdog: every 100 ms of running code (20 ms once half the heap is used)
  the CPU thread re-walks the heap between two lines of board code
  (scheduler.py), and if usage is past the heap and still growing, raises
  MemoryError in the running code there, for the amount it is short of. By
  then the code may have gone past the heap by what it allocates in 20 ms:
  the host's memory pays for that, not the board's.

Small allocations (under 256 bytes) are not checked one by one: the cost of
the model is a few function calls per guarded allocation and one heap walk
per 100 ms of running code, nothing for plain computation.
"""

import sys
import types

BLOCK = 16
SMALL = 256                 # allocations below this are left to the watchdog
SAMPLE_ABOVE = 1024         # containers longer than this are sampled
SAMPLES = 128
MAX_OBJECTS = 200_000       # a walk never visits more than this
_ZERO = (type(None), bool, type(Ellipsis), type(NotImplemented), types.BuiltinFunctionType,
         types.ModuleType, types.MethodWrapperType)


def blocks(nbytes):
    return -(-nbytes // BLOCK) * BLOCK


def memory_error(nbytes=None):
    if nbytes is None:
        return MemoryError("memory allocation failed, heap is locked")
    return MemoryError(f"memory allocation failed, allocating {nbytes} bytes")


class Heap:
    """One VM's heap (a soft reset starts a fresh one)."""

    def __init__(self, vm):
        definition = vm.board.definition
        self.vm = vm
        self.size = definition.heap_bytes
        self.base = definition.base_alloc
        self.locked = 0
        self._known_used = None      # from the last walk
        self._since = 0              # guarded bytes allocated since then
        self._last_watch = None
        self._error_classes = {}

    # ---- reading ---------------------------------------------------------

    def used(self):
        """Walk the board's objects now (CPU thread)."""
        used = min(self.size, self.base + self._walk())
        self._known_used, self._since = used, 0
        return used

    def free(self):
        return self.size - self.used()

    def fraction_used(self):
        """From the last look, without walking (any thread)."""
        known = self._known_used
        return 0.0 if known is None else (known + self._since) / self.size

    # ---- the allocation guard --------------------------------------------

    def allocate(self, nbytes):
        """Called before an allocation of `nbytes` (MicroPython's size)."""
        if self.locked:
            raise memory_error()
        if nbytes < SMALL:
            return
        nbytes = blocks(nbytes)
        known = self._known_used if self._known_used is not None else self.used()
        if known + self._since + nbytes > self.size:
            if self.used() + nbytes > self.size:           # "collect", then give up
                raise memory_error(nbytes)
        self._since += nbytes

    def repeat(self, left, right):
        """`left * right`, after checking the size of a sequence repetition."""
        if isinstance(right, int) and isinstance(left, (list, tuple, str, bytes, bytearray)):
            self.allocate(_repeat_size(left, right))
        elif isinstance(left, int) and isinstance(right, (list, tuple, str, bytes, bytearray)):
            self.allocate(_repeat_size(right, left))
        return left * right

    # ---- the watchdog (CPU thread, between two lines of board code) ------

    def watch(self):
        """MemoryError if usage is past the heap and still growing."""
        used = self.base + self._walk()
        last, self._last_watch = self._last_watch, used
        self._known_used, self._since = min(used, self.size), 0
        if used > self.size and (last is None or used > last):
            self._raise_from_watch(blocks(used - self.size))

    def _raise_from_watch(self, nbytes):
        message = str(memory_error(nbytes))
        cls = self._error_classes.get(message)
        if cls is None:
            # A class that carries its message: the trace hook re-raises it by
            # class (an asynchronous exception has no arguments).
            cls = type("MemoryError", (MemoryError,), {
                "__init__": lambda self, *args: MemoryError.__init__(self, *(args or (message,))),
                "__module__": "builtins", "to_board": True})
            self._error_classes[message] = cls
        raise cls()

    # ---- the walk ----------------------------------------------------------

    def _roots(self):
        vm = self.vm
        roots = [vm.globals]
        for name in vm.user_modules:
            module = vm.modules.get(name)
            if module is not None:
                roots.append(module.__dict__)
        frame = sys._getframe()
        while frame is not None:
            if frame.f_code.co_filename in vm.user_files:
                local = frame.f_locals
                if local is not frame.f_globals:
                    # A function's locals: a dict up to 3.12, a write-through
                    # proxy since 3.13 (PEP 667), which the walk would not open.
                    roots.append(dict(local))
            frame = frame.f_back
        return roots

    def _walk(self):
        user_files, user_modules = self.vm.user_files, self.vm.user_modules
        builtins = self.vm.builtins
        seen = {id(builtins)}
        total = 0
        stack = [(root, 1.0) for root in self._roots()]
        visited = 0
        while stack and visited < MAX_OBJECTS:
            obj, weight = stack.pop()
            key = id(obj)
            if key in seen:
                continue
            seen.add(key)
            visited += 1
            size, children = _size_and_children(obj, user_files, user_modules)
            total += size * weight
            if children:
                if len(children) > SAMPLE_ABOVE:
                    step = len(children) / SAMPLES
                    factor = weight * len(children) / SAMPLES
                    stack.extend((children[int(i * step)], factor) for i in range(SAMPLES))
                else:
                    stack.extend((child, weight) for child in children)
        return int(total)


def _repeat_size(sequence, count):
    count = max(0, count)
    if isinstance(sequence, (str, bytes, bytearray)):
        return BLOCK + len(sequence) * count + 1
    return BLOCK + 4 * len(sequence) * count


def _size_and_children(obj, user_files, user_modules):
    """MicroPython's size for `obj` (bytes) and the objects it holds."""
    kind = type(obj)
    if kind is int:
        return (0 if -(1 << 30) <= obj < (1 << 30) else blocks(12 + 4 * ((obj.bit_length() + 31) // 32))), ()
    if kind is float:
        return BLOCK, ()
    if kind is str:
        return BLOCK + blocks(len(obj) + 1), ()
    if kind is bytes or kind is bytearray:
        return BLOCK + blocks(len(obj)), ()
    if kind is list:
        return BLOCK + blocks(4 * len(obj)), list(obj)
    if kind is tuple:
        return blocks(8 + 4 * len(obj)), obj
    if kind is dict:
        children = list(obj.keys()) + list(obj.values())
        return BLOCK + blocks(8 * (len(obj) * 4 // 3 + 1)), children
    if kind is set or kind is frozenset:
        return BLOCK + blocks(4 * (len(obj) * 4 // 3 + 1)), list(obj)
    if kind is complex:
        return BLOCK, ()
    if isinstance(obj, _ZERO) or obj is None:
        return 0, ()
    if isinstance(obj, type):
        if obj.__module__ in user_modules:          # a class board code defined
            return blocks(64), [dict(obj.__dict__)]
        return 0, ()
    if kind is types.FunctionType:
        code = obj.__code__
        if code.co_filename not in user_files:
            return 0, ()
        closure = [cell.cell_contents for cell in obj.__closure__ or () if _cell_full(cell)]
        return blocks(32 + len(code.co_code) // 2), list(obj.__defaults__ or ()) + closure
    if kind is types.MethodType:
        return BLOCK, [obj.__self__, obj.__func__]
    if kind is memoryview:
        return BLOCK, ()
    if isinstance(obj, (types.GeneratorType, types.CoroutineType)):
        return blocks(64), ()
    if getattr(kind, "__module__", "") in ("array",):
        return BLOCK + blocks(obj.itemsize * len(obj)), ()
    if getattr(kind, "__module__", None) in user_modules:     # an instance of a board class
        namespace = getattr(obj, "__dict__", None)
        return BLOCK, [namespace] if isinstance(namespace, dict) else ()
    return BLOCK, ()                # the simulator's objects (Pin, I2C...): opaque


def _cell_full(cell):
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


class GuardedType:
    """A builtin type as board code sees it: the same type for isinstance,
    subclassing and its class methods, but calling it checks the heap first."""

    def __init__(self, real, heap, size_of):
        self._real, self._heap, self._size_of = real, heap, size_of

    def __call__(self, *args, **kwargs):
        self._heap.allocate(self._size_of(args))
        return self._real(*args, **kwargs)

    def __instancecheck__(self, obj):
        return isinstance(obj, self._real)

    def __subclasscheck__(self, cls):
        return issubclass(cls, self._real)

    def __mro_entries__(self, bases):
        return (self._real,)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __eq__(self, other):
        return other is self or other is self._real

    def __hash__(self):
        return hash(self._real)

    def __repr__(self):
        return f"<class '{self._real.__name__}'>"


def buffer_size(args):
    """What bytearray(...) / bytes(...) will take."""
    if not args:
        return 0
    source = args[0]
    if isinstance(source, int) and not isinstance(source, bool):
        return BLOCK + max(0, source)
    try:
        return BLOCK + len(source)
    except TypeError:
        return 0
