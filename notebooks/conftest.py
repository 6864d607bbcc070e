"""The tutorial notebooks as tests: `pytest` (addopts has --nbval) runs every
cell of every notebook here and compares its output with the stored one.

The board: the simulated Pico with virtual time and seeded parts
(`sim://pico?time=virtual&seed=1`), so a notebook's outputs are the same on
every run and a notebook takes seconds, whatever it sleeps. With
BOARDLAB_PORT set (e.g. BOARDLAB_PORT=/dev/ttyACM0) the notebooks run on that
real board instead; its outputs (free memory, sensor readings, timings)
cannot match the simulated board's, so outputs are then not compared
(nbval's --nbval-lax, switched on here): every cell must still run without
an error.

The kernel is started from a kernelspec installed for this session from this
working tree (so `pytest` needs no `boardlab install` first). Both settings
are made at import time: nbval starts each notebook's kernel with this
process's environment.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from boardlab.kernel.install import install

HERE = Path(__file__).parent
SIMULATED_BOARD = "sim://pico?time=virtual&seed=1"
REAL_PORT = os.environ.get("BOARDLAB_PORT")

os.environ["BOARDLAB_BOARD"] = REAL_PORT or SIMULATED_BOARD

_prefix = tempfile.mkdtemp(prefix="boardlab-notebook-kernel-")
atexit.register(shutil.rmtree, _prefix, ignore_errors=True)
install(prefix=_prefix)
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (os.path.join(_prefix, "share", "jupyter"), os.environ.get("JUPYTER_PATH")) if p)


def pytest_configure(config):
    option = config.option
    if getattr(option, "nbval_sanitize_with", "missing") is None:
        # What truly varies between runs is replaced before comparing (see the file).
        option.nbval_sanitize_with = str(HERE / "sanitize.cfg")
    if REAL_PORT and hasattr(option, "nbval_lax"):
        option.nbval_lax = True
