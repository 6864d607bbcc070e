"""Errors of file operations on the board, in words, with the path.

The board reports a failed file operation as an OSError traceback. Ports
number errnos differently (ENOTEMPTY is 39 on some, 90 on others), so the
errno is read by its name, which MicroPython prints when its errno list has
it (`OSError: [Errno 2] ENOENT`); the few names missing from that list come as
bare numbers (`OSError: 28`) and are looked up in NUMBERS.
"""

import re

# What an OSError from the board means, by errno name.
WORDS = {
    "ENOENT": "no such file or directory on the board",
    "EEXIST": "already exists on the board",
    "EISDIR": "is a folder on the board, not a file",
    "ENOTDIR": "is not a folder on the board",
    "ENOTEMPTY": "the folder on the board is not empty",
    "ENOSPC": "the board's flash is full",
    "EROFS": "the board's file system is read-only",
    "EACCES": "permission denied on the board",
    "EPERM": "not permitted on the board",
    "EIO": "input/output error on the board's flash",
    "EINVAL": "not allowed on the board (invalid argument)",
    "ENODEV": "no file system mounted there on the board",
    "ENAMETOOLONG": "the name is too long for the board's file system",
    "EMFILE": "the board has too many files open",
    "ENOMEM": "the board ran out of memory",
}
# Names MicroPython's errno list lacks print as bare numbers ("OSError: 39");
# these numbers agree on Linux and newlib, except where both are listed.
NUMBERS = {1: "EPERM", 2: "ENOENT", 5: "EIO", 12: "ENOMEM", 13: "EACCES", 17: "EEXIST",
           19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 24: "EMFILE",
           28: "ENOSPC", 30: "EROFS", 36: "ENAMETOOLONG", 39: "ENOTEMPTY",
           90: "ENOTEMPTY", 91: "ENAMETOOLONG"}


class BoardFileError(Exception):
    """A file operation failed on the board. `path` is the board path,
    `reason` the errno name (ENOENT...) when the board gave one."""

    def __init__(self, message, path=None, reason=None):
        super().__init__(message)
        self.path = path
        self.reason = reason


class BoardFileNotFound(BoardFileError):
    pass


class FlashFull(BoardFileError):
    pass


class ReadOnlyFileSystem(BoardFileError):
    pass


class TransferInterrupted(BoardFileError):
    """Ctrl-C (the stop button) ended a transfer; the board's file is unchanged."""


class TransferStalled(BoardFileError):
    """The board stopped answering mid-transfer."""


class VerificationFailed(BoardFileError):
    """What landed is not what was sent (or what the board read is not what
    arrived). Never silent: the old file is kept."""


_CLASSES = {"ENOENT": BoardFileNotFound, "ENOSPC": FlashFull, "EROFS": ReadOnlyFileSystem}


def errno_name(text):
    """'OSError: [Errno 2] ENOENT' -> 'ENOENT'; 'OSError: 28' -> 'ENOSPC'."""
    last = [line for line in text.strip().splitlines() if line.strip()][-1:] or [""]
    name = re.search(r"\b(E[A-Z]{2,})\b", last[0])
    if name:
        return name.group(1)
    number = re.search(r"OSError: \(?(\d+)", last[0])
    return NUMBERS.get(int(number.group(1))) if number else None


def file_error(error, path):
    """The BoardFileError for the board's BoardExecError on `path`."""
    if error.ename == "KeyboardInterrupt":
        return TransferInterrupted(f"interrupted (Ctrl-C): {path}", path)
    if "BoardLab upload check" in error.evalue:
        return VerificationFailed(
            f"the upload did not land intact (the board counted {error.evalue.split(': ', 1)[-1]}, "
            f"not what was sent); the old file is kept: {path}", path)
    reason = errno_name(error.traceback) if error.ename == "OSError" else None
    if reason is None:
        return BoardFileError(f"{error.ename}: {error.evalue} (on the board, for {path})", path)
    words = WORDS.get(reason, f"the board said {reason}")
    return _CLASSES.get(reason, BoardFileError)(f"{words}: {path}", path, reason)
