"""The board's flash: the bytes of its filesystem region, which the
firmware's littlefs reads, programs and erases through the host (host.py's
FlashBlock). They live in a file, `flash.bin` in the board's flash folder,
so they outlive hard resets and, with `sim://...?flash=DIR`, the kernel.
Without it the folder is temporary, named for the process that made it, and
removed when the board is closed; the folders of processes that are gone (a
kernel killed without a shutdown) are removed when the next one is made.
"""

import mmap
import os
import shutil
import tempfile

ERASED = 0xFF
IMAGE_NAME = "flash.bin"
TEMPORARY_PREFIX = "boardlab-flash-"  # then the owner's process id, "-", a random part


class FlashSizeMismatch(ValueError):
    """The flash folder holds another board's flash (of another size)."""


class Flash:
    def __init__(self, size, folder=None):
        self._temporary = folder is None
        if folder is None:
            remove_orphaned_folders()
            folder = tempfile.mkdtemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-")
        else:
            os.makedirs(folder, exist_ok=True)
        self.folder = os.path.realpath(folder)
        self.path = os.path.join(self.folder, IMAGE_NAME)
        self.size = size
        if not os.path.exists(self.path):
            with open(self.path, "wb") as file:
                file.write(bytes([ERASED]) * size)
        elif os.path.getsize(self.path) != size:
            raise FlashSizeMismatch(
                f"{self.path} holds {os.path.getsize(self.path)} bytes of flash, but this "
                f"board's filesystem has {size}: it belongs to another board. Give this "
                f"board a folder of its own (sim://BOARD?flash=OTHER_DIR)")
        self._file = open(self.path, "r+b")
        self._map = mmap.mmap(self._file.fileno(), size)

    def read(self, offset, size):
        return self._map[offset:offset + size]

    def write(self, offset, data):
        self._map[offset:offset + len(data)] = data

    def erase(self, offset, size):
        self._map[offset:offset + size] = bytes([ERASED]) * size

    def close(self):
        if self._map is None:
            return
        self._map.flush()
        self._map.close()
        self._file.close()
        self._map = None
        if self._temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


def remove_orphaned_folders(root=None):
    """Remove this user's temporary flash folders whose process is gone.
    (POSIX only: Windows has no harmless "is this process alive" signal.)
    A board still running on a removed folder keeps its open image."""
    if os.name != "posix":
        return
    root = root or tempfile.gettempdir()
    for name in os.listdir(root):
        if not name.startswith(TEMPORARY_PREFIX):
            continue
        owner = name[len(TEMPORARY_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or _alive(int(owner)):
            continue
        path = os.path.join(root, name)
        try:
            if os.stat(path).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True
