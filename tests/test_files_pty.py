"""Files on the simulated board served on a pseudo-terminal, as a real USB
board is: the link can be dropped mid-upload and opened again (the board
keeps running meanwhile), and mpremote can open the same port."""

import os
import random
import subprocess
import sys

import pytest
from jupyter_client.manager import start_new_kernel

from kernel_fixtures import execute

from boardlab.interpreter.pty import serve_pty
from boardlab.transport.errors import BoardDisconnected
from boardlab.transport.files import BoardFiles
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl


@pytest.fixture
def served():
    server = serve_pty("sim://pico")
    yield server
    server.stop()


def connect(path):
    repl = RawRepl(open_link(path), port_name=path)
    repl.enter_raw()
    return repl


def test_a_link_dropped_halfway_through_an_upload_keeps_the_old_file(served):
    repl = connect(served.path)
    files = BoardFiles(repl)
    files.put("/keep.bin", b"old contents")
    new = bytes(random.Random(7).getrandbits(8) for _ in range(60_000))
    halfway = []

    def unplug(done, total):
        if done > total // 2 and not halfway:
            halfway.append(done)
            repl.link.close()  # the cable is pulled: nobody tells the RawRepl

    with pytest.raises(BoardDisconnected):
        files.put("/keep.bin", new, progress=unplug)
    assert halfway
    # Plugged in again: entering the raw REPL interrupts the upload still
    # waiting for its data on the board, which removes its temporary file.
    again = connect(served.path)
    try:
        files = BoardFiles(again)
        assert files.get("/keep.bin") == b"old contents"
        assert [e.name for e in files.ls("/")] == ["keep.bin"]
        files.put("/keep.bin", new)
        assert files.get("/keep.bin") == new
    finally:
        again.close()


def test_mpremote_reads_what_the_put_magic_wrote_and_the_other_way_round(served, kernelspec, tmp_path):
    binary = bytes(random.Random(8).getrandbits(8) for _ in range(5_000))
    text = "# Grüße vom Pico\nprint('hi')\n"
    (tmp_path / "blob.bin").write_bytes(binary)
    (tmp_path / "notes.py").write_text(text, encoding="utf-8")
    env = dict(os.environ, BOARDLAB_BOARD=served.path)
    km, kc = start_new_kernel(kernel_name=kernelspec, env=env, cwd=str(tmp_path), startup_timeout=60)
    try:
        run = execute(kc, "%mkdir '/dir x'\n%put blob.bin '/dir x/ünï cödé.bin'\n"
                          "%put notes.py\n%disconnect")
        assert run.reply["status"] == "ok", run.errors
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    (tmp_path / "from mpremote.bin").write_bytes(binary[::-1])
    mpremote = [sys.executable, "-m", "mpremote", "connect", served.path]
    ran = subprocess.run(
        mpremote + ["fs", "cp", ":/dir x/ünï cödé.bin", str(tmp_path / "back.bin"),
                    "+", "fs", "cat", ":/notes.py",
                    "+", "fs", "cp", str(tmp_path / "from mpremote.bin"), ":/from mpremote.bin"],
        capture_output=True, timeout=60)
    assert ran.returncode == 0, ran.stderr.decode()
    assert (tmp_path / "back.bin").read_bytes() == binary
    assert text in ran.stdout.decode().replace("\r\n", "\n")
    repl = connect(served.path)
    try:
        assert BoardFiles(repl).get("/from mpremote.bin") == binary[::-1]
    finally:
        repl.close()
