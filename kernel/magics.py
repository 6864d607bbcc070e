"""Magics: lines starting with `%` (and cells starting with `%%`), handled on
the host and never sent to the board.

Each magic is an async function registered with `@magic`, with its arguments
declared for argparse, so every magic has `--help` and a bad argument is an
error on the host before anything reaches the board.
"""

import argparse
import os
import difflib
import shlex
from dataclasses import dataclass

MAGICS = {}


class MagicError(Exception):
    """A magic was misused or failed; the message says what to do."""


class MagicExit(Exception):
    """A magic finished early with text for the user (e.g. after `--help`)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting the kernel."""

    def error(self, message):
        raise MagicError(f"{self.prog}: {message}\n{self.format_usage().strip()}")

    def exit(self, status=0, message=None):
        raise MagicExit(message or "")

    def print_help(self, file=None):
        raise MagicExit(self.format_help())


@dataclass
class Magic:
    name: str
    summary: str
    parser: argparse.ArgumentParser
    run: object  # async (kernel, args[, body]) -> None
    cell: bool

    @property
    def title(self):
        return ("%%" if self.cell else "%") + self.name


def arg(*names, **options):
    """One argument of a magic, as for argparse's add_argument."""
    return names, options


def magic(name, summary, *arguments, cell=False):
    """Register an async function as the magic `%name` (or `%%name` when cell)."""
    def register(run):
        prefix = "%%" if cell else "%"
        parser = _Parser(prog=prefix + name, description=summary, add_help=True)
        for names, options in arguments:
            parser.add_argument(*names, **options)
        _store(Magic(name, summary, parser, run, cell))
        return run
    return register


def _store(entry):
    """MAGICS is keyed by name; a line magic and a cell magic may share a
    name (%plot and %%plot), the cell magic then goes under '%%name'."""
    other = MAGICS.get(entry.name)
    if other is None or other.cell == entry.cell:
        MAGICS[entry.name] = entry
    elif entry.cell:
        MAGICS["%%" + entry.name] = entry
    else:
        MAGICS["%%" + entry.name] = other
        MAGICS[entry.name] = entry


def find(name, cell):
    """The magic called `name`, or MagicError with a suggestion."""
    for found in (MAGICS.get(name), MAGICS.get("%%" + name)):
        if found is not None and found.cell == cell:
            return found
    found = MAGICS.get(name)
    prefix = "%%" if cell else "%"
    if found is not None:
        other = "%" if cell else "%%"
        raise MagicError(f"{prefix}{name} is not a {'cell' if cell else 'line'} magic: "
                         f"use {other}{name}")
    known = [m.name for m in MAGICS.values() if m.cell == cell]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {prefix}{close[0]}?" if close else ""
    raise MagicError(f"Unknown magic {prefix}{name}.{hint} %lsmagic lists the magics.")


def parse(line, cell=False):
    """`%connect /dev/ttyACM0 --baud 9600` -> (Magic, argparse.Namespace)."""
    prefix = "%%" if cell else "%"
    text = line[len(prefix):]
    try:
        words = shlex.split(text, posix=True)
    except ValueError as err:
        raise MagicError(f"{prefix}{text.split()[0] if text.split() else ''}: {err}")
    if not words:
        raise MagicError(f"A bare {prefix} is not a magic. %lsmagic lists the magics.")
    found = find(words[0], cell)
    return found, found.parser.parse_args(words[1:])


def listing():
    """The text of %lsmagic: every magic with its one-line summary."""
    width = max(len(m.name) for m in MAGICS.values()) + 2
    lines = ["Magics (each takes --help):"]
    for m in sorted(MAGICS.values(), key=lambda m: (m.cell, m.name)):
        prefix = "%%" if m.cell else "%"
        lines.append(f"  {prefix}{m.name:<{width}}{m.summary}")
    return "\n".join(lines) + "\n"


def split_cell(code):
    """Cut a cell into steps, in order: ('magic', line) for each `%` line and
    ('code', text) for the board code between them. Code keeps its line
    numbers: earlier lines become blank lines, so the board's traceback points
    at the cell's own line."""
    steps = []
    block = []
    start = 0
    for number, line in enumerate(code.splitlines()):
        if line.startswith("%"):
            if any(part.strip() for part in block):
                steps.append(("code", "\n" * start + "\n".join(block)))
            steps.append(("magic", line))
            block, start = [], number + 1
        else:
            block.append(line)
    if any(part.strip() for part in block):
        steps.append(("code", "\n" * start + "\n".join(block)))
    return steps


REFERENCE_START = "<!-- BEGIN GENERATED from the kernel's magic registry"
REFERENCE_END = "<!-- END GENERATED -->"


def reference():
    """docs/magics.md's reference part: a table of the magics, then each
    one's --help, as `%help NAME` prints it (wrapped at 80 columns)."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse's wrapping width
    try:
        found = sorted(MAGICS.values(), key=lambda m: (m.cell, m.name))
        fence = "`" * 3
        text = "| magic | what it does |\n|---|---|\n"
        text += "".join(f"| `{m.title}` | {m.summary.replace('<', '&lt;')} |\n" for m in found)
        text += "".join(f"\n### `{m.title}`\n\n{fence}\n{m.parser.format_help().rstrip()}\n{fence}\n"
                        for m in found)
        return text
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def write_reference(page_path):
    """Put reference() into the page between its GENERATED markers."""
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    start = page.index("\n", page.index(REFERENCE_START)) + 1
    end = page.index(REFERENCE_END)
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page[:start] + reference() + "\n" + page[end:])
