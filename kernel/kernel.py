"""The Jupyter kernel: a cell is MicroPython and runs on the board.

Built on ipykernel's IPythonKernel so that widgets, comms and `%%host` cells
(ordinary CPython on the host) work as in any Jupyter kernel; `do_execute` is
replaced so that a cell goes to the board instead of IPython.
"""

import asyncio
import contextvars
import os

from ipykernel.ipkernel import IPythonKernel

from IPython.core.error import StdinNotImplementedError

from boardlab.kernel import completion, display, inspection, magics
from boardlab.kernel.cell_value import with_value_sent
from boardlab.kernel.signals import SignalScanner
from boardlab.kernel.stdin import NO_STDIN
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

# Requests answered even while a cell runs: Tab and Shift-Tab must not wait for
# a loop on the board to end. They never touch the raw REPL while it is busy.
ANSWER_WHILE_RUNNING = {"complete_request", "inspect_request", "is_complete_request"}
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
        self._main_shell_requests = 0  # on the main shell: one answered, the rest queued

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
                    asyncio.ensure_future(self._answer_input(connection, value, refused))
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

    async def _answer_input(self, connection, prompt, refused):
        """The board waits in input(): ask the frontend, send the line."""
        try:
            line = await asyncio.to_thread(self.raw_input, prompt)
        except StdinNotImplementedError:
            refused.append(prompt)
            connection.interrupt()  # the board would wait for ever
            return
        connection.repl.write_stdin(line + "\r")

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
        self._allow_stdin = allow_stdin  # raw_input() asks the frontend only when allowed
        self._running_cell = self.get_parent("shell")
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
            self._after_cell()
        return {"status": "ok", "execution_count": count, "payload": [],
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
        reply = await super().do_execute(code, silent=False, store_history=False)
        if reply["status"] == "error":
            raise CellError(reply["ename"], reply["evalue"], reply["traceback"],
                            shown=True)

    def _error_reply(self, err, count, silent):
        content = {"ename": err.ename, "evalue": err.evalue, "traceback": err.traceback}
        if not silent and not err.shown:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": count, **content}

    async def interrupt_request(self, stream, ident, parent):
        """The stop button: Ctrl-C to the board when a cell runs there
        (the cell then ends with the board's KeyboardInterrupt), or the end
        of a connection being made."""
        if self._opening is not None:
            self._opening.cancel()
            self.session.send(stream, "interrupt_reply", {"status": "ok"}, parent,
                              ident=ident)
            return
        if self.connection is not None and self.connection.busy:
            self.connection.interrupt()
            self.session.send(stream, "interrupt_reply", {"status": "ok"}, parent,
                              ident=ident)
            return
        await super().interrupt_request(stream, ident, parent)

    # -- requests answered while a cell runs ---------------------------------
    #
    # Jupyter's own way to have requests answered while a cell runs is a
    # kernel subshell (JEP 91): ipykernel 7 runs each in a thread of its own,
    # and JupyterLab 4.4+ sends widget messages on one (ipykernel handles those
    # there, busy and idle included, while the cell runs on the main shell).
    # But a notebook's Tab and Shift-Tab come on its main shell, as does
    # everything from jupyter_client, which has no subshells, and a widget
    # message whose comm the kernel last sent on from the main shell (ipykernel
    # 7.4 hands it to that shell). There ipykernel 7.4 handles comm messages
    # alongside a running request, says no idle for them, and queues all else.
    # So the main shell's loop, shell_main (not a public API: pyproject bounds
    # ipykernel for it), is extended here.

    async def shell_main(self, subshell_id, msg):
        if subshell_id is not None:
            await super().shell_main(subshell_id, msg)
            return
        # While the main shell answers one request (the others queued behind
        # it), ipykernel handles a comm message alongside. Rarely, one comes
        # just as the next queued request starts: ipykernel then queues it
        # too and says idle for it itself, and the idle below is a second one.
        header = self._peek(msg) if self._main_shell_requests else None
        msg_type = header and header["header"]["msg_type"]
        if msg_type in ANSWER_WHILE_RUNNING:
            # As ipykernel does for comms: no busy/idle status (the cell's
            # own status stands) and the parent header set in a copied
            # context, so the running cell's output keeps its own.
            await asyncio.create_task(self.dispatch_shell(msg, concurrent=True),
                                      context=contextvars.copy_context())
        elif msg_type in COMM_MESSAGES:
            await super().shell_main(subshell_id, msg)  # handled alongside the cell
            self._comm_answered(header)
        else:
            self._main_shell_requests += 1
            try:
                await super().shell_main(subshell_id, msg)
            finally:
                self._main_shell_requests -= 1

    def _comm_answered(self, comm_msg):
        """ipywidgets' frontend sends a widget's next change only after the
        kernel said idle for its last one (its message throttle). ipykernel
        says nothing for a comm message it handles alongside a running
        request, which froze a button or slider after its first change. Say
        idle for the comm message, then busy again for the cell still running."""
        self._send_status("idle", comm_msg)
        if self._running_cell is not None:
            self._send_status("busy", self._running_cell)

    def _send_status(self, state, parent):
        self.session.send(self.iopub_socket, "status", {"execution_state": state},
                          parent=parent, ident=display.topic(self, "status"))

    def _peek(self, msg):
        """The message's headers, without its content. A deserialize with
        content would record its signature as seen, and ipykernel's own,
        which follows, would then refuse the message as a replay."""
        try:
            _, frames = self.session.feed_identities(msg, copy=False)
            return self.session.deserialize(frames, content=False, copy=False)
        except Exception:
            return None

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

