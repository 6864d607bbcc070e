"""The stubs' docstrings are MicroPython's documentation in Sphinx's
reStructuredText (`:class:`ADC``, `Usage Model::`, `.. note::`). Shift-Tab
shows them as plain text (what Jupyter's console and JupyterLab's
completion panel show) and as Markdown (what JupyterLab's tooltip renders).

This reads the constructs those docstrings use: paragraphs, bullet and
numbered lists, `::` literal blocks, doctests, section titles, tables (kept
as drawn), admonitions (`.. note::`), `.. code-block::` and the inline markup
(roles, ``literals``, links, substitutions; *emphasis* reads the same in
Markdown). docutils would want each Sphinx role and directive declared, and
has no plain-text or Markdown writer; the docstrings are also looser than
docutils accepts (a note whose text lost its indent). Anything else passes
through as text.
"""

import re
from dataclasses import dataclass, field


@dataclass
class Paragraph:
    lines: list


@dataclass
class Literal:
    """A block of code, shown as it is."""
    lines: list
    language: str = "python"


@dataclass
class Table:
    """A simple or grid table: its columns line up as written."""
    lines: list


@dataclass
class Title:
    text: str


@dataclass
class Items:
    """A bullet or numbered list: each item's marker and its blocks."""
    markers: list
    items: list


@dataclass
class Admonition:
    title: str
    blocks: list = field(default_factory=list)


ADMONITIONS = {"note", "warning", "tip", "hint", "important", "caution", "attention",
               "danger", "error", "seealso", "admonition"}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode"}

# Roles whose text is a Python name (shown as code); others (:ref:,
# :term:, :doc:) are words.
CODE_ROLES = {"mod", "class", "meth", "func", "attr", "exc", "data", "obj", "const"}

# The substitutions MicroPython's documentation defines and the stubs use.
SUBSTITUTIONS = {"see_cpython_module": "This module implements a subset of the CPython module:"}

EXPLICIT = re.compile(r"\.\.(\s|$)")      # a directive, a comment or a link target
DIRECTIVE = re.compile(r"\.\.\s+([\w:-]+)::\s*(.*)$")
ITEM = re.compile(r"([-*+\u2022]|\d+[.)]|#\.)\s+(?=\S)")
UNDERLINE = re.compile(r"([=\-~^\"'`#*+_])\1*\s*$")
SIMPLE_TABLE = re.compile(r"=+( +=+)+\s*$")
GRID_TABLE = re.compile(r"\+[-=+]+\+\s*$")

INLINE = re.compile(r"""
    :(?P<role>[\w-]+(?::[\w-]+)?):`(?P<role_text>[^`]+)`   # :class:`ADC`
  | ``(?P<literal>[^`]+(?:`[^`]+)*?)``                      # ``Pin.IN``
  | `(?P<link_text>[^`<]*?)\s*<(?P<url>[^>`]+)>`__?        # `RFC 3548 <https://...>`_
  | `(?P<link_name>[^`]+)`__?                               # `aioble`_
  | `(?P<name>[^`]+)`                                       # `atten`: a Python name
  | \|(?P<substitution>[a-z_]+)\|                           # |see_cpython_module|
""", re.X | re.S)


# -- reading --------------------------------------------------------------------

def parse(doc):
    """The blocks of a docstring."""
    return _blocks(_dedent(doc.expandtabs().splitlines()))


def _indent(line):
    return len(line) - len(line.lstrip())


def _dedent(lines):
    depth = min((_indent(line) for line in lines if line.strip()), default=0)
    return [line[depth:] for line in lines]


def _indented_end(lines, i):
    """Where the indented lines from line i on end (blank lines among them
    included, trailing ones not)."""
    end = i
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i])):
        i += 1
        if lines[i - 1].strip():
            end = i
    return end


def _blocks(lines):
    blocks = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif _indent(line):
            # An indented part (reStructuredText's block quote): its own blocks.
            end = _indented_end(lines, i)
            blocks += _blocks(_dedent(lines[i:end]))
            i = end
        elif EXPLICIT.match(line):
            i = _directive(lines, i, blocks)
        elif ITEM.match(line):
            i = _items(lines, i, blocks)
        elif SIMPLE_TABLE.match(line) or GRID_TABLE.match(line):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            blocks.append(Table([_plain_cells(line) for line in lines[i:end]]))
            i = end
        elif line.startswith(">>>"):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            blocks.append(Literal(lines[i:end]))
            i = end
        elif (i + 1 < len(lines) and UNDERLINE.match(lines[i + 1])
              and len(lines[i + 1].strip()) >= len(line.strip()) >= 1):
            blocks.append(Title(line.strip()))
            i += 2
        else:
            i = _paragraph(lines, i, blocks)
    return blocks


def _paragraph(lines, i, blocks):
    """A paragraph; one that ends in `::` introduces the literal block after it."""
    start = i
    i += 1
    while i < len(lines) and lines[i].strip() and not lines[i - 1].rstrip().endswith("::") \
            and not (not _indent(lines[i]) and (EXPLICIT.match(lines[i]) or ITEM.match(lines[i]))):
        i += 1
    text = [line.strip() for line in lines[start:i]]
    if not text[-1].endswith("::"):
        blocks.append(Paragraph(text))
        return i
    # `Usage Model::` reads "Usage Model:", `text ::` reads "text", `::` alone nothing.
    last = text[-1][:-2]
    text[-1] = last.rstrip() if last.endswith(" ") or not last else last + ":"
    if any(text):
        blocks.append(Paragraph([t for t in text if t]))
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and _indent(lines[i]):
        end = _indented_end(lines, i)
        blocks.append(Literal(_dedent(lines[i:end])))
        i = end
    return i


def _directive(lines, i, blocks):
    """`.. note::`, `.. code-block:: python`, `.. admonition:: Title`; other
    directives (`.. class:: aes`, which names what the tooltip is about)
    give their text only; comments and link targets (`.. _heap:`) nothing."""
    found = DIRECTIVE.match(lines[i])
    end = _indented_end(lines, i + 1)
    body = _dedent(lines[i + 1:end])
    while body and (re.match(r"\s*:[\w-]+:", body[0]) or not body[0].strip()):
        body = body[1:]                               # options (`:class: attention`)
    if found is None:
        return end
    name, argument = found.group(1).lower(), found.group(2).strip()
    if name in CODE_DIRECTIVES:
        blocks.append(Literal(_dedent(body), argument or "python"))
    elif name in ADMONITIONS:
        title = argument if name == "admonition" else "See also" if name == "seealso" \
            else name.capitalize() + (" " + argument if argument else "")
        note = Admonition(title, _blocks(body))
        blocks.append(note)
        if not note.blocks:
            # A note whose text lost its indent (machine.ADC's): the paragraph after it.
            rest = []
            end = _after_blank(lines, end)
            if end < len(lines) and not (_indent(lines[end]) or EXPLICIT.match(lines[end])
                                         or ITEM.match(lines[end])):
                end = _paragraph(lines, end, rest)
                note.blocks = rest
    else:
        blocks += _blocks(body)
    return end


def _plain_cells(line):
    """A table row in plain words; a cell that ends before a column gap is
    padded to its width, so the columns still line up."""
    def plain(found):
        words = inline(found.group(), False)
        after = line[found.end():found.end() + 2]
        gap = after.startswith("|") or after in ("  ", " |")
        return words.ljust(len(found.group())) if gap else words
    return INLINE.sub(plain, line)


def _after_blank(lines, i):
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _items(lines, i, blocks):
    """Consecutive list items; an item's text is indented past its marker."""
    markers, items = [], []
    while i < len(lines) and not _indent(lines[i]) and ITEM.match(lines[i]):
        marker = ITEM.match(lines[i])
        depth = marker.end()
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end])):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        body = [lines[i][depth:]] + [line[depth:] if _indent(line) >= depth else line.strip()
                                     for line in lines[i + 1:end]]
        markers.append(marker.group(1))
        items.append(_blocks(body))
        i = _after_blank(lines, end)
    blocks.append(Items(markers, items))
    return i


# -- inline markup ----------------------------------------------------------------

def inline(text, markdown):
    """Inline markup as words (plain text) or Markdown code spans and links."""
    out = []
    at = 0
    for found in INLINE.finditer(text):
        out.append(_escape(text[at:found.start()], markdown))
        out.append(_inline_one(found, markdown))
        at = found.end()
    out.append(_escape(text[at:], markdown))
    return "".join(out)


def _inline_one(found, markdown):
    def code(words):
        return f"`{words}`" if markdown else words
    if found.group("role"):
        role = found.group("role").split(":")[-1]
        words = found.group("role_text")
        titled = re.match(r"(.*?)\s*<(.+)>$", words, re.S)
        if titled:
            words = titled.group(1)
        else:
            words = words.lstrip("!")
            if words.startswith("~"):
                words = words[1:].rsplit(".", 1)[-1]
            words = re.sub(r"^\w+:(?=\S)", "", words)          # intersphinx: python:gc
            if role == "ref":
                words = words.replace("_", " ")                # a label: soft_reset
            if role in ("func", "meth") and not words.endswith(")"):
                words += "()"                                  # as Sphinx shows them
        return code(words) if role in CODE_ROLES else _escape(words, markdown)
    if found.group("literal") is not None:
        return code(found.group("literal"))
    if found.group("url") is not None:
        words = " ".join(found.group("link_text").split()) or found.group("url")
        return f"[{words}]({found.group('url')})" if markdown else f"{words} ({found.group('url')})"
    if found.group("link_name") is not None:
        return _escape(found.group("link_name"), markdown)
    if found.group("name") is not None:
        return code(found.group("name"))
    name = found.group("substitution")
    return _escape(SUBSTITUTIONS.get(name, name.replace("_", " ")), markdown)


def _escape(text, markdown):
    # A Markdown renderer would take `<pin>` for an HTML tag and drop it.
    return text.replace("<", "&lt;") if markdown else text


# -- writing ----------------------------------------------------------------------

def as_text(blocks):
    return "\n".join(_text(blocks)).strip("\n")


def as_markdown(blocks):
    return "\n".join(_markdown(blocks)).strip("\n")


def _joined(parts):
    """Blocks' lines with one blank line between blocks."""
    lines = []
    for part in parts:
        if lines and part:
            lines.append("")
        lines += part
    return lines


def _tight(items):
    """A list is spaced out when one of its items holds more than one block."""
    return all(len(blocks) <= 1 for blocks in items)


def _text(blocks):
    return _joined(_text_block(block) for block in blocks)


def _text_block(block):
    if isinstance(block, Paragraph):
        return inline("\n".join(block.lines), False).split("\n")
    if isinstance(block, Literal):
        return ["    " + line if line.strip() else "" for line in block.lines]
    if isinstance(block, Table):
        return list(block.lines)
    if isinstance(block, Title):
        words = inline(block.text, False)
        return [words, "-" * len(words)]
    if isinstance(block, Admonition):
        body = _text(block.blocks)
        if body and isinstance(block.blocks[0], Paragraph):
            return [f"{block.title}: {body[0]}"] + body[1:]
        return [f"{block.title}:"] + body
    lines = []
    for marker, item in zip(block.markers, block.items):
        if lines and not _tight(block.items):
            lines.append("")
        body = _text(item) or [""]
        pad = " " * (len(marker) + 1)
        lines += [f"{marker} {body[0]}"] + [pad + line if line else "" for line in body[1:]]
    return lines


def _markdown(blocks):
    return _joined(_markdown_block(block) for block in blocks)


def _markdown_block(block):
    if isinstance(block, Paragraph):
        # One line: a wrapped line that starts with `-` or `1.` would start a list.
        return [inline(" ".join(block.lines), True)]
    if isinstance(block, Literal):
        return [f"```{block.language}", *block.lines, "```"]
    if isinstance(block, Table):
        return ["```", *block.lines, "```"]
    if isinstance(block, Title):
        return [f"**{inline(block.text, True)}**"]
    if isinstance(block, Admonition):
        body = _markdown(block.blocks)
        if body and isinstance(block.blocks[0], Paragraph):
            body = [f"**{block.title}:** {body[0]}"] + body[1:]
        else:
            body = [f"**{block.title}:**"] + ([""] + body if body else [])
        return ["> " + line if line else ">" for line in body]
    lines = []
    for marker, item in zip(block.markers, block.items):
        if lines and not _tight(block.items):
            lines.append("")
        marker = "-" if not marker[0].isdigit() else marker
        body = _markdown(item) or [""]
        pad = " " * (len(marker) + 1)
        lines += [f"{marker} {body[0]}"] + [pad + line if line else "" for line in body[1:]]
    return lines
