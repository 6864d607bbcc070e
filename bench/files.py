"""Benchmark: file upload and download on a 115200-baud line, BoardLab
against mpremote, in the same run, on the same link.

    .venv/bin/python bench/files.py [--size 100000] [--rate 11520]

The simulated Pico is served on a pty (interpreter.pty.serve_pty) behind a
relay that paces bytes at the line rate in each direction (bench/paced_link.py).
Two files: 100 KB of random bytes and 100 KB of text (Python source). Each is
uploaded and downloaded by BoardLab's BoardFiles (checked by sha256) and by
mpremote's own transport (in-process: `SerialTransport.fs_writefile` /
`fs_readfile`, what `mpremote fs cp` does, without its process start-up and
connect). Only the transfer is timed: both clients are in the raw REPL before
the clock starts. Prints seconds and ratios; asserts nothing.
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from paced_link import LINE_RATE, PacedLink  # noqa: E402

from boardlab.interpreter import serve_pty  # noqa: E402
from boardlab.transport.files import BoardFiles  # noqa: E402
from boardlab.transport.link import open_link  # noqa: E402
from boardlab.transport.raw_repl import RawRepl  # noqa: E402


def sample_files(size):
    rng = random.Random(1)
    binary = bytes(rng.getrandbits(8) for _ in range(size))
    words = ["def", "return", "self", "value", "pin", "led", "sensor", "print", "for", "in",
             "range", "if", "else", "time.sleep_ms(100)", "machine.Pin(25)", "0x1F", "=", "+"]
    lines, total = [], 0
    while total < size:
        words_in_line = (rng.choice(words) for _ in range(rng.randrange(3, 10)))
        line = "    " * rng.randrange(3) + " ".join(words_in_line)
        lines.append(line)
        total += len(line) + 1
    text = ("\n".join(lines) + "\n").encode()[:size]
    return {"binary": binary, "text": text}


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def bench_boardlab(path, files, rate):
    link = open_link(path)
    repl = RawRepl(link, port_name=path)
    try:
        repl.enter_raw()
        board = BoardFiles(repl)
        board.escaped  # the one-time question about sys.stdin.buffer, outside the timing
        results = {}
        for kind, data in files.items():
            up, _ = timed(board.put, f"/bl_{kind}.bin", data)
            down, back = timed(board.get, f"/bl_{kind}.bin")
            assert back == data, f"BoardLab {kind} round trip differs"
            results[kind] = (up, down)
        return results
    finally:
        repl.close()


def bench_mpremote(path, files):
    from mpremote.transport_serial import SerialTransport

    transport = SerialTransport(path, baudrate=115200)
    try:
        transport.enter_raw_repl(soft_reset=False)
        results = {}
        for kind, data in files.items():
            up, _ = timed(transport.fs_writefile, f"/mp_{kind}.bin", data)
            down, back = timed(transport.fs_readfile, f"/mp_{kind}.bin")
            assert bytes(back) == data, f"mpremote {kind} round trip differs"
            results[kind] = (up, down)
        transport.exit_raw_repl()
        return results
    finally:
        transport.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="bytes per file (default 100000)")
    parser.add_argument("--rate", type=int, default=LINE_RATE,
                        help="line rate in bytes/s (default 11520)")
    args = parser.parse_args()
    files = sample_files(args.size)
    board = serve_pty("sim://pico")
    line = PacedLink(board.path, args.rate)
    try:
        ours = bench_boardlab(line.path, files, args.rate)
        theirs = bench_mpremote(line.path, files)
    finally:
        line.close()
        board.stop()
    ideal = args.size / args.rate
    print(f"{args.size} bytes per file, line rate {args.rate} bytes/s "
          f"({ideal:.2f} s for the raw bytes)\n")
    print(f"{'':18}{'BoardLab':>10}{'mpremote':>10}{'mpremote/BL':>13}{'BL % of line':>14}")
    for kind in files:
        for index, direction in enumerate(("upload", "download")):
            mine, reference = ours[kind][index], theirs[kind][index]
            print(f"{kind + ' ' + direction:18}{mine:>9.2f}s{reference:>9.2f}s"
                  f"{reference / mine:>12.2f}x{100 * ideal / mine:>13.0f}%")
    print("\nmpremote/BL > 1: BoardLab is faster. 'BL % of line': payload bytes / "
          "(time x line rate); 100% is the raw bytes with no overhead at all.")


if __name__ == "__main__":
    main()
