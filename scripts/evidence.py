"""Evidence beside each claim: the source's own words, recorded next to the citation.

A citation group may be followed directly by an HTML comment whose lines each start with
`@key`; each line records one passage of a cited work:

    [@a; @b]<!--
    @a, para. 4: "the source's own words, exactly as read" | read: https://mirror.example
    @b, p. 12: "Texto original" | tr: "Original text"
    -->

The comment is invisible wherever Markdown is rendered. [`find_notes`][scripts.evidence.find_notes]
extracts these notes, [`attach`][scripts.evidence.attach] pairs each with its citation, and
[`check_evidence`][scripts.evidence.check_evidence] applies the rules EVD001 to EVD005. The
hooks render the passages as a popover on each citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scripts.citations import Citation, Label, find_citations, line_col, render_citations
from scripts.diagnostics import Diagnostic
from scripts.markdown_source import heading_anchor, literal_html, mask_code, slug

MAX_WORDS = 25
"""The longest passage, in words (the content policy's limit on quotation)."""
COPY_WORDS = 12
"""A sentence repeating this many consecutive words of its evidence is copying."""
EXEMPT_SECTIONS = frozenset({"core-reading", "further-reading", "advanced-reading", "references", "cite"})
"""Sections whose citations recommend a reading rather than state a fact."""

_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.S)
_LINE = re.compile(
    r"^@(?P<key>[\w][\w:.#$%&+?<>~/-]*?)(?:,\s*(?P<locator>(?:[^\"]|\"[^\"]*\")*?))?\s*:\s*"
    r"\"(?P<quote>.*?)\"\s*(?P<extras>(?:\|\s*(?:read|tr)\s*:.*)?)$"
)
_EXTRA = re.compile(r"\|\s*(?P<name>read|tr)\s*:\s*(?P<value>(?:\"[^\"]*\"|[^|])*)")
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*\w)?", re.U)
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”")
_H2 = re.compile(r"^##\s+(?P<title>[^#].*?)\s*$", re.M)


@dataclass(frozen=True)
class Passage:
    """One passage of a source, recorded as evidence.

    Attributes:
        key: The cited work's key.
        locator: Where in the work (`para. 4`, `p. 12`).
        quote: The source's words, exactly as read.
        offset: Offset of the line in the page text.
        read: Where the copy read is, when not the entry's URL.
        translation: An English translation, for a source in another language.
    """

    key: str
    locator: str
    quote: str
    offset: int
    read: str = ""
    translation: str = ""


@dataclass(frozen=True)
class Note:
    """An evidence comment.

    Attributes:
        start: Offset of `<!--`.
        end: Offset just after `-->`.
        passages: The lines that parsed.
        malformed: `(offset, message)` for each line that did not.
    """

    start: int
    end: int
    passages: tuple[Passage, ...]
    malformed: tuple[tuple[int, str], ...] = ()


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, punctuation dropped."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _parse_line(line: str, offset: int) -> Passage | str:
    match = _LINE.match(line.strip())
    if not match:
        return 'write evidence as @key, locator: "the source\'s words" (optionally | read: where | tr: "translation")'
    locator = (match.group("locator") or "").strip()
    if not locator:
        return f"evidence for '{match.group('key')}' has no locator: add one (para. 4, p. 12, abstract)"
    quote = match.group("quote").strip()
    if not quote:
        return f"evidence for '{match.group('key')}' quotes nothing: copy the source's words between the quotes"
    extras = {m.group("name"): m.group("value").strip().strip('"') for m in _EXTRA.finditer(match.group("extras"))}
    return Passage(match.group("key"), locator, quote, offset, extras.get("read", ""), extras.get("tr", ""))


def find_notes(text: str) -> list[Note]:
    """Every evidence comment outside code, in order."""
    notes: list[Note] = []
    masked = mask_code(text)
    for match in _COMMENT.finditer(masked):
        body = text[match.start("body") : match.end("body")]
        if not body.lstrip().startswith("@"):
            continue
        passages: list[Passage] = []
        malformed: list[tuple[int, str]] = []
        offset = match.start("body")
        for line in body.split("\n"):
            if line.strip():
                parsed = _parse_line(line, offset + len(line) - len(line.lstrip()))
                if isinstance(parsed, Passage):
                    passages.append(parsed)
                else:
                    malformed.append((offset + len(line) - len(line.lstrip()), parsed))
            offset += len(line) + 1
        notes.append(Note(match.start(), match.end(), tuple(passages), tuple(malformed)))
    return notes


def attach(text: str, citations: list[Citation], notes: list[Note]) -> dict[int, Note]:
    """Pair notes with citations: a note belongs to the citation it directly follows.

    Returns:
        For each citation's `start`, its note.
    """
    by_start = {note.start: note for note in notes}
    paired: dict[int, Note] = {}
    for citation in citations:
        after = citation.end
        while after < len(text) and text[after] in " \t\n":
            after += 1
        if after in by_start:
            paired[citation.start] = by_start[after]
    return paired


def strip_notes(text: str) -> str:
    """The text with every evidence comment removed (what readers see)."""
    out: list[str] = []
    last = 0
    for note in find_notes(text):
        out.append(text[last : note.start])
        last = note.end
    out.append(text[last:])
    return "".join(out)


def sections(text: str) -> list[tuple[int, str]]:
    """`(offset, anchor)` of every level-2 heading outside code."""
    found = []
    for match in _H2.finditer(mask_code(text)):
        title = match.group("title")
        anchor = heading_anchor(title) or slug(title)
        found.append((match.start(), anchor))
    return found


def section_at(heads: list[tuple[int, str]], offset: int) -> str:
    """The anchor of the level-2 section that contains `offset` (`""` before the first)."""
    current = ""
    for start, anchor in heads:
        if start > offset:
            break
        current = anchor
    return current


def block_around(text: str, offset: int) -> str:
    """The paragraph, list item or table row that contains `offset`."""
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    block = text[start + 2 if start >= 0 else 0 : end if end >= 0 else len(text)]
    if block.lstrip().startswith("|"):  # a table: the row only
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        return text[line_start : line_end if line_end >= 0 else len(text)]
    return block


def own_words(block: str) -> list[str]:
    """The words a sentence says itself: evidence, citations and quotations left out."""
    text = strip_notes(block)
    for citation in reversed(find_citations(text)):
        text = text[: citation.start] + " " + text[citation.end :]
    return words(_QUOTED.sub(" ", text))


def copied_run(sentence: list[str], quote: list[str], length: int = COPY_WORDS) -> str | None:
    """The first run of `length` words that `sentence` shares with `quote`, if any."""
    grams = {tuple(quote[i : i + length]) for i in range(len(quote) - length + 1)}
    for i in range(len(sentence) - length + 1):
        run = tuple(sentence[i : i + length])
        if run in grams:
            return " ".join(run)
    return None


def check_evidence(body: str, path: str, body_line: int = 1, *, required: bool = True) -> list[Diagnostic]:
    """EVD001 to EVD005 for one page body.

    Args:
        body: The page text after its front matter.
        path: The page's path, for diagnostics.
        body_line: The body's first line in the file.
        required: Whether every citation outside the reading lists needs evidence (EVD001);
            the course sets `extra.course.evidence: required` in `mkdocs.yml`. The other
            rules apply to whatever evidence is written.
    """
    found: list[Diagnostic] = []

    def at(offset: int, code: str, message: str) -> None:
        line, col = line_col(body, offset)
        found.append(Diagnostic(path, line + body_line - 1, col, code, message))

    citations = find_citations(body)
    notes = find_notes(body)
    paired = attach(body, citations, notes)
    used = {id(note) for note in paired.values()}
    heads = sections(body)
    for note in notes:
        for offset, message in note.malformed:
            at(offset, "EVD005", message)
        for passage in note.passages:
            count = len(passage.quote.split())
            if count > MAX_WORDS:
                at(
                    passage.offset,
                    "EVD002",
                    f"evidence for '{passage.key}' is {count} words (limit {MAX_WORDS}): keep the decisive words",
                )
        if id(note) not in used:
            at(
                note.start,
                "EVD003",
                "evidence follows no citation: put it right after its citation's ']', or delete it with the citation",
            )
    for citation in citations:
        keys = [item.key for item in citation.items]
        own = paired.get(citation.start)
        passages = own.passages if own else ()
        for passage in passages:
            if passage.key not in keys:
                at(passage.offset, "EVD003", f"evidence names '{passage.key}', which this citation does not cite")
        if not required or section_at(heads, citation.start) in EXEMPT_SECTIONS:
            continue
        recorded = {passage.key for passage in passages}
        for key in dict.fromkeys(keys):
            if key not in recorded:
                at(
                    citation.start,
                    "EVD001",
                    f"citation of '{key}' has no evidence: record the passage that supports it (see Writing a module > Evidence)",
                )
        if passages:
            sentence = own_words(block_around(body, citation.start))
            for passage in passages:
                run = copied_run(sentence, words(passage.quote))
                if run:
                    at(
                        citation.start,
                        "EVD004",
                        f"the text repeats {COPY_WORDS} words of its evidence from '{passage.key}' ('{run}'): restate it, or quote it in quotation marks",
                    )
    return found


# --- Rendering ----------------------------------------------------------------------------


def _where(read: str) -> str:
    """A copy's address as a reader needs it: the host of a URL (the full address stays in
    the source and in `python -m scripts evidence`), or the description as written."""
    host = urlsplit(read).hostname if "://" in read else None
    return host.removeprefix("www.") if host else read


def passages_html(passages: list[Passage], ident: str) -> str:
    """The popover shown for one cited work: what its source says, where, and in which copy."""
    parts = []
    for passage in passages:
        text = f"“{literal_html(passage.quote)}” ({literal_html(passage.locator)})"
        if passage.translation:
            text += f' <i class="evidence-tr">[in English: “{literal_html(passage.translation)}”]</i>'
        parts.append(f'<i class="evidence-quote">{text}</i>')
    copies = list(dict.fromkeys(_where(p.read) for p in passages if p.read))
    if copies:
        parts.append(f'<i class="evidence-read">Read in a copy at {literal_html(", ".join(copies))}.</i>')
    return (
        f'<small class="evidence" id="{ident}"><strong class="evidence-label">The source says:</strong> '
        + " ".join(parts)
        + "</small>"
    )


def render(text: str, label: Label) -> tuple[str, list[str]]:
    """Render every citation with its evidence popover; drop evidence notes from the text.

    Returns:
        The new text and the keys cited, in order of first citation.
    """
    citations = find_citations(text)
    notes = find_notes(text)
    paired = attach(text, citations, notes)
    ends = {citation.end: paired[citation.start].end for citation in citations if citation.start in paired}
    counter = [0]

    def evidence(citation: Citation) -> dict[str, tuple[str, str]]:
        note = paired.get(citation.start)
        if note is None:
            return {}
        shown: dict[str, tuple[str, str]] = {}
        for key in dict.fromkeys(item.key for item in citation.items):
            mine = [p for p in note.passages if p.key == key]
            if mine:
                counter[0] += 1
                ident = f"ev-{counter[0]}"
                shown[key] = (ident, passages_html(mine, ident))
        return shown

    rendered, keys = render_citations(text, label, evidence, lambda end: ends.get(end, end))
    return strip_notes(rendered), keys


# --- The record of the fact-check ---------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One cited work at one place, with what its source was recorded to say.

    Attributes:
        path: The page.
        line: Line of the citation.
        section: Anchor of its level-2 section.
        key: The cited work.
        claim: The sentence's own words (evidence and citations left out), shortened.
        passages: The recorded passages (none in an exempt section, or when missing).
    """

    path: str
    line: int
    section: str
    key: str
    claim: str
    passages: tuple[Passage, ...]


def record(body: str, path: str, body_line: int = 1) -> list[Row]:
    """Every cited key of a page with its claim and evidence, in order."""
    citations = find_citations(body)
    paired = attach(body, citations, find_notes(body))
    heads = sections(body)
    rows = []
    for citation in citations:
        note = paired.get(citation.start)
        block = strip_notes(block_around(body, citation.start))
        claim = " ".join(re.sub(r"<[^>]+>", "", mask_code(block)).split())
        line, _ = line_col(body, citation.start)
        for key in dict.fromkeys(item.key for item in citation.items):
            mine = tuple(p for p in note.passages if p.key == key) if note else ()
            rows.append(Row(path, line + body_line - 1, section_at(heads, citation.start), key, claim, mine))
    return rows
