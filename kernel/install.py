"""Install the kernelspec `boardlab`, so Jupyter offers "MicroPython (BoardLab)"."""

import json
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "boardlab"
DISPLAY_NAME = "MicroPython (BoardLab)"


def kernel_json(board=None):
    spec = {
        # -Xfrozen_modules=off, as ipykernel's own kernelspec has it: ipykernel
        # loads debugpy, which otherwise warns about frozen modules in every
        # `jupyter console` (this kernel has no debugger, so nothing is lost).
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "boardlab.kernel",
                 "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "micropython",
        # The stop button arrives as a message; ipykernel answers it with
        # SIGINT to the kernel, whose handler turns it into Ctrl-C for the
        # board while a cell runs there (see kernel.py).
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    if board:
        spec["env"] = {"BOARDLAB_BOARD": board}
    return spec


def install(user=False, prefix=None, board=None):
    """Write the kernelspec; returns the folder it went to."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "kernel.json").write_text(json.dumps(kernel_json(board), indent=1))
        return KernelSpecManager().install_kernel_spec(
            folder, KERNEL_NAME, user=user, prefix=prefix)
