"""The raw-REPL client: the link to a board and the protocol spoken over it."""

from .errors import (
    BoardDisconnected,
    BoardExecError,
    BoardRebooted,
    BoardTimeout,
    TransportError,
)
from .link import close_link, open_link, register_url_handlers
from .raw_repl import RawRepl, Result

__all__ = [
    "BoardDisconnected",
    "BoardExecError",
    "BoardRebooted",
    "BoardTimeout",
    "RawRepl",
    "Result",
    "TransportError",
    "close_link",
    "open_link",
    "register_url_handlers",
]
