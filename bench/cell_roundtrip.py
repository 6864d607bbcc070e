"""Cell round-trip: `x = 1` through the BoardLab kernel on the simulated Pico,
against the stock python3 ipykernel, in the same run.

    .venv/bin/python bench/cell_roundtrip.py [--cells 300]

Prints median and mean times per cell and their ratios. Target: BoardLab /
ipykernel <= 1.2 for `x = 1`. A second row runs a different cell each time
(`x = N`).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from jupyter_client.manager import start_new_kernel

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))


def time_cells(kc, cells):
    times = []
    for code in cells:
        started = time.perf_counter()
        reply = kc.execute_interactive(code, timeout=30, output_hook=lambda msg: None)
        times.append(time.perf_counter() - started)
        assert reply["content"]["status"] == "ok", reply["content"]
    return times


def measure(kernel_name, cells, env=None):
    km, kc = start_new_kernel(kernel_name=kernel_name, env=env, startup_timeout=60)
    try:
        time_cells(kc, cells[:20])  # warm up (and connect to the board)
        return time_cells(kc, cells)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300)
    args = parser.parse_args()

    from boardlab.kernel.install import install
    prefix = tempfile.mkdtemp()
    install(prefix=prefix)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    env = dict(os.environ, BOARDLAB_BOARD="sim://pico")

    same = ["x = 1"] * args.cells
    fresh = [f"x = {n}" for n in range(args.cells)]
    reference = measure("python3", same, env)
    rows = [("x = 1 (same cell)", measure("boardlab", same, env)),
            ("x = N (new cell each time)", measure("boardlab", fresh, env))]

    ref_median = statistics.median(reference)
    ref_mean = statistics.mean(reference)
    print(f"reference: stock ipykernel (python3), x = 1, {args.cells} cells: "
          f"median {ref_median * 1000:.2f} ms, mean {ref_mean * 1000:.2f} ms")
    for label, times in rows:
        median, mean = statistics.median(times), statistics.mean(times)
        print(f"boardlab on sim://pico, {label}: median {median * 1000:.2f} ms "
              f"(ratio {median / ref_median:.2f}), mean {mean * 1000:.2f} ms "
              f"(ratio {mean / ref_mean:.2f})")
    print("target: ratio <= 1.2 for x = 1")


if __name__ == "__main__":
    main()
