"""The board's flash filesystem: littlefs in an image of the board's flash
(`flash.bin` in the board's flash folder), through os functions and open(),
with MicroPython's errors, the flash's size, and what outlives the board."""

import os
import subprocess
import sys

import pytest

from boardlab.interpreter.testing import enter_raw, sim_link
from boardlab.transport.errors import TransportError
from boardlab.transport.link import open_link
from conftest import error, run


def test_files_and_folders(raw):
    run(raw, "import os\nos.mkdir('data')\nwith open('data/a.txt', 'w') as f:\n    f.write('one\\ntwo\\n')")
    assert run(raw, "print(os.listdir(), os.listdir('data'))") == "['data'] ['a.txt']"
    assert run(raw, "print(list(os.ilistdir('/')))") == "[('data', 16384, 0, 0)]"
    assert run(raw, "print(os.stat('data/a.txt')[0], os.stat('data/a.txt')[6])") == "32768 8"
    assert run(raw, "print(repr(open('data/a.txt').read()))") == "'one\\ntwo\\n'"
    run(raw, "os.chdir('data')\nos.rename('a.txt', 'b.txt')")
    assert run(raw, "print(os.getcwd(), os.listdir())") == "/data ['b.txt']"
    run(raw, "os.remove('b.txt')\nos.chdir('/')\nos.rmdir('data')")
    assert run(raw, "print(os.listdir())") == "[]"


def test_the_files_are_in_the_flash_image(raw):
    run(raw, "with open('note.txt', 'w') as f:\n    f.write('written on the board')")
    flash = raw.board.flash
    assert os.listdir(flash.folder) == ["flash.bin"]
    with open(flash.path, "rb") as image:
        data = image.read()
    assert len(data) == 1408 * 1024
    assert b"littlefs" in data and b"written on the board" in data


def test_binary_files(raw):
    run(raw, "with open('b.bin', 'wb') as f:\n    f.write(bytes(range(256)))")
    assert run(raw, "print(open('b.bin', 'rb').read() == bytes(range(256)))") == "True"


def test_errors_are_oserror_with_errno(raw):
    assert error(raw, "open('nope.txt')") == "OSError: [Errno 2] ENOENT"
    assert error(raw, "import os\nos.remove('nope.txt')") == "OSError: [Errno 2] ENOENT"
    assert error(raw, "import os\nos.mkdir('d')\nos.mkdir('d')") == "OSError: [Errno 17] EEXIST"
    assert error(raw, "import os\nos.mkdir('e')\nopen('e/f', 'w').close()\nos.rmdir('e')") == "OSError: 39"


def test_errno_is_usable_from_board_code(raw):
    code = "import errno\ntry:\n    open('nope')\nexcept OSError as e:\n    print(e.errno == errno.ENOENT, e)"
    assert run(raw, code) == "True [Errno 2] ENOENT"


def test_paths_stay_in_the_flash(raw):
    # MicroPython's VFS has nothing above "/": ".." there is an error.
    run(raw, "import os\nos.mkdir('d')\nos.chdir('d')\nopen('../up.txt', 'w').write('x')\nos.chdir('..')")
    assert run(raw, "print(os.getcwd(), os.listdir())") == "/ ['d', 'up.txt']"
    assert error(raw, "os.chdir('..')") == "OSError: [Errno 2] ENOENT"
    assert error(raw, "os.listdir('/..')") == "OSError: [Errno 22] EINVAL"
    assert error(raw, "open('../escape.txt', 'w')") == "OSError: [Errno 22] EINVAL"
    assert error(raw, "open('/etc/passwd').read()") == "OSError: [Errno 2] ENOENT"
    # A file the host puts beside the image is not on the board's flash.
    with open(os.path.join(raw.board.flash.folder, "host.txt"), "w") as file:
        file.write("host")
    assert run(raw, "print(os.listdir('/'))") == "['d', 'up.txt']"


def test_flash_option_keeps_files_and_default_is_temporary(tmp_path):
    with sim_link(f"sim://pico?flash={tmp_path}") as link:
        enter_raw(link)
        run(link, "with open('keep.txt', 'w') as f:\n    f.write('kept')")
        # A file not closed is not written (littlefs commits at close).
        run(link, "open('lost.txt', 'w').write('lost')")
    assert os.listdir(tmp_path) == ["flash.bin"]
    with sim_link(f"sim://pico?flash={tmp_path}") as link:
        enter_raw(link)
        assert run(link, "print(open('keep.txt').read(), repr(open('lost.txt').read()))") == "kept ''"
    with sim_link() as link:
        temporary = link.board.flash.folder
        assert os.path.isfile(os.path.join(temporary, "flash.bin"))
    assert not os.path.exists(temporary)


@pytest.mark.skipif(os.name != "posix", reason="orphans are found by process id on POSIX")
def test_a_killed_kernels_temporary_flash_goes_when_the_next_board_starts():
    killed = subprocess.Popen([sys.executable, "-c",
                               "from boardlab.interpreter.testing import sim_link\n"
                               "import time\n"
                               "with sim_link() as link:\n"
                               "    print(link.board.flash.folder, flush=True)\n"
                               "    time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    orphan = killed.stdout.readline().strip()
    killed.kill()
    killed.wait()
    assert os.path.isfile(os.path.join(orphan, "flash.bin"))  # SIGKILL: nothing cleaned up
    with sim_link() as link:
        assert not os.path.exists(orphan)
        mine = link.board.flash.folder
        with sim_link() as other:  # a live process's folder stays
            assert os.path.isfile(os.path.join(mine, "flash.bin"))
            assert other.board.flash.folder != mine


def test_another_boards_flash_folder_is_refused(tmp_path):
    with sim_link(f"sim://pico?flash={tmp_path}"):
        pass
    with pytest.raises(TransportError, match="it belongs to another board"):
        open_link(f"sim://esp32?flash={tmp_path}")


def test_statvfs_reports_the_pico_filesystem(raw):
    assert run(raw, "import os\ns = os.statvfs('/')\nprint(s[0], s[2], s[3] <= s[2])") == "4096 352 True"


# ---- the flash's size ---------------------------------------------------

def test_a_write_past_the_flash_size_raises_enospc(raw):
    out = run(raw, "import os\nfree = os.statvfs('/')[3]\nf = open('big.bin', 'wb')\nn = 0\ntry:\n"
                   "    while True:\n        f.write(b'x' * 4096)\n        n += 1\nexcept OSError as e:\n"
                   "    print(e.errno, repr(e))\nf.close()\nprint(free, n)")
    failure, counts = out.split("\n")
    assert failure == "28 OSError(28,)"
    free, written = map(int, counts.split())
    assert free == 350 and abs(written - free) <= 2       # 352 blocks, 2 for the superblock
    # ENOSPC has no name in MicroPython's errno table.
    assert error(raw, "with open('more.bin', 'wb') as f:\n    for i in range(400):\n"
                      "        f.write(b'x' * 4096)") == "OSError: 28"
    run(raw, "os.remove('big.bin')\nos.remove('more.bin')\nos.mkdir('d')\nopen('d/small.txt', 'w').write('ok')")
    assert run(raw, "print(os.listdir('d'), os.statvfs('/')[3] >= 345)") == "['small.txt'] True"


def test_appending_counts_what_the_file_has(raw):
    run(raw, "with open('log.txt', 'w') as f:\n    f.write('a' * 5000)\n"
             "with open('log.txt', 'a') as f:\n    f.write('b' * 5000)")
    assert run(raw, "import os\nprint(os.stat('log.txt')[6], os.statvfs('/')[3])") == "10000 347"


def test_the_picow_flash_is_smaller(picow):
    out = run(picow, "f = open('big.bin', 'wb')\ntry:\n    f.write(bytes(100_000))\n    for i in range(100):\n"
                     "        f.write(bytes(10_000))\nexcept OSError as e:\n    print(e.errno)")
    assert out == "28"


def test_user_raised_oserror_has_its_errno(raw):
    assert run(raw, "e = OSError(2)\nprint(e.errno, e)\ntry:\n    raise OSError(5, 'bus')\n"
                    "except OSError as x:\n    print(x.errno, x.args)") == "2 [Errno 2] ENOENT\n5 (5, 'bus')"
