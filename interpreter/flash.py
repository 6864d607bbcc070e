"""The board's flash: the bytes of its filesystem region, which the
firmware's littlefs reads, programs and erases through the host (host.py's
FlashBlock). They live in a file, `flash.bin` in the board's flash folder,
so they outlive hard resets and, with `sim://...?flash=DIR`, the kernel.
"""

import mmap
import os
import shutil
import tempfile

ERASED = 0xFF
IMAGE_NAME = "flash.bin"


class FlashSizeMismatch(ValueError):
    """The flash folder holds another board's flash (of another size)."""


class Flash:
    def __init__(self, size, folder=None):
        self._temporary = folder is None
        if folder is None:
            folder = tempfile.mkdtemp(prefix="boardlab-flash-")
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
