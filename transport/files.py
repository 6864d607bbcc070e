"""Files on the board: list, read, write, remove, over the raw REPL.

    files = BoardFiles(repl)
    files.put("/main.py", data, progress=lambda done, total: ...)
    data = files.get("/data.csv")

Every operation is one generated MicroPython snippet (file_snippets.py) run
with RawRepl.execute. An upload is one exec that reads the file from stdin in
acknowledged blocks into a temporary file, checks its sha256 on the board
(hashlib) or lets the host read it back (no hashlib), and only then renames it
over the target: an upload that fails or is interrupted leaves the old file
as it was. Downloads are checked against the board's sha256 too.

Errors are BoardFileError subclasses whose message names the path and says
in words what the board's OSError meant.
"""

import ast
import binascii
import hashlib
import posixpath
import threading
import time
from dataclasses import dataclass

from . import file_snippets as snippets
from .errors import BoardExecError, TransportError
from .file_errors import (  # noqa: F401  (the errors are part of this module's API)
    WORDS,
    BoardFileError,
    BoardFileNotFound,
    FlashFull,
    ReadOnlyFileSystem,
    TransferInterrupted,
    TransferStalled,
    VerificationFailed,
    errno_name,
    file_error,
)

ACK_TIMEOUT = 30  # seconds without a word from the board mid-transfer: a stall
STALL_GRACE = 5  # seconds after our Ctrl-C before the link is given up
GET_BLOCK = 768  # bytes the board reads at once for a download (a multiple of 3)

@dataclass
class Entry:
    name: str
    is_dir: bool
    size: int


@dataclass
class Usage:
    block_size: int
    total: int  # bytes
    free: int  # bytes


@dataclass
class Stored:
    """Where an upload landed and how it was checked ("sha256" or "read-back")."""
    path: str
    size: int
    checked_by: str


class Fetched(bytes):
    """A downloaded file's bytes; `checked_by` is "sha256", or "size" when
    the board has no hashlib."""

    checked_by = "sha256"


class BoardFiles:
    """File operations on the board behind `repl` (a RawRepl). Blocking; one
    call at a time, like the RawRepl itself."""

    def __init__(self, repl, block=512, blocks_ahead=2, ack_timeout=ACK_TIMEOUT,
                 board_hash=True, escaped=None):
        self.repl = repl
        self.block = block  # bytes the board reads at once (its RAM: ~3x this)
        # Blocks the host may send beyond the last acknowledged one: 2 keeps
        # the line busy while the board writes, and at most one block waits
        # in the board's input buffer.
        self.blocks_ahead = blocks_ahead
        self.ack_timeout = ack_timeout
        self.board_hash = board_hash  # False: check by reading back (as without hashlib)
        self._escaped = escaped  # None: ask the board whether sys.stdin.buffer exists

    # -- running snippets -------------------------------------------------

    def _run(self, code, path, on_output=None):
        """Run a snippet under a watchdog; its output, or the BoardFileError."""
        watchdog = _Watchdog(self.repl, self.ack_timeout)

        def output(text):
            watchdog.poke()
            if on_output is not None:
                on_output(text)

        try:
            result = self.repl.execute(code, on_output=output,
                                       on_error_output=lambda _: watchdog.poke())
        except TransportError as error:
            if watchdog.stalled:
                raise TransferStalled(
                    f"the board stopped answering for {self.ack_timeout} s and did not "
                    f"stop on Ctrl-C; the link was closed: {path}", path) from error
            raise
        finally:
            watchdog.stop()
        if watchdog.stalled:
            raise TransferStalled(
                f"the board stopped answering for {self.ack_timeout} s (a flash write "
                f"that hangs? a program ignoring Ctrl-C?): {path}", path)
        if result.traceback:
            raise file_error(BoardExecError(result.output, result.traceback), path)
        return result.output

    def _lines(self, code, path):
        lines = self._run(code, path).splitlines()
        return [ast.literal_eval(line) for line in lines if line.strip()]

    @property
    def escaped(self):
        """True when uploads can travel as (escaped) bytes on sys.stdin.buffer."""
        if self._escaped is None:
            self._escaped = self._lines(snippets.call(snippets.PROBE, "_bl_probe"), "sys.stdin")[-1]
        return self._escaped

    # -- questions ----------------------------------------------------------

    def ls(self, path=""):
        """[Entry] of a folder (sorted by name), or [Entry] of one file."""
        lines = self._lines(snippets.call(snippets.LS, "_bl_ls", path), path or ".")
        is_dir, size = lines[0]
        if not is_dir:
            return [Entry(posixpath.basename(path.rstrip("/")) or path, False, size)]
        return sorted((Entry(*line) for line in lines[1:]), key=lambda e: e.name)

    def stat(self, path):
        """Entry for `path`, or None when it does not exist."""
        try:
            lines = self._lines(snippets.call(snippets.LS, "_bl_ls", path), path)
        except BoardFileNotFound:
            return None
        is_dir, size = lines[0]
        return Entry(posixpath.basename(path.rstrip("/")) or path, is_dir, size or 0)

    def tree(self, path):
        """{relative path: (size or None for a folder, sha256 hex or '')} under
        `path`; {} when it does not exist."""
        code = snippets.call(snippets.TREE, "_bl_tree", path, self.board_hash)
        return {rel: (size, digest) for rel, size, digest in self._lines(code, path)}

    def sha256(self, path):
        """The board's sha256 of a file (hex), computed on the board, or read
        back when it has no hashlib."""
        folder, name = posixpath.split(path)
        entry = self.tree(folder or ".").get(name)
        if entry is None:
            raise BoardFileNotFound(f"{WORDS['ENOENT']}: {path}", path, "ENOENT")
        return entry[1] or hashlib.sha256(self.get(path)).hexdigest()

    def df(self, path="/"):
        block, blocks, free = self._lines(snippets.call(snippets.DF, "_bl_df", path), path)[-1]
        return Usage(block, block * blocks, block * free)

    # -- changes --------------------------------------------------------------

    def rm(self, path, recursive=False):
        self._run(snippets.call(snippets.RM, "_bl_rm", path, recursive), path)

    def mkdir(self, path, parents=False):
        self._run(snippets.call(snippets.MKDIR, "_bl_mkdir", path, parents), path)

    def rmdir(self, path):
        self._run(snippets.call(snippets.RMDIR, "_bl_rmdir", path), path)

    # -- transfers ------------------------------------------------------------

    def get(self, path, progress=None, text=True):
        """The file's bytes (Fetched), checked against the board's sha256.
        Text chunks travel as they are; should a port's bytes.decode() let
        invalid UTF-8 through (the check is optional in MicroPython), the
        sha256 catches it and the download is repeated in base64."""
        code = snippets.call(snippets.GET, "_bl_get", path, GET_BLOCK, self.board_hash, text)
        out = self._run(code, path, on_output=_Download(progress).on_output)
        try:
            return _decode_download(out.encode("utf-8"), path)
        except VerificationFailed:
            if not text:
                raise
        return self.get(path, progress, text=False)

    def put(self, path, data, progress=None, name=None):
        """Store `data` at board path `path` (into it, as `name`, when it is a
        folder); returns Stored. The old file stays until the new one is
        checked."""
        if not path:
            raise BoardFileError("no board path given", path)
        data = bytes(data)
        name = name or posixpath.basename(path.rstrip("/")) or "file"
        escaped = self.escaped
        blocks = snippets.wire_blocks(snippets.encode(data, escaped), self.block, escaped)
        block_size = self.block if escaped else max(4, self.block // 4 * 4)
        digest = hashlib.sha256(data).hexdigest()
        wire = sum(len(block) for block, _ in blocks)
        code = snippets.call(snippets.PUT, "_bl_put", path, name, len(data), wire, block_size,
                             escaped, self.board_hash, digest)
        sender = _BlockSender(self.repl, blocks, self.blocks_ahead, len(data), progress)
        try:
            out = self._run(code, path, on_output=sender.on_output)
        except TransferInterrupted:
            sender.clear_leftovers()
            raise TransferInterrupted(f"upload interrupted (Ctrl-C); the old file is kept: {path}",
                                      path) from None
        except BoardFileError:
            sender.clear_leftovers()
            raise
        except TransportError:
            sender.stop()
            raise
        size, got, final, temporary = ast.literal_eval(out[out.rindex("\n=") + 2:].strip())
        if got:
            return Stored(final, size, "sha256")
        return self._read_back(temporary, final, data, digest)

    def _read_back(self, temporary, final, data, digest):
        """Without hashlib on the board: compare the temporary file with what
        was sent, then rename it over the target (or remove it)."""
        try:
            landed = self.get(temporary)
        except BoardFileError:
            landed = None
        if landed is None or hashlib.sha256(landed).hexdigest() != digest:
            try:
                self._run(snippets.call(snippets.REMOVE, "_bl_remove", temporary), temporary)
            except BoardFileError:
                pass
            raise VerificationFailed(
                f"the upload did not land intact (read back {len(landed or b'')} of "
                f"{len(data)} bytes, or different ones); the old file is kept: {final}", final)
        self._run(snippets.call(snippets.RENAME, "_bl_swap", temporary, final), final)
        return Stored(final, len(data), "read-back")


class _BlockSender:
    """Feeds upload blocks to the board's stdin as its acknowledgements
    arrive: "<" (ready) lets the first blocks go, each "." one more."""

    def __init__(self, repl, blocks, ahead, total, progress):
        self.repl = repl
        self.blocks = blocks
        self.ahead = max(1, ahead)
        self.total = total
        self.progress = progress
        self.sent = 0  # blocks written to the link
        self.acked = 0  # blocks the board has stored
        self.carried = 0  # payload bytes acknowledged
        self.started = False
        self.stopped = False

    def on_output(self, text):
        if not self.started:
            if "<" not in text:
                return
            self.started = True
            text = text[text.index("<") + 1:]
        for char in text:
            if char != "." or self.acked >= len(self.blocks):
                break
            self.carried += self.blocks[self.acked][1]
            self.acked += 1
            if self.progress is not None:
                self.progress(self.carried, self.total)
        self._send()

    def _send(self):
        while not self.stopped and self.sent < min(len(self.blocks), self.acked + self.ahead):
            self.repl.write_stdin(self.blocks[self.sent][0])
            self.sent += 1

    def stop(self):
        self.stopped = True

    def clear_leftovers(self):
        """The upload ended early (an error on the board, Ctrl-C): blocks sent
        but never read now sit in the idle raw REPL's buffer. A Ctrl-C there
        clears it. They hold no control bytes (see file_snippets), so the
        REPL took them as plain code text meanwhile."""
        self.stopped = True
        if self.sent > self.acked:
            try:
                self.repl.write_stdin(b"\x03")
            except TransportError:
                pass


def _decode_download(out, path):
    """The bytes from GET's output (see file_snippets.GET), checked."""
    size_line, _, rest = out.partition(b"\n")
    expected_size, chunks, position = int(size_line), [], 0
    try:
        while rest[position:position + 1] in (b"T", b"B"):
            end = rest.index(b"\n", position)
            if rest[position] == ord("T"):
                count = int(rest[position + 1:end])
                chunks.append(rest[end + 1:end + 1 + count])
                position = end + 1 + count
            else:
                chunks.append(binascii.a2b_base64(rest[position + 1:end]))
                position = end + 1
        digest = rest[position:].strip()
        if not digest.startswith(b"="):
            raise ValueError(f"unexpected {rest[position:position + 20]!r}")
    except (ValueError, binascii.Error) as error:
        raise VerificationFailed(f"the download was garbled ({error}): {path}", path) from None
    data, digest = Fetched(b"".join(chunks)), digest[1:].decode()
    if len(data) != expected_size or (digest and hashlib.sha256(data).hexdigest() != digest):
        raise VerificationFailed(
            f"the download does not match the file on the board ({len(data)} of "
            f"{expected_size} bytes arrived, or their sha256 differs): {path}", path)
    if not digest:
        data.checked_by = "size"
    return data


class _Download:
    """Progress of a download, read from its output as it arrives: the size
    line, then "T<bytes>" + that many bytes, or "B<base64>" lines."""

    def __init__(self, progress):
        self.progress = progress
        self.pending = ""
        self.size = None
        self.done = 0
        self.skip = 0  # bytes of a text chunk still to come

    def on_output(self, text):
        if self.progress is None:
            return
        try:
            self._parse(text)
        except ValueError:
            self.progress = None  # progress is a nicety: never fail a download over it
            return
        if self.size:
            self.progress(min(self.done, self.size), self.size)

    def _parse(self, text):
        self.pending += text
        while True:
            if self.skip:
                # Text chunks are whole characters, so the cut lands between two.
                data = self.pending.encode("utf-8")
                taken = min(self.skip, len(data))
                self.skip -= taken
                self.pending = data[taken:].decode("utf-8")
                if self.skip:
                    return
            line, newline, rest = self.pending.partition("\n")
            if not newline:
                return
            self.pending = rest
            if self.size is None:
                self.size = int(line)
            elif line.startswith("T"):
                self.skip = int(line[1:])
                self.done += self.skip
            elif line.startswith("B"):
                self.done += len(line) * 3 // 4


class _Watchdog:
    """Ctrl-C to a board silent for `timeout` seconds during a snippet; if it
    still does not finish, the link is closed (execute then raises
    BoardDisconnected), so a dead board never hangs the kernel."""

    def __init__(self, repl, timeout):
        self.repl = repl
        self.timeout = timeout
        self.last = time.monotonic()
        self.stalled = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="boardlab-files-watchdog",
                                        daemon=True)
        self._thread.start()

    def poke(self):
        self.last = time.monotonic()

    def stop(self):
        self._done.set()

    def _watch(self):
        while not self._done.wait(0.25):
            if time.monotonic() - self.last < self.timeout:
                continue
            self.stalled = True
            try:
                self.repl.interrupt()
            except TransportError:
                return
            if not self._done.wait(STALL_GRACE):
                self.repl.close()
            return


__all__ = ["BoardFiles", "BoardFileError", "BoardFileNotFound", "Entry", "Fetched", "FlashFull",
           "ReadOnlyFileSystem", "Stored", "TransferInterrupted", "TransferStalled",
           "Usage", "VerificationFailed"]
