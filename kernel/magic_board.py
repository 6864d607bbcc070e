"""Magics about the board itself and the kernel: connect, disconnect, reset,
the host escape, and the magics' own listing."""

from boardlab.kernel import magics
from boardlab.kernel.errors import CellError
from boardlab.transport import discovery
from boardlab.kernel.magics import arg, magic


LEVELS = {"on": True, "off": False}


@magic("connect", "connect to a board: a serial port, a pyserial URL, or sim://<board>",
       arg("url", nargs="?",
           help="/dev/ttyACM0, COM3, rfc2217://host:port, socket://host:port, or "
                "sim://pico (the simulated Pico); none: find the board plugged in"),
       arg("--baud", type=int, default=115200, help="baud rate for USB-serial bridges"),
       arg("--no-soft-reset", action="store_true",
           help="keep the board's state (variables) instead of a clean start"),
       arg("--dtr", choices=LEVELS, help="DTR level while connected (ESP boards "
                                         "with auto-reset circuits may need off)"),
       arg("--rts", choices=LEVELS, help="RTS level while connected"),
       arg("--wait", type=float, default=10, metavar="SECONDS",
           help="how long to wait for the board's prompt (default 10)"))
async def connect(kernel, args):
    url = args.url or find_the_board()
    connection = await kernel.connect(
        url, baudrate=args.baud, soft_reset=not args.no_soft_reset,
        dtr=LEVELS.get(args.dtr), rts=LEVELS.get(args.rts), timeout=args.wait)
    kernel.print(f"Connected to {connection.url}: {await connection.describe()}")


def find_the_board():
    """The port of the one MicroPython board plugged in, or a CellError that
    says what to do."""
    boards = discovery.candidate_boards()
    if len(boards) == 1:
        return boards[0].device
    if not boards:
        raise CellError("NoBoardFound", (
            "No MicroPython board found on this computer's serial ports. Plug one "
            "in (with a data cable: some USB cables only charge) and run %connect "
            "again, or name its port: %connect /dev/ttyACM0 (COM3 on Windows). "
            "No board at hand? Use the simulated Pico: %connect sim://pico"))
    listed = "\n".join(f"  %connect {p.device}    # {p.description}" for p in boards)
    raise CellError("SeveralBoards",
                    f"Several serial ports may be MicroPython boards; choose one:\n{listed}")


@magic("boards", "list the serial ports and what is plugged into them")
async def boards(kernel, args):
    ports = discovery.serial_ports()
    if not ports:
        kernel.print("No serial ports. Plug a board in, or use the simulated Pico: "
                     "%connect sim://pico")
        return
    width = max(len(p.device) for p in ports)
    lines = []
    for p in ports:
        mark = "*" if p.micropython else ("?" if p.known else " ")
        usb = f"  [{p.usb_id}]" if p.usb_id else ""
        lines.append(f"{mark} {p.device:<{width}}  {p.description}{usb}")
    lines.append("* a MicroPython board   ? may be one (a USB-serial bridge)")
    kernel.print("\n".join(lines))


@magic("board", "say which board cells run on (connecting to the kernel's default "
                "board, sim://pico unless BOARDLAB_BOARD or the kernelspec names another)")
async def board(kernel, args):
    connection = await kernel.board()
    kernel.print(f"Cells run on {connection.url}: {await connection.describe()}")


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
    printed = await connection.soft_reset()
    kernel.names.clear()
    kernel.print("Soft reset: the board's variables are cleared.")
    if printed.strip():
        kernel.print(f"boot.py printed:\n{printed}")


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
