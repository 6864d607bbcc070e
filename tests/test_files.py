"""Files on the board through the transport (BoardFiles on a RawRepl): round
trips, checks, errors in words, and what is left after a failed upload.

Runs against the board under test (transport_fixtures: sim://pico and the same
board on a pty, or BOARDLAB_PORT)."""

import os
import random

import pytest

from boardlab.transport import file_snippets
from boardlab.transport import files as files_module
from boardlab.transport.errors import BoardExecError
from boardlab.transport.files import (
    BoardFileError,
    BoardFileNotFound,
    BoardFiles,
    FlashFull,
    ReadOnlyFileSystem,
    TransferInterrupted,
    TransferStalled,
    VerificationFailed,
    errno_name,
    file_error,
)

SIZES = [0, 1, 255, 256, 257, 100_000]


def random_bytes(size, seed=0):
    rng = random.Random(seed * 1_000_003 + size)
    return bytes(rng.getrandbits(8) for _ in range(size))


@pytest.fixture
def files(board_repl):
    board = BoardFiles(board_repl)
    board_repl.exec("import os\nfor n in os.listdir('/'):\n"
                    " if n.startswith('t_') or n.startswith('.t_'): os.remove(n)")
    return board


@pytest.mark.parametrize("size", SIZES)
def test_random_binary_files_round_trip(files, size):
    data = random_bytes(size)
    stored = files.put("/t_random.bin", data)
    assert (stored.path, stored.size, stored.checked_by) == ("/t_random.bin", size, "sha256")
    assert files.get("/t_random.bin") == data
    assert files.ls("/t_random.bin")[0].size == size


@pytest.mark.parametrize("size", [0, 1, 257, 5000])
def test_base64_uploads_for_firmware_without_stdin_buffer(board_repl, size):
    board = BoardFiles(board_repl, escaped=False)
    data = random_bytes(size, seed=2)
    board.put("/t_b64.bin", data)
    assert board.get("/t_b64.bin", text=False) == data


def test_every_byte_value_and_escapes_cut_at_block_ends(files):
    # Control bytes the raw REPL obeys, the escape byte itself, runs of it,
    # and an escape pair across each block boundary.
    data = bytes(range(256)) * 4 + b"\x10" * 700 + b"\x03\x04\x01\x02\x05" * 300
    for offset in (files.block - 1, 2 * files.block - 1):
        data = data[:offset] + b"\x10" + data[offset + 1:]
    files.put("/t_bytes.bin", data)
    assert files.get("/t_bytes.bin") == data
    blocks = file_snippets.wire_blocks(file_snippets.escape(data), files.block, True)
    assert b"".join(block for block, _ in blocks) == file_snippets.escape(data)
    assert file_snippets.unescape(file_snippets.escape(data)) == data
    assert not any(byte in file_snippets.escape(data) for byte in b"\x01\x02\x03\x04\x05")


def test_text_with_crlf_and_non_ascii_round_trips(files):
    text = "Temperatur: 21,5 °C\r\nnext line\rlone CR\n\x04 after a Ctrl-D\n" * 300 + "é" * 700
    data = text.encode("utf-8")
    files.put("/t_text.txt", data)
    assert files.get("/t_text.txt") == data


def test_paths_with_spaces_and_non_ascii_names(files):
    files.mkdir("/t_dir with space", parents=True)
    data = "grüße 🌡\n".encode()
    stored = files.put("/t_dir with space/ünï cödé €.txt", data)
    assert stored.path == "/t_dir with space/ünï cödé €.txt"
    assert files.get(stored.path) == data
    assert [e.name for e in files.ls("/t_dir with space")] == ["ünï cödé €.txt"]
    files.rm("/t_dir with space", recursive=True)
    assert files.stat("/t_dir with space") is None


def test_an_upload_replaces_the_old_file_and_leaves_no_temporary_file(files):
    files.put("/t_main.py", b"old\n")
    files.put("/t_main.py", b"new\n")
    assert files.get("/t_main.py") == b"new\n"
    assert [e.name for e in files.ls("/") if "part" in e.name] == []


def test_put_into_a_folder_keeps_the_name(files):
    files.mkdir("/t_lib", parents=True)
    stored = files.put("/t_lib", b"x = 1\n", name="sensor.py")
    assert stored.path == "/t_lib/sensor.py"
    files.rm("/t_lib", recursive=True)


def test_read_back_check_without_hashlib_on_the_board(board_repl):
    board = BoardFiles(board_repl, board_hash=False)
    data = random_bytes(3000, seed=3)
    stored = board.put("/t_readback.bin", data)
    assert stored.checked_by == "read-back"
    assert board.get("/t_readback.bin") == data
    assert [e.name for e in board.ls("/") if "part" in e.name] == []


def corrupting(monkeypatch):
    """Make the host send one wrong byte in the second block."""
    original = file_snippets.wire_blocks

    def wire_blocks(wire, size, escaped):
        blocks = original(wire, size, escaped)
        block, carried = blocks[1]
        blocks[1] = (block[:10] + (b"B" if block[10:11] == b"A" else b"A") + block[11:], carried)
        return blocks

    monkeypatch.setattr(file_snippets, "wire_blocks", wire_blocks)


@pytest.mark.parametrize("board_hash", [True, False], ids=["sha256", "read-back"])
def test_a_mismatch_is_an_error_and_keeps_the_old_file(board_repl, monkeypatch, board_hash):
    board = BoardFiles(board_repl, board_hash=board_hash)
    board.put("/t_keep.txt", b"old contents\n")
    corrupting(monkeypatch)
    with pytest.raises(VerificationFailed, match="/t_keep.txt"):
        board.put("/t_keep.txt", b"hello world " * 200)
    monkeypatch.undo()
    assert board.get("/t_keep.txt") == b"old contents\n"
    assert [e.name for e in board.ls("/") if "part" in e.name] == []


def test_ctrl_c_halfway_keeps_the_old_file_and_the_board_answers_next(files, board_repl):
    files.put("/t_keep.bin", b"old")

    def interrupt(done, total):
        if done > total // 2:
            board_repl.interrupt()

    with pytest.raises(TransferInterrupted, match="the old file is kept: /t_keep.bin"):
        files.put("/t_keep.bin", random_bytes(60_000), progress=interrupt)
    assert files.get("/t_keep.bin") == b"old"
    assert board_repl.exec("print(6 * 7)").strip() == "42"


def test_a_board_that_stops_reading_is_stopped_by_the_watchdog(board_repl, monkeypatch):
    board = BoardFiles(board_repl, ack_timeout=0.5)
    board.put("/t_keep.bin", b"old")
    original = files_module._BlockSender._send

    def send_half(self):
        if self.sent < len(self.blocks) // 2:
            original(self)

    monkeypatch.setattr(files_module._BlockSender, "_send", send_half)
    with pytest.raises(TransferStalled, match="stopped answering for 0.5 s"):
        board.put("/t_keep.bin", random_bytes(20_000))
    monkeypatch.undo()
    assert board.get("/t_keep.bin") == b"old"
    assert board_repl.exec("print('still here')").strip() == "still here"


def test_errors_name_the_path_in_words(files):
    files.mkdir("/t_full")
    files.put("/t_full/a.txt", b"a")
    cases = [
        (lambda: files.get("/t_nope.csv"), BoardFileNotFound, "no such file or directory on the board: /t_nope.csv"),
        (lambda: files.put("/t_no_folder/x.py", b"1"), BoardFileNotFound, "no such file or directory on the board: /t_no_folder/x.py"),
        (lambda: files.ls("/t_nope"), BoardFileNotFound, "no such file or directory on the board: /t_nope"),
        (lambda: files.rm("/t_nope"), BoardFileNotFound, "/t_nope"),
        (lambda: files.rm("/t_full"), BoardFileError, "is a folder on the board, not a file: /t_full"),
        (lambda: files.rmdir("/t_full"), BoardFileError, "the folder on the board is not empty: /t_full"),
        (lambda: files.rmdir("/t_full/a.txt"), BoardFileError, "is not a folder on the board: /t_full/a.txt"),
        (lambda: files.mkdir("/t_full"), BoardFileError, "already exists on the board: /t_full"),
        (lambda: files.mkdir("/t_full/a.txt/b", parents=True), BoardFileError, "/t_full/a.txt/b"),
        (lambda: files.get("/t_full"), BoardFileError, "is a folder on the board, not a file: /t_full"),
        (lambda: files.tree("/t_full/a.txt"), BoardFileError, "is not a folder on the board"),
    ]
    try:
        for call, kind, words in cases:
            with pytest.raises(kind) as caught:
                call()
            assert words in str(caught.value)
            assert caught.value.path in str(caught.value)
    finally:
        files.rm("/t_full", recursive=True)


def test_mkdir_parents_tree_sha256_and_df(files):
    files.mkdir("/t_a/b/c", parents=True)
    files.mkdir("/t_a/b", parents=True)  # exists: fine with parents
    files.put("/t_a/b/c/x.txt", b"abc")
    assert files.tree("/t_a") == {
        "b": (None, ""), "b/c": (None, ""),
        "b/c/x.txt": (3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")}
    assert files.tree("/t_missing") == {}
    assert files.sha256("/t_a/b/c/x.txt") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    files.rm("/t_a", recursive=True)
    usage = files.df()
    assert 0 < usage.free <= usage.total and usage.block_size > 0


def test_a_download_garbled_in_text_mode_is_repeated_in_base64(board_repl, monkeypatch):
    board = BoardFiles(board_repl)
    board.put("/t_text.txt", b"plain text\n" * 50)
    real = files_module._decode_download
    calls = []

    def decode(out, path):
        calls.append(out)
        if len(calls) == 1:
            out = out.replace(b"plain", b"PLAIN", 1)
        return real(out, path)

    monkeypatch.setattr(files_module, "_decode_download", decode)
    assert board.get("/t_text.txt") == b"plain text\n" * 50
    assert len(calls) == 2 and b"\nB" in calls[1]


# -- errors from the board, in words (full flash and read-only cannot be
#    made on the simulated board; their tracebacks are the firmware's) -----

@pytest.mark.parametrize("last_line, name, kind, words", [
    ("OSError: [Errno 2] ENOENT", "ENOENT", BoardFileNotFound, "no such file or directory on the board: /data.csv"),
    ("OSError: 28", "ENOSPC", FlashFull, "the board's flash is full: /data.csv"),
    ("OSError: [Errno 28] ENOSPC", "ENOSPC", FlashFull, "the board's flash is full: /data.csv"),
    ("OSError: [Errno 30] EROFS", "EROFS", ReadOnlyFileSystem, "the board's file system is read-only: /data.csv"),
    ("OSError: 30", "EROFS", ReadOnlyFileSystem, "read-only"),
    ("OSError: 39", "ENOTEMPTY", BoardFileError, "not empty"),
    ("OSError: (90, '/x')", "ENOTEMPTY", BoardFileError, "not empty"),
    ("OSError: [Errno 5] EIO", "EIO", BoardFileError, "input/output error"),
])
def test_oserrors_are_read_by_errno_name(last_line, name, kind, words):
    traceback = f'Traceback (most recent call last):\n  File "<stdin>", line 3, in <module>\n{last_line}\n'
    assert errno_name(traceback) == name
    error = file_error(BoardExecError("", traceback), "/data.csv")
    assert type(error) is kind and words in str(error)
    assert error.path == "/data.csv"


def test_other_board_errors_keep_their_own_words():
    error = file_error(BoardExecError("", "Traceback (most recent call last):\nMemoryError: memory allocation failed\n"), "/big.bin")
    assert str(error) == "MemoryError: memory allocation failed (on the board, for /big.bin)"


def test_control_bytes_never_reach_the_board_in_upload_code():
    code = file_snippets.call(file_snippets.PUT, "_bl_put", "/a\x03b", "n", 1, 1, 512, True, True, "00")
    assert not any(1 <= byte <= 5 for byte in code.encode())


def test_the_random_data_is_random():
    assert os.urandom  # (helper sanity: different sizes give different data)
    assert random_bytes(256) != random_bytes(256, seed=1)


@pytest.mark.parametrize("data", [("héllo wörld\n" * 3000).encode(), random_bytes(20_000)],
                         ids=["text", "binary"])
def test_progress_counts_up_to_the_size_in_both_directions(files, data):
    uploads, downloads = [], []
    files.put("/t_progress", data, progress=lambda done, total: uploads.append((done, total)))
    assert files.get("/t_progress", progress=lambda done, total: downloads.append((done, total))) == data
    for reports in (uploads, downloads):
        assert reports[-1] == (len(data), len(data))
        assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_a_download_says_how_it_was_checked(board_repl):
    BoardFiles(board_repl).put("/t_checked.txt", b"abc")
    assert BoardFiles(board_repl).get("/t_checked.txt").checked_by == "sha256"
    without_hashlib = BoardFiles(board_repl, board_hash=False).get("/t_checked.txt")
    assert (without_hashlib, without_hashlib.checked_by) == (b"abc", "size")
