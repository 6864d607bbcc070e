# Runs at every soft reset, before boot.py: mounts the "vfs" partition's
# filesystem at /; a new board formats it and writes the port's boot.py.
import vfs
from esp32 import Partition

bdev = Partition.find(Partition.TYPE_DATA, label="vfs")[0]
try:
    vfs.mount(bdev, "/")
except OSError:
    vfs.VfsLfs2.mkfs(bdev)
    vfs.mount(vfs.VfsLfs2(bdev), "/")
    with open("boot.py", "w") as f:
        f.write("# This file is executed on every boot (including wake-boot from deepsleep)\n"
                "#import esp\n#esp.osdebug(None)\n#import webrepl\n#webrepl.start()\n")
del vfs, Partition, bdev
