"""`boardlab run NOTEBOOK`: execute a notebook headless on a board, for a
course's CI. Stops at the first cell that fails and exits non-zero."""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from boardlab.kernel.install import KERNEL_NAME


def run_notebook(path, board=None, output=None, timeout=600):
    """Run every cell of the notebook at `path`; returns 0 when all passed."""
    path = Path(path)
    if not path.is_file():
        print(f"boardlab run: no notebook at {path}", file=sys.stderr)
        return 2
    notebook = nbformat.read(path, as_version=4)
    # Widget state from an earlier run names widgets that no longer exist.
    notebook.metadata.pop("widgets", None)
    env = dict(os.environ)
    if board:
        env["BOARDLAB_BOARD"] = board
    client = NotebookClient(
        notebook, kernel_name=KERNEL_NAME, timeout=timeout, allow_errors=False,
        record_timing=False,  # stored outputs stay free of per-run timestamps
        # Widgets kept in the notebook are copies of live views that can no
        # longer act; each view's output carries its picture instead
        # (display.picture), which nbconvert shows only when no widget state
        # is stored.
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent.resolve())}})
    status = 0
    try:
        client.execute(env=env)
        cells = sum(1 for c in notebook.cells if c.cell_type == "code")
        print(f"{path}: {cells} code cells ran without error")
    except CellExecutionError as err:
        print(f"{path}: a cell failed with {err.ename}: {err.evalue}\n{err}",
              file=sys.stderr)
        status = 1
    finally:
        if output:
            nbformat.write(notebook, output)
            print(f"Wrote the executed notebook to {output}")
    return status
