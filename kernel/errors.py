"""The error that ends a cell: shown as one Jupyter `error` output."""


class CellError(Exception):
    """Ends a cell with a Jupyter error: `ename: evalue` and a traceback."""

    def __init__(self, ename, evalue, traceback=None, shown=False):
        super().__init__(evalue)
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback or [f"{ename}: {evalue}"]
        self.shown = shown  # already on the notebook (IPython showed it)
