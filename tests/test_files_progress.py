"""Progress of file transfers: a bar only for transfers longer than a second,
at most ~10 updates a second, and a final line of text always. Unit tests with
a fake clock, and one real kernel uploading over a 115200-baud line."""

import asyncio
import os
import sys

from jupyter_client.manager import start_new_kernel

from boardlab.interpreter.pty import serve_pty
from boardlab.kernel.transfer_progress import Progress, size_text
from kernel_fixtures import execute
from waiting import RunningCell

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
from paced_link import PacedLink  # noqa: E402


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


class Bar:
    def __init__(self, label, total):
        self.label, self.updates, self.style = label, [], None

    def update(self, done, total, style=None):
        self.updates.append((done, total))
        self.style = style or self.style


class Kernel:
    def __init__(self):
        self.printed = []

    def print(self, text):
        self.printed.append(text)


def run_transfer(steps, total=100_000):
    """Feed (time, done) reports as a worker thread would; return (bars, printed)."""
    async def scenario():
        clock, kernel, bars = Clock(), Kernel(), []
        progress = Progress(kernel, "put /x.bin", total, clock=clock,
                            make_bar=lambda label, size: bars.append(Bar(label, size)) or bars[-1])
        for moment, done in steps:
            clock.now = moment
            progress.report(done, total)
            await asyncio.sleep(0)  # the loop runs the scheduled update
        progress.finish("Stored x.bin.")
        return bars, kernel.printed

    return asyncio.run(scenario())


def test_a_short_transfer_shows_no_bar_and_no_timing():
    bars, printed = run_transfer([(0.1, 50_000), (0.5, 100_000)])
    assert bars == []
    assert printed == ["Stored x.bin."]


def test_a_long_transfer_shows_a_bar_after_a_second_updated_ten_times_a_second():
    steps = [(t / 100, int(1000 * t)) for t in range(0, 201)]  # 2 s, a report every 10 ms
    bars, printed = run_transfer(steps, total=200_000)
    (bar,) = bars
    assert bar.label == "put /x.bin"
    shown = bar.updates[:-1]
    assert 9 <= len(shown) <= 11, shown  # from 1.0 s to 2.0 s
    assert shown[0][0] >= 100_000 - 1000
    assert bar.updates[-1] == (200_000, 200_000) and bar.style == "success"
    assert printed == ["Stored x.bin. 2.0 s, 97.7 KB/s."]


def test_size_words():
    assert [size_text(n) for n in (0, 1, 1023, 1536, 3 * 1024 * 1024)] == [
        "0 bytes", "1 byte", "1023 bytes", "1.5 KB", "3.00 MB"]


def test_a_slow_upload_shows_a_widget_bar_and_the_stop_button_keeps_the_old_file(kernelspec, tmp_path):
    served = serve_pty("sim://pico")
    line = PacedLink(served.path)  # 115200 baud: 12 KB take about a second
    (tmp_path / "slow.bin").write_bytes(os.urandom(16_000))
    env = dict(os.environ, BOARDLAB_BOARD=line.path)
    km, kc = start_new_kernel(kernel_name=kernelspec, env=env, cwd=str(tmp_path), startup_timeout=60)
    try:
        run = execute(kc, "%put slow.bin /slow.bin", timeout=60)
        assert run.reply["status"] == "ok", run.errors
        shown = run.of_type("display_data")
        assert len(shown) == 1
        data = shown[0]["content"]["data"]
        assert "application/vnd.jupyter.widget-view+json" in data
        assert data["text/plain"] == "put /slow.bin (15.6 KB) ..."
        updates = [m for m in run.of_type("comm_msg") if m["content"]["data"].get("method") == "update"]
        elapsed = run.times[-1] - run.times[0]
        assert 0 < len(updates) <= 3 * (elapsed * 10 + 3)  # ~10 a second, 3 times over
        assert run.stdout.startswith("Stored slow.bin on the board as /slow.bin (15.6 KB, checked by sha256). ")
        assert run.stdout.endswith(" KB/s.\n")

        # The stop button during the next upload, once its bar shows (a second
        # into about four): the old file stays.
        (tmp_path / "other.bin").write_bytes(os.urandom(48_000))
        cell = RunningCell(kc, "%put other.bin /slow.bin")
        cell.wait_for("the upload's bar", lambda: any(
            m["msg_type"] == "display_data" and m["parent_header"].get("msg_id") == cell.msg_id
            for m in cell.seen), timeout=60)
        km.interrupt_kernel()
        run = cell.finish(timeout=60)
        assert run.reply["status"] == "error"
        assert (run.reply["ename"], run.reply["evalue"]) == (
            "TransferInterrupted", "upload interrupted (Ctrl-C); the old file is kept: /slow.bin")
        run = execute(kc, "%get /slow.bin back.bin", timeout=60)
        assert run.reply["status"] == "ok", run.errors
        assert (tmp_path / "back.bin").read_bytes() == (tmp_path / "slow.bin").read_bytes()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        line.close()
        served.stop()
