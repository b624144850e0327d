"""The glossary: one YAML source, shown as a page and as hover definitions everywhere.

`docs/glossary.yml` lists terms with a one-sentence definition. Every page gets them as
Markdown abbreviations (Material shows them as tooltips on hover and focus); the glossary
page lists them with a stable anchor per term (`#term-tor`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.diagnostics import Diagnostic

MAX_DEFINITION = 240
"""Longest definition, in characters: a tooltip, not an essay."""


@dataclass(frozen=True)
class Term:
    """One glossary term.

    Attributes:
        term: The word as it appears in text (case-sensitive), e.g. `Tor`.
        definition: One plain sentence.
        aliases: Other spellings that get the same tooltip (`DDoS attack`).
    """

    term: str
    definition: str
    aliases: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """Stable anchor on the glossary page: `term-tor`."""
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def parse_glossary(text: str, path: str) -> tuple[list[Term], list[Diagnostic]]:
    """Parse glossary YAML; problems become GLO001 diagnostics."""
    try:
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return [], [
            Diagnostic(path, line, 1, "GLO001", f"glossary is not valid YAML: {getattr(error, 'problem', error)}")
        ]
    if not isinstance(data, list):
        return [], [Diagnostic(path, 1, 1, "GLO001", "glossary must be a list of {term, definition}")]
    terms: list[Term] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for index, item in enumerate(data, start=1):
        where = f"entry {index}"
        if not isinstance(item, dict) or not item.get("term") or not item.get("definition"):
            problems.append(Diagnostic(path, 1, 1, "GLO001", f"{where} needs 'term' and 'definition'"))
            continue
        term = str(item["term"]).strip()
        definition = " ".join(str(item["definition"]).split())
        line = _line_of(text, term)
        raw_aliases = item.get("aliases") or []
        if not isinstance(raw_aliases, list):
            problems.append(Diagnostic(path, line, 1, "GLO001", f"aliases of '{term}' must be a list of spellings"))
            raw_aliases = []
        aliases = tuple(str(a).strip() for a in raw_aliases)
        for name in (term, *aliases):
            if name in seen:
                problems.append(Diagnostic(path, line, 1, "GLO001", f"term '{name}' is defined twice"))
            seen.add(name)
        if len(definition) > MAX_DEFINITION:
            problems.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    "GLO001",
                    f"definition of '{term}' has {len(definition)} characters (at most {MAX_DEFINITION})",
                )
            )
        terms.append(Term(term, definition, aliases))
    return sorted(terms, key=lambda t: t.term.lower()), problems


def load_glossary(path: Path, display: str | None = None) -> tuple[list[Term], list[Diagnostic]]:
    """Read the glossary file; a missing file is an empty glossary."""
    name = display or str(path)
    if not path.exists():
        return [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [Diagnostic(name, 1, 1, "FIL001", "file is not UTF-8: re-save it as UTF-8")]
    return parse_glossary(text, name)


def _line_of(text: str, term: str) -> int:
    match = re.search(rf"term:\s*[\"']?{re.escape(term)}", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def abbreviations(terms: list[Term]) -> str:
    """Markdown abbreviation definitions for every term and alias."""
    lines = []
    for term in terms:
        for name in spellings(term):
            lines.append(f"*[{name}]: {term.definition}")
    return "\n".join(lines)


def spellings(term: Term) -> list[str]:
    """The term, its aliases, and a capitalised form of each lower-case one (sentence starts)."""
    names: list[str] = []
    for name in (term.term, *term.aliases):
        for form in (name, name[:1].upper() + name[1:]):
            if form not in names:
                names.append(form)
    return names


def glossary_html(terms: list[Term]) -> str:
    """The glossary page's definition list, one anchor per term."""
    items = []
    for term in terms:
        also = (
            f' <span class="glossary-aliases">(also: {html.escape(", ".join(term.aliases))})</span>'
            if term.aliases
            else ""
        )
        items.append(
            f'<dt id="{term.anchor}">{html.escape(term.term)}{also}</dt>\n<dd>{html.escape(term.definition)}</dd>'
        )
    return '<dl class="glossary">\n' + "\n".join(items) + "\n</dl>"
