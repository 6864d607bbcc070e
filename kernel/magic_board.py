"""Magics about the board itself and the kernel: connect, disconnect, reset,
the host escape, and the magics' own listing."""

from boardlab.kernel import magics
from boardlab.kernel.magics import arg, magic


@magic("connect", "connect to a board: a serial port, a pyserial URL, or sim://<board>",
       arg("url", nargs="?",
           help="/dev/ttyACM0, COM3, rfc2217://host:port, socket://host:port, "
                "or sim://pico (the default: the simulated Pico)"),
       arg("--baud", type=int, default=115200, help="baud rate for USB-serial bridges"),
       arg("--no-soft-reset", action="store_true",
           help="keep the board's state (variables) instead of a clean start"))
async def connect(kernel, args):
    connection = await kernel.connect(args.url, baudrate=args.baud,
                                      soft_reset=not args.no_soft_reset)
    kernel.print(f"Connected to {connection.url}: {await connection.describe()}")


@magic("disconnect", "let go of the board (its port is free for other programs)")
async def disconnect(kernel, args):
    if kernel.connection is None:
        kernel.print("No board is connected.")
        return
    url = kernel.connection.url
    kernel.disconnect()
    kernel.print(f"Disconnected from {url}. %connect connects again.")


@magic("softreset", "soft-reset the board: its variables are cleared, boot.py runs")
async def softreset(kernel, args):
    connection = await kernel.board()
    await connection.soft_reset()
    kernel.print("Soft reset: the board's variables are cleared.")


@magic("host", "run the cell as ordinary Python on this computer, not on the board",
       cell=True)
async def host(kernel, args, body):
    await kernel.run_on_host(body)


@magic("lsmagic", "list the magics")
async def lsmagic(kernel, args):
    kernel.print(magics.listing())


@magic("help", "how cells and magics work; %help NAME for one magic",
       arg("name", nargs="?", help="a magic's name, e.g. connect"))
async def help_(kernel, args):
    if args.name:
        name = args.name.lstrip("%")
        found = magics.MAGICS.get(name) or magics.find(name, cell=False)
        kernel.print(found.parser.format_help())
        return
    kernel.print(
        "A cell is MicroPython: it runs on the board, and what the board prints\n"
        "shows below the cell. The stop button sends Ctrl-C to the board.\n"
        "Lines that start with % are magics, run here on the computer.\n\n"
        + magics.listing())
