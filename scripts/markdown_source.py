"""Reading Markdown pages: safe decoding, front matter, code masking and blocks.

Everything here is a pure function of the page text, so every rule that needs the page's
structure reads it the same way. Positions are kept: masking replaces characters with
spaces, and blocks carry the line they start on in the original file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from scripts.diagnostics import Diagnostic

MAX_PAGE_BYTES = 2_000_000
"""Pages larger than this are reported rather than parsed."""

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_HEADING_ANCHOR = re.compile(r"\{[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$")
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s")
NO_CITE = re.compile(r"\{:?\s*[^}]*\.no-cite\b[^}]*\}\s*$")
"""The marker for a paragraph that states no fact: `{: .no-cite }` on its last line."""


@dataclass(frozen=True)
class SourcePage:
    """A page read from `docs/`.

    Attributes:
        path: Path relative to the project root, for diagnostics.
        src_uri: Path relative to `docs/`, with forward slashes.
        meta: Front matter (empty when there is none).
        body: Text after the front matter.
        body_line: 1-based line of the body's first line in the file.
        problems: Diagnostics met while reading (encoding, front matter).
        front: The text before the body (front matter with its `---` lines), so that
            diagnostics can point at a key's line.
    """

    path: str
    src_uri: str
    meta: dict[str, Any]
    body: str
    body_line: int
    problems: tuple[Diagnostic, ...] = field(default=())
    front: str = ""


def decode(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """Decode page bytes, refusing empty, binary, huge and non-UTF-8 files (FIL001)."""
    if not data.strip():
        return None, Diagnostic(path, 1, 1, "FIL001", "file is empty: add content or delete it")
    if len(data) > MAX_PAGE_BYTES:
        return None, Diagnostic(
            path, 1, 1, "FIL001", f"file is {len(data):,} bytes (limit {MAX_PAGE_BYTES:,}): split it"
        )
    if b"\x00" in data:
        return None, Diagnostic(path, 1, 1, "FIL001", "file is binary: only Markdown belongs here")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, Diagnostic(path, line, col, "FIL001", "file is not UTF-8: re-save it as UTF-8")


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int, list[Diagnostic]]:
    """Split YAML front matter from the body.

    Returns:
        The front matter, the body, the body's first line number, and problems (FM001).
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, text, 1, []
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            raw = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            try:
                data = yaml.safe_load(raw)
            except (yaml.YAMLError, ValueError, TypeError, AttributeError) as error:
                # YAML syntax errors carry a mark; bad values (2026-02-30) raise while building.
                mark = getattr(error, "problem_mark", None)
                line = (mark.line + 2) if mark is not None else 1
                col = (mark.column + 1) if mark is not None else 1
                problem = getattr(error, "problem", None) or "invalid YAML"
                return {}, body, index + 2, [Diagnostic(path, line, col, "FM001", f"front matter: {problem}")]
            if data is None:
                data = {}
            if not isinstance(data, dict):
                return (
                    {},
                    body,
                    index + 2,
                    [Diagnostic(path, 2, 1, "FM001", "front matter must be a mapping of keys to values")],
                )
            return data, body, index + 2, []
    return {}, text, 1, [Diagnostic(path, 1, 1, "FM001", "front matter opened with '---' is never closed")]


def read_page(file: Path, docs_dir: Path, root: Path) -> SourcePage:
    """Read one page from disk; never raises for bad content."""
    path = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.as_posix()
    src_uri = file.relative_to(docs_dir).as_posix()
    text, problem = decode(file.read_bytes(), path)
    if text is None:
        return SourcePage(path, src_uri, {}, "", 1, (problem,) if problem else ())
    meta, body, body_line, problems = split_front_matter(text, path)
    front = "\n".join(text.split("\n")[: body_line - 1])
    return SourcePage(path, src_uri, meta, body, body_line, tuple(problems), front)


@lru_cache(maxsize=64)
def mask_code(text: str) -> str:
    """Blank out fenced code blocks and inline code spans, keeping every position.

    Pure, so cached: several rules mask the same page body in turn.
    """
    if "`" not in text and "~~~" not in text:
        return text  # nothing to mask (most pages)
    out: list[str] = []
    fences: set[int] = set()
    fence: str | None = None
    for number, line in enumerate(text.split("\n")):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)[0] * len(match.group(2))
            fences.add(number)
            out.append(line)
            continue
        if fence is not None:
            if match and match.group(2).startswith(fence):
                fence = None
                fences.add(number)
                out.append(line)
            else:
                out.append(" " * len(line))
            continue
        out.append(line)
    # Inline code, on everything but fence lines (whose backticks would pair up otherwise);
    # a span's characters become spaces, its line breaks stay.
    hidden = "\n".join("\x00" * len(line) if n in fences else line for n, line in enumerate(out))
    masked = _INLINE_CODE.sub(lambda m: m.group(1) + re.sub(r"[^\n]", " ", m.group(2)) + m.group(1), hidden)
    return "\n".join(out[n] if n in fences else line for n, line in enumerate(masked.split("\n")))


_MD_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "*_[]`|\\{}#!"})


def literal_html(text: str) -> str:
    """Text as HTML that neither a browser nor Markdown will read as markup (table cells too)."""
    return html.escape(text, quote=True).translate(_MD_SPECIAL)


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def mask_comments(text: str) -> str:
    """Blank out HTML comments (evidence notes included), keeping every position."""
    if "<!--" not in text:
        return text
    return _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def unwrap_admonitions(text: str) -> str:
    """Turn `!!! note` blocks into plain Markdown at the same lines.

    CommonMark would read an admonition's indented body as a code block; this blanks the
    marker line and dedents the body so the blocks inside are parsed as prose.
    """
    out: list[str] = []
    indent: int | None = None
    for line in text.split("\n"):
        if indent is not None:
            if not line.strip():
                out.append("")
                continue
            if line.startswith(" " * indent):
                out.append(line[indent:])
                continue
            indent = None
        match = _ADMONITION.match(line)
        if match:
            indent = len(match.group(1)) + 4
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


@dataclass(frozen=True)
class Block:
    """A unit of prose: a paragraph, list item or table row.

    Attributes:
        kind: `paragraph`, `list_item` or `table_row`.
        text: Its Markdown source.
        line: 1-based line in the file.
        section: Anchor of the enclosing level-2 heading (`key-issues`), or `""`.
    """

    kind: str
    text: str
    line: int
    section: str


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def heading_anchor(title: str) -> str | None:
    """The explicit anchor of a heading written `Title { #anchor }`, or `None`."""
    match = _HEADING_ANCHOR.search(title)
    return match.group(1) if match else None


def iter_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Split a page body into prose blocks, each tagged with its level-2 section.

    A list item's block is its own paragraph (nested lists give their own blocks). Lines
    count from `first_line`, the body's first line in the file.
    """
    source = unwrap_admonitions(mask_code(body))
    lines = source.split("\n")
    tokens = _parser().parse(source)
    blocks: list[Block] = []
    section = ""
    in_item = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inline = tokens[index + 1].content
            section = heading_anchor(inline) or slug(inline)
        elif token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "paragraph_open" and token.map:
            start, end = token.map
            kind = "list_item" if in_item else "paragraph"
            text = "\n".join(lines[start:end])
            blocks.append(Block(kind, text, start + first_line, section))
        elif token.type == "tr_open" and token.map:
            start, end = token.map
            if index + 1 < len(tokens) and tokens[index + 1].type == "td_open":
                blocks.append(Block("table_row", "\n".join(lines[start:end]), start + first_line, section))
    return blocks


def slug(title: str) -> str:
    """The anchor a heading without an explicit `{ #anchor }` gets (approximately MkDocs' own)."""
    return re.sub(r"[^\w]+", "-", title.lower()).strip("-")
