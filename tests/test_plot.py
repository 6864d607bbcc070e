"""%%plot: the numbers the board prints, as series (Thonny's and Mu's
conventions), drawn live and kept as a picture and a table.

Unit tests of the parser and the picture, then the kernel as Jupyter drives
it, on the simulated Pico."""

import base64
import csv
import re

import pytest

from boardlab.kernel import plot
from boardlab.kernel.plot_data import PlotData, parse_line

from kernel_fixtures import execute, start_kernel
from waiting import RunningCell


# -- the conventions --------------------------------------------------------

@pytest.mark.parametrize("line, sample", [
    ("temp: 21.5 hum: 40", [("temp", 21.5), ("hum", 40.0)]),          # Thonny
    ("x=1, y=-2", [("x", 1.0), ("y", -2.0)]),
    ("(1, 2, 3)", [("y1", 1.0), ("y2", 2.0), ("y3", 3.0)]),            # Mu's tuple
    ("42", [("y", 42.0)]),
    ("sensor2: 5", [("sensor2", 5.0)]),                                # a digit in a name
    ("Temperature: 21.5 C, Humidity: 40 %", [("Temperature", 21.5), ("Humidity", 40.0)]),
    ("a: 1e-3 b: +2.", [("a", 0.001), ("b", 2.0)]),
    ("The temperature is 21.5.", [("The temperature is", 21.5)]),
])
def test_numbers_in_a_line_become_named_samples(line, sample):
    assert parse_line(line) == sample


@pytest.mark.parametrize("line", ["hello", "", "version 1.2.3", "nan",
                                  ", ".join(["1"] * 17)])
def test_lines_that_are_not_samples(line):
    assert parse_line(line) == []


def test_output_in_pieces_gives_whole_lines():
    data = PlotData()
    for piece in ["temp: 2", "1.5 hum", ": 40\r\ntemp: 22 hum: 41\r", "\nnot a number\n",
                  "temp: 23 hum: 42"]:
        data.feed(piece)
    assert data.count == 2          # the last line has no newline yet
    data.close()
    assert data.records() == [
        {"sample": 0, "temp": 21.5, "hum": 40.0},
        {"sample": 1, "temp": 22.0, "hum": 41.0},
        {"sample": 2, "temp": 23.0, "hum": 42.0},
    ]
    assert data.skipped == 1
    assert data.names == ["temp", "hum"]


def test_csv_has_a_column_per_series_and_blanks_where_a_series_was_silent():
    data = PlotData()
    data.feed("a: 1\nb: 2.5\na: 3 b: 4\n")
    rows = list(csv.reader(data.csv_text().splitlines()))
    assert rows == [["sample", "a", "b"], ["0", "1", ""], ["1", "", "2.5"], ["2", "3", "4"]]


# -- the picture --------------------------------------------------------------

def _series_points(svg, name):
    match = re.search(rf"points='([^']*)' data-series='{re.escape(name)}'", svg)
    return [tuple(map(float, p.split(","))) for p in match.group(1).split()]


def test_the_picture_has_a_line_and_a_legend_entry_per_series():
    data = PlotData()
    data.feed("".join(f"temp: {20 + i % 5} hum: {40 + i % 3}\n" for i in range(50)))
    svg = plot.render(data, title="room")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert len(_series_points(svg, "temp")) == 50
    assert len(_series_points(svg, "hum")) == 50
    assert ">temp 24<" in svg and ">hum 41<" in svg     # legend with the last value
    assert ">room<" in svg


def test_thinning_keeps_a_spike_and_bounds_the_picture():
    data = PlotData()
    data.feed("".join(f"{1000 if i == 54321 else 0}\n" for i in range(200_000)))
    svg = plot.render(data)
    points = _series_points(svg, "y")
    assert len(points) <= plot.WIDTH
    top = min(y for _, y in points)             # SVG y grows downwards
    assert top < plot.MARGIN_TOP + 20, "the one sample at 1000 was thinned away"
    assert len(svg) < 30_000


def test_a_window_shows_the_last_n_samples_and_ylim_fixes_the_range():
    data = PlotData()
    data.feed("".join(f"{i}\n" for i in range(1000)))
    svg = plot.render(data, window=100, ylim=(0, 2000))
    points = _series_points(svg, "y")
    assert len(points) == 100
    assert ">900<" in svg and ">0<" in svg and ">2000<" in svg


# -- in the kernel --------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel(kernelspec):
    km, kc = start_kernel(kernelspec)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _widget_values(run, model_id):
    """The picture the live widget was given, message by message."""
    values = []
    for msg in run.of_type("comm_msg"):
        data = msg["content"]["data"]
        if msg["content"]["comm_id"] == model_id and data.get("method") == "update":
            if "value" in data.get("state", {}):
                values.append(data["state"]["value"])
    return values


PLOT_CELL = """%%plot --title demo
import math, time
for i in range(60):
    print('sin:', math.sin(i / 10), 'cos:', math.cos(i / 10))
    time.sleep_ms(20)
"""


def test_plot_draws_live_then_leaves_a_picture_and_the_data(kernel, tmp_path):
    run = execute(kernel, PLOT_CELL)
    assert run.reply["status"] == "ok", run.reply
    [shown] = run.of_type("display_data")
    model_id = shown["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    display_id = shown["content"]["transient"]["display_id"]
    updates = _widget_values(run, model_id)
    assert updates, "the plot was not redrawn while the cell ran"
    assert any("data-series='sin'" in svg for svg in updates)
    # the redraws came while the board was still printing
    first_redraw = next(i for i, m in enumerate(run.messages) if m["msg_type"] == "comm_msg")
    last_stream = max(i for i, m in enumerate(run.messages) if m["msg_type"] == "stream")
    assert first_redraw < last_stream
    [final] = run.of_type("update_display_data")
    assert final["content"]["transient"]["display_id"] == display_id
    picture = final["content"]["data"]["image/svg+xml"]
    assert "data-series='sin'" in picture and "data-series='cos'" in picture
    assert "application/vnd.jupyter.widget-view+json" not in final["content"]["data"]
    assert final["content"]["data"]["text/plain"] == "Plot: 60 samples of 2 series (sin, cos)"
    # the same picture for JupyterLab showing a notebook it does not trust
    html = final["content"]["data"]["text/html"]
    assert html.startswith('<img src="data:image/svg+xml;base64,')
    assert base64.b64decode(html.split(",", 1)[1].split('"', 1)[0]).decode() == picture
    assert run.stdout.count("\n") == 60        # the printed lines show too

    host = execute(kernel, "%%host\nrows = plot_data if isinstance(plot_data, list) "
                           "else plot_data.to_dict('records')\n"
                           "print(len(rows), rows[0]['sample'], round(rows[0]['cos'], 3), "
                           "board_output.count(chr(10)))")
    assert host.stdout.split() == ["60", "0", "1.0", "60"]

    target = tmp_path / "plot.csv"
    saved = execute(kernel, f"%plot --save {target}")
    assert saved.stdout.startswith("Saved 60 samples of 2 series (sin, cos) to ")
    rows = list(csv.reader(target.read_text().splitlines()))
    assert rows[0] == ["sample", "sin", "cos"] and len(rows) == 61


def test_a_thousand_samples_a_second_lose_nothing_and_stay_under_iopub_limits(kernel):
    run = execute(kernel, "%%plot --quiet --window 500\nimport time\n"
                          "for i in range(3000):\n"
                          "    print('a:', i, 'b:', -i)\n    time.sleep_us(900)\n"
                          "print('done')", timeout=60)
    assert run.reply["status"] == "ok", run.reply
    assert run.stdout == ""                 # --quiet
    check = execute(kernel, "%%host\nrows = plot_data if isinstance(plot_data, list) "
                            "else plot_data.to_dict('records')\n"
                            "printed = board_output.splitlines()\n"
                            "print(len(printed), len(rows), printed[-1], "
                            "[r['a'] for r in rows] == list(range(len(rows))))")
    assert check.reply["status"] == "ok", check.errors
    printed, samples, last, in_order = check.stdout.split()
    assert (int(printed), int(samples), last, in_order) == (3001, 3000, "done", "True")
    span = run.times[-1] - run.times[0]
    redraws = len(run.of_type("comm_msg"))
    assert redraws <= 12 * span, f"{redraws} redraws in {span:.1f}s"
    assert len(run.messages) / span < 50, f"{len(run.messages)} iopub messages in {span:.1f}s"
    size = sum(len(str(m["content"])) for m in run.messages)
    assert size / span < 300_000, f"{size / span:.0f} bytes/s of iopub"


def test_an_interrupted_plot_keeps_what_came_before(kernel):
    cell = RunningCell(kernel, "%%plot\nimport time\ni = 0\nwhile True:\n    print(i)\n"
                               "    i += 1\n    time.sleep_ms(10)")
    cell.wait_for_stdout("\n5\n")
    kernel_manager_interrupt(kernel)
    run = cell.finish()
    assert run.reply["status"] == "error" and run.reply["ename"] == "KeyboardInterrupt"
    [final] = run.of_type("update_display_data")
    assert "data-series='y'" in final["content"]["data"]["image/svg+xml"]


def kernel_manager_interrupt(kc):
    """The stop button: an interrupt_request on the control channel."""
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)


def test_bad_plot_options_are_usage_errors(kernel):
    run = execute(kernel, "%%plot --ylim 5 1\nprint(1)")
    assert run.reply["ename"] == "UsageError" and "LOW < HIGH" in run.reply["evalue"]
    run = execute(kernel, "%%plot --window 1\nprint(1)")
    assert run.reply["ename"] == "UsageError"
