"""The board's flash filesystem: a private host folder, seen from the board as `/`.

Board paths are POSIX-style, relative to the board's current directory. No path
can leave the folder: `..` stops at `/`, absolute paths are rooted in the
folder, and a symlink (only the host can make one) that resolves outside it
reads as a missing file.

The filesystem has the board's size (`blocks` of `block_size` bytes, counted
as littlefs does: a block per started block of each file, two per folder and
two for the superblock). A write that does not fit raises littlefs's error,
`OSError: 28` (ENOSPC: MicroPython's errno table does not name it), and
writes nothing.
"""

import os
import posixpath
import shutil
import tempfile

from .mp_errno import ENOENT, oserror

ENOSPC = 28


class Flash:
    def __init__(self, folder=None, block_size=4096, blocks=None):
        self._temporary = folder is None
        if folder is None:
            folder = tempfile.mkdtemp(prefix="boardlab-flash-")
        else:
            os.makedirs(folder, exist_ok=True)
        self.root = os.path.realpath(folder)
        self.block_size = block_size
        self.blocks = blocks          # None: no limit
        self._used_blocks = None      # cached; None when the folder may have changed

    def board_path(self, path, cwd="/"):
        """Absolute, normalised board path: `../x` from `/` is `/x`."""
        if isinstance(path, bytes):
            path = path.decode()
        if not isinstance(path, str):
            raise TypeError(f"can't convert '{type(path).__name__}' object to str implicitly")
        full = posixpath.normpath(posixpath.join(cwd, path))
        if full.startswith("//"):
            full = "/" + full.lstrip("/")
        return full

    def host_path(self, path, cwd="/"):
        """The host file behind a board path; OSError(ENOENT) if it would
        resolve outside the flash folder."""
        board = self.board_path(path, cwd)
        host = os.path.join(self.root, *[p for p in board.split("/") if p])
        real = os.path.realpath(host)
        if real != self.root and not real.startswith(self.root + os.sep):
            raise oserror(ENOENT)
        return host

    def used_bytes(self, block_size):
        """Space taken, counted in whole blocks as littlefs does (roughly)."""
        blocks = 2  # the superblock pair
        for folder, dirs, files in os.walk(self.root):
            blocks += len(dirs) * 2
            for name in files:
                try:
                    size = os.lstat(os.path.join(folder, name)).st_size
                except OSError:
                    continue
                blocks += max(1, -(-size // block_size))
        return blocks * block_size

    def changed(self):
        """The board changed files or folders: count again next time."""
        self._used_blocks = None

    def used_blocks(self):
        if self._used_blocks is None:
            self._used_blocks = self.used_bytes(self.block_size) // self.block_size
        return self._used_blocks

    def free_blocks(self):
        if self.blocks is None:
            return 1 << 30
        return max(0, self.blocks - self.used_blocks())

    def grow(self, old_size, new_size):
        """A file grows from old_size to new_size bytes: OSError(ENOSPC)
        unless the blocks it needs are free; then they are taken."""
        self.take(_blocks(new_size, self.block_size) - _blocks(old_size, self.block_size))

    def take(self, blocks):
        """OSError(ENOSPC) unless `blocks` blocks are free; then they are taken."""
        if blocks <= 0:
            return
        if blocks > self.free_blocks():
            raise oserror(ENOSPC)
        self._used_blocks = self.used_blocks() + blocks

    def close(self):
        if self._temporary:
            shutil.rmtree(self.root, ignore_errors=True)


def _blocks(size, block_size):
    return max(1, -(-size // block_size))


class FlashFile:
    """A file the board opened for writing: writes that would overflow the
    flash raise OSError(ENOSPC). Everything else is the host file's."""

    def __init__(self, file, flash):
        self._file = file
        self._flash = flash
        try:
            self._size = os.fstat(file.fileno()).st_size
        except OSError:
            self._size = 0

    def write(self, data):
        if self._file.closed:
            return self._file.write(data)      # the host file's own error
        size = len(data.encode("utf-8")) if isinstance(data, str) else len(memoryview(data))
        end = self._file.tell() + size
        if end > self._size:
            self._flash.grow(self._size, end)
            self._size = end
        return self._file.write(data)

    def close(self):
        self._file.close()
        self._flash.changed()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return iter(self._file)

    def __next__(self):
        return next(self._file)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __repr__(self):
        return repr(self._file)
