"""The bibliography: parse `docs/references.bib`, check entries, format them in APA style.

Parsing is done by [bibtexparser](https://bibtexparser.readthedocs.io/) 2, which keeps going
after a malformed entry and reports where each block starts, so one bad entry never hides
the others. Formatting follows the APA 7th edition reference style for the entry types the
course uses (article, book, report, online, misc), with author-date in-text labels and
`2016a`/`2016b` suffixes when one author has several works in a year.
"""

from __future__ import annotations

import html
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text

from scripts.diagnostics import Diagnostic
from scripts.policy import Denylist

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

ENTRY_TYPES = frozenset({"article", "book", "report", "techreport", "online", "misc", "incollection"})
"""Entry types the formatter knows."""
CONTAINER_FIELDS = ("journal", "publisher", "institution", "booktitle")
"""At least one of these names where the work was published."""
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Person:
    """One author: family name plus given names (empty for organisations)."""

    family: str
    given: str = ""

    @property
    def is_organisation(self) -> bool:
        """True for a corporate author such as `{Trend Micro}`."""
        return not self.given


@dataclass(frozen=True)
class BibEntry:
    """One bibliography entry, with its fields already turned from LaTeX into text.

    Attributes:
        key: Citation key.
        kind: Lower-case entry type (`article`, `report`, ...).
        fields: Field values as plain text; `url` and `doi` are kept verbatim.
        authors: Parsed authors, in order.
        line: 1-based line of the entry in the `.bib` file.
        field_lines: 1-based line of each field.
    """

    key: str
    kind: str
    fields: Mapping[str, str]
    authors: tuple[Person, ...]
    line: int
    field_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def year(self) -> str:
        """The year of publication (or `n.d.`)."""
        return self.fields.get("year", "n.d.")


@dataclass(frozen=True)
class Bibliography:
    """A parsed `.bib` file: its entries by key and the problems met while parsing."""

    path: str
    entries: Mapping[str, BibEntry]
    problems: tuple[Diagnostic, ...] = ()


@lru_cache(maxsize=1)
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text()


def latex_to_text(value: str) -> str:
    """Turn a BibTeX field value (braces, `\\&`, `--`) into plain text."""
    text = _latex().latex_to_text(value)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _person(parts: middlewares.NameParts) -> Person:
    family = latex_to_text(" ".join([*parts.von, *parts.last]))
    given = latex_to_text(" ".join(parts.first))
    if parts.jr:
        family = f"{family}, {latex_to_text(' '.join(parts.jr))}"
    return Person(family=family, given=given)


def _entry(raw: Entry) -> BibEntry:
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    authors: tuple[Person, ...] = ()
    for name, item in raw.fields_dict.items():
        key = name.lower()
        lines[key] = (item.start_line or 0) + 1
        if key == "author":
            value = item.value if isinstance(item.value, list) else []
            authors = tuple(_person(p) for p in value)
            fields[key] = "; ".join(p.family for p in authors)
        elif key in {"url", "doi"}:
            fields[key] = str(item.value).strip()
        else:
            fields[key] = latex_to_text(str(item.value))
    return BibEntry(
        key=raw.key,
        kind=raw.entry_type.lower(),
        fields=fields,
        authors=authors,
        line=(raw.start_line or 0) + 1,
        field_lines=lines,
    )


def _failed_key(block: DuplicateFieldKeyBlock) -> str:
    entry = getattr(block, "ignore_error_block", None)
    return str(getattr(entry, "key", None) or getattr(block, "key", None) or "?")


@lru_cache(maxsize=4)
def parse_bibliography(text: str, path: str) -> Bibliography:
    """Parse BibTeX text; malformed and duplicate entries become diagnostics.

    Pure, so cached: `mkdocs serve` rebuilds after every edit, and an unchanged
    bibliography (0.4 s to parse) is then read once.

    Args:
        text: The content of the `.bib` file.
        path: Its path, used in diagnostics.

    Returns:
        The entries that parsed, and one diagnostic per block that did not.
    """
    library = parse_string(
        text,
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    problems: list[Diagnostic] = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(Diagnostic(path, line, 1, "BIB002", f"duplicate key '{block.key}': rename one entry"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            problems.append(
                Diagnostic(path, line, 1, "BIB001", f"entry '{_failed_key(block)}' repeats a field: keep one")
            )
        elif isinstance(block, ParsingFailedBlock):
            source = (block.raw or "").strip()
            first = source.splitlines()[0][:60] if source else ""
            problems.append(Diagnostic(path, line, 1, "BIB001", f"malformed entry '{first}': check braces and commas"))
    entries: dict[str, BibEntry] = {}
    for raw in library.entries:
        try:
            entry = _entry(raw)
        except Exception as error:  # a field pylatexenc cannot read
            problems.append(
                Diagnostic(path, (raw.start_line or 0) + 1, 1, "BIB001", f"entry '{raw.key}' unreadable: {error}")
            )
            continue
        entries.setdefault(entry.key, entry)
    return Bibliography(path=path, entries=entries, problems=tuple(problems))


def load_bibliography(path: Path, display: str | None = None) -> Bibliography:
    """Read and parse a `.bib` file; an unreadable file becomes a diagnostic."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Bibliography(name, {}, (Diagnostic(name, 1, 1, "BIB001", "bibliography file is missing"),))
    except UnicodeDecodeError as error:
        return Bibliography(name, {}, (Diagnostic(name, 1, 1, "FIL001", f"not UTF-8 ({error.reason})"),))
    return parse_bibliography(text, name)


def check_entry(entry: BibEntry, path: str, denylist: Denylist) -> list[Diagnostic]:
    """Check one entry for required fields, https links and forbidden hosts."""
    found: list[Diagnostic] = []

    def report(code: str, message: str, field_name: str | None = None) -> None:
        line = entry.field_lines.get(field_name or "", entry.line)
        found.append(Diagnostic(path, line, 1, code, f"entry '{entry.key}': {message}"))

    if entry.kind not in ENTRY_TYPES:
        report("BIB003", f"unknown entry type '@{entry.kind}': use one of {', '.join(sorted(ENTRY_TYPES))}")
    if not entry.fields.get("title"):
        report("BIB003", "missing 'title'")
    if not entry.authors:
        report("BIB003", "missing 'author' (organisations in double braces: {{Europol}})")
    if not re.fullmatch(r"\d{4}|n\.d\.", entry.fields.get("year", "")):
        report("BIB003", "missing or malformed 'year' (four digits, or n.d. for an undated page)", "year")
    if not any(entry.fields.get(name) for name in CONTAINER_FIELDS):
        report("BIB003", "missing 'journal', 'publisher' or 'institution'")
    url = entry.fields.get("url", "")
    if not (url or entry.fields.get("doi") or entry.fields.get("nolink")):
        report("BIB006", "no 'url', 'doi' or 'nolink = {reason}': link the publisher's page")
    if url:
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:
            report("BIB004", f"'{url}' is not a valid URL", "url")
            return found
        if parts.scheme == "http":
            report("BIB004", f"'{url}' uses http: use https", "url")
        elif parts.scheme != "https" or not host:
            report("BIB004", f"'{url}' is not an https URL", "url")
        reason = denylist.reason(host)
        if reason:
            report("BIB005", f"'{host}' is a {reason}: cite the original publisher", "url")
    return found


def check_bibliography(bib: Bibliography, denylist: Denylist) -> list[Diagnostic]:
    """All parse problems plus the per-entry checks of every entry."""
    found = list(bib.problems)
    for entry in bib.entries.values():
        found.extend(check_entry(entry, bib.path, denylist))
    return found


# --- Formatting ---------------------------------------------------------------------------


def author_label(entry: BibEntry) -> str:
    """In-text author part: `Trend Micro`, `Weimann & Vellante`, `Pearson et al.`."""
    names = [p.family for p in entry.authors] or [entry.fields.get("title", entry.key)]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def year_labels(entries: Mapping[str, BibEntry]) -> dict[str, str]:
    """Year labels with `a`, `b` suffixes where one author label has several works a year."""
    groups: dict[tuple[str, str], list[BibEntry]] = defaultdict(list)
    for entry in entries.values():
        groups[(author_label(entry), entry.year)].append(entry)
    labels: dict[str, str] = {}
    for (_, year), group in groups.items():
        if len(group) == 1:
            labels[group[0].key] = year
            continue
        ordered = sorted(group, key=lambda e: (e.fields.get("title", "").lower(), e.key))
        # APA 7 (8.19): 2020a, 2020b; undated works take a hyphen: n.d.-a, n.d.-b.
        joiner = "-" if year == "n.d." else ""
        for index, entry in enumerate(ordered):
            labels[entry.key] = f"{year}{joiner}{chr(ord('a') + index)}"
    return labels


def _initials(given: str) -> str:
    parts = re.split(r"[\s]+", given.strip())
    out = []
    for part in parts:
        if not part:
            continue
        pieces = [p for p in part.split("-") if p]
        out.append("-".join(f"{p[0]}." for p in pieces))
    return " ".join(out)


def _apa_person(person: Person) -> str:
    if person.is_organisation:
        return person.family
    return f"{person.family}, {_initials(person.given)}"


def apa_authors(entry: BibEntry) -> str:
    """Reference-list author part: `Weimann, G., & Vellante, A.`."""
    names = [_apa_person(p) for p in entry.authors]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        names = [*names[:19], "...", names[-1]]
        return ", ".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _date_part(entry: BibEntry, year_label: str) -> str:
    date = entry.fields.get("date", "")
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", date)
    if entry.kind in {"online", "misc"} and match:
        month = MONTHS[int(match.group(2)) - 1]
        day = f" {int(match.group(3))}" if match.group(3) else ""
        return f"{year_label}, {month}{day}"
    return year_label


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def format_reference(entry: BibEntry, year_label: str) -> str:
    """Format one entry as an APA 7 reference, returned as safe HTML."""
    e = html.escape
    f = entry.fields
    authors = apa_authors(entry)
    title = f.get("title", entry.key)
    parts = [f"{e(_sentence(authors))} " if authors else "", f"({e(_date_part(entry, year_label))}). "]
    if entry.kind == "article":
        parts.append(f"{e(_sentence(title))} ")
        journal = f"<em>{e(f.get('journal', ''))}</em>"
        volume = f", <em>{e(f['volume'])}</em>" if f.get("volume") else ""
        number = f"({e(f['number'])})" if f.get("number") else ""
        pages = f", {e(f['pages'])}" if f.get("pages") else ""
        parts.append(f"{journal}{volume}{number}{pages}. ")
    elif entry.kind == "incollection":
        parts.append(f"{e(_sentence(title))} In <em>{e(f.get('booktitle', ''))}</em>. ")
        if f.get("publisher"):
            parts.append(f"{e(_sentence(f['publisher']))} ")
    elif entry.kind in {"online", "misc"}:
        parts.append(f"{e(_sentence(title))} ")
        container = f.get("publisher") or f.get("journal") or f.get("institution") or ""
        if container and container != authors:  # a body named inside the author's name is still another body
            parts.append(f"<em>{e(container)}</em>. ")
    else:  # book, report, techreport
        parts.append(f"<em>{e(title.rstrip('.'))}</em>{e(report_label(f))}. ")
        publisher = f.get("institution") or f.get("publisher") or ""
        if publisher and publisher != authors:
            parts.append(f"{e(_sentence(publisher))} ")
    if f.get("note"):  # where and how the source was read: not part of an APA reference
        parts.append(f'<span class="reference-note" data-search-exclude>{e(_sentence(f["note"]))}</span> ')
    if f.get("doi"):
        doi = f["doi"].removeprefix("https://doi.org/")
        url = f"https://doi.org/{doi}"
        parts.append(f'<a href="{e(url)}">{e(url)}</a>')
    elif f.get("url"):
        parts.append(f'<a href="{e(f["url"])}">{e(f["url"])}</a>')
    elif f.get("nolink"):
        parts.append(f'<span class="reference-note" data-search-exclude>Not linked: {e(_sentence(f["nolink"]))}</span>')
    return "".join(parts).strip()


def report_label(fields: Mapping[str, str]) -> str:
    """The number and description after a report's title (APA 7, 10.4).

    `type` with `number` is a series: ` (Inquiry & Analysis Series No. 1291)`; `number`
    alone: ` (No. 8)`; `type` alone is a description in brackets: ` [TrendLabs research paper]`.
    """
    kind = fields.get("type", "").replace("\\&", "&").strip()
    number = fields.get("number", "").strip()
    if number:
        return f" ({kind} No. {number})" if kind else f" (No. {number})"
    return f" [{kind}]" if kind else ""


def sort_key(entry: BibEntry, year_label: str) -> tuple[str, str, str]:
    """Reference-list order: author label, then year label, then title."""
    return (author_label(entry).lower(), year_label, entry.fields.get("title", "").lower())
