"""Numbers in the board's printed lines, as series: what %%plot draws and
what `plot_data` holds.

The conventions people know:

* Thonny's: the text around the numbers names them. `temp: 21.5 hum: 40`
  gives series "temp" and "hum"; `x=1, y=2` gives "x" and "y".
* Mu's: a printed tuple `(1, 2, 3)` is one sample of three series. Numbers
  with no name before them are named by position: "y" when a line has one
  number, "y1", "y2", ... when it has several.

Every line with numbers is one sample; its index (0, 1, 2, ...) is the x
axis. Lines without numbers, or with more than MAX_PER_LINE of them (a
printed list, say), are not plotted but counted.
"""

import csv
import io
import math
import re
from array import array

MAX_PER_LINE = 16
MAX_SAMPLES = 1_000_000   # kept in memory; the oldest tenth goes past that

# A number standing on its own: not the 2 of "sensor2", not a piece of "1.2.3".
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\.?\d)")
EDGES = " \t:=;,|()[]{}<>'\""
SEPARATORS = re.compile(r"[,;|\t]")


def parse_line(line):
    """[(name, value), ...] for the numbers of one line, or [] when the line
    is not a sample."""
    found = list(NUMBER.finditer(line))
    if not found or len(found) > MAX_PER_LINE:
        return []
    named = []
    start = 0
    for position, match in enumerate(found, 1):
        label = _label(line[start:match.start()])
        start = match.end()
        value = float(match.group())
        if not math.isfinite(value):
            return []
        named.append((label, position, value))
    single = len(named) == 1
    seen = set()
    sample = []
    for label, position, value in named:
        name = label or ("y" if single else f"y{position}")
        while name in seen:
            name += "'"
        seen.add(name)
        sample.append((name, value))
    return sample


def _label(text):
    """The name in the text before a number: its last piece after a comma,
    semicolon or bar, stripped of punctuation ('temp: ' -> 'temp')."""
    pieces = [p.strip(EDGES) for p in SEPARATORS.split(text)]
    pieces = [p for p in pieces if p]
    return pieces[-1] if pieces else ""


class PlotData:
    """Samples as series (name -> xs, ys) and as rows. Feed it the board's
    output as it arrives; `close()` takes a last line without a newline."""

    def __init__(self):
        self.series = {}          # name -> (array xs, array ys), in first-seen order
        self.rows = []            # (index, [(name, value), ...])
        self.count = 0            # samples so far (the next x)
        self.skipped = 0          # lines that were not samples
        self.dropped = 0          # oldest samples let go past MAX_SAMPLES
        self._partial = ""

    def feed(self, text):
        text = self._partial + text
        lines = text.split("\n")
        self._partial = lines.pop()
        for line in lines:
            self.add_line(line.rstrip("\r"))

    def close(self):
        if self._partial.strip():
            self.add_line(self._partial.rstrip("\r"))
        self._partial = ""

    def add_line(self, line):
        sample = parse_line(line)
        if not sample:
            if line.strip():
                self.skipped += 1
            return
        x = self.count
        self.count += 1
        self.rows.append((x, sample))
        for name, value in sample:
            xs, ys = self.series.get(name) or self.series.setdefault(
                name, (array("d"), array("d")))
            xs.append(x)
            ys.append(value)
        if len(self.rows) > MAX_SAMPLES:
            self._drop_oldest(MAX_SAMPLES // 10)

    def _drop_oldest(self, n):
        first_kept = self.rows[n][0]
        del self.rows[:n]
        self.dropped += n
        for xs, ys in self.series.values():
            cut = 0
            while cut < len(xs) and xs[cut] < first_kept:
                cut += 1
            del xs[:cut]
            del ys[:cut]

    # -- as a table

    @property
    def names(self):
        return list(self.series)

    def records(self):
        """One dict per sample: {'sample': 0, 'temp': 21.5, 'hum': 40.0}."""
        return [{"sample": x, **dict(sample)} for x, sample in self.rows]

    def table(self):
        """A pandas DataFrame when pandas is installed, else the records."""
        records = self.records()
        try:
            import pandas
        except ImportError:
            return records
        return pandas.DataFrame.from_records(records, columns=["sample", *self.names])

    def csv_text(self):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["sample", *self.names])
        for x, sample in self.rows:
            values = dict(sample)
            writer.writerow([x, *(_csv_number(values.get(n)) for n in self.names)])
        return out.getvalue()

    def summary(self):
        names = ", ".join(self.names) or "none"
        text = f"{len(self.rows)} samples of {len(self.series)} series ({names})"
        if self.dropped:
            text += f"; the oldest {self.dropped} were let go"
        if self.skipped:
            text += f"; {self.skipped} lines without numbers"
        return text


def _csv_number(value):
    if value is None:
        return ""
    return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
