"""The committed firmware (interpreter/firmware/*.wasm) is what its source
builds: scripts/build-firmware --check rebuilds every board from MicroPython
v1.28.0 and this port, and fails when a byte differs.

A few minutes (the toolchain is fetched the first time), so it runs where
BOARDLAB_CHECK_FIRMWARE=1 (scripts/test sets it under CI) and otherwise
skips, saying how to run it.
"""

import os
import subprocess

import pytest

from micropython_source import ROOT, require_source


@pytest.mark.timeout(2400)
def test_the_committed_firmware_is_what_the_source_builds():
    if os.environ.get("BOARDLAB_CHECK_FIRMWARE") != "1":
        pytest.skip("rebuilding the firmware takes minutes: BOARDLAB_CHECK_FIRMWARE=1 "
                    "./scripts/test tests/test_firmware_build.py (CI always does)")
    source = require_source()
    build = subprocess.run([str(ROOT / "scripts" / "build-firmware"), "--check",
                            "--source", str(source)],
                           capture_output=True, text=True, timeout=2300)
    assert build.returncode == 0, (build.stdout[-3000:] + build.stderr[-3000:])
    assert "the committed firmware is what the source builds" in build.stdout
