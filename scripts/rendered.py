"""What readers see: the visible text of a built page, checked for source syntax.

Checking the Markdown is not checking the page: a citation the parser does not recognise
stays as raw `[@key]` text, an attribute list that does not attach shows as `{: .x }`. This
reads the text a reader sees in the page's `<article>` (code, scripts and styles aside) from
the page's parsed tree, and reports leftover syntax (BLD002) and citations of the source
that did not come out rendered (BLD003), each at its line in the Markdown source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree

from scripts.citations import find_citations, line_col
from scripts.diagnostics import Diagnostic

_HIDDEN = frozenset({"script", "style", "code", "pre", "kbd", "samp", "template", "textarea"})
LEFTOVERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("citation", re.compile(r"\[-?@[\w]")),
    ("attribute list", re.compile(r"\{:\s*[.#\w]|\{\s*#[A-Za-z]")),
    ("Markdown link", re.compile(r"\[[^\]\n]{1,200}\]\((?:[^)\s]{1,300})\)")),
    ("bold or emphasis marker", re.compile(r"\*\*")),
    ("admonition marker", re.compile(r"!!!|(?:^|\n)[ \t]*\?\?\?")),
    ("template braces", re.compile(r"\{\{|\}\}|\{%|%\}")),
    ("HTML comment", re.compile(r"<!--|-->")),
)
"""Kinds of source syntax that must never reach a reader, with what finds them."""


@dataclass(frozen=True)
class Leftover:
    """Source syntax found in a page's visible text.

    Attributes:
        kind: Which syntax (`citation`, `attribute list`, ...).
        text: The matched text with a little context, as the reader sees it.
        match: The matched text alone (to find it in the source).
    """

    kind: str
    text: str
    match: str
    before: str = ""
    """The visible words just before the match (to tell apart several places in the source)."""


def visible_text(root: lxml.etree._Element) -> str:
    """The text a reader sees inside `root`: code, scripts and styles left out."""
    parts: list[str] = []

    def walk(element: lxml.etree._Element) -> None:
        if not isinstance(element.tag, str) or element.tag in _HIDDEN:
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(root)
    return "".join(parts)


def find_leftovers(text: str) -> list[Leftover]:
    """Every piece of source syntax in a page's visible text."""
    found = []
    for kind, pattern in LEFTOVERS:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 25) : match.end() + 25]
            before = " ".join(text[max(0, match.start() - 60) : match.start()].split())
            found.append(Leftover(kind, " ".join(context.split()), match.group(0).strip(), before))
    return found


def count_rendered(root: lxml.etree._Element) -> int:
    """Citations the hooks rendered inside `root` (known and unknown keys)."""
    return sum(
        1
        for element in root.iter("a", "b")
        if (element.get("class") or "").split()[:1] in (["citation"], ["citation-unknown"])
    )


def count_source(body: str) -> int:
    """Citation items in a Markdown body (what should come out rendered)."""
    return sum(len(citation.items) for citation in find_citations(body))


def check_page(
    path: str, body: str, body_line: int, leftovers: tuple[Leftover, ...], rendered: int
) -> list[Diagnostic]:
    """BLD002 and BLD003 for one built page, placed at lines of its Markdown source."""
    found = []
    for leftover in leftovers:
        line, col = locate(body, leftover.match, leftover.before)
        found.append(
            Diagnostic(
                path,
                line + body_line - 1,
                col,
                "BLD002",
                f"the built page shows source syntax ({leftover.kind}): '{leftover.text}'",
            )
        )
    expected = count_source(body)
    if rendered < expected:
        found.append(
            Diagnostic(
                path,
                body_line,
                1,
                "BLD003",
                f"{expected - rendered} of {expected} citations did not come out rendered ({rendered} on the built page)",
            )
        )
    return found


_LETTERS = re.compile(r"[^\w]+")


def locate(body: str, needle: str, before: str = "") -> tuple[int, int]:
    """Line and column of `needle` in the source (1, 1 when it is not there).

    Where the source has it several times, the place whose preceding words best match
    `before` (what the reader sees just before it) wins.
    """
    offsets = [m.start() for m in re.finditer(re.escape(needle), body)]
    if not offsets:
        return 1, 1
    seen = _LETTERS.sub("", before)

    def score(offset: int) -> int:
        source = _LETTERS.sub("", body[max(0, offset - 200) : offset])
        common = 0
        while common < min(len(seen), len(source)) and seen[-1 - common] == source[-1 - common]:
            common += 1
        return common

    return line_col(body, max(offsets, key=score))
