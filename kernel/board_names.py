"""Completion's questions to the board (completion.BoardNames), answered
with short raw-REPL expressions between cells.

Every answer is None while the board is busy running a cell: completion then
uses what it learnt before and the port's API stubs, and nothing is sent into
the raw REPL under a running cell. The expressions bind no names on the board
(`__import__` instead of `import`), so the user's globals stay as they were.
Asking about a module of the port's API that no cell imported imports it: a
built-in module costs nothing, a frozen Python one stays loaded, as after an
`import`.
"""

from boardlab.kernel.completion import safe_expression
from boardlab.transport.errors import BoardExecError, TransportError


# The attributes of an object and the names of their types, in one question.
# An instance's attributes are looked up on its class where it has them, so
# asking runs none of the user's property getters.
MEMBERS = ("(lambda o: (lambda c: [(n, type(getattr(c, n) if hasattr(c, n) else getattr(o, n, None)).__name__)"
           " for n in dir(o)])(o if isinstance(o, type) or type(o) is type(__import__('sys')) else type(o)))({})")
GLOBALS = "[(n, type(v).__name__) for n, v in globals().items()]"


class ConnectionNames:
    def __init__(self, connection):
        self.connection = connection
        self._port = None

    @property
    def port(self):
        if self._port is None:
            self._port = self._eval("__import__('sys').platform")
        return self._port or ""

    def members(self, expr):
        if expr is None:
            return self._members(GLOBALS)
        return self._members(MEMBERS.format(expr)) if safe_expression(expr) else {}

    def module_members(self, expr):
        if not safe_expression(expr):
            return {}
        module, _, rest = expr.partition(".")
        return self._members(MEMBERS.format(f"__import__({module!r})" + ("." + rest if rest else "")))

    def _members(self, expression):
        found = self._eval(expression, missing=[])
        return dict(found) if found is not None else None

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
