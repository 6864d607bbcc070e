"""Where the tests find MicroPython v1.28.0's source (the tarball the
firmware is built from, or an unpacked tree): BOARDLAB_MICROPYTHON_SOURCE,
else ../shared/micropython-1.28.0.tar.gz beside the checkout.

Without it, the tests that need it skip, saying so, unless
BOARDLAB_REQUIRE_MICROPYTHON=1 (scripts/test sets it under CI), which makes
its absence a failure.
"""

import os
import shutil
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(os.environ.get("BOARDLAB_MICROPYTHON_SOURCE")
              or ROOT.parent / "shared" / "micropython-1.28.0.tar.gz")


def require_source():
    """The source's path, or a skip (a failure where it is required)."""
    if SOURCE.exists():
        return SOURCE
    reason = (f"MicroPython's source is not at {SOURCE} (set BOARDLAB_MICROPYTHON_SOURCE "
              f"to the micropython-1.28.0 tarball or an unpacked tree)")
    if os.environ.get("BOARDLAB_REQUIRE_MICROPYTHON") == "1":
        pytest.fail(reason + "; BOARDLAB_REQUIRE_MICROPYTHON=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def unpack(parts, into):
    """A copy of the tree's folders `parts` (e.g. "tests") under `into`;
    returns the folder that holds them, as a MicroPython tree would."""
    source = require_source()
    if source.is_dir():
        for part in parts:
            shutil.copytree(source / part, Path(into) / part, symlinks=True)
        return Path(into)
    with tarfile.open(source) as archive:
        top = archive.getmembers()[0].name.split("/")[0]
        wanted = [m for m in archive.getmembers()
                  if any(m.name.startswith(f"{top}/{part}/") or m.name == f"{top}/{part}"
                         for part in parts)]
        archive.extractall(into, members=wanted, filter="data")
    return Path(into) / top
