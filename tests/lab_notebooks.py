"""The tutorial notebooks (notebooks/) as tests: `pytest` (addopts has --nbval)
runs every cell of every notebook and compares its output with the stored one.
This pytest plugin is loaded by pyproject.toml's addopts (`-p lab_notebooks`),
so nothing but the labs lies in notebooks/, where students see it.

The board: the simulated Pico with virtual time and seeded parts
(`sim://pico?time=virtual&seed=1`), so a notebook's outputs are the same on
every run and a notebook takes seconds, whatever it sleeps. With
BOARDLAB_PORT set (e.g. BOARDLAB_PORT=/dev/ttyACM0) the notebooks run on that
real board instead; its outputs (free memory, sensor readings, timings)
cannot match the simulated board's, so outputs are then not compared
(nbval's --nbval-lax, switched on here): every cell must still run without
an error.

The kernel is started from a kernelspec installed for this run from this
working tree (so `pytest` needs no `boardlab install` first). Both settings
are made when the first notebook is collected, before any test runs: nbval
starts each notebook's kernel with this process's environment.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from boardlab.kernel.install import install

SANITIZE = Path(__file__).with_name("lab_notebooks_sanitize.cfg")
SIMULATED_BOARD = "sim://pico?time=virtual&seed=1"
REAL_PORT = os.environ.get("BOARDLAB_PORT")
_kernel_prefix = None


def _install_notebook_kernel():
    """Once per run: the board for nbval's kernels, and this tree's kernelspec."""
    global _kernel_prefix
    if _kernel_prefix is not None:
        return
    os.environ["BOARDLAB_BOARD"] = REAL_PORT or SIMULATED_BOARD
    _kernel_prefix = tempfile.mkdtemp(prefix="boardlab-notebook-kernel-")
    atexit.register(shutil.rmtree, _kernel_prefix, ignore_errors=True)
    install(prefix=_kernel_prefix)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (os.path.join(_kernel_prefix, "share", "jupyter"),
                    os.environ.get("JUPYTER_PATH")) if p)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb":
        _install_notebook_kernel()


def pytest_configure(config):
    option = config.option
    if getattr(option, "nbval_sanitize_with", "missing") is None:
        # What truly varies between runs is replaced before comparing (see the file).
        option.nbval_sanitize_with = str(SANITIZE)
    if REAL_PORT and hasattr(option, "nbval_lax"):
        option.nbval_lax = True


# -- outputs replaced while their cell runs -----------------------------------
#
# A %%plot cell shows a live plot and, when the cell ends, replaces it with its
# final picture (an update_display_data message for the same display id). A
# notebook keeps the final picture: Jupyter and nbclient apply the update. nbval
# 0.11 ignores update_display_data ("unhandled iopub msg") and would compare
# the stored final picture with the first, live one. So, within one cell, an
# update replaces the output it names, as a frontend does. (Updates that come
# in later cells, like the %pins view following the board, change a cell whose
# comparison is over: such cells are tagged nbval-ignore-output.)

try:
    from nbval.plugin import IPyNbCell, IPyNbFile
except ImportError:         # nbval not installed: nothing to adapt
    IPyNbFile = None


def pytest_runtest_setup(item):
    if IPyNbFile is not None and isinstance(item, IPyNbCell):
        item.parent._boardlab_running_cell = item


if IPyNbFile is not None:
    _get_kernel_message = IPyNbFile.get_kernel_message

    def _get_kernel_message_applying_updates(self, timeout=None, stream="iopub"):
        msg = _get_kernel_message(self, timeout=timeout, stream=stream)
        content = msg.get("content", {})
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id is None:
            return msg
        shown = self.__dict__.setdefault("_boardlab_displays", {})
        if msg["msg_type"] == "display_data":
            shown[display_id] = content["data"]
        elif msg["msg_type"] == "update_display_data" and display_id in shown:
            cell = getattr(self, "_boardlab_running_cell", None)
            for output in getattr(cell, "test_outputs", None) or []:
                if output.get("output_type") == "display_data" and \
                        output.get("data") == shown[display_id]:
                    output["data"] = content["data"]
                    output["metadata"] = content.get("metadata", {})
            shown[display_id] = content["data"]
        return msg

    IPyNbFile.get_kernel_message = _get_kernel_message_applying_updates
