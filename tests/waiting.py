"""Waiting for what a test expects, instead of sleeping for a while and
hoping it happened: a condition polled until a deadline, a kernel cell
watched as it runs (to act once it printed something, then to collect it),
and a transport cell's output watched the same way."""

import queue
import threading
import time


def wait_until(predicate, timeout=10.0, what=None, interval=0.01):
    """predicate()'s first true value, polled until `timeout` seconds have
    passed; then an AssertionError naming `what` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what or predicate}")
        time.sleep(interval)


class Output:
    """An on_output callback (RawRepl.execute) that keeps each chunk and
    when it came; `printed(text)` is an event set once `text` has arrived."""

    def __init__(self):
        self.chunks, self.times = [], []
        self._events = {}
        self._lock = threading.Lock()

    def __call__(self, text):
        with self._lock:
            self.chunks.append(text)
            self.times.append(time.monotonic())
            for wanted, event in self._events.items():
                if wanted in self.text:
                    event.set()

    @property
    def text(self):
        return "".join(self.chunks)

    def printed(self, text):
        with self._lock:
            event = self._events.setdefault(text, threading.Event())
            if text in self.text:
                event.set()
            return event


class Then:
    """`action()` on a thread of its own once `event` is set: what a user, a
    cable or a button does while a cell runs. `at` is when it was done
    (None until then); join() waits for it."""

    def __init__(self, event, action, timeout=20):
        self.at = None
        self._thread = threading.Thread(target=self._run, args=(event, action, timeout), daemon=True)
        self._thread.start()

    def _run(self, event, action, timeout):
        if event.wait(timeout):
            self.at = time.monotonic()
            action()

    def join(self, timeout=20):
        self._thread.join(timeout)
        assert self.at is not None, "the event to act on never came"


class RunningCell:
    """A cell sent to a kernel, its iopub messages read as they come:

        cell = RunningCell(kc, "print('started')\\nwhile True: pass")
        cell.wait_for_stdout("started\\n")
        km.interrupt_kernel()
        run = cell.finish()             # a kernel_fixtures.Run

    `seen` keeps every iopub message (a widget's come with other parents);
    the Run has the cell's own, as kernel_fixtures.execute gives them."""

    def __init__(self, kc, code):
        self.kc = kc
        self.msg_id = kc.execute(code)
        self.seen, self.times = [], []
        self.ended = False

    def _read(self, timeout):
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return
        self.seen.append(msg)
        self.times.append(time.monotonic())
        if self.is_idle(msg, self.msg_id):
            self.ended = True

    @staticmethod
    def is_idle(msg, parent):
        return (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == parent
                and msg["content"]["execution_state"] == "idle")

    def stdout(self):
        """What the cell printed so far."""
        return "".join(m["content"]["text"] for m in self.seen
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
                       and m["parent_header"].get("msg_id") == self.msg_id)

    def wait_for(self, what, predicate, timeout=30):
        """Read iopub until predicate() holds (it may look at `seen`)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.ended:
                raise AssertionError(f"the cell ended before {what}: {self.stdout()!r}")
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}: {self.stdout()!r}")
            self._read(0.1)

    def wait_for_stdout(self, text, timeout=30):
        self.wait_for(f"the cell to print {text!r}", lambda: text in self.stdout(), timeout)

    def finish(self, timeout=30):
        """Read until the cell's idle; its Run (reply, own messages, times)."""
        from kernel_fixtures import Run     # (the kernel's packages, only for kernel tests)
        deadline = time.monotonic() + timeout
        while not self.ended:
            if time.monotonic() > deadline:
                raise AssertionError(f"the cell did not finish in {timeout} s: {self.stdout()!r}")
            self._read(0.1)
        while True:
            reply = self.kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
            if reply["parent_header"].get("msg_id") == self.msg_id:
                break
        own = [(m, t) for m, t in zip(self.seen, self.times)
               if m["parent_header"].get("msg_id") == self.msg_id]
        return Run(reply, [m for m, _ in own], [t for _, t in own])
