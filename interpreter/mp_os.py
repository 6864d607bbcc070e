"""`os` and `open()` on the board, confined to its flash folder.

Errors are the board's: `OSError: [Errno 2] ENOENT`, numbers MicroPython's
littlefs driver would give (a non-empty rmdir is `OSError: 39`).
"""

import os as _host_os
import stat as _stat
import types

from . import firmware
from .attrtuple import attrtuple
from .flash import FlashFile
from .mp_errno import EEXIST, EINVAL, ENOENT, ENOTDIR, from_host, oserror

S_IFDIR, S_IFREG = 0x4000, 0x8000
_OPEN_MODES = set("rwabt+x")


def _host_call(function, *args):
    try:
        return function(*args)
    except OSError as exc:
        raise from_host(exc) from None


class BoardFileSystem:
    """The VFS operations, with the VM's current directory."""

    def __init__(self, vm):
        self.vm = vm
        self.flash = vm.board.flash

    def host(self, path):
        return self.flash.host_path(path, self.vm.cwd)

    def open(self, path, mode="r", buffering=-1, encoding=None, **kwargs):
        if not isinstance(mode, str) or not set(mode) <= _OPEN_MODES:
            raise ValueError(f"invalid mode: {mode!r}" if isinstance(mode, str) else "invalid mode")
        host = self.host(path)
        if set(mode) & set("wax+") and not _host_os.path.exists(host):
            self.flash.take(1)              # a new file takes a block at once
        try:
            if "b" in mode:
                file = _host_call(open, host, mode)
            else:
                file = _host_call(lambda: open(host, mode, encoding=encoding or "utf-8", newline=""))
        except OSError:
            self.flash.changed()
            raise
        if set(mode) & set("wax+"):
            self.flash.changed()
            return FlashFile(file, self.flash)
        return file

    def listdir(self, path=""):
        return [name for name, *_ in self.ilistdir(path)]

    def ilistdir(self, path=""):
        host = self.host(path or ".")
        if not _host_os.path.isdir(host):
            raise oserror(ENOTDIR if _host_os.path.exists(host) else ENOENT)
        entries = []
        for name in sorted(_host_call(_host_os.listdir, host)):
            full = _host_os.path.join(host, name)
            try:
                self.flash.host_path(name, self.flash.board_path(path or ".", self.vm.cwd))
                info = _host_os.stat(full)
            except OSError:
                continue        # a symlink pointing out of the flash folder, or dangling
            if _stat.S_ISDIR(info.st_mode):
                entries.append((name, S_IFDIR, 0, 0))
            else:
                entries.append((name, S_IFREG, 0, info.st_size))
        return iter(entries)

    def stat(self, path):
        info = _host_call(_host_os.stat, self.host(path))
        mode = S_IFDIR if _stat.S_ISDIR(info.st_mode) else S_IFREG
        size = 0 if mode == S_IFDIR else info.st_size
        mtime = int(info.st_mtime)
        return (mode, 0, 0, 0, 0, 0, size, mtime, mtime, mtime)

    def mkdir(self, path):
        host = self.host(path)
        if not _host_os.path.lexists(host):
            self.flash.take(2)          # a folder takes two blocks
        _host_call(_host_os.mkdir, host)
        self.flash.changed()

    def rmdir(self, path):
        host = self.host(path)
        if self.flash.board_path(path, self.vm.cwd) == "/":
            raise oserror(EINVAL)
        _host_call(_host_os.rmdir, host)
        self.flash.changed()

    def remove(self, path):
        host = self.host(path)
        if _host_os.path.isdir(host) and not _host_os.path.islink(host):
            _host_call(_host_os.rmdir, host)    # littlefs removes empty directories too
        else:
            _host_call(_host_os.remove, host)
        self.flash.changed()

    def rename(self, old, new):
        source, target = self.host(old), self.host(new)
        if not _host_os.path.lexists(source):
            raise oserror(ENOENT)
        if _host_os.path.isdir(target) and not _host_os.path.isdir(source):
            raise oserror(EEXIST)
        _host_call(_host_os.replace, source, target)
        self.flash.changed()

    def chdir(self, path):
        board = self.flash.board_path(path, self.vm.cwd)
        host = self.host(path)
        if not _host_os.path.isdir(host):
            raise oserror(ENOTDIR if _host_os.path.exists(host) else ENOENT)
        self.vm.cwd = board

    def getcwd(self):
        return self.vm.cwd

    def statvfs(self, path="/"):
        definition = self.vm.board.definition
        self.host(path)
        block, total = definition.fs_block_size, definition.fs_blocks
        self.flash.changed()
        free = self.flash.free_blocks()
        return (block, block, total, free, free, 0, 0, 0, 0, 255)


def make_module(vm):
    board = vm.board
    definition = board.definition
    fs = vm.fs
    module = types.ModuleType("os")

    def uname():
        return attrtuple(
            ("sysname", "nodename", "release", "version", "machine"),
            (definition.port, definition.port, firmware.VERSION_TEXT,
             firmware.uname_version(definition) + definition.build_type, definition.machine),
        )

    def urandom(n):
        return bytes(vm.random.getrandbits(8) for _ in range(n))

    def sync():
        return None

    def dupterm(stream=None, index=0):
        return None

    module.__dict__.update(
        listdir=fs.listdir, ilistdir=fs.ilistdir, stat=fs.stat, mkdir=fs.mkdir,
        rmdir=fs.rmdir, remove=fs.remove, rename=fs.rename, chdir=fs.chdir,
        getcwd=fs.getcwd, statvfs=fs.statvfs, uname=uname, urandom=urandom,
        sync=sync, dupterm=dupterm, sep="/",
    )
    return module
