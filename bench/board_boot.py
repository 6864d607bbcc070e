"""How long the simulated board takes from power-on (opening sim://pico) to
its first prompt, in a process that has imported BoardLab (as the kernel
has), with the compiled firmware in the cache (warm) and with an empty cache
(cold: wasmtime compiles the firmware first; `boardlab install` fills the
cache, so users meet the warm case). The reference, measured in the same
run: starting a bare `python3 -c pass`, what any kernel pays before it can
do anything.

Targets: at most 50 ms warm, at most 1 s cold.

    .venv/bin/python bench/board_boot.py

Prints times and ratios; asserts nothing.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

from boardlab.interpreter.testing import sim_link

ROUNDS = 7



def boot_seconds(cache_dir):
    os.environ["XDG_CACHE_HOME"] = cache_dir
    start = time.perf_counter()
    with sim_link("sim://pico", timeout=30):      # reads up to the first ">>> "
        return time.perf_counter() - start


def python_start_seconds():
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def main():
    warm_cache = tempfile.mkdtemp(prefix="boardlab-bench-cache-")
    boot_seconds(warm_cache)                        # fills the cache
    warm, cold, python = [], [], []
    for _ in range(ROUNDS):
        warm.append(boot_seconds(warm_cache))
        cold.append(boot_seconds(tempfile.mkdtemp(prefix="boardlab-bench-cold-")))
        python.append(python_start_seconds())
    warm, cold, python = (statistics.median(x) for x in (warm, cold, python))
    print(f"boot to the first prompt, cache warm: {warm * 1000:.1f} ms (target: at most 50 ms); "
          f"{warm / python:.2f}x a bare python3 start ({python * 1000:.0f} ms)")
    print(f"boot to the first prompt, cache cold: {cold * 1000:.0f} ms (target: at most 1000 ms); "
          f"{cold / python:.2f}x a bare python3 start")


if __name__ == "__main__":
    main()
