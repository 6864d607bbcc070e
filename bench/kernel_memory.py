"""The kernel's memory with a simulated board, against a stock python3
ipykernel measured in the same run: each started by jupyter_client, given a
few cells, and its resident set size (RSS) read from /proc (Linux).

BoardLab's kernel runs a cell that builds a list on sim://pico (the board's
heap is the firmware's own, inside the wasm instance's fixed memory); the
stock kernel runs a cell of ordinary Python.

Target: at most 1.5x the stock kernel's RSS.

    .venv/bin/python bench/kernel_memory.py

Prints sizes and the ratio; asserts nothing.
"""

import os
import shutil
import statistics
import sys
import tempfile

from jupyter_client.manager import start_new_kernel

from boardlab.kernel.install import install

ROUNDS = 3
CELLS = {
    "boardlab": ["x = [str(i) for i in range(1000)]", "import gc\ngc.collect()\nprint(gc.mem_free())"],
    "python3": ["x = [str(i) for i in range(1000)]", "import gc\ngc.collect()\nprint(len(x))"],
}


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def kernel_rss(name):
    manager, client = start_new_kernel(kernel_name=name, startup_timeout=60)
    try:
        for code in CELLS[name]:
            reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        return rss_bytes(manager.provisioner.process.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main():
    if not os.path.exists("/proc/self/status"):
        sys.exit("kernel_memory: reads /proc (Linux only)")
    prefix = tempfile.mkdtemp(prefix="boardlab-bench-kernel-")
    try:
        install(prefix=prefix)
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
        os.environ["BOARDLAB_BOARD"] = "sim://pico"
        boardlab, stock = [], []
        for _ in range(ROUNDS):
            boardlab.append(kernel_rss("boardlab"))
            stock.append(kernel_rss("python3"))
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    boardlab, stock = statistics.median(boardlab), statistics.median(stock)
    print(f"BoardLab kernel with sim://pico: {boardlab / 2**20:.1f} MiB RSS; "
          f"stock python3 ipykernel: {stock / 2**20:.1f} MiB; "
          f"ratio {boardlab / stock:.2f} (target: at most 1.5)")


if __name__ == "__main__":
    main()
