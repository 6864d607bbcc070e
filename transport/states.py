"""Where the raw-REPL client and the board stand: one `State`, and the steps
allowed between states.

`RawRepl` (raw_repl.py) holds one State and changes it only through its
`_move`, which refuses a step that `TRANSITIONS` does not list. The thread
that runs cells makes most steps; `interrupt()`, `hard_reset()` and
`close()` make theirs from another thread. A step and the bytes that make it
(Ctrl-C for INTERRUPTING, the code's last Ctrl-D for RUNNING) go out under
one lock, so no other thread's bytes come between them.

    UNKNOWN, FRIENDLY --enter_raw--> ENTERING --banner and ">"--> RAW_IDLE

    RAW_IDLE --execute--> PASTING --the code's last Ctrl-D--> RUNNING
                             |                                 |
                          interrupt                  the framing ends
                             v                                 v
                        INTERRUPTING ---the framing ends---> RAW_IDLE

    RUNNING, INTERRUPTING --hard_reset--> RESETTING
    RESETTING --the reset went out--> REBOOTING --the board restarted--> FRIENDLY
    RESETTING --no way to reset-----> STUCK --BoardStuck--> UNKNOWN
    (and REBOOTING --a pulse on RTS showed no effect: BoardStuck--> UNKNOWN)

    RAW_IDLE --soft_reset--> SOFT_RESETTING --banner and ">"--> RAW_IDLE
    RAW_IDLE --exit_raw--> FRIENDLY

A cell that ends with the board restarted goes to FRIENDLY (a hard reset:
the board sits in its friendly REPL) or SOFT_RESETTING (sys.exit(): it comes
back to the raw REPL by itself). A step that fails half-way leaves UNKNOWN
(the next cell enters the raw REPL again); a link that fails leaves LOST;
close() leaves CLOSED. LOST and CLOSED are final: only a new link helps.
"""

import enum


class State(enum.Enum):
    # Hashed by identity, in C: Enum's own __hash__ is Python code, and the
    # state is looked up in these sets at every step of every cell.
    __hash__ = object.__hash__

    # Just opened, or a step failed half-way: the next call enters the raw
    # REPL first.
    UNKNOWN = "not known"

    # At the friendly REPL (">>> "): after exit_raw(), or a hard reset.
    FRIENDLY = "friendly REPL"

    # Ctrl-C to stop what runs, Ctrl-A, then the raw REPL's banner and ">".
    ENTERING = "entering the raw REPL"

    # At the raw REPL's ">" with an empty buffer: ready for code. An idle
    # board sends nothing here; bytes that come mean it restarted.
    RAW_IDLE = "at the raw REPL prompt"

    # Ctrl-D on the empty buffer (or sys.exit() in a cell): the VM restarts,
    # boot.py runs, the raw REPL's banner and ">" come again.
    SOFT_RESETTING = "soft-resetting"

    # A cell's code goes to the board: in raw-paste windows, or in plain raw
    # pieces on firmware without raw paste.
    PASTING = "sending the code"

    # The code is complete on the board (its last Ctrl-D went out): the board
    # runs it, and its output is followed to the end of its framing.
    RUNNING = "running"

    # interrupt() sent Ctrl-C during PASTING or RUNNING: no more code goes
    # out, and the cell ends through its framing (KeyboardInterrupt), or at
    # once when plain raw code was not complete yet.
    INTERRUPTING = "interrupting"

    # hard_reset() is restarting the board under a cell that ignores Ctrl-C
    # (the link's own reset, or a pulse on RTS): the cell ends after it.
    RESETTING = "resetting"

    # The reset went out. After the link's own reset the board restarts for
    # certain; after a pulse on RTS its boot log is the evidence, and a board
    # that shows none in time is stuck.
    REBOOTING = "rebooting"

    # hard_reset() found no way to reset the board over this link: the cell
    # ends with BoardStuck (the board may still run the code).
    STUCK = "stuck"

    # The link failed (unplugged, closed at the far end): every call raises
    # BoardDisconnected.
    LOST = "link lost"

    # close() was called: every call raises BoardDisconnected.
    CLOSED = "closed"


# A step in progress: one that fails half-way leaves the board where nobody knows.
BUSY = frozenset({State.ENTERING, State.SOFT_RESETTING, State.PASTING, State.RUNNING,
                  State.INTERRUPTING, State.RESETTING, State.REBOOTING, State.STUCK})
FINAL = frozenset({State.LOST, State.CLOSED})
# hard_reset() acts on a cell whose code runs; outside one there is nothing to stop.
CELL_RUNS = frozenset({State.RUNNING, State.INTERRUPTING})
AFTER_HARD_RESET = frozenset({State.RESETTING, State.REBOOTING, State.STUCK})
# Where a cell ends: at the raw prompt, or on a board that restarted instead
# (soft: back to the raw REPL by itself; hard: in the friendly REPL).
_CELL_ENDS = {State.RAW_IDLE, State.SOFT_RESETTING, State.FRIENDLY}

TRANSITIONS = {
    State.UNKNOWN: {State.ENTERING},
    State.FRIENDLY: {State.ENTERING},
    State.ENTERING: {State.RAW_IDLE},
    # ENTERING again: enter_raw() at the prompt (a restart seen while idle).
    State.RAW_IDLE: {State.PASTING, State.SOFT_RESETTING, State.FRIENDLY, State.ENTERING},
    State.SOFT_RESETTING: {State.RAW_IDLE},
    State.PASTING: {State.RUNNING, State.INTERRUPTING},
    State.RUNNING: {State.INTERRUPTING, State.RESETTING, *_CELL_ENDS},
    # RAW_IDLE straight from INTERRUPTING: plain raw code cut short, which
    # the board dropped with its buffer.
    State.INTERRUPTING: {State.RESETTING, *_CELL_ENDS},
    State.RESETTING: {State.REBOOTING, State.STUCK},
    # RAW_IDLE from REBOOTING or STUCK: the cell ended by itself as the reset
    # went out; a restart then shows at the next cell.
    State.REBOOTING: {State.FRIENDLY, State.RAW_IDLE},
    State.STUCK: set(_CELL_ENDS),
    State.LOST: set(),
    State.CLOSED: set(),
}
# And from anywhere: a step broken off half-way, a link lost, close().
for _state in State:
    if _state in BUSY:
        TRANSITIONS[_state].add(State.UNKNOWN)
    if _state not in FINAL:
        TRANSITIONS[_state].add(State.LOST)
    if _state is not State.CLOSED:
        TRANSITIONS[_state].add(State.CLOSED)
