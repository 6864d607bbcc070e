"""Magics for files on the board: %ls %cat %put %get %rm %mkdir %rmdir
%%writefile %run %sync %df.

Board paths are as the board sees them (relative to its current folder);
paths on this computer are relative to the kernel's current folder, which
under Jupyter is the notebook's folder. The transfers themselves, their
checks and their error words are transport/files.py's; this module parses
arguments, resolves local paths, shows progress and says what happened.
"""

import hashlib
import os
import posixpath
import weakref

from boardlab.kernel.errors import CellError
from boardlab.kernel.magics import arg, magic
from boardlab.kernel.transfer_progress import Progress, size_text
from boardlab.transport.errors import TransportError
from boardlab.transport.files import BoardFileError, BoardFiles

_FILES = weakref.WeakKeyDictionary()  # connection -> its BoardFiles
SKIPPED_IN_SYNC = ("__pycache__",)  # and every name starting with "."


async def board_call(kernel, fn, *args, **kwargs):
    """Run `fn(files, ...)` in the connection's worker thread; board errors
    become the cell's error, in words."""
    connection = await kernel.board()
    files = _FILES.get(connection)
    if files is None:
        files = _FILES[connection] = BoardFiles(connection.repl)
    try:
        return await connection._call(fn, files, *args, **kwargs)
    except BoardFileError as err:
        raise CellError(type(err).__name__, str(err)) from None
    except TransportError as err:
        if not connection.link.is_open:
            kernel.disconnect()
        raise CellError(type(err).__name__, str(err)) from None


def local_path(path):
    """A path on this computer, absolute, against the notebook's folder."""
    return os.path.normpath(os.path.join(os.getcwd(), os.path.expanduser(path)))


def read_local(path):
    full = local_path(path)
    if os.path.isdir(full):
        raise CellError("IsADirectoryError", f"{full} is a folder: %sync uploads a folder")
    try:
        with open(full, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise CellError("FileNotFoundError", f"no such file on this computer: {full}") from None
    except OSError as err:
        raise CellError(type(err).__name__, f"could not read {full}: {err.strerror}") from None


def checked_words(stored):
    return "checked by sha256" if stored.checked_by == "sha256" else "checked by reading it back"


# -- looking -------------------------------------------------------------------

@magic("ls", "list a folder on the board: sizes in bytes, folders end with /",
       arg("path", nargs="?", default="",
           help="a board folder or file (default: the current folder)"))
async def ls(kernel, args):
    entries = await board_call(kernel, BoardFiles.ls, args.path)
    if not entries:
        kernel.print(f"{args.path or 'The current folder'} is empty.")
        return
    width = max(len(str(e.size)) for e in entries)
    folders = [f"{'':>{width}}  {e.name}/" for e in entries if e.is_dir]
    files = [f"{e.size:>{width}}  {e.name}" for e in entries if not e.is_dir]
    kernel.print("\n".join(folders + files))


@magic("cat", "show a text file from the board",
       arg("path", help="the file on the board"))
async def cat(kernel, args):
    data = await board_call(kernel, BoardFiles.get, args.path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CellError("BinaryFile", f"{args.path} is not text ({size_text(len(data))}): "
                        "%get copies it to this computer") from None
    if text:
        kernel.print(text)


@magic("df", "how much of the board's flash is free",
       arg("path", nargs="?", default="/",
           help="a folder on the file system to measure (default /)"))
async def df(kernel, args):
    usage = await board_call(kernel, BoardFiles.df, args.path)
    used = usage.total - usage.free
    share = 100 * usage.free // usage.total if usage.total else 0
    kernel.print(f"{size_text(usage.free)} free of {size_text(usage.total)} ({share}%); "
                 f"{size_text(used)} used.")


# -- copying -------------------------------------------------------------------

@magic("put", "copy a file from this computer to the board (checked, atomic)",
       arg("local", help="a file here, relative to the notebook's folder"),
       arg("remote", nargs="?", help="where on the board (a file or a folder; default: "
                                     "the same name in the board's current folder)"))
async def put(kernel, args):
    data = read_local(args.local)
    name = os.path.basename(local_path(args.local))
    await store(kernel, args.remote or name, data, f"{args.local}", name=name)


@magic("writefile", "the rest of the cell becomes a file on the board",
       arg("path", help="the file on the board"), cell=True)
async def writefile(kernel, args, body):
    if body and not body.endswith("\n"):
        body += "\n"  # a text file ends with a newline
    await store(kernel, args.path, body.encode("utf-8"), "the cell")


async def store(kernel, remote, data, source, name=None):
    progress = Progress(kernel, f"put {remote}", len(data))
    try:
        stored = await board_call(kernel, BoardFiles.put, remote, data, progress.report, name)
    except CellError:
        progress.fail()
        raise
    progress.finish(f"Stored {source} on the board as {stored.path} "
                    f"({size_text(stored.size)}, {checked_words(stored)}).")


@magic("get", "copy a file from the board to this computer (never overwrites without --force)",
       arg("remote", help="the file on the board"),
       arg("local", nargs="?", help="where here (a file or a folder; default: the same "
                                    "name in the notebook's folder)"),
       arg("--force", action="store_true", help="overwrite the local file if it exists"))
async def get(kernel, args):
    target = local_path(args.local or ".")
    if os.path.isdir(target):
        target = os.path.join(target, posixpath.basename(args.remote.rstrip("/")))
    if os.path.exists(target) and not args.force:
        raise CellError("FileExistsError", f"{target} already exists on this computer: "
                        "add --force to overwrite it")
    if not os.path.isdir(os.path.dirname(target)):
        raise CellError("FileNotFoundError", f"no such folder on this computer: "
                        f"{os.path.dirname(target)}")
    progress = Progress(kernel, f"get {args.remote}", None)
    try:
        data = await board_call(kernel, BoardFiles.get, args.remote, progress.report)
    except CellError:
        progress.fail()
        raise
    partial = target + ".part"
    try:
        with open(partial, "wb") as file:
            file.write(data)
        os.replace(partial, target)  # a failed write leaves the old local file too
    except OSError as err:
        raise CellError(type(err).__name__, f"could not write {target}: {err.strerror}") from None
    checked = ("checked by sha256" if data.checked_by == "sha256"
               else "size checked: the board has no hashlib")
    progress.finish(f"Copied {args.remote} from the board to {target} "
                    f"({size_text(len(data))}, {checked}).")


@magic("run", "run a .py file from this computer on the board, without saving it there",
       arg("local", help="a file here, relative to the notebook's folder"))
async def run(kernel, args):
    source = read_local(args.local)
    try:
        code = source.decode("utf-8")
    except UnicodeDecodeError:
        raise CellError("UnicodeDecodeError",
                        f"{local_path(args.local)} is not UTF-8 text") from None
    if any(control in code for control in "\x01\x02\x03\x04"):
        # The raw REPL would obey them (Ctrl-A..D) instead of reading them as code.
        raise CellError("ValueError", f"{local_path(args.local)} contains control characters "
                        "(\\x01-\\x04): write them as escapes in strings")
    await kernel.run_on_board(code)


# -- changing ------------------------------------------------------------------

@magic("rm", "remove a file on the board (-r: a folder and everything in it)",
       arg("path", help="the file on the board"),
       arg("-r", "--recursive", action="store_true", help="remove a folder and its contents"))
async def rm(kernel, args):
    if args.recursive and posixpath.normpath(args.path or ".") in ("/", "//", "."):
        raise CellError("UsageError", f"%rm -r {args.path} would empty a whole folder and "
                        "then fail on the folder itself: remove its files and folders by name")
    try:
        await board_call(kernel, BoardFiles.rm, args.path, args.recursive)
    except CellError as err:
        if err.ename == "BoardFileError" and "is a folder" in err.evalue:
            err.evalue += " (%rm -r removes a folder and its contents; %rmdir an empty one)"
            err.traceback = [f"{err.ename}: {err.evalue}"]
        raise


@magic("mkdir", "make a folder on the board",
       arg("path", help="the new folder"),
       arg("-p", "--parents", action="store_true", help="make missing parent folders too; "
                                                        "no error if it exists"))
async def mkdir(kernel, args):
    await board_call(kernel, BoardFiles.mkdir, args.path, args.parents)


@magic("rmdir", "remove an empty folder on the board",
       arg("path", help="the folder"))
async def rmdir(kernel, args):
    await board_call(kernel, BoardFiles.rmdir, args.path)


# -- %sync ---------------------------------------------------------------------

@magic("sync", "upload a folder, only the files that changed (compared by sha256)",
       arg("local", help="a folder here (files and folders starting with '.', and "
                         "__pycache__, are skipped)"),
       arg("remote", nargs="?", help="the folder on the board (default: the local "
                                     "folder's name, in the board's current folder)"),
       arg("--delete", action="store_true", help="remove files on the board that the local "
                                                 "folder does not have"),
       arg("-n", "--dry-run", action="store_true", help="say what would change, change nothing"))
async def sync(kernel, args):
    root = local_path(args.local)
    if not os.path.isdir(root):
        raise CellError("NotADirectoryError", f"no such folder on this computer: {root}")
    remote = args.remote if args.remote is not None else os.path.basename(root)
    folders, files = local_tree(root)
    on_board = await board_call(kernel, BoardFiles.tree, remote)
    hashed = all(digest for size, digest in on_board.values() if size is not None)
    changed = [rel for rel, data in sorted(files.items())
               if on_board.get(rel, (None, None))[1] != hashlib.sha256(data).hexdigest()]
    missing = [rel for rel in folders if on_board.get(rel, (0,))[0] is not None]
    extra = board_only(on_board, set(files) | set(folders))
    if args.dry_run:
        kernel.print(sync_report(args.local, remote, changed, files, extra, args.delete, "would "))
        return
    if remote not in ("", ".", "/"):
        await board_call(kernel, BoardFiles.mkdir, remote, True)
    for rel in missing:
        await board_call(kernel, BoardFiles.mkdir, posixpath.join(remote, rel), True)
    total = sum(len(files[rel]) for rel in changed)
    progress = Progress(kernel, f"sync {remote or '.'}", total)
    done = 0
    for rel in changed:
        def report(count, size, base=done):
            progress.report(base + count, total)
        try:
            await board_call(kernel, BoardFiles.put, posixpath.join(remote, rel), files[rel],
                             report)
        except CellError:
            progress.fail()
            raise
        done += len(files[rel])
    if args.delete:
        for rel in sorted(extra, key=lambda r: -r.count("/")):
            await board_call(kernel, BoardFiles.rm, posixpath.join(remote, rel), True)
    note = "" if hashed else " (the board has no hashlib: every file was uploaded)"
    progress.finish(sync_report(args.local, remote, changed, files, extra, args.delete, "") + note)


def local_tree(root):
    """(folders, {relative path: bytes}) under root, POSIX-style paths."""
    folders, files = [], {}
    for here, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_IN_SYNC)
        rel = os.path.relpath(here, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        folders += [prefix + d for d in dirs]
        for name in sorted(names):
            if not name.startswith("."):
                with open(os.path.join(here, name), "rb") as file:
                    files[prefix + name] = file.read()
    return folders, files


def board_only(on_board, here):
    """What the board has under the synced folder and the local folder does
    not: the topmost such paths (a folder stands for its contents). Names
    that sync skips are never counted (nor our uploads' temporary files)."""
    def skipped(rel):
        return any(part.startswith(".") or part in SKIPPED_IN_SYNC for part in rel.split("/"))
    extra = [rel for rel in on_board if rel not in here and not skipped(rel)]
    folders = [rel for rel in extra if on_board[rel][0] is None]
    return [rel for rel in extra if not any(rel.startswith(f + "/") for f in folders)]


def sync_report(local, remote, changed, files, extra, delete, would):
    where = f"{local} -> {remote or 'the current folder'} on the board"
    if changed:
        size = size_text(sum(len(files[rel]) for rel in changed))
        lines = [f"{where}: {would}upload {len(changed)} changed file(s), {size}; "
                 f"{len(files) - len(changed)} unchanged:" if would else
                 f"{where}: uploaded {len(changed)} changed file(s), {size}; "
                 f"{len(files) - len(changed)} unchanged:"]
        lines += [f"  {rel}" for rel in changed]
    else:
        lines = [f"{where}: all {len(files)} file(s) unchanged, nothing {would or 'was '}"
                 f"{'be ' if would else ''}uploaded."]
    if extra:
        done = f"{would}remove" if would else "removed"
        lines.append(f"On the board only ({done if delete else 'kept; --delete removes them'}): "
                     + ", ".join(sorted(extra)))
    return "\n".join(lines)
