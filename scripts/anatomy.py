"""The parts every module must have (UNODC E4J's anatomy), checked on its Markdown.

MOD001 a required section is missing (Since 2016, guiding questions on the case study,
student assessment with its written assignment, marking rubric and knowledge check, advanced
reading); MOD002 review questions without a level, or mostly recall; MOD003 a class plan that
does not debrief its pre-class exercise or whose timings do not sum to the module's duration;
MOD004 fewer than two advanced readings. The course turns them on with
`extra.course.assessment: required` in `mkdocs.yml`.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.diagnostics import Diagnostic
from scripts.markdown_source import SourcePage, heading_anchor, mask_code, slug
from scripts.quiz import FILE_NAME, MARKER

REQUIRED: tuple[tuple[str, str], ...] = (
    ("since-2016", "### Since 2016 { #since-2016 } in Key issues, with at least three dated developments"),
    ("case-questions", "### Guiding questions { #case-questions } at the end of the case study"),
    ("assessment", "## Student assessment { #assessment }"),
    ("assignment", "### Written assignment { #assignment } (the brief)"),
    ("rubric", "### Marking rubric { #rubric } (a table of criteria by levels)"),
    ("knowledge-check", "### Knowledge check { #knowledge-check } with <!-- course:quiz -->"),
    ("advanced-reading", "## Advanced reading { #advanced-reading } (at least two scholarly works)"),
)
"""Anchors a module must have, with what to write."""
LEVELS = ("Remember", "Apply", "Analyse", "Evaluate")
"""Review-question levels; all but Remember count as above recall."""
MIN_ADVANCED = 2

_HEADING = re.compile(r"^(?P<hashes>#{2,6})\s+(?P<title>.+?)\s*$", re.M)
_QUESTION = re.compile(r'^\s*\?\?\?\+?\s+question\s+"(?P<title>[^"]*)"', re.M)
_ROW_TIME = re.compile(r"^\|\s*(?P<minutes>\d+)\s*min\w*\s*\|(?P<activity>[^|]*)\|", re.M)


def _at(page: SourcePage, offset: int) -> int:
    return page.body.count("\n", 0, offset) + page.body_line


def anchors(body: str) -> dict[str, int]:
    """Offsets of every heading anchor (explicit or slug) in a page body."""
    found: dict[str, int] = {}
    for match in _HEADING.finditer(mask_code(body)):
        title = match.group("title")
        anchor = heading_anchor(title) or slug(title)
        found.setdefault(anchor, match.start())
    return found


def _section(body: str, heads: dict[str, int], anchor: str) -> str:
    """The text from the heading `anchor` to the next heading of the same or a higher level."""
    start = heads[anchor]
    level = len(body[start:].split(" ", 1)[0])
    following = [m.start() for m in _HEADING.finditer(body, start + 1) if len(m.group("hashes")) <= level]
    return body[start : following[0] if following else len(body)]


def check_module(page: SourcePage, duration: int | None, docs_dir: Path) -> list[Diagnostic]:
    """MOD001 to MOD004 for one module page (`docs_dir` to find its `quiz.yml`)."""
    found: list[Diagnostic] = []
    body = page.body
    heads = anchors(body)
    for anchor, what in REQUIRED:
        if anchor not in heads:
            found.append(
                Diagnostic(page.path, page.body_line, 1, "MOD001", f"module has no section '#{anchor}': add {what}")
            )
    if "knowledge-check" in heads and MARKER not in _section(body, heads, "knowledge-check"):
        found.append(
            Diagnostic(
                page.path,
                _at(page, heads["knowledge-check"]),
                1,
                "MOD001",
                f"the knowledge check section lacks {MARKER}",
            )
        )
    quiz = docs_dir / Path(page.src_uri).parent / FILE_NAME
    if "knowledge-check" in heads and not quiz.is_file():
        found.append(
            Diagnostic(
                page.path,
                _at(page, heads["knowledge-check"]),
                1,
                "MOD001",
                f"no {FILE_NAME} beside the page: write the questions there",
            )
        )
    found.extend(_check_levels(page))
    if "class-structure" in heads:
        found.extend(_check_plan(page, _section(body, heads, "class-structure"), heads["class-structure"], duration))
    if "advanced-reading" in heads:
        items = re.findall(r"^\s*[-*]\s+.*\[@", _section(body, heads, "advanced-reading"), re.M)
        if len(items) < MIN_ADVANCED:
            found.append(
                Diagnostic(
                    page.path,
                    _at(page, heads["advanced-reading"]),
                    1,
                    "MOD004",
                    f"{len(items)} advanced reading(s): list at least {MIN_ADVANCED} peer-reviewed works, each cited",
                )
            )
    return found


def _check_levels(page: SourcePage) -> list[Diagnostic]:
    found = []
    levels = []
    for match in _QUESTION.finditer(page.body):
        level = match.group("title").split(":", 1)[0].strip()
        if level not in LEVELS:
            found.append(
                Diagnostic(
                    page.path,
                    _at(page, match.start()),
                    1,
                    "MOD002",
                    f"review question without a level: start its title with {', '.join(f'{v}:' for v in LEVELS)}",
                )
            )
        levels.append(level)
    higher = sum(level in LEVELS[1:] for level in levels)
    if levels and higher * 2 < len(levels):
        found.append(
            Diagnostic(
                page.path,
                _at(page, page.body.find("??? question")),
                1,
                "MOD002",
                f"{higher} of {len(levels)} review questions go beyond recall: at least half must be Apply, Analyse or Evaluate",
            )
        )
    return found


def _check_plan(page: SourcePage, plan: str, offset: int, duration: int | None) -> list[Diagnostic]:
    found = []
    rows = list(_ROW_TIME.finditer(plan))
    line = _at(page, offset)
    if not any(row.group("activity").strip().lower().startswith("debrief") for row in rows):
        found.append(
            Diagnostic(
                page.path,
                line,
                1,
                "MOD003",
                "the class plan never debriefs the pre-class exercise: add a 'Debrief:' row",
            )
        )
    total = sum(int(row.group("minutes")) for row in rows)
    if duration is not None and rows and total != duration:
        found.append(
            Diagnostic(
                page.path,
                line,
                1,
                "MOD003",
                f"the class plan sums to {total} minutes; the module's duration is {duration}",
            )
        )
    return found
