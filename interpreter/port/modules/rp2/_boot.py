# Runs at every soft reset, before boot.py: mounts the flash's filesystem
# at /, and formats the flash first when it holds none (a new board).
import vfs
import rp2

bdev = rp2.Flash()
try:
    fs = vfs.VfsLfs2(bdev, progsize=256)
except OSError:
    vfs.VfsLfs2.mkfs(bdev, progsize=256)
    fs = vfs.VfsLfs2(bdev, progsize=256)
vfs.mount(fs, "/")
del vfs, rp2, bdev, fs
