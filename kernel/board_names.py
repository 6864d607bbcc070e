"""Completion's questions to the board (completion.BoardNames), answered
with short raw-REPL expressions between cells.

Every answer is None while the board is busy running a cell: completion then
uses what it learnt before and the port's API stubs, and nothing is sent into
the raw REPL under a running cell. The expressions bind no names on the board
(`__import__` instead of `import`), so the user's globals stay as they were.
"""

from boardlab.kernel.completion import safe_expression
from boardlab.transport.errors import BoardExecError, TransportError


class ConnectionNames:
    def __init__(self, connection):
        self.connection = connection
        self._port = None

    @property
    def port(self):
        if self._port is None:
            self._port = self._eval("__import__('sys').platform")
        return self._port or ""

    def dir(self, expr):
        if expr is not None and not safe_expression(expr):
            return []
        return self._eval(f"dir({expr or ''})", missing=[])

    def listdir(self, path):
        folder = repr(path or ".")
        return self._eval(
            f"[(e[0], e[1] == 0x4000) for e in __import__('os').ilistdir({folder})]",
            missing=[])

    def info(self, expr):
        if not safe_expression(expr):
            return None
        found = self._eval(f"(type({expr}).__name__, repr({expr})[:2000])")
        return tuple(found) if found else None

    def _eval(self, expression, missing=None):
        """The expression's value, `missing` when the board raises (a name it
        does not have), None when it cannot be asked now."""
        try:
            return self.connection.try_call(self.connection.repl.eval, expression)
        except BoardExecError:
            return missing
        except (TransportError, ValueError, SyntaxError):
            return None
