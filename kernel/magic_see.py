"""Magics to see the board: %pins (the pin view and the simulated board's
inputs), %%plot (run a cell, plot what it prints, live) and %plot (the last
plot again, or its data saved as CSV).

After %%plot, `%%host` cells can read the data: `plot_data` (a pandas
DataFrame when pandas is installed, else a list of dicts, one per sample)
and `board_output` (what the board printed, as text).
"""

import os

from boardlab.kernel import display, pin_view
from boardlab.kernel import plot as plotting
from boardlab.kernel.magics import MagicError, arg, magic


@magic("pins", "show the board's pins (live on the simulated board) and inputs for its parts",
       arg("--text", action="store_true",
           help="print the pins' states as text instead of showing the view"))
async def pins(kernel, args):
    await kernel.board()
    view = pin_view.view_for(kernel)
    if args.text:
        view.update()
        await view.query_real_board()
        kernel.print(view.text())
        return
    await view.show()


def _positive(text):
    value = int(text)
    if value < 2:
        raise ValueError(text)
    return value


_positive.__name__ = "number of samples (2 or more)"


@magic("plot", "run the cell on the board and plot, live, the numbers it prints",
       arg("--window", type=_positive, metavar="N",
           help="show only the last N samples (default: all of them)"),
       arg("--ylim", type=float, nargs=2, metavar=("LOW", "HIGH"),
           help="a fixed y range (default: fit the data)"),
       arg("--title", default="", help="a title above the plot"),
       arg("--quiet", action="store_true",
           help="do not show the printed lines under the cell (board_output keeps them)"),
       cell=True)
async def plot_cell(kernel, args, body):
    if args.ylim and args.ylim[0] >= args.ylim[1]:
        raise MagicError(f"%%plot: --ylim LOW HIGH needs LOW < HIGH, not {args.ylim[0]:g} "
                         f"{args.ylim[1]:g}")
    plot = plotting.LivePlot(kernel, window=args.window,
                    ylim=tuple(args.ylim) if args.ylim else None, title=args.title)
    kernel._boardlab_last_plot = plot
    plot.start()
    try:
        if body.strip():
            await kernel.run_on_board("\n" + body, listener=plot.feed,
                                      show_output=not args.quiet)
    finally:
        # Interrupted or failed, the plot keeps what came before.
        plot.finish()
        namespace = kernel.shell.user_ns
        namespace["plot_data"] = plot.data.table()
        namespace["board_output"] = plot.board_output


@magic("plot", "the last %%plot again, or its data saved as CSV",
       arg("--save", metavar="FILE.csv", help="write the data to this file on the computer"),
       arg("--window", type=_positive, metavar="N", help="show only the last N samples"),
       arg("--ylim", type=float, nargs=2, metavar=("LOW", "HIGH"), help="a fixed y range"))
async def plot_line(kernel, args):
    plot = getattr(kernel, "_boardlab_last_plot", None)
    if plot is None:
        raise MagicError("%plot: nothing plotted yet. Run a cell with %%plot first.")
    if args.save:
        path = os.path.expanduser(args.save)
        try:
            with open(path, "w", encoding="utf-8", newline="") as file:
                file.write(plot.data.csv_text())
        except OSError as err:
            raise MagicError(f"%plot: could not write {args.save}: {err.strerror or err}")
        kernel.print(f"Saved {plot.data.summary()} to {os.path.abspath(path)}")
        return
    picture = plotting.render(plot.data, args.window or plot.window,
                              tuple(args.ylim) if args.ylim else plot.ylim, plot.title)
    display.publish(kernel, display.picture(picture, f"Plot: {plot.data.summary()}"),
                    display.new_display_id())
