"""`sys` on the board, and its stdin/stdout streams.

stdout writes go to the host with MicroPython's cooked line endings (each
`\\n` becomes `\\r\\n`); `sys.stdout.buffer` writes raw bytes. stdin reads come
from what the host sends while code runs.
"""

import types

from . import firmware
from .attrtuple import attrtuple

MPY_ARCH = {"armv6m": 4, "xtensawin": 9}     # py/persistentcode.h MP_NATIVE_ARCH_*
MPY_SUB_VERSION = 3


class BoardStdout:
    def __init__(self, board):
        self._board = board
        self.buffer = BoardStdoutBuffer(board)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"can't convert '{type(text).__name__}' object to str implicitly")
        self._board.write_text(text)
        return len(text)

    def flush(self):
        pass

    def __repr__(self):
        return "<io.FileIO 1>"


class BoardStdoutBuffer:
    def __init__(self, board):
        self._board = board

    def write(self, data):
        data = bytes(data)
        self._board.write_bytes(data)
        return len(data)

    def flush(self):
        pass


class BoardStdin:
    def __init__(self, board):
        self._board = board
        self.buffer = BoardStdinBuffer(board)

    def read(self, size=-1):
        if size is None or size < 0:
            while True:         # the board's stdin never ends: as on firmware, only Ctrl-C stops this
                self._board.read_bytes(1)
        return self._board.read_bytes(size).decode("utf-8", "replace")

    def readline(self):
        out = bytearray()
        while not out.endswith(b"\n") and not out.endswith(b"\r"):
            out += self._board.read_bytes(1)
        return out.decode("utf-8", "replace")

    def __repr__(self):
        return "<io.FileIO 0>"


class BoardStdinBuffer:
    def __init__(self, board):
        self._board = board

    def read(self, size=1):
        return self._board.read_bytes(size)

    def readinto(self, buf):
        data = self._board.read_bytes(len(buf))
        buf[:len(data)] = data
        return len(data)


def make_module(vm):
    board, definition = vm.board, vm.board.definition
    module = types.ModuleType("sys")
    mpy = firmware.MPY_ABI | (MPY_SUB_VERSION << 8) | (MPY_ARCH[definition.mpy_arch] << 10)

    def exit(code=None):
        raise SystemExit(code)

    def print_exception(exc, file=None):
        text = vm.format_exception(exc).replace("\r\n", "\n")
        (file or vm.stdout).write(text)

    module.__dict__.update(
        argv=[],
        byteorder="little",
        exit=exit,
        implementation=attrtuple(
            ("name", "version", "_machine", "_mpy", "_build"),
            ("micropython", firmware.VERSION, definition.machine, mpy, definition.build),
        ),
        maxsize=2**31 - 1,
        modules=vm.modules,
        path=vm.path,
        platform=definition.port,
        print_exception=print_exception,
        stdin=vm.stdin,
        stdout=vm.stdout,
        stderr=vm.stdout,
        version=f"{firmware.PYTHON_COMPAT}; MicroPython v{firmware.VERSION_TEXT} on {firmware.DATE}",
        version_info=tuple(int(x) for x in firmware.PYTHON_COMPAT.split(".")),
        ps1=">>> ",
        ps2="... ",
    )
    return module
