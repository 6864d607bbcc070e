"""The `boardlab` command."""

import argparse
import sys


def cmd_install(args):
    from boardlab.kernel.install import DISPLAY_NAME, install

    prefix = sys.prefix if args.sys_prefix else args.prefix
    where = install(user=args.user, prefix=prefix, board=args.board)
    print(f"Installed the kernel {DISPLAY_NAME!r} in {where}")
    _warm_simulated_boards()


def _warm_simulated_boards():
    """Compile the simulated boards' firmware for this machine now, so the
    first sim:// board boots at once (a few seconds, once per firmware)."""
    from boardlab.boards import BOARDS
    from boardlab.interpreter.firmware import SimulatorUnavailable, warm_cache

    try:
        warm_cache(sorted(BOARDS))
    except SimulatorUnavailable as error:
        print(f"(the simulated boards will not run here: {error})", file=sys.stderr)


def cmd_sim(args):
    from boardlab.interpreter.pty import serve_pty
    from boardlab.interpreter.firmware import SimulatorUnavailable

    try:
        path, stop = serve_pty(args.board)
    except SimulatorUnavailable as error:
        sys.exit(f"boardlab sim: {error}")
    print(path, flush=True)
    print(f"Simulated {args.board} on {path}. Connect with e.g. "
          f"`mpremote connect {path}`; Ctrl-C stops it.", file=sys.stderr, flush=True)
    try:
        import threading
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()


def cmd_stubs(args):
    import subprocess

    from boardlab.kernel.stubs import family, install_stubs

    try:
        folder = install_stubs(args.port)
    except subprocess.CalledProcessError:
        sys.exit(f"boardlab stubs: pip could not install micropython-{family(args.port)}-stubs "
                 "(see its message above). Check the port's name (the board's sys.platform: "
                 "rp2, esp32, esp8266, stm32, ...) and that this computer reaches PyPI.")
    print(f"Installed the {args.port} API stubs in {folder}; a kernel restart uses them "
          "for Tab and Shift-Tab on that port's boards.")


def cmd_run(args):
    from boardlab.kernel.run_notebook import run_notebook

    sys.exit(run_notebook(args.notebook, board=args.board, output=args.output,
                          timeout=args.timeout))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="boardlab", description="A Jupyter kernel for MicroPython boards.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("install", help="install the Jupyter kernelspec 'boardlab'")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user only")
    where.add_argument("--sys-prefix", action="store_true",
                       help="into this Python environment (a venv or conda env)")
    where.add_argument("--prefix", help="under this prefix (share/jupyter/kernels)")
    p.add_argument("--board", help="the board the kernel opens by default "
                                   "(a port or URL; default sim://pico)")
    p.set_defaults(run=cmd_install)

    p = commands.add_parser("sim", help="serve a simulated board for other tools")
    p.add_argument("--pty", action="store_true", required=True,
                   help="on a pseudo-terminal; its path is printed on the first line")
    p.add_argument("--board", default="pico",
                   help="pico (default), picow or esp32; or a sim:// URL with options")
    p.set_defaults(run=cmd_sim)

    p = commands.add_parser("run", help="run a notebook headless; exit 1 on the first error")
    p.add_argument("notebook", help="the .ipynb file")
    p.add_argument("--board", help="the board to run it on (default: the kernel's, "
                                   "sim://pico unless BOARDLAB_BOARD says otherwise)")
    p.add_argument("--output", help="write the executed notebook here")
    p.add_argument("--timeout", type=int, default=600,
                   help="seconds one cell may take (default 600)")
    p.set_defaults(run=cmd_run)

    p = commands.add_parser("stubs", help="fetch the MicroPython API stubs of another port "
                                          "(for Tab and Shift-Tab)")
    p.add_argument("port", help="the board's sys.platform: esp32, esp8266, stm32, ... "
                                "(rp2's come with BoardLab)")
    p.set_defaults(run=cmd_stubs)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
