"""Speed of the simulated board, against references measured in the same run.

1. Plain computation in a cell on sim://pico against the same code in plain
   CPython (same process, same interpreter): the cost of the board's gates
   (builtins, import gate, heap guard and watchdog, interrupt machinery).
   Target: under 1.10.
2. Wall time of a cell that sleeps 60 s on a board with virtual time.
   Target: under 0.1 s.

    .venv/bin/python bench/sim_speed.py

Prints ratios; asserts nothing.
"""

import statistics
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
    return fib(20), sieve(60000), text(60000), floats(200000)
"""

TIMED = "t0 = time.ticks_us()\nwork()\nprint(time.ticks_diff(time.ticks_us(), t0))"
ROUNDS = 7


def compare():
    """Median of per-round ratios, board and plain CPython alternating (the
    machine's load changes from second to second)."""
    namespace = {}
    exec(compile(WORK, "<plain>", "exec"), namespace)
    ratios, board_times, plain_times = [], [], []
    with sim_link("sim://pico") as link:
        enter_raw(link)
        raw_exec(link, "import time\n" + WORK)
        for _ in range(ROUNDS):
            out, err = raw_exec(link, TIMED, timeout=120)
            assert not err, err
            start = time.perf_counter_ns()
            namespace["work"]()
            plain = (time.perf_counter_ns() - start) / 1000
            board_times.append(int(out))
            plain_times.append(plain)
            ratios.append(int(out) / plain)
    return statistics.median(ratios), statistics.median(board_times), statistics.median(plain_times)


def virtual_sleep():
    with sim_link("sim://pico?time=virtual") as link:
        enter_raw(link)
        walls = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            out, err = raw_exec(link, "import time\nt = time.ticks_ms()\ntime.sleep(60)\n"
                                      "print(time.ticks_diff(time.ticks_ms(), t))")
            walls.append(time.perf_counter() - start)
            assert not err and int(out) >= 60000, (out, err)
        return statistics.median(walls)


def main():
    ratio, board, plain = compare()
    print(f"plain computation: board {board / 1000:.1f} ms, CPython {plain / 1000:.1f} ms, "
          f"ratio {ratio:.3f} (median of {ROUNDS} alternating rounds; target < 1.10)")
    wall = virtual_sleep()
    print(f"time.sleep(60) with virtual time: {wall * 1e6:.0f} us of wall time per cell "
          f"(target < 100 ms), ratio to 60 s {wall / 60:.2e}")


if __name__ == "__main__":
    main()
