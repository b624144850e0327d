"""Citations exactly as Pandoc reads them: every citation group in docs/ and a corpus of edge
cases (tests/data/citation-cases.yml) are read by Pandoc (pypandoc-binary, a development
dependency) and by scripts.citations, and must agree on keys, prefixes, locators and modes,
unless the case names a documented, deliberate difference (which the check then reports)."""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.citations import find_citations, find_suspects
from scripts.markdown_source import read_page, unwrap_admonitions
from tests.conftest import ROOT

CASES = yaml.safe_load((ROOT / "tests" / "data" / "citation-cases.yml").read_text(encoding="utf-8"))
Group = list[tuple[str, str, str, str]]


@cache
def _pandoc() -> str:
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a development dependency
        pytest.fail("pypandoc-binary is missing: make venv installs requirements-dev.txt")
    return str(pypandoc.get_pandoc_path())


def _plain(inlines: list[dict[str, Any]]) -> str:
    """Pandoc inlines back to the Markdown the course would render the same way."""
    out: list[str] = []
    for node in inlines:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in {"Space", "SoftBreak", "LineBreak"}:
            out.append(" ")
        elif kind == "Code":
            out.append(f"`{content[1]}`")
        elif kind == "Emph":
            out.append(f"*{_plain(content)}*")
        elif kind == "Strong":
            out.append(f"**{_plain(content)}**")
        elif kind == "Quoted":
            mark = '"' if content[0]["t"] == "DoubleQuote" else "'"
            out.append(mark + _plain(content[1]) + mark)
        elif kind in {"Span", "Link", "Cite"}:
            out.append(_plain(content[1]))
        elif kind == "RawInline":
            out.append(content[1])
    return "".join(out)


def _normal(text: str) -> str:
    """Pandoc's typography undone: no-break spaces after abbreviations, and the ellipsis."""
    return " ".join(text.replace("\xa0", " ").replace("…", "...").split()).strip()


def _pandoc_groups(markdown: str) -> list[list[Group]]:
    """Citation groups Pandoc finds, per part of `markdown` separated by `* * *` rules."""
    result = subprocess.run(
        [_pandoc(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True
    )
    parts: list[list[Group]] = [[]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "HorizontalRule":
                parts.append([])
                return
            if node.get("t") == "Cite":
                group = [
                    (
                        c["citationId"],
                        _normal(_plain(c["citationPrefix"])),
                        _normal(_plain(c["citationSuffix"])).removeprefix(",").strip(),
                        c["citationMode"]["t"],
                    )
                    for c in node["c"][0]
                ]
                if any(mode != "AuthorInText" for *_, mode in group):  # the course writes no bare @key
                    parts[-1].append(group)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(result.stdout)["blocks"])
    return parts


def _ours(markdown: str) -> list[Group]:
    return [
        [
            (i.key, _normal(i.prefix), _normal(i.locator), "SuppressAuthor" if i.suppress_author else "NormalCitation")
            for i in c.items
        ]
        for c in find_citations(markdown)
        if c.items
    ]


@cache
def _corpus_verdicts() -> list[list[Group]]:
    return _pandoc_groups("\n\n* * *\n\n".join(case["markdown"] for case in CASES["cases"]))


def test_the_corpus_is_large_and_every_difference_is_documented() -> None:
    assert len(CASES["cases"]) >= 60
    named = {case["difference"] for case in CASES["cases"] if "difference" in case}
    assert named <= set(CASES["differences"]), named - set(CASES["differences"])


@pytest.mark.parametrize("index", range(len(CASES["cases"])), ids=[c["markdown"][:50] for c in CASES["cases"]])
def test_each_case_reads_as_pandoc_reads_it(index: int) -> None:
    case = CASES["cases"][index]
    pandoc = _corpus_verdicts()[index]
    ours = _ours(case["markdown"])
    if "difference" not in case:
        assert ours == pandoc
        return
    assert ours != pandoc, f"documented difference {case['difference']!r} no longer differs: drop it"
    # A deliberate difference is never silent: the check reports the group.
    reported = find_suspects(case["markdown"]) or any(c.malformed for c in find_citations(case["markdown"]))
    assert reported, f"{case['markdown']!r}: differs from Pandoc without a CIT003"


PAGES = sorted(p for p in (ROOT / "docs").rglob("*.md") if "maintainers" not in p.parts)


@pytest.mark.parametrize("file", PAGES, ids=[p.relative_to(ROOT / "docs").as_posix() for p in PAGES])
def test_every_citation_group_of_the_course_reads_as_pandoc_reads_it(file: Path) -> None:
    page = read_page(file, ROOT / "docs", ROOT)
    body = unwrap_admonitions(page.body)  # Pandoc would read an admonition's body as code
    body = re.sub(r"(?m)^\s*\{:[^}]*\}\s*$", "", body)  # attribute lists: Pandoc has its own
    (pandoc,) = _pandoc_groups(body.replace("* * *", "***"))[:1]
    assert _ours(body) == pandoc
