"""The board's flash filesystem: os functions, open(), errors, and confinement
to the board's private folder."""

import os

import pytest

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link


@pytest.fixture
def raw():
    with sim_link() as link:
        enter_raw(link)
        yield link


def run(link, code):
    out, err = raw_exec(link, code)
    assert err == "", err
    return out


def test_files_and_folders(raw):
    root = raw.board.flash.root
    run(raw, "import os\nos.mkdir('data')\nwith open('data/a.txt', 'w') as f:\n    f.write('one\\ntwo\\n')")
    assert open(os.path.join(root, "data", "a.txt")).read() == "one\ntwo\n"
    assert run(raw, "print(os.listdir(), os.listdir('data'))") == "['data'] ['a.txt']\r\n"
    assert run(raw, "print(list(os.ilistdir('/')))") == "[('data', 16384, 0, 0)]\r\n"
    assert run(raw, "print(os.stat('data/a.txt')[0], os.stat('data/a.txt')[6])") == "32768 8\r\n"
    assert run(raw, "print(repr(open('data/a.txt').read()))") == "'one\\ntwo\\n'\r\n"
    run(raw, "os.chdir('data')\nos.rename('a.txt', 'b.txt')")
    assert run(raw, "print(os.getcwd(), os.listdir())") == "/data ['b.txt']\r\n"
    run(raw, "os.remove('b.txt')\nos.chdir('/')\nos.rmdir('data')")
    assert run(raw, "print(os.listdir())") == "[]\r\n"


def test_binary_files(raw):
    run(raw, "with open('b.bin', 'wb') as f:\n    f.write(bytes(range(256)))")
    assert run(raw, "print(open('b.bin', 'rb').read() == bytes(range(256)))") == "True\r\n"


@pytest.mark.parametrize("code, last_line", [
    ("open('nope.txt')", "OSError: [Errno 2] ENOENT"),
    ("import os\nos.remove('nope.txt')", "OSError: [Errno 2] ENOENT"),
    ("import os\nos.mkdir('d')\nos.mkdir('d')", "OSError: [Errno 17] EEXIST"),
    ("import os\nos.mkdir('e')\nopen('e/f', 'w').close()\nos.rmdir('e')", "OSError: 39"),
])
def test_errors_are_oserror_with_errno(raw, code, last_line):
    out, err = raw_exec(raw, code)
    assert err.endswith(last_line + "\r\n")


def test_errno_is_usable_from_board_code(raw):
    code = "import errno\ntry:\n    open('nope')\nexcept OSError as e:\n    print(e.errno == errno.ENOENT, e)"
    assert run(raw, code) == "True [Errno 2] ENOENT\r\n"


def test_dot_dot_and_absolute_paths_stay_in_the_flash(raw, tmp_path):
    root = raw.board.flash.root
    outside = os.path.dirname(root)
    run(raw, "open('/top.txt', 'w').write('x')\nimport os\nos.chdir('..')")
    assert run(raw, "print(os.getcwd(), os.listdir('/..'), os.listdir('../../..'))") == "/ ['top.txt'] ['top.txt']\r\n"
    run(raw, "open('../../escape.txt', 'w').write('x')")
    assert os.path.exists(os.path.join(root, "escape.txt"))
    assert not os.path.exists(os.path.join(outside, "escape.txt"))
    out, err = raw_exec(raw, "open('/etc/passwd').read()")
    assert err.endswith("OSError: [Errno 2] ENOENT\r\n")


def test_a_symlink_pointing_out_does_not_escape(raw, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret")
    os.symlink(tmp_path, os.path.join(raw.board.flash.root, "outdir"))
    os.symlink(secret, os.path.join(raw.board.flash.root, "link.txt"))
    for code in ("open('link.txt').read()", "open('outdir/secret.txt').read()", "import os\nos.listdir('outdir')",
                 "open('outdir/new.txt', 'w')", "import os\nos.stat('link.txt')"):
        out, err = raw_exec(raw, code)
        assert err.endswith("OSError: [Errno 2] ENOENT\r\n"), code
    assert run(raw, "import os\nprint(os.listdir())") == "[]\r\n"
    assert not (tmp_path / "new.txt").exists()


def test_flash_option_keeps_files_and_default_is_temporary(tmp_path):
    with sim_link(f"sim://pico?flash={tmp_path}") as link:
        enter_raw(link)
        run(link, "open('keep.txt', 'w').write('kept')")
    with sim_link(f"sim://pico?flash={tmp_path}") as link:
        enter_raw(link)
        assert run(link, "print(open('keep.txt').read())") == "kept\r\n"
    with sim_link() as link:
        temporary = link.board.flash.root
        assert os.path.isdir(temporary)
    assert not os.path.exists(temporary)


def test_statvfs_reports_the_pico_filesystem(raw):
    out = run(raw, "import os\ns = os.statvfs('/')\nprint(s[0], s[2], s[3] <= s[2])")
    assert out == "4096 352 True\r\n"


# ---- the flash's size ---------------------------------------------------

def test_a_write_past_the_flash_size_raises_enospc(raw):
    out = run(raw, "import os\nf = open('big.bin', 'wb')\nn = 0\ntry:\n    while True:\n"
                   "        f.write(b'x' * 4096)\n        n += 1\nexcept OSError as e:\n"
                   "    print(n, e.errno, repr(e))\nf.close()\nprint(os.stat('big.bin')[6], os.statvfs('/')[3])")
    # 352 blocks: 2 for the superblock, the rest for the file; the failed write wrote nothing
    assert out == f"350 28 OSError(28,)\r\n{350 * 4096} 0\r\n"
    out, err = raw_exec(raw, "open('more.txt', 'w')")
    assert err.endswith("OSError: 28\r\n")          # ENOSPC has no name in MicroPython's errno table
    out, err = raw_exec(raw, "os.mkdir('d')")
    assert err.endswith("OSError: 28\r\n")
    run(raw, "os.remove('big.bin')\nos.mkdir('d')\nopen('d/small.txt', 'w').write('ok')")
    assert run(raw, "print(os.listdir('d'), os.statvfs('/')[3])") == "['small.txt'] 347\r\n"


def test_appending_counts_what_the_file_has(raw):
    run(raw, "with open('log.txt', 'w') as f:\n    f.write('a' * 5000)\n"
             "with open('log.txt', 'a') as f:\n    f.write('b' * 5000)")
    assert run(raw, "import os\nprint(os.stat('log.txt')[6], os.statvfs('/')[3])") == "10000 347\r\n"


def test_the_picow_flash_is_smaller():
    with sim_link("sim://picow") as link:
        enter_raw(link)
        out = run(link, "f = open('big.bin', 'wb')\ntry:\n    f.write(bytes(100_000))\n    for i in range(100):\n"
                        "        f.write(bytes(10_000))\nexcept OSError as e:\n    print(e.errno)")
        assert out == "28\r\n"


def test_user_raised_oserror_has_its_errno(raw):
    assert run(raw, "e = OSError(2)\nprint(e.errno, e)\ntry:\n    raise OSError(5, 'bus')\n"
                    "except OSError as x:\n    print(x.errno, x.args)") == "2 [Errno 2] ENOENT\r\n5 (5, 'bus')\r\n"
