"""A griffe extension for the docs site: doctest blocks as code, ``#:`` comments as docstrings.

facturlib's docstrings hold runnable ``>>>`` examples (they run as doctests) written as
plain paragraphs, as in reStructuredText. Markdown would read their ``>`` prompts as
quotes and their output lists as links, so this extension wraps each run of doctest
lines in a ``pycon`` code fence before mkdocstrings renders the docstring. Module
constants are documented Sphinx-style by ``#:`` comment lines just above them; the
extension makes those their docstrings, leaves special methods out, and gives each
name of a grouped ``Args:`` entry (``terms, penalties: as for to_cii``) its own
entry. The source files are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

FENCE = "```"


def fence_doctests(text: str) -> str:
    """Wrap every run of doctest lines of ``text`` in a ``pycon`` fence.

    A run starts at a ``>>>`` line outside a fence and ends at the first blank line.

    >>> fence_doctests("Example:\\n\\n>>> 1 + 1\\n2\\n\\nDone.").splitlines()
    ['Example:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'Done.']
    >>> fence_doctests("```\\n>>> kept\\n```").splitlines()
    ['```', '>>> kept', '```']
    """
    out: list[str] = []
    in_fence = in_run = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if in_run and not stripped:
            out.append(f"{indent}{FENCE}")
            in_run = False
        elif not in_run and stripped.startswith(FENCE):
            in_fence = not in_fence
        elif not in_run and not in_fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}{FENCE}pycon")
            in_run = True
        out.append(line)
    if in_run:
        out.append(f"{indent}{FENCE}")
    return "\n".join(out)


GROUPED = re.compile(r"^(?P<indent>\s+)(?P<names>\w+(?:, \w+)+): (?P<text>.*)$")


def split_grouped_args(text: str) -> str:
    """Give each name of a grouped ``Args:`` entry (``a, b: as for f``) its own entry.

    Google-style sections take one name per entry; facturlib writes ``terms,
    penalties: as for `to_cii`.`` for parameters passed through unchanged.

    >>> split_grouped_args("Args:\\n    a, b: as for f,\\n        twice.").splitlines()
    ['Args:', '    a: as for f,', '        twice.', '    b: as for f,', '        twice.']
    """
    lines = text.splitlines()
    out: list[str] = []
    in_args = False
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.strip() in {"Args:", "Arguments:", "Parameters:"}:
            in_args = True
        elif line.strip() and not line.startswith(" "):
            in_args = False
        match = GROUPED.match(line) if in_args else None
        if match is None:
            out.append(line)
            continue
        indent = match["indent"]
        more: list[str] = []
        while index < len(lines) and lines[index].startswith(indent + " "):
            more.append(lines[index])
            index += 1
        for name in match["names"].split(", "):
            out.extend([f"{indent}{name}: {match['text']}", *more])
    return "\n".join(out)


def comment_docstring(lines: list[str], lineno: int) -> str | None:
    """The ``#:`` comment lines just above line ``lineno`` (1-based), joined, or None."""
    found: list[str] = []
    index = min(lineno - 2, len(lines) - 1)
    while index >= 0 and lines[index].lstrip().startswith("#:"):
        found.append(lines[index].lstrip()[2:].strip())
        index -= 1
    return "\n".join(reversed(found)) or None


class DocsExtension(griffe.Extension):
    """Fence doctests, read ``#:`` comments, split grouped arguments, and leave the
    special methods (``__add__``…) of classes out of the reference: they are how the
    operators work, documented by the class itself."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        for name in [n for n in cls.members if n.startswith("__") and n != "__init__"]:
            del cls.members[name]

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None and obj.is_attribute and obj.lineno:
            text = comment_docstring(list(obj.module.lines), obj.lineno)
            if text:
                obj.docstring = griffe.Docstring(text, lineno=obj.lineno, parent=obj)
        if obj.docstring is not None:
            text = obj.docstring.value
            if ">>>" in text:
                text = fence_doctests(text)
            if ", " in text:
                text = split_grouped_args(text)
            obj.docstring.value = text
