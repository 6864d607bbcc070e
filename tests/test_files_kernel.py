"""The file magics as a notebook uses them: a real kernel process on the
simulated Pico, started in a "notebook folder" (its cwd), driven through
jupyter_client."""

import os
import random

import pytest
from jupyter_client.manager import start_new_kernel

from kernel_fixtures import execute

FILE_MAGICS = ["ls", "cat", "put", "get", "rm", "mkdir", "rmdir", "run", "sync", "df"]


@pytest.fixture(scope="module")
def notebook(kernelspec, tmp_path_factory):
    """(kernel client, the notebook's folder): a folder name with a space."""
    folder = tmp_path_factory.mktemp("my notebooks")
    env = dict(os.environ, BOARDLAB_BOARD="sim://pico")
    km, kc = start_new_kernel(kernel_name=kernelspec, env=env, cwd=str(folder), startup_timeout=60)
    yield kc, folder
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def ok(kc, code):
    run = execute(kc, code)
    assert run.reply["status"] == "ok", (code, run.errors)
    return run.stdout


def error(kc, code):
    """(ename, evalue) of a cell that must fail with one error."""
    run = execute(kc, code)
    assert run.reply["status"] == "error", (code, run.stdout)
    assert len(run.errors) == 1
    return run.reply["ename"], run.reply["evalue"]


@pytest.mark.parametrize("name", FILE_MAGICS)
def test_every_file_magic_has_help(notebook, name):
    text = ok(notebook[0], f"%{name} --help")
    assert text.startswith(f"usage: %{name}")


def test_writefile_has_help(notebook):
    assert ok(notebook[0], "%%writefile --help").startswith("usage: %%writefile")


def test_put_ls_cat_get_with_non_ascii_names_and_the_notebooks_folder(notebook):
    kc, folder = notebook
    (folder / "grüße.txt").write_text("Hallo Welt\nzweite Zeile\n", encoding="utf-8")
    said = ok(kc, "%mkdir -p '/t_k dir'\n%put grüße.txt '/t_k dir/grüße 1.txt'")
    assert said == ("Stored grüße.txt on the board as /t_k dir/grüße 1.txt "
                    "(24 bytes, checked by sha256).\n")
    assert ok(kc, "%ls '/t_k dir'") == "24  grüße 1.txt\n"
    assert ok(kc, "%cat '/t_k dir/grüße 1.txt'") == "Hallo Welt\nzweite Zeile\n"
    said = ok(kc, "%get '/t_k dir/grüße 1.txt' copy.txt")
    assert said == (f"Copied /t_k dir/grüße 1.txt from the board to {folder / 'copy.txt'} "
                    "(24 bytes, checked by sha256).\n")
    assert (folder / "copy.txt").read_bytes() == (folder / "grüße.txt").read_bytes()
    ok(kc, "%rm -r '/t_k dir'")


def test_get_never_overwrites_a_local_file_unless_forced(notebook):
    kc, folder = notebook
    ok(kc, "%%writefile /t_data.csv\nt,v\n1,2")
    (folder / "t_data.csv").write_text("precious\n")
    ename, evalue = error(kc, "%get /t_data.csv")
    assert ename == "FileExistsError"
    assert evalue == f"{folder / 't_data.csv'} already exists on this computer: add --force to overwrite it"
    assert (folder / "t_data.csv").read_text() == "precious\n"
    ok(kc, "%get /t_data.csv --force")
    assert (folder / "t_data.csv").read_text() == "t,v\n1,2\n"
    (folder / "downloads").mkdir()
    ok(kc, "%get /t_data.csv downloads")
    assert (folder / "downloads" / "t_data.csv").read_text() == "t,v\n1,2\n"


def test_binary_round_trip_and_cat_refuses_binary(notebook):
    kc, folder = notebook
    data = bytes(random.Random(5).getrandbits(8) for _ in range(20_000))
    (folder / "blob.bin").write_bytes(data)
    ok(kc, "%put blob.bin /t_blob.bin")
    ok(kc, "%get /t_blob.bin blob_back.bin")
    assert (folder / "blob_back.bin").read_bytes() == data
    ename, evalue = error(kc, "%cat /t_blob.bin")
    assert (ename, evalue) == ("BinaryFile", "/t_blob.bin is not text (19.5 KB): %get copies it to this computer")
    ok(kc, "%rm /t_blob.bin")


def test_writefile_makes_a_module_the_board_imports(notebook):
    kc, _ = notebook
    said = ok(kc, "%%writefile /t_helper.py\ndef twice(x):\n    return 2 * x")
    assert said == "Stored the cell on the board as /t_helper.py (31 bytes, checked by sha256).\n"
    assert ok(kc, "import t_helper\nprint(t_helper.twice(21))") == "42\n"
    assert ok(kc, "%cat /t_helper.py") == "def twice(x):\n    return 2 * x\n"
    ok(kc, "%rm /t_helper.py")


def test_run_runs_a_host_file_on_the_board_without_saving_it(notebook):
    kc, folder = notebook
    (folder / "script.py").write_text("import sys\nprint('ran on', sys.implementation.name)\n")
    assert ok(kc, "%run script.py") == "ran on micropython\n"
    assert "script.py" not in ok(kc, "%ls /")
    (folder / "broken.py").write_text("x = 1\n1 / 0\n")
    ename, evalue = error(kc, "%run broken.py")
    assert (ename, evalue) == ("ZeroDivisionError", "divide by zero")
    (folder / "raw.py").write_text("print('a\x04b')\n")
    assert error(kc, "%run raw.py") == ("ValueError", f"{folder / 'raw.py'} contains control "
                                        "characters (\\x01-\\x04): write them as escapes in strings")
    assert ok(kc, "print('the board is fine')") == "the board is fine\n"


def test_rm_mkdir_rmdir_and_their_errors_in_words(notebook):
    kc, _ = notebook
    ok(kc, "%mkdir /t_d")
    ok(kc, "%%writefile /t_d/a.txt\na")
    assert error(kc, "%mkdir /t_d") == ("BoardFileError", "already exists on the board: /t_d")
    assert error(kc, "%rmdir /t_d") == ("BoardFileError", "the folder on the board is not empty: /t_d")
    assert error(kc, "%rm /t_d") == (
        "BoardFileError", "is a folder on the board, not a file: /t_d (%rm -r removes a folder "
        "and its contents; %rmdir an empty one)")
    ok(kc, "%rm /t_d/a.txt\n%rmdir /t_d")
    assert error(kc, "%rmdir /t_d") == ("BoardFileNotFound", "no such file or directory on the board: /t_d")
    assert error(kc, "%rm /t_nope") == ("BoardFileNotFound", "no such file or directory on the board: /t_nope")
    assert error(kc, "%cat /t_nope.txt") == ("BoardFileNotFound", "no such file or directory on the board: /t_nope.txt")
    assert error(kc, "%get /t_nope.txt") == ("BoardFileNotFound", "no such file or directory on the board: /t_nope.txt")
    assert error(kc, "%ls /t_nope") == ("BoardFileNotFound", "no such file or directory on the board: /t_nope")
    assert error(kc, "%rm -r /")[0] == "UsageError"
    assert error(kc, "%get")[0] == "UsageError"


def test_local_errors_name_the_local_path(notebook):
    kc, folder = notebook
    (folder / "a folder").mkdir()
    assert error(kc, "%put missing.txt") == (
        "FileNotFoundError", f"no such file on this computer: {folder / 'missing.txt'}")
    assert error(kc, "%put 'a folder'") == (
        "IsADirectoryError", f"{folder / 'a folder'} is a folder: %sync uploads a folder")
    assert error(kc, "%run nope.py") == (
        "FileNotFoundError", f"no such file on this computer: {folder / 'nope.py'}")
    assert error(kc, "%sync nope") == (
        "NotADirectoryError", f"no such folder on this computer: {folder / 'nope'}")
    ok(kc, "%%writefile /t_x.txt\nx")
    assert error(kc, "%get /t_x.txt no/such/folder/x.txt") == (
        "FileNotFoundError", f"no such folder on this computer: {folder / 'no/such/folder'}")


def test_sync_uploads_only_what_changed(notebook):
    kc, folder = notebook
    project = folder / "project"
    (project / "lib").mkdir(parents=True)
    (project / "__pycache__").mkdir()
    (project / "main.py").write_text("import helper\n")
    (project / "lib" / "helper.py").write_text("X = 1\n")
    (project / ".secret").write_text("skip me\n")
    (project / "__pycache__" / "x.pyc").write_bytes(b"\0")
    first = ok(kc, "%sync project /t_proj")
    assert first == ("project -> /t_proj on the board: uploaded 2 changed file(s), 20 bytes; "
                     "0 unchanged:\n  lib/helper.py\n  main.py\n")
    assert ok(kc, "%sync project /t_proj") == (
        "project -> /t_proj on the board: all 2 file(s) unchanged, nothing was uploaded.\n")
    (project / "lib" / "helper.py").write_text("X = 2\n")
    ok(kc, "%%writefile /t_proj/old.py\npass")
    assert ok(kc, "%sync project /t_proj") == (
        "project -> /t_proj on the board: uploaded 1 changed file(s), 6 bytes; 1 unchanged:\n"
        "  lib/helper.py\nOn the board only (kept; --delete removes them): old.py\n")
    assert ok(kc, "%sync --dry-run --delete project /t_proj") == (
        "project -> /t_proj on the board: all 2 file(s) unchanged, nothing would be uploaded.\n"
        "On the board only (would remove): old.py\n")
    ok(kc, "%sync --delete project /t_proj")
    assert ok(kc, "%ls /t_proj") == "    lib/\n14  main.py\n"
    assert ok(kc, "%cat /t_proj/lib/helper.py") == "X = 2\n"
    ok(kc, "%rm -r /t_proj")


def test_df_says_how_much_flash_is_free(notebook):
    said = ok(notebook[0], "%df")
    assert " free of 1.38 MB (" in said and said.endswith(" used.\n")


def test_completion_knows_which_arguments_are_board_paths(tmp_path, monkeypatch):
    from boardlab.kernel import magic_files  # noqa: F401  (registers the magics)
    from boardlab.kernel.completion import NameCache, complete
    from boardlab.kernel.magics import MAGICS

    class Board:
        port = "rp2"

        def listdir(self, path):
            return [("main.py", False), ("lib", True)]

        def __getattr__(self, name):
            return lambda *args: None

    (tmp_path / "script.py").write_text("print(1)\n")
    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path)
    board = NameCache(Board())

    def matches(code):
        return complete(code, len(code), board, MAGICS)["matches"]

    assert matches("%run sc") == ["script.py"]          # a file on this computer
    assert matches("%sync pro") == ["project/"]
    assert matches("%sync project ma") == ["main.py"]   # then a folder on the board
    assert matches("%%writefile ma") == ["main.py"]
    assert matches("%df l") == ["lib/"]
