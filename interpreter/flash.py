"""The board's flash filesystem: a private host folder, seen from the board as `/`.

Board paths are POSIX-style, relative to the board's current directory. No path
can leave the folder: `..` stops at `/`, absolute paths are rooted in the
folder, and a symlink (only the host can make one) that resolves outside it
reads as a missing file.
"""

import os
import posixpath
import shutil
import tempfile

from .mp_errno import ENOENT, oserror


class Flash:
    def __init__(self, folder=None):
        self._temporary = folder is None
        if folder is None:
            folder = tempfile.mkdtemp(prefix="boardlab-flash-")
        else:
            os.makedirs(folder, exist_ok=True)
        self.root = os.path.realpath(folder)

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

    def close(self):
        if self._temporary:
            shutil.rmtree(self.root, ignore_errors=True)
