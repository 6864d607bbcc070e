"""Live plots of what the board prints, drawn by the kernel as SVG.

Why SVG from the kernel: an ipywidgets HTML widget whose value the kernel
replaces redraws in the browser while the cell still runs (ipympl does not),
needs no frontend extension beyond ipywidgets, no network, and the same
picture is the static copy the notebook keeps when the cell ends
(display.picture, which JupyterLab, nbconvert and GitHub show).

Rates: samples are parsed as they arrive (nothing is lost at 1000 lines/s),
but the picture is redrawn at most REDRAW_RATE times a second, and less
often when a picture is big, so the widget's messages stay far below the
notebook server's iopub limits (1000 messages/s, 1 MB/s). A series is drawn
with at most two points per horizontal pixel pair (min and max of the samples
there), so a spike is never lost to thinning.
"""

import asyncio
import itertools
import logging
import math
import time
from bisect import bisect_left
from html import escape

import ipywidgets as widgets

from boardlab.kernel import display
from boardlab.kernel.plot_data import PlotData

log = logging.getLogger(__name__)

REDRAW_RATE = 10            # pictures a second, at most
BYTES_PER_SECOND = 200_000  # what the redraws may send, at most
WIDTH, HEIGHT = 680, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 150, 24, 30
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


_clip_ids = itertools.count(1)


def render(data, window=None, ylim=None, title="", live=False, clip=None):
    """The plot of `data` (PlotData) as an SVG string. `clip` names the
    plot area's clip path (unique in the page; one per plot is enough)."""
    clip = clip or f"boardlab-plot-{next(_clip_ids)}"
    left, top = MARGIN_LEFT, MARGIN_TOP
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    last = data.count - 1
    x0 = max(0, last - window + 1) if window else (data.rows[0][0] if data.rows else 0)
    x1 = max(last, x0 + 1)
    drawn = {name: _thin(xs, ys, x0, x1, plot_w // 2)
             for name, (xs, ys) in data.series.items()}
    if ylim:
        y0, y1 = ylim
    else:
        values = [y for points in drawn.values() for _, y in points]
        y0, y1 = _auto_range(values)

    def sx(x):
        return left + (x - x0) / (x1 - x0) * plot_w

    def sy(y):
        return top + plot_h - (y - y0) / (y1 - y0) * plot_h

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' class='boardlab-plot' width='{WIDTH}' "
           f"height='{HEIGHT}' viewBox='0 0 {WIDTH} {HEIGHT}' "
           "font-family='DejaVu Sans, Arial, sans-serif' font-size='11'>",
           f"<rect width='{WIDTH}' height='{HEIGHT}' fill='#ffffff'/>"]
    if title:
        out.append(f"<text x='{left}' y='15' font-size='12' font-weight='bold'>"
                   f"{escape(title)}</text>")
    if live:
        out.append(f"<circle cx='{left + plot_w - 30}' cy='11' r='4' fill='#e53935'/>"
                   f"<text x='{left + plot_w - 22}' y='15' fill='#555'>live</text>")
    out.append(f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' "
               "fill='none' stroke='#b0bec5'/>")
    for y in _ticks(y0, y1):
        py = sy(y)
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{py:.1f}' y2='{py:.1f}' "
                   f"stroke='#eceff1'/><text x='{left - 4}' y='{py + 4:.1f}' "
                   f"text-anchor='end' fill='#555'>{_tick_text(y, y0, y1)}</text>")
    for x in _ticks(x0, x1):
        if x != int(x):
            continue
        px = sx(x)
        out.append(f"<text x='{px:.1f}' y='{top + plot_h + 14}' text-anchor='middle' "
                   f"fill='#555'>{int(x)}</text>")
    out.append(f"<text x='{left + plot_w}' y='{HEIGHT - 3}' text-anchor='end' "
               "fill='#888'>sample</text>")
    out.append(f"<clipPath id='{clip}'><rect x='{left}' y='{top}' width='{plot_w}' "
               f"height='{plot_h}'/></clipPath>")
    for index, (name, points) in enumerate(drawn.items()):
        colour = COLOURS[index % len(COLOURS)]
        if points:
            coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
            out.append(f"<polyline clip-path='url(#{clip})' fill='none' stroke='{colour}' "
                       f"stroke-width='1.5' points='{coords}' data-series='{escape(name)}'/>")
        ly = top + 8 + index * 16
        ys = data.series[name][1]
        value = f" {_value_text(ys[-1])}" if len(ys) else ""
        out.append(f"<rect x='{left + plot_w + 12}' y='{ly - 5}' width='14' height='3' "
                   f"fill='{colour}'/><text x='{left + plot_w + 30}' y='{ly}' "
                   f"class='legend'>{escape(name)}{escape(value)}</text>")
    if not data.series:
        out.append(f"<text x='{left + plot_w / 2}' y='{top + plot_h / 2}' text-anchor='middle' "
                   "fill='#999'>waiting for numbers from the board</text>")
    out.append("</svg>")
    return "".join(out)


def _thin(xs, ys, x0, x1, buckets):
    """The points of one series between x0 and x1, at most two per bucket
    (the bucket's min and max, in the order they came)."""
    start = bisect_left(xs, x0)
    n = len(xs) - start
    if n <= 2 * buckets:
        return list(zip(xs[start:], ys[start:]))
    points = []
    width = (x1 - x0) / buckets
    i = start
    end = len(xs)
    for b in range(buckets):
        limit = x0 + (b + 1) * width
        j = bisect_left(xs, limit, i, end) if b < buckets - 1 else end
        if j > i:
            seg = ys[i:j]
            low, high = min(seg), max(seg)
            x = xs[i]
            if seg[0] <= seg[-1]:
                points += [(x, low), (x, high)]
            else:
                points += [(x, high), (x, low)]
        i = j
    return points


def _auto_range(values):
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if low == high:
        return low - 1, high + 1
    pad = (high - low) * 0.05
    return low - pad, high + pad


def _ticks(low, high, count=5):
    span = high - low
    if span <= 0:
        return []
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def _tick_text(value, low, high):
    span = abs(high - low)
    decimals = max(0, -math.floor(math.log10(span / 5))) if span else 0
    return f"{value:.{min(decimals, 6)}f}"


def _value_text(value):
    return f"{value:.6g}"


class LivePlot:
    """One %%plot: a live widget while the cell runs, a picture after."""

    def __init__(self, kernel, window=None, ylim=None, title=""):
        self.kernel = kernel
        self.window = window
        self.ylim = ylim
        self.title = title
        self.data = PlotData()
        self.output = []          # the board's printed text
        self.clip = f"boardlab-plot-{next(_clip_ids)}"
        self.widget = widgets.HTML(value=self.picture(live=True),
                                   _dom_classes=["boardlab-live-plot"])
        self.display_id = display.new_display_id()
        self.redraws = 0
        self._dirty = False
        self._task = None
        self._parent = None

    def picture(self, live=False):
        return render(self.data, self.window, self.ylim, self.title, live=live,
                      clip=self.clip)

    def start(self):
        """Show the live widget under the running cell and start redrawing."""
        self._parent = self.kernel.get_parent("shell")
        bundle = {**display.widget_view(self.widget), "image/svg+xml": self.widget.value,
                  "text/plain": "Live plot (runs while the cell runs)"}
        display.publish(self.kernel, bundle, self.display_id, parent=self._parent)
        self._task = asyncio.ensure_future(self._redraw_loop())

    def feed(self, text):
        """The board's output as it arrives (called on the event loop)."""
        self.output.append(text)
        self.data.feed(text)
        self._dirty = True

    async def _redraw_loop(self):
        interval = 1 / REDRAW_RATE
        try:
            while True:
                await asyncio.sleep(interval)
                if not self._dirty:
                    continue
                self._dirty = False
                began = time.monotonic()
                picture = self.picture(live=True)
                self.widget.value = picture
                self.redraws += 1
                spent = time.monotonic() - began
                # Bigger pictures and slower drawing: fewer redraws.
                interval = max(1 / REDRAW_RATE, len(picture) / BYTES_PER_SECOND, 4 * spent)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("live plot redraw failed")

    def finish(self):
        """Stop redrawing; the output becomes the static picture."""
        self.data.close()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        display.publish(self.kernel, self.static_bundle(), self.display_id, update=True,
                        parent=self._parent)
        self.widget.close()

    def static_bundle(self):
        return display.picture(self.picture(), f"Plot: {self.data.summary()}")

    @property
    def board_output(self):
        return "".join(self.output).replace("\r\n", "\n")
