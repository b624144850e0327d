"""Pandoc-style citations: `[@key]`, `[@key, p. 12]`, `[see @a; @b]`.

[`find_citations`][scripts.citations.find_citations] extracts them with their positions;
[`render_citations`][scripts.citations.render_citations] turns them into author-date links
to the page's generated reference list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from scripts.markdown_source import mask_code, mask_comments

# A group not followed by `(` or `[` (a link); a group followed by `:` is a citation too,
# except a link reference definition as Python-Markdown reads one: at the start of a line
# (up to three spaces), then one target and an optional title, and nothing else on the line.
# The prefix may hold an e-mail address (an `@` after a word character); the locator may hold
# one level of brackets (`chap. [3]`). A `[` after an odd number of backslashes is escaped.
_GROUP = re.compile(
    r"(?<!\])\[(?P<inner>(?:(?:[^\[\]@]|(?<=\w)@){0,200}?(?<=[\s;\-\[]))?-?@(?:[^\[\]]|\[[^\[\]]*\]){0,400}?)\](?![(\[])"
)
_LINK_DEFINITION = re.compile(r"^ {0,3}$")
_DEFINITION_REST = re.compile(r"^:[ \t]*\S+[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\))?[ \t]*$")
_ITEM = re.compile(
    r"^\s*(?:(?P<prefix>(?:[^@]|(?<=\w)@)*?)\s+)?(?P<suppress>-?)@(?P<key>[\w][\w:.#$%&+?<>~/-]*?)(?P<locator>[,\s].*)?$",
    re.S,
)
KEY = re.compile(r"^[\w][\w:.#$%&+?<>~/-]*$")
"""What a citation key may look like."""


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation group.

    Attributes:
        key: The BibTeX key.
        prefix: Text before the key (`see`).
        locator: Text after the key (`p. 12`), without the leading comma.
        suppress_author: `True` for `-@key` (year only).
    """

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Citation:
    """A bracketed citation group and where it stands in the page text.

    Attributes:
        start: Offset of `[` in the text.
        end: Offset just after `]`.
        items: The works cited, in order.
        malformed: Parts that are not a valid citation item (reported as CIT003).
    """

    start: int
    end: int
    items: tuple[CiteItem, ...]
    malformed: tuple[str, ...] = ()


def _parse_item(part: str) -> CiteItem | None:
    match = _ITEM.match(part)
    if not match:
        return None
    locator = (match.group("locator") or "").strip().lstrip(",").strip()
    raw = match.group("key")
    key = raw.rstrip(".,:;")
    trail = raw[len(key) :]  # Pandoc keeps punctuation after a key as the start of the suffix
    if trail:
        locator = trail + (f", {locator}" if locator else "")
    return CiteItem(key, (match.group("prefix") or "").strip(), locator, bool(match.group("suppress")))


def find_citations(text: str) -> list[Citation]:
    """Find every citation group outside code, in order of appearance."""
    found: list[Citation] = []
    masked = mask_comments(mask_code(text))
    for match in _GROUP.finditer(masked):
        if masked.startswith(":", match.end()) and _is_definition(masked, match.start(), match.end()):
            continue
        if _escaped(masked, match.start()):
            continue
        items: list[CiteItem] = []
        malformed: list[str] = []
        # Split where the code-masked text has `;`, but read the items from the text itself,
        # so a code span in a prefix or locator keeps its words.
        start, end = match.start("inner"), match.end("inner")
        cuts = [start] + [start + i + 1 for i, c in enumerate(masked[start:end]) if c == ";"] + [end + 1]
        parts = [text[a : b - 1] for a, b in pairwise(cuts)]
        for part in parts:
            item = _parse_item(part)
            if item is None:
                malformed.append(part.strip())
            else:
                items.append(item)
        if items or malformed:
            found.append(Citation(match.start(), match.end(), tuple(items), tuple(malformed)))
    return found


_SUSPECT = re.compile(r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\]){0,600}?(?<![\w\\])-?@[^\s\]]")


def find_suspects(text: str) -> list[tuple[int, str]]:
    """Bracketed text that looks like a citation but is not read as one (reported as CIT003).

    Code, HTML comments, the citations found and Markdown links (`[text](url)`) aside; for
    example `[@{braced key}]`, `[@a][@b]` or a group split over a link.
    """
    masked = mask_comments(mask_code(text))
    for citation in find_citations(text):
        masked = masked[: citation.start] + " " * (citation.end - citation.start) + masked[citation.end :]
    found = []
    for match in _SUSPECT.finditer(masked):
        if _escaped(masked, match.start()):
            continue  # `\[@x]` is literal text on purpose
        close = masked.find("]", match.end())
        if close >= 0 and masked.startswith("(", close + 1):
            continue  # a link whose text contains an @
        end = close + 1 if close >= 0 else match.end()
        found.append((match.start(), text[match.start() : min(end, match.start() + 60)]))
    return found


def _escaped(text: str, start: int) -> bool:
    """Whether the `[` at `start` follows an odd number of backslashes (Markdown escapes it)."""
    count = 0
    while start - count - 1 >= 0 and text[start - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _is_definition(text: str, start: int, end: int) -> bool:
    """Whether the group from `start` to `end` is a link reference definition (`[@key]: url`)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)]
    return bool(_LINK_DEFINITION.match(text[line_start:start])) and bool(_DEFINITION_REST.match(rest))


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


Label = Callable[[str], tuple[str, str] | None]
"""Gives `(author, year)` labels for a key, or `None` for an unknown key."""


def render_group(citation: Citation, label: Label, evidence: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Render one group as HTML: `(<a href="#ref-k">Author, 2016</a>, p. 3; ...)`.

    Args:
        citation: The group.
        label: Author and year labels by key.
        evidence: For a key, the id and HTML of what its source says, shown beside the link
            and read to screen readers as the link's description.

    The group is kept out of the search index: readers search for ideas, not citations,
    and leaving them out keeps the index every visitor downloads small. No `<span>` may stand
    inside it: Material's search parser ends an exclusion at the first `</span>` it meets.
    """
    rendered: list[str] = []
    previous: tuple[str, CiteItem] | None = None
    for item in ordered(citation.items, label):
        names = label(item.key)
        if names is None:
            rendered.append(f'; <b class="citation-unknown">@{html.escape(item.key)}</b>')
            previous = None
            continue
        author, year = names
        # APA 8.12: works of one author in one group share the name: (Zhou, 2017a, 2017b).
        merged = (
            previous is not None
            and previous[0] == author
            and not (previous[1].locator or previous[1].suppress_author)
            and not (item.prefix or item.suppress_author)
        )
        text = year if item.suppress_author or merged else f"{author}, {year}"
        shown = (evidence or {}).get(item.key)
        described = f' aria-describedby="{shown[0]}"' if shown else ""
        link = f'<a class="citation" href="#ref-{html.escape(item.key)}"{described}>{html.escape(text)}</a>'
        prefix = f"{html.escape(item.prefix)} " if item.prefix else ""
        joiner = "" if item.locator[:1] in ".:;…" else ", "
        locator = f"{joiner}{html.escape(item.locator)}" if item.locator else ""
        body = f"{prefix}{link}{locator}{shown[1]}" if shown else f"{prefix}{link}{locator}"
        rendered.append((", " if merged else "; ") + body)
        previous = (author, item)
    return '<span class="cite" data-search-exclude>(' + "".join(rendered)[2:] + ")</span>"


def ordered(items: tuple[CiteItem, ...], label: Label) -> list[CiteItem]:
    """The works of a group in reference-list order (APA 8.12): author, then year label.

    Each keeps its own prefix and locator; unknown keys keep their place at the end.
    """

    def key(item: CiteItem) -> tuple[int, str, str]:
        names = label(item.key)
        return (1, "", "") if names is None else (0, names[0].lower(), names[1])

    return sorted(items, key=key)


Evidence = Callable[[Citation], Mapping[str, tuple[str, str]]]
"""Gives, for a citation, the evidence HTML of each key (see `render_group`)."""


def render_citations(
    text: str, label: Label, evidence: Evidence | None = None, skip: Callable[[int], int] | None = None
) -> tuple[str, list[str]]:
    """Replace every citation group in `text`.

    Args:
        text: Markdown.
        label: Author and year labels by key.
        evidence: Evidence HTML for a citation's keys.
        skip: Given the offset just after a group, where the text resumes (past its evidence note).

    Returns:
        The new text and the keys cited, in order of first citation.
    """
    out: list[str] = []
    cited: dict[str, None] = {}
    last = 0
    for citation in find_citations(text):
        out.append(text[last : citation.start])
        out.append(render_group(citation, label, evidence(citation) if evidence else None))
        last = skip(citation.end) if skip else citation.end
        for item in citation.items:
            cited.setdefault(item.key, None)
    out.append(text[last:])
    return "".join(out), list(cited)


def labeller(authors: Mapping[str, str], years: Mapping[str, str]) -> Label:
    """Build a [`Label`][scripts.citations.Label] from author and year labels by key."""

    def label(key: str) -> tuple[str, str] | None:
        if key not in authors:
            return None
        return authors[key], years[key]

    return label
