"""What MicroPython's compiler does that CPython's does not, done on the AST
before CPython compiles board code.

* `@micropython.native`, `@micropython.viper`, `@micropython.asm_thumb` and
  `@micropython.asm_xtensa` are compiler directives on the board, never
  looked up at run time (no `import micropython` needed): they are dropped.
  mpy-cross has already checked that the function compiles for the board.
* `X = const(1)` is folded by MicroPython's compiler whether or not `const`
  was imported: the call is replaced by its argument.
* The friendly REPL prints the value of a top-level expression statement
  (through the builtin `__repl_print__`).

And two things for the board's sake:

* Repeating a sequence literal (`[0] * n`, `b"\x00" * n`, `"-" * 40`) goes
  through `__mp_repeat__`, which checks the board's heap before CPython
  allocates (memory.py).
* `OSError(...)` called in board code makes the board's OSError, whose
  `errno` is its first argument as in MicroPython (`OSError(2).errno == 2`;
  CPython's is None).
"""

import ast
import re

_SEQUENCE_REPEAT = re.compile(rb"""[\]\)'"]\s*\*[^*]|[^*]\*\s*[\[\('"bB]""")

_DIRECTIVES = {"native", "viper", "asm_thumb", "asm_xtensa"}


def _is_directive(decorator):
    return (isinstance(decorator, ast.Attribute) and decorator.attr in _DIRECTIVES
            and isinstance(decorator.value, ast.Name) and decorator.value.id == "micropython")


class CompilerDirectives(ast.NodeTransformer):
    def _function(self, node):
        node.decorator_list = [d for d in node.decorator_list if not _is_directive(d)]
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        is_const = (isinstance(func, ast.Name) and func.id == "const") or (
            isinstance(func, ast.Attribute) and func.attr == "const"
            and isinstance(func.value, ast.Name) and func.value.id == "micropython")
        if is_const and len(node.args) == 1 and not node.keywords:
            return node.args[0]
        return node


_SEQUENCES = (ast.List, ast.Tuple, ast.ListComp)


def _is_sequence(node):
    return isinstance(node, _SEQUENCES) or (
        isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)))


class BoardAllocations(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Mult) and (_is_sequence(node.left) or _is_sequence(node.right)):
            call = ast.Call(func=ast.Name("__mp_repeat__", ast.Load()), args=[node.left, node.right],
                            keywords=[])
            return ast.copy_location(call, node)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "OSError":
            node.func = ast.copy_location(ast.Name("__mp_oserror__", ast.Load()), node.func)
        return node


class ReplPrint(ast.NodeTransformer):
    def visit_Expr(self, node):
        call = ast.Call(func=ast.Name("__repl_print__", ast.Load()), args=[node.value], keywords=[])
        return ast.copy_location(ast.Expr(call), node)


def needs_rewrite(source):
    """Cheap test on the source bytes: is there anything to rewrite?"""
    return (b"micropython" in source or b"const(" in source or b"OSError(" in source
            or _SEQUENCE_REPEAT.search(source) is not None)


def rewrite(source, filename, repl):
    """The board's AST for `source` (SyntaxError as CPython raises it)."""
    tree = ast.parse(source, filename, mode="single" if repl else "exec")
    body = [BoardAllocations().visit(CompilerDirectives().visit(stmt)) for stmt in tree.body]
    if repl:
        body = [ReplPrint().visit(stmt) for stmt in body]
    module = ast.Module(body=body, type_ignores=[])
    ast.fix_missing_locations(module)
    return module
