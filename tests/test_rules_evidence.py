"""Evidence rules EVD001 to EVD005, and how evidence is read and rendered.

Syntax (authoring.md, "Evidence beside each claim"): right after a citation's `]`, an HTML
comment with one line per passage, `@key, locator: "the source's words"`, optionally
`| read: where` and `| tr: "translation"`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import check, evidence
from scripts.citations import labeller
from scripts.markdown_source import read_page
from scripts.policy import load_denylist

DENYLIST = load_denylist()
KEYS = frozenset({"known2016", "other2017"})
HEAD = "# Page\n\n## Key issues { #key-issues }\n\n"
GOOD = '<!--\n@known2016, para. 2: "Both groups rely on the same anonymising networks"\n-->'


def _check(tmp_path: Path, body: str, *, required: bool = True) -> list[str]:
    docs = tmp_path / "docs"
    file = docs / "index.md"
    docs.mkdir(parents=True, exist_ok=True)
    file.write_text(HEAD + body, encoding="utf-8")
    found, _ = check.check_page(read_page(file, docs, tmp_path), KEYS, DENYLIST, evidence_required=required)
    return [d.format() for d in sorted(found)]


def _codes(found: list[str]) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in found]


# --- Accepted -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"Criminals and terrorists used Tor [@known2016]{GOOD}.\n",
        # whitespace, even a line break, between the citation and its note
        f"Criminals and terrorists used Tor [@known2016]\n{GOOD}\n",
        # one line, two keys, a locator with a quoted heading, read-at and a translation
        'Two sources agree [@known2016; @other2017]<!-- @known2016, sec. "Intro", para. 1: "x y z" '
        '| read: http://mirror.example/a\n@other2017, p. 3: "Texto original" | tr: "Original text" -->.\n',
        # a key cited twice in one group needs one passage; two passages for one key are fine
        'Twice [@known2016, p. 1; @known2016, p. 2]<!-- @known2016, p. 1: "a"\n@known2016, p. 2: "b" -->.\n',
        # reading lists need no evidence
        "## Core reading { #core-reading }\n\n- The report [@known2016]: why to read it.\n",
        # a sentence may quote 12 or more words of its evidence in quotation marks
        'It said "both groups rely on the same anonymising networks, and more words here now" '
        '[@known2016]<!-- @known2016, para. 2: "both groups rely on the same anonymising networks, and more words here now" -->.\n',
        # an ordinary HTML comment is not evidence, and a citation inside a comment is no citation
        "Note <!-- a maintainer's remark [@nokey] --> here.\n",
    ],
)
def test_well_formed_evidence_is_accepted(tmp_path: Path, body: str) -> None:
    assert _check(tmp_path, body) == []


def test_the_course_requires_evidence() -> None:
    project = check.load_project(Path(__file__).resolve().parent.parent / "mkdocs.yml")
    assert project.evidence_required


def test_evd001_is_off_unless_the_site_requires_evidence(tmp_path: Path) -> None:
    assert _check(tmp_path, "A claim [@known2016].\n", required=False) == []


# --- Rejected -------------------------------------------------------------------------------


def test_evd001_citation_without_evidence_at_the_bracket(tmp_path: Path) -> None:
    found = _check(tmp_path, "A claim [@known2016].\n")
    assert found == [
        "docs/index.md:5:9: EVD001 citation of 'known2016' has no evidence: record the passage that "
        "supports it (see Writing a module > Evidence)"
    ]


def test_evd001_one_key_of_a_group_without_evidence(tmp_path: Path) -> None:
    found = _check(tmp_path, f"Two [@known2016; @other2017]{GOOD}.\n")
    assert _codes(found) == ["EVD001"]
    assert "'other2017'" in found[0]


def test_evd001_in_answers_tables_and_exercises_too(tmp_path: Path) -> None:
    body = (
        "## Review questions { #review }\n\n"
        '??? question "Why?"\n    Because [@known2016].\n\n'
        "| a | b |\n|---|---|\n| cell [@other2017] | x |\n"
    )
    assert _codes(_check(tmp_path, body)) == ["EVD001", "EVD001"]


def test_evd001_a_note_separated_by_text_is_not_evidence(tmp_path: Path) -> None:
    found = _check(tmp_path, f"A claim [@known2016]. More text {GOOD}\n")
    assert _codes(found) == ["EVD001", "EVD003"]


def test_evd002_passage_of_26_words(tmp_path: Path) -> None:
    quote = " ".join(f"w{i}" for i in range(26))
    found = _check(tmp_path, f'A claim [@known2016]<!-- @known2016, p. 1: "{quote}" -->.\n')
    assert found == [
        "docs/index.md:5:26: EVD002 evidence for 'known2016' is 26 words (limit 25): keep the decisive words"
    ]


def test_evd002_25_words_are_accepted(tmp_path: Path) -> None:
    quote = " ".join(f"w{i}" for i in range(25))
    assert _check(tmp_path, f'A claim [@known2016]<!-- @known2016, p. 1: "{quote}" -->.\n') == []


def test_evd003_evidence_for_a_key_not_cited(tmp_path: Path) -> None:
    body = 'A claim [@known2016]<!-- @known2016, p. 1: "a"\n@other2017, p. 2: "b" -->.\n'
    found = _check(tmp_path, body)
    assert found == ["docs/index.md:6:1: EVD003 evidence names 'other2017', which this citation does not cite"]


def test_evd003_evidence_left_behind_when_the_citation_is_removed(tmp_path: Path) -> None:
    found = _check(tmp_path, f"A claim whose citation was deleted{GOOD}.\n")
    assert found == [
        "docs/index.md:5:35: EVD003 evidence follows no citation: put it right after its citation's ']', "
        "or delete it with the citation"
    ]


def test_evd004_twelve_words_copied_from_the_evidence(tmp_path: Path) -> None:
    quote = "the two groups use the same services for very different reasons in the end"
    body = f'So the two groups use the same services for very different reasons in the end [@known2016]<!-- @known2016, p. 1: "{quote}" -->.\n'
    found = _check(tmp_path, body)
    assert _codes(found) == ["EVD004"]
    assert "'the two groups use the same services for very different reasons in'" in found[0]


def test_evd004_eleven_words_are_not_copying(tmp_path: Path) -> None:
    quote = "the two groups use the same services for very different reasons"
    body = f'So the two groups use the same services for very different reasons indeed [@known2016]<!-- @known2016, p. 1: "{quote}" -->.\n'
    assert _check(tmp_path, body) == []


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ('@known2016: "no locator"', "evidence for 'known2016' has no locator"),
        ("@known2016, p. 1: no quotation marks", "write evidence as @key, locator"),
        ('@known2016, p. 1: ""', "evidence for 'known2016' quotes nothing"),
        ('@known2016, p. 1: "a"\nstray line', "write evidence as @key, locator"),
    ],
)
def test_evd005_malformed_lines(tmp_path: Path, note: str, message: str) -> None:
    found = _check(tmp_path, f"A claim [@known2016]<!-- {note} -->.\n")
    assert "EVD005" in _codes(found)
    assert any(message in line for line in found)


# --- Reading and rendering ------------------------------------------------------------------


def test_notes_are_parsed_with_locator_read_at_and_translation() -> None:
    text = 'x [@a]<!-- @a, sec. "Intro", para. 3: "Texto | com barra" | read: http://m.example/x | tr: "Text" -->'
    (note,) = evidence.find_notes(text)
    (passage,) = note.passages
    assert (passage.key, passage.locator, passage.quote) == ("a", 'sec. "Intro", para. 3', "Texto | com barra")
    assert (passage.read, passage.translation) == ("http://m.example/x", "Text")


def test_rendered_citation_describes_its_link_with_the_source_words() -> None:
    label = labeller({"a": "Trend Micro", "b": "Fin24"}, {"a": "2016", "b": "2016"})
    text = 'Claim [@a; @b]<!--\n@a, para. 2: "rely on *Tor* [1] | here"\n-->.'
    html, keys = evidence.render(text, label)
    assert keys == ["a", "b"]
    assert "<!--" not in html and "para. 2:" not in html
    assert '<a class="citation" href="#ref-a" aria-describedby="ev-1">Trend Micro, 2016</a>' in html
    # Markdown and table syntax in the quotation is escaped, so the words show as written.
    assert "“rely on &#42;Tor&#42; &#91;1&#93; &#124; here” (para. 2)" in html
    assert "The source says:" in html
    # a key without evidence renders as a plain citation
    assert '<a class="citation" href="#ref-b">Fin24, 2016</a>' in html
    assert html.endswith("</span>.")


def test_the_copy_read_is_named_once_by_its_host() -> None:
    label = labeller({"a": "Trend Micro"}, {"a": "2016"})
    text = 'C [@a]<!--\n@a, para. 1: "x" | read: http://www.example.eu/page.php?m=A_B\n@a, para. 2: "y" | read: http://www.example.eu/page.php?m=A_B\n-->.'
    html, _ = evidence.render(text, label)
    assert html.count("Read in a copy at example.eu.") == 1
    assert "page.php" not in html


def test_rendering_removes_notes_left_behind() -> None:
    html, _ = evidence.render('Text<!-- @a, p. 1: "x" --> more.', labeller({}, {}))
    assert html == "Text more."


def test_record_lists_every_cited_key_with_its_claim_and_passages() -> None:
    body = HEAD + f"Criminals used Tor [@known2016; @other2017]{GOOD}.\n"
    rows = evidence.record(body, "docs/x.md")
    assert [(r.line, r.section, r.key, len(r.passages)) for r in rows] == [
        (5, "key-issues", "known2016", 1),
        (5, "key-issues", "other2017", 0),
    ]
    assert rows[0].claim.startswith("Criminals used Tor [@known2016; @other2017]")
    assert "<!--" not in rows[0].claim
