"""`errno` as MicroPython has it, and the OSError the board raises.

MicroPython knows a short list of errno names; an OSError whose number is on
it prints as `OSError: [Errno 2] ENOENT`, any other as `OSError: 39`.
"""

import errno as _host_errno
import types

# MicroPython's MICROPY_PY_ERRNO_LIST (numbers as newlib and Linux give them).
NAMES = {
    1: "EPERM", 2: "ENOENT", 5: "EIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM",
    13: "EACCES", 17: "EEXIST", 19: "ENODEV", 21: "EISDIR", 22: "EINVAL",
    95: "EOPNOTSUPP", 98: "EADDRINUSE", 103: "ECONNABORTED", 104: "ECONNRESET",
    105: "ENOBUFS", 107: "ENOTCONN", 110: "ETIMEDOUT", 111: "ECONNREFUSED",
    113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS",
}
ENOENT, EEXIST, EISDIR, EINVAL, EACCES = 2, 17, 21, 22, 13
ENOTDIR, ENOTEMPTY = 20, 39


def oserror_text(args):
    """What follows `OSError: ` for these args."""
    if not args:
        return ""
    first = args[0]
    if isinstance(first, int) and len(args) < 3 and first in NAMES:
        text = f"[Errno {first}] {NAMES[first]}"
        return text + (f": {args[1]}" if len(args) == 2 else "")
    if len(args) == 1:
        return str(first)
    return repr(tuple(args))


class BoardOSError(OSError):
    """OSError(errno) as MicroPython makes it: `errno` is the first argument
    and str() names it. Subclasses the host's OSError so `except OSError` works."""

    @property
    def errno(self):
        return self.args[0] if self.args else None

    def __str__(self):
        return oserror_text(self.args)

    def __repr__(self):
        return f"OSError{self.args!r}"      # MicroPython: OSError(2,)


BoardOSError.__name__ = BoardOSError.__qualname__ = "OSError"


def oserror(number):
    return BoardOSError(number)


def from_host(exc):
    """The board's view of an OSError raised by the host's file system."""
    number = exc.errno if exc.errno is not None else _host_errno.EIO
    return BoardOSError(number)


def make_module(vm):
    module = types.ModuleType("errno")
    for number, name in NAMES.items():
        setattr(module, name, number)
    module.errorcode = dict(NAMES)
    return module
