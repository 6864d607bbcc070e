"""Execution latency and output throughput of the transport over a pseudo-terminal,
against mpremote's transport on the same simulated board, in the same run.

    .venv/bin/python bench/exec_latency.py [--execs 1000] [--megabytes 8] [--rounds 5]

The simulated Pico runs as its own process, `boardlab sim --pty`, as a board
is a device of its own and as mpremote or Thonny use it: a board served in
the client's process would share its GIL (that figure is printed too).

Latency: each client enters the raw REPL once, then runs the one-line cell
`x=1` many times. BoardLab's RawRepl.exec against mpremote's in-process
SerialTransport.exec. Target: ratio (BoardLab / mpremote) <= 1.0.

Throughput: the board prints 8 MB; BoardLab's bytes/s against the pty's own
capacity (a plain writer and reader moving as much through a pty pair: a pty has
no baud rate, so this is the link's line rate here), and against mpremote
following output (64 kB: it reads a pty byte by byte, 1 MB would take minutes).
Both are measured in turns, `--rounds` times, and compared by their medians
(a pty's speed on a shared machine varies by 2x from one run to the next).
Target: ratio (BoardLab / pty) >= 0.5.

Prints numbers and ratios; asserts nothing.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import tty

from boardlab.interpreter.pty import serve_pty
from boardlab.transport.link import open_link
from boardlab.transport.raw_repl import RawRepl

LINE = 1023  # bytes per printed line, plus "\r\n" on the wire


def time_execs(run, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def boardlab_session(path):
    repl = RawRepl(open_link(path), port_name=path)
    repl.enter_raw()
    return repl, repl.close


def mpremote_session(path):
    from mpremote.transport_serial import SerialTransport
    transport = SerialTransport(path, baudrate=115200)
    transport.enter_raw_repl(soft_reset=False)

    def close():
        transport.exit_raw_repl()
        transport.close()
    return transport, close


ROUNDS = 10


def latency(path, count):
    """For each client: median seconds per `x=1`, and the client thread's CPU
    seconds per exec (less sensitive to the machine's load). The clients take
    turns in ROUNDS rounds, so that drift in the load falls on both alike
    (both lock the port: they cannot run side by side)."""
    times = {"boardlab": [], "mpremote": []}
    cpu = {"boardlab": 0.0, "mpremote": 0.0}
    for _ in range(ROUNDS):
        for name, session, check in (
                ("boardlab", boardlab_session, lambda out: out == ""),
                ("mpremote", mpremote_session, lambda out: out == b"")):
            client, close = session(path)
            try:
                def run():
                    out = client.exec("x=1")
                    assert check(out), out
                time_execs(run, 10)  # warm up
                started = time.thread_time()
                times[name] += time_execs(run, count // ROUNDS)
                cpu[name] += time.thread_time() - started
            finally:
                close()
    return {name: (statistics.median(times[name]), cpu[name] / len(times[name]))
            for name in times}


def pty_capacity(size):
    """Bytes/s of a plain writer and reader moving `size` bytes through a
    fresh pty pair (raw mode), in chunks as large as the tty takes."""
    controller, device = os.openpty()
    tty.setraw(device)
    payload = (b"x" * LINE + b"\r\n") * (size // (LINE + 2))
    received = 0

    def write_all():
        view = memoryview(payload)
        while view:
            view = view[os.write(controller, view[:65536]):]

    started = time.perf_counter()
    writer = threading.Thread(target=write_all)
    writer.start()
    while received < len(payload):
        received += len(os.read(device, 65536))
    writer.join()
    elapsed = time.perf_counter() - started
    os.close(controller)
    os.close(device)
    return received / elapsed


def print_bytes(size):
    lines = size // (LINE + 2)
    code = f"s = 'x' * {LINE}\nfor i in range({lines}):\n    print(s)"
    return code, lines * (LINE + 2)


def boardlab_throughput(path, size):
    code, size = print_bytes(size)
    repl, close = boardlab_session(path)
    try:
        received = []
        started, cpu = time.perf_counter(), time.thread_time()
        result = repl.execute(code, on_output=received.append)
        elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
        assert not result.traceback, result.traceback
        assert len(result.output) == size - size // (LINE + 2), len(result.output)  # \r\n -> \n
    finally:
        close()
    return size / elapsed, cpu / elapsed


def mpremote_throughput(path, size):
    code, size = print_bytes(size)
    transport, close = mpremote_session(path)
    try:
        started = time.perf_counter()
        out = transport.exec(code)
        elapsed = time.perf_counter() - started
        assert len(out) == size, len(out)
    finally:
        close()
    return size / elapsed


def board_process():
    """`boardlab sim --pty` as a process of its own: (path, stop)."""
    boardlab = os.path.join(os.path.dirname(sys.executable), "boardlab")
    process = subprocess.Popen([boardlab, "sim", "--pty"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    path = process.stdout.readline().strip()

    def stop():
        process.terminate()
        process.wait()
    return path, stop


def throughput(path, size, rounds):
    """Medians over `rounds` turns of (pty capacity, BoardLab, BoardLab's CPU share)."""
    capacity, ours, busy = [], [], []
    for _ in range(rounds):
        capacity.append(pty_capacity(size))
        speed, share = boardlab_throughput(path, size)
        ours.append(speed)
        busy.append(share)
    return statistics.median(capacity), statistics.median(ours), statistics.median(busy)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execs", type=int, default=1000)
    parser.add_argument("--megabytes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024

    path, stop = board_process()
    try:
        measured = latency(path, args.execs)
        (ours, our_cpu), (theirs, their_cpu) = measured["boardlab"], measured["mpremote"]
        print(f"exec latency of `x=1` over a pty ({args.execs} execs each, median;"
              " client CPU per exec):")
        print(f"  boardlab  {ours * 1e3:7.3f} ms   CPU {our_cpu * 1e6:6.1f} us")
        print(f"  mpremote  {theirs * 1e3:7.3f} ms   CPU {their_cpu * 1e6:6.1f} us")
        print(f"  ratio boardlab/mpremote = {ours / theirs:.2f}  (target <= 1.0);"
              f" CPU ratio {our_cpu / their_cpu:.2f}")

        capacity, ours, busy = throughput(path, size, args.rounds)
        theirs = mpremote_throughput(path, 64 * 1024)
    finally:
        stop()
    server = serve_pty("sim://pico")
    try:
        _, shared, _ = throughput(server.path, size, args.rounds)
    finally:
        server.stop()
    print(f"output throughput, the board printing {args.megabytes} MB over a pty"
          f" (medians of {args.rounds} turns):")
    print(f"  raw pty (writer -> reader)  {capacity / 1e6:8.2f} MB/s")
    print(f"  boardlab                    {ours / 1e6:8.2f} MB/s"
          f"  ratio to the pty {ours / capacity:.2f}  (target >= 0.5)")
    print(f"    (the transport's thread was busy {busy:.0%} of that time)")
    print(f"  mpremote (64 kB)            {theirs / 1e6:8.2f} MB/s"
          f"  ratio boardlab/mpremote {ours / theirs:.2f}")
    print(f"  boardlab, the board in the client's process instead: {shared / 1e6:.2f} MB/s"
          f" (ratio {shared / capacity:.2f}; the board's threads share the client's GIL)")


if __name__ == "__main__":
    main()
