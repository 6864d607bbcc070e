"""Board definitions by name. `get_board("pico")` gives the definition the
simulator builds a board from: "pico", "picow", "esp32"."""

from .definition import BoardDefinition
from .esp32 import ESP32_DEVKIT
from .pico import PICO
from .picow import PICO_W

BOARDS = {board.name: board for board in (PICO, PICO_W, ESP32_DEVKIT)}


class UnknownBoard(LookupError):
    """No board of that name; the message lists the known ones."""


def get_board(name):
    try:
        return BOARDS[name.lower()]
    except KeyError:
        known = ", ".join(sorted(BOARDS))
        raise UnknownBoard(f"unknown board {name!r}; known boards: {known}") from None


__all__ = ["BOARDS", "BoardDefinition", "UnknownBoard", "get_board"]
