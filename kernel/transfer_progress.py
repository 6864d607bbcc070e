"""Progress of a file transfer: a bar (an ipywidgets IntProgress) once the
transfer has taken a second, and one line of text when it ends.

The transfer runs in a worker thread and reports every block; only a few
reports a second are passed to the event loop, which owns the widget (its
comm messages go out from there). The bar's display message carries a text
form too, so a frontend without widgets shows a line instead. Transfers
shorter than a second show no bar and their final line has no timing in it,
so notebooks tested with nbval on the simulated board stay reproducible.
"""

import asyncio
import time

SHOW_AFTER = 1.0  # seconds: a transfer this long gets a bar
UPDATE_EVERY = 0.1  # seconds between two updates of the bar (at most ~10 a second)


def size_text(count):
    if count < 1024:
        return f"{count} byte" + ("" if count == 1 else "s")
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.2f} MB"


class Progress:
    """Made on the event loop, inside the magic; `report(done, total)` may be
    called from any thread."""

    def __init__(self, kernel, label, total, clock=time.monotonic, make_bar=None):
        self.kernel = kernel
        self.label = label
        self.total = total or 0
        self.clock = clock
        self.started = clock()
        self.loop = asyncio.get_running_loop()
        self.make_bar = make_bar or show_bar
        self.bar = None
        self.done = 0
        self.finished = False
        self._last_report = None

    def report(self, done, total):
        now = self.clock()
        recent = self._last_report is not None and now - self._last_report < UPDATE_EVERY
        if recent and done < total:
            return
        self._last_report = now
        self.loop.call_soon_threadsafe(self._update, done, total)

    def _update(self, done, total):
        if self.finished:
            return
        self.done, self.total = done, total
        if self.bar is None:
            if self.clock() - self.started < SHOW_AFTER or done >= total:
                return
            self.bar = self.make_bar(self.label, total)
        self.bar.update(done, total)

    def finish(self, text):
        """The transfer is over: the bar full, and `text` (with the time and
        rate when it was long enough to show a bar) printed."""
        self.finished = True
        if self.bar is not None:
            elapsed = max(self.clock() - self.started, 1e-6)
            self.bar.update(self.total, self.total, style="success")
            text += f" {elapsed:.1f} s, {size_text(int(self.total / elapsed))}/s."
        self.kernel.print(text)

    def fail(self):
        self.finished = True
        if self.bar is not None:
            self.bar.update(self.done, self.total, style="danger")


class WidgetBar:
    """Label, bar, and 'done of total' as an HBox of ipywidgets."""

    def __init__(self, label, total):
        import ipywidgets
        from IPython.display import display

        self.bar = ipywidgets.IntProgress(value=0, min=0, max=max(total, 1))
        self.count = ipywidgets.Label("")
        self.box = ipywidgets.HBox([ipywidgets.Label(label), self.bar, self.count])
        bundle = self.box._repr_mimebundle_()
        bundle["text/plain"] = f"{label} ({size_text(total)}) ..."
        display(bundle, raw=True)

    def update(self, done, total, style=None):
        self.bar.max = max(total, 1)
        self.bar.value = min(done, self.bar.max)
        self.count.value = f"{size_text(done)} of {size_text(total)}"
        if style:
            self.bar.bar_style = style


def show_bar(label, total):
    try:
        return WidgetBar(label, total)
    except ImportError:  # no ipywidgets: the final line is the only progress
        return _NoBar()


class _NoBar:
    def update(self, done, total, style=None):
        pass
