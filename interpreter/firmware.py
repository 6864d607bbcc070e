"""The simulated boards' firmware: MicroPython v1.28.0 built for a virtual
board (interpreter/port, scripts/build-firmware), one WebAssembly module per
board in interpreter/firmware/, run by wasmtime.

Compiling a module to machine code takes a few hundred milliseconds; the
result is kept in the user's cache folder (keyed by the firmware's hash and
the machine; wasmtime itself refuses a cached module another version made),
so a board boots in milliseconds after the first time.
"""

import hashlib
import os
import platform
import tempfile
from pathlib import Path

FIRMWARE_DIR = Path(__file__).resolve().parent / "firmware"
VERSION = "1.28.0"
# The host's stack for wasm frames: deep enough that MicroPython's own stack
# check (on the shadow stack, mpconfigport.h) always fires first. wasmtime
# refuses more than its async stack size (2 MiB).
MAX_WASM_STACK = 1536 * 1024


class SimulatorUnavailable(Exception):
    """The simulated board cannot run here; the message says why and what to do."""


try:
    import wasmtime
except ImportError as exc:     # no wheel for this platform, or a broken install
    wasmtime = None
    _WASMTIME_ERROR = exc


def firmware_path(board_name):
    return FIRMWARE_DIR / f"{board_name}.wasm"


def _cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "boardlab" / "firmware"


def make_engine():
    """A wasmtime engine configured for the firmware: exception handling
    (MicroPython's NLR on setjmp), epoch interruption (a board stuck in C
    code can still be reset), and the stack it needs."""
    if wasmtime is None:
        raise SimulatorUnavailable(
            f"the simulated board needs the wasmtime package, which does not load on "
            f"{platform.system()} {platform.machine()} with Python "
            f"{platform.python_version()} ({_WASMTIME_ERROR}). Reinstall BoardLab "
            f"(pip install --force-reinstall wasmtime), or use a real board: %connect PORT")
    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.epoch_interruption = True
    config.max_wasm_stack = MAX_WASM_STACK
    return wasmtime.Engine(config)


def load_module(engine, board_name):
    """The board's firmware compiled for this machine, from the cache when it can."""
    path = firmware_path(board_name)
    try:
        wasm = path.read_bytes()
    except OSError as exc:
        raise SimulatorUnavailable(
            f"the firmware for the simulated {board_name} is missing ({exc}); reinstall "
            f"BoardLab, or build it with scripts/build-firmware") from None
    key = f"{hashlib.sha256(wasm).hexdigest()[:20]}-{platform.machine()}"
    cached = _cache_dir() / f"{board_name}-{key}.cwasm"
    if cached.exists():
        try:
            return wasmtime.Module.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            pass            # made by another wasmtime: compile again
    module = wasmtime.Module(engine, wasm)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(module.serialize())
        os.replace(temporary, cached)
    except OSError:
        pass                # no cache folder: compile every time
    return module


def warm_cache(board_names):
    """Compile each board's firmware into the cache now (at install time), so
    that the first board a user opens boots at once."""
    engine = make_engine()
    for name in board_names:
        load_module(engine, name)
