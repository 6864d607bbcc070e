"""A real BoardLab kernel process, started through jupyter_client as Jupyter
starts it, with the kernelspec of this working tree."""

import os
import queue
import time

import pytest
from jupyter_client.manager import start_new_kernel

from boardlab.kernel.install import install


@pytest.fixture(scope="session")
def kernelspec(tmp_path_factory):
    """Install the kernelspec into a private prefix and point Jupyter at it."""
    prefix = tmp_path_factory.mktemp("prefix")
    install(prefix=str(prefix))
    share = str(prefix / "share" / "jupyter")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = share + (os.pathsep + old if old else "")
    yield "boardlab"
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


def start_kernel(kernelspec, board="sim://pico"):
    env = dict(os.environ, BOARDLAB_BOARD=board)
    km, kc = start_new_kernel(kernel_name=kernelspec, env=env, startup_timeout=60)
    return km, kc


class Run:
    """What one executed cell produced, as a frontend sees it."""

    def __init__(self, reply, messages, times):
        self.reply = reply["content"]
        self.messages = messages
        self.times = times  # arrival time of each message, same order

    @property
    def stdout(self):
        return "".join(m["content"]["text"] for m in self.messages
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    @property
    def errors(self):
        return [m["content"] for m in self.messages if m["msg_type"] == "error"]

    def of_type(self, msg_type):
        return [m for m in self.messages if m["msg_type"] == msg_type]


def execute(kc, code, timeout=30, during=None, answers=None, allow_stdin=True):
    """Run a cell; collect its iopub messages until the kernel is idle again.
    `during(kc)` is called once the cell is running (e.g. to interrupt it).
    `answers` are typed, in order, into the input boxes the cell asks for;
    the prompts asked are kept in `Run.prompts`."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    answers = list(answers or [])
    prompts = []
    messages, times = [], []
    deadline = time.monotonic() + timeout
    called = False
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            msg = None
        if time.monotonic() > deadline:
            raise AssertionError(f"cell did not finish in {timeout}s: {code!r}")
        while kc.stdin_channel.msg_ready():
            request = kc.get_stdin_msg(timeout=1)
            prompts.append(request["content"]["prompt"])
            kc.input(answers.pop(0) if answers else "")
        if msg is None or msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        times.append(time.monotonic())
        if during and not called and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "busy":
            called = True
            during(kc)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    run = Run(shell_reply(kc, msg_id, timeout), messages, times)
    run.prompts = prompts
    return run


def shell_reply(kc, msg_id, timeout=30):
    """The shell reply to `msg_id`, passing over replies to earlier requests
    (wait_for_ready after a restart leaves kernel_info replies behind)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def send_request(kc, msg_type, subshell=None, **content):
    """Send a shell request, on a kernel subshell (JEP 91) when `subshell`
    names one, else on the main shell; returns its msg_id."""
    msg = kc.session.msg(msg_type, content)
    msg["header"]["subshell_id"] = subshell
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def create_subshell(kc):
    """A kernel subshell, as JupyterLab 4.4+ makes one for a subshell console
    or for a notebook's widget messages."""
    request = kc.session.msg("create_subshell_request", {})
    kc.control_channel.send(request)
    while True:
        reply = kc.get_control_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            assert reply["content"]["status"] == "ok", reply["content"]
            return reply["content"]["subshell_id"]
