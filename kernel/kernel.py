"""The Jupyter kernel: a cell is MicroPython and runs on the board.

Built on ipykernel's IPythonKernel so that widgets, comms and `%%host` cells
(ordinary CPython on the host) work as in any Jupyter kernel; `do_execute` is
replaced so that a cell goes to the board instead of IPython.
"""

import asyncio
import contextvars
import os
import signal
import threading

from ipykernel.ipkernel import IPythonKernel

from boardlab.kernel import completion, display, inspection, magics
from boardlab.kernel.cell_value import with_value_sent
from boardlab.kernel.signals import SignalScanner
from boardlab.kernel.stdin import EOF, NO_STDIN, FrontendInput
from boardlab.kernel.board_names import ConnectionNames
from boardlab.kernel.connection import DEFAULT_URL, Connection, Opening
from boardlab.kernel.errors import CellError
from boardlab.kernel.output import StreamBatcher
from boardlab.transport.errors import PortUnavailable, TransportError, parse_exception_line

# Importing a magic module registers its magics.
from boardlab.kernel import magic_board  # noqa: F401
from boardlab.kernel import magic_files  # noqa: F401
from boardlab.kernel import magic_parts  # noqa: F401
from boardlab.kernel import magic_see  # noqa: F401

__version__ = "0.1.0"

# A cell of just one of these ends a `jupyter console` session (MicroPython
# has no exit builtin, so on the board they would only raise NameError).
LEAVE_WORDS = {"exit", "quit", "exit()", "quit()"}

# A board lost mid-cell (unplugged; a real Pico's USB port goes away while
# it resets) is opened again by the next cell, which waits this long for its
# port to come back rather than failing while the board still boots.
PORT_RETURN_SECONDS = 5.0

# Widget messages, which ipykernel itself handles alongside a running cell.
COMM_MESSAGES = {"comm_open", "comm_msg", "comm_close"}


class BoardKernel(IPythonKernel):
    implementation = "boardlab"
    implementation_version = __version__
    language_info = {
        "name": "micropython",
        "version": "3.4",
        "mimetype": "text/x-python",
        "file_extension": ".py",
        "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "python3",
        "nbconvert_exporter": "python",
    }
    help_links = [
        {"text": "MicroPython", "url": "https://docs.micropython.org/"},
    ]

    @property
    def banner(self):
        return (f"MicroPython (BoardLab {__version__}): cells run on the board "
                f"({self.board_url}). %lsmagic lists the magics.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.board_url = os.environ.get("BOARDLAB_BOARD") or DEFAULT_URL
        self.connection = None
        self.board_options = {}  # %connect's options, kept for connecting again
        self._opening = None  # a connection being made (the stop button cancels it)
        self._lost = False  # the board went away mid-cell: wait for its port to return
        self.names = completion.NameCache(None)  # what completion knows of the board
        self._connected_once = False  # a board was connected (a cell, %connect or Tab)
        self.after_cell = []  # callables run after each cell (the pin view refreshes)
        self._running_cell = None  # the execute_request of the cell running now
        self._main_shell_request = None  # the request the main shell handles now
        # Where input() asks: the identity of the frontend that sent the
        # request ipykernel handles (set_parent), and that of the running
        # cell's frontend, None when it cannot answer (allow_stdin false).
        self._request_route = contextvars.ContextVar("request_route", default=None)
        self._input_route = None
        self._frontend_input = FrontendInput(self.session, self.stdin_socket, self.log)
        self._payload = []

    # -- the board --------------------------------------------------------

    async def connect(self, url=None, wait_for_port=0.0, **options):
        """Open `url` (or the current board's), replacing any open board. A
        port that cannot be opened is tried again for `wait_for_port` seconds."""
        self.disconnect()
        url = url or self.board_url
        self._opening = opening = Opening()
        deadline = asyncio.get_running_loop().time() + wait_for_port
        try:
            while True:
                try:
                    self.connection = await Connection.open(url, opening=opening, **options)
                    break
                except PortUnavailable as err:
                    if asyncio.get_running_loop().time() >= deadline or opening.cancelled:
                        waited = f" (BoardLab waited {wait_for_port:g} s for it)" if wait_for_port else ""
                        raise CellError(type(err).__name__, str(err) + waited) from None
                    await asyncio.sleep(0.25)
                    if opening.cancelled:
                        raise CellError("ConnectInterrupted", f"stopped waiting for {url}") from None
                except TransportError as err:
                    raise CellError(type(err).__name__, str(err)) from None
        finally:
            self._opening = None
        self._lost = False
        self._connected_once = True
        self.board_url, self.board_options = url, options
        self.names = completion.NameCache(ConnectionNames(self.connection))
        return self.connection

    def disconnect(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None
            self.names = completion.NameCache(None)

    async def board(self):
        """The open board, connecting to the default one on first use, or
        again to the last one (as %connect opened it) after it was lost."""
        if self.connection is None:
            wait = PORT_RETURN_SECONDS if self._lost else 0.0
            await self.connect(wait_for_port=wait, **self.board_options)
        return self.connection

    async def run_on_board(self, code, listener=None, show_output=True, show_value=False):
        """Run board code; its output streams under the cell (unless not
        `show_output`) and goes to `listener(text)` too (%%plot reads it).
        With `show_value`, the value of its last expression is the cell's
        result (see cell_value.py)."""
        connection = await self.board()
        parent = self.get_parent("shell")
        batcher = StreamBatcher(lambda text: self.send_stream("stdout", text, parent))
        scanner = SignalScanner()
        refused = []
        values = []
        answering = []  # input() waits being answered
        stopped = threading.Event()  # the cell ended: stop waiting for answers
        if show_value:
            code = with_value_sent(code) or code

        def show(text):
            if show_output:
                batcher.add(text)
            if listener is not None and text:
                listener(text)

        def on_output(text):
            for kind, value in scanner.feed(text):
                if kind == "text":
                    show(value)
                elif kind == "input":
                    batcher.flush()
                    answering.append(asyncio.ensure_future(
                        self._answer_input(connection, value, parent, refused, stopped)))
                elif kind == "value":
                    values.append(value)

        try:
            result = await connection.run(
                code, on_output, on_notice=lambda text: self.send_stream("stderr", text, parent))
        except TransportError as err:
            if connection.lost(err) and connection is self.connection:
                self.disconnect()  # the next cell connects again
                self._lost = True
            raise CellError(*connection.explain(err)) from None
        finally:
            stopped.set()
            for failed in await asyncio.gather(*answering, return_exceptions=True):
                if failed is not None:  # the link went away: the run says so
                    self.log.warning("input() was not answered: %r", failed)
            show(scanner.close())
            batcher.close()
        if refused:
            raise CellError("StdinNotImplementedError", NO_STDIN)
        if result.traceback:
            raise board_error(result.traceback)
        if values:
            self.session.send(self.iopub_socket, "execute_result",
                              {"execution_count": self.shell.execution_count,
                               "data": {"text/plain": values[-1]}, "metadata": {}},
                              parent=parent, ident=display.topic(self, "execute_result"))

    async def _answer_input(self, connection, prompt, parent, refused, stopped):
        """The board waits in input(): ask the frontend, send the line."""
        if self._input_route is None:
            refused.append(prompt)
            connection.interrupt()  # the board would wait for ever
            return
        line = await asyncio.to_thread(self._frontend_input.ask, prompt, parent,
                                       self._input_route, stopped)
        if line is not None:
            connection.repl.write_stdin(line if line == EOF else line + "\r")

    def set_parent(self, ident, parent, channel="shell"):
        """ipykernel calls this for each request it handles; `ident` routes
        an input_request to the frontend that sent it."""
        super().set_parent(ident, parent, channel)
        if channel == "shell":
            self._request_route.set(ident)

    # -- Jupyter messages --------------------------------------------------

    def send_stream(self, name, text, parent=None):
        self.session.send(self.iopub_socket, "stream", {"name": name, "text": text},
                          parent=parent or self.get_parent("shell"),
                          ident=display.topic(self, "stream"))

    def print(self, text):
        """Show host text (a magic's answer) in the cell's output."""
        self.send_stream("stdout", text if text.endswith("\n") else text + "\n")

    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, *, cell_meta=None, cell_id=None):
        count = self.shell.execution_count
        if code.strip() in LEAVE_WORDS:
            # As in IPython: a console leaves; a notebook ignores the payload.
            return {"status": "ok", "execution_count": count, "user_expressions": {},
                    "payload": [{"source": "ask_exit", "keepkernel": False}]}
        self._input_route = self._request_route.get() if allow_stdin else None
        self._payload = []                 # what %%host cells ask of the frontend (a pager...)
        self._running_cell = self.get_parent("shell")
        on_main_shell = threading.current_thread() is threading.main_thread()
        if on_main_shell:
            previous_sigint = signal.signal(signal.SIGINT, self._sigint_handler())
        try:
            for run in self._plan(code):
                await run()
        except magics.MagicExit as done:
            if str(done):
                self.print(str(done))
        except magics.MagicError as err:
            return self._error_reply(CellError("UsageError", str(err)), count, silent)
        except CellError as err:
            return self._error_reply(err, count, silent)
        finally:
            self.names.invalidate()  # the cell may have defined names
            # Counted after the cell, as IPython does, so `Out[n]` of a %%host
            # cell shows this cell's number.
            if store_history:
                # Kept in IPython's history, so a console's up arrow and
                # %history find board cells too.
                self.shell.history_manager.store_inputs(count, code)
                self.shell.execution_count = count + 1
            self._running_cell = None
            if on_main_shell:
                signal.signal(signal.SIGINT, previous_sigint)
            self._after_cell()
        return {"status": "ok", "execution_count": count, "payload": self._payload,
                "user_expressions": {}}

    def _after_cell(self):
        for hook in list(self.after_cell):
            try:
                hook()
            except Exception:
                self.log.exception("after-cell hook %r failed", hook)

    def _plan(self, code):
        """The cell's steps, in order, as calls to make. Every magic line is
        parsed before anything runs, so a mistyped magic or a bad argument
        stops the cell before any of it reaches the board."""
        if code.startswith("%%"):
            first, _, body = code.partition("\n")
            found, args = magics.parse(first, cell=True)
            return [lambda: found.run(self, args, body)]
        steps = []
        parts = magics.split_cell(code)
        for number, (kind, text) in enumerate(parts, 1):
            if kind == "magic":
                found, args = magics.parse(text)
                steps.append(lambda found=found, args=args: found.run(self, args))
            else:
                # As in IPython, only the cell's last expression is its result.
                last = number == len(parts)
                steps.append(lambda text=text, last=last: self.run_on_board(text, show_value=last))
        return steps

    async def run_on_host(self, code):
        """Ordinary CPython in the kernel process, through IPython."""
        reply = await super().do_execute(code, silent=False, store_history=False,
                                         allow_stdin=self._input_route is not None)
        # IPython's payloads (`print?` opens the pager) go with the cell's reply.
        self._payload.extend(reply.get("payload", []))
        if reply["status"] == "error":
            raise CellError(reply["ename"], reply["evalue"], reply["traceback"],
                            shown=True)

    def _error_reply(self, err, count, silent):
        content = {"ename": err.ename, "evalue": err.evalue, "traceback": err.traceback}
        if not silent and not err.shown:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": count, **content}

    # -- the stop button -----------------------------------------------------
    #
    # The kernelspec's interrupt_mode is "message": ipykernel answers the
    # interrupt_request and sends the kernel process SIGINT, as a signal-mode
    # frontend would. While a cell runs, the kernel's own SIGINT handler turns
    # it into Ctrl-C for the board.

    def _sigint_handler(self):
        """SIGINT while a cell runs: Ctrl-C to the board when a cell runs
        there (the cell then ends with the board's KeyboardInterrupt), or the
        end of a connection being made; else what ipykernel does (a
        KeyboardInterrupt in host code)."""
        loop = asyncio.get_running_loop()
        previous = signal.getsignal(signal.SIGINT)

        def on_sigint(signum, frame):
            if self._opening is not None or (self.connection is not None
                                             and self.connection.busy):
                # Stopped from the event loop, not inside the signal handler.
                loop.call_soon_threadsafe(self._stop_board)
            elif callable(previous):
                previous(signum, frame)
        return on_sigint

    def _stop_board(self):
        if self._opening is not None:
            self._opening.cancel()
        elif self.connection is not None and self.connection.busy:
            self.connection.interrupt()

    # -- widget messages while a cell runs ------------------------------------
    #
    # Widget messages come on the main shell (jupyter_client has no
    # subshells; JupyterLab 4.4+ sends them on a subshell of their own, but
    # ipykernel 7.4 hands one to the main shell when that shell last sent on
    # its comm, as a cell's live view does). There ipykernel 7.4 handles
    # comm messages alongside a running cell, and says no busy or idle for
    # them. Those JupyterLab sends on a subshell ipykernel handles in that
    # subshell's thread, with busy and idle. Tab and Shift-Tab on the main
    # shell wait for the cell, as in every Jupyter kernel; on a subshell (a
    # subshell console) they are answered while the cell runs.

    def pre_handler_hook(self):
        """ipykernel calls this before each request it handles in turn (not
        for the comm messages it handles alongside), post_handler_hook after."""
        super().pre_handler_hook()
        if threading.current_thread() is threading.main_thread():
            self._main_shell_request = self.get_parent("shell")

    def post_handler_hook(self):
        if threading.current_thread() is threading.main_thread():
            self._main_shell_request = None
        super().post_handler_hook()

    def should_handle(self, stream, msg, idents):
        """ipykernel asks this just before it handles each shell message."""
        request = self._main_shell_request
        if (msg["header"]["msg_type"] in COMM_MESSAGES and request is not None
                and threading.current_thread() is threading.main_thread()):
            # A comm message handled alongside a request (a running cell):
            # its idle follows once its handler is done.
            asyncio.get_running_loop().call_soon(self._comm_answered, msg, request)
        return super().should_handle(stream, msg, idents)

    def _comm_answered(self, comm_msg, request):
        """ipywidgets' frontend sends a widget's next change only after the
        kernel said idle for its last one (its message throttle); without it
        a button or slider froze after its first change. Say idle for the
        comm message, then busy again for the request still running."""
        self._send_status("idle", comm_msg)
        if self._main_shell_request is request:
            self._send_status("busy", request)

    def _send_status(self, state, parent):
        self.session.send(self.iopub_socket, "status", {"execution_state": state},
                          parent=parent, ident=display.topic(self, "status"))

    # -- completion, inspection, is_complete ----------------------------------

    async def do_complete(self, code, cursor_pos):
        if code.startswith("%%host"):
            return super().do_complete(code.partition("\n")[2],
                                       max(cursor_pos - len(code.partition("\n")[0]) - 1, 0))
        await self._board_to_ask()
        # Board questions block on the link: ask them off the event loop.
        return await asyncio.to_thread(completion.complete, code, cursor_pos,
                                       self.names, magics.MAGICS)

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        await self._board_to_ask()
        return await asyncio.to_thread(inspection.inspect, code, cursor_pos,
                                       detail_level, self.names)

    async def _board_to_ask(self):
        """Before the first cell, Tab and Shift-Tab connect the simulated
        board, as that cell would, so they know what it has. A real board is
        left alone until a cell runs: connecting stops the program it runs
        and soft-resets it, which a key press must not do. Only the first
        board: after %disconnect, or a board lost, Tab waits for a cell."""
        if (self.connection is None and not self._connected_once and self._opening is None
                and self._running_cell is None and self.board_url.startswith("sim://")):
            try:
                await self.board()
            except CellError:
                pass  # the first cell says why; until then the stubs answer

    def do_is_complete(self, code):
        return inspection.is_complete(code)

    def do_history(self, hist_access_type, output, raw, session=0, start=0, stop=None,
                   n=None, pattern=None, unique=False):
        """IPython's history of the cells (board cells are stored in it too),
        each line naming its session by number. IPython names the running
        session 0 in lines it takes from memory (a range of this session),
        and by its number in those from its database (tail, search): a
        frontend that asks again with the number it was given must find it."""
        reply = super().do_history(hist_access_type, output, raw, session, start, stop,
                                   n, pattern, unique)
        this = self.shell.history_manager.session_number
        reply["history"] = [(number or this, line, text)
                            for number, line, text in reply["history"]]
        return reply

    def do_shutdown(self, restart):
        # A restart starts a new kernel that connects with a soft reset, so the
        # board comes back clean; here we only leave the raw REPL and let go.
        self.disconnect()
        return super().do_shutdown(restart)


def board_error(traceback):
    """The board's traceback text as a Jupyter error."""
    ename, evalue = parse_exception_line(traceback)
    lines = [line.rstrip("\r") for line in traceback.rstrip().splitlines()]
    return CellError(ename, evalue, lines)

