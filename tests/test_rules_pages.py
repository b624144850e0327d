"""Page rules: front matter (FM001-FM004), citation coverage (CIT002), quotations (POL001), the
content note (POL002), unreadable files (FIL001), external links (LNK003-LNK006), the navigation
(LNK007), the glossary (GLO001) and remembered online failures (LNK009).

Rules come from codes.yml and docs/maintainers/authoring.md. Lines are file lines, counted by
hand in the fixtures (front matter included); columns are 1-based.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import check, online
from scripts.diagnostics import Diagnostic, Severity
from scripts.glossary import MAX_DEFINITION, parse_glossary
from scripts.links import Link, check_external, extract_links
from scripts.markdown_source import MAX_PAGE_BYTES, decode, mask_code, read_page, split_front_matter
from scripts.modules import Module, check_registry
from scripts.policy import load_denylist
from tests.conftest import write_site

DENYLIST = load_denylist()
KEYS = frozenset({"known2016"})
MODULE = "modules/m3-anonymity/index.md"
MODULE_PATH = f"docs/{MODULE}"

# The front matter of authoring.md, "Front matter". Line 1 is '---'; the body starts on line 15.
FRONT = """\
---
id: M3
title: Anonymity
summary: What anonymity tools hide, and why both groups value them.
duration: 180
level: introductory
outcomes:
  - Explain why both groups value anonymity and how their reasons differ
  - Describe what a reverse proxy such as Cloudflare does and does not hide
  - Assess the dual use of anonymity tools for journalists and activists
prerequisites: [M1]
reviewed: 2026-11-23
content_note: true
---
"""


def _check(tmp_path: Path, text: str | bytes, name: str = "page.md") -> list[str]:
    """Write one file under tmp_path/docs, read it as the check does, apply every page rule."""
    docs = tmp_path / "docs"
    file = docs / name
    file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    found, _ = check.check_page(read_page(file, docs, tmp_path), KEYS, DENYLIST)
    return [d.format() for d in sorted(found)]


def _module(tmp_path: Path, front: str = FRONT, body: str = "\nIntro text [@known2016].\n") -> list[str]:
    return _check(tmp_path, front + body, MODULE)


def _d(path: str, line: int, col: int, code: str, message: str) -> str:
    return Diagnostic(path, line, col, code, message).format()


# --- FM001 --------------------------------------------------------------------------------------


def test_fm001_yaml_error_at_its_line_and_column(tmp_path: Path) -> None:
    found = _check(tmp_path, "---\ntitle: About\nsummary: a: b\n---\n\n# About\n")
    # The second ': ' on file line 3 (0-based column 10 of the YAML line) is the error.
    assert found == [_d("docs/page.md", 3, 11, "FM001", "front matter: mapping values are not allowed here")]


def test_fm001_front_matter_never_closed(tmp_path: Path) -> None:
    found = _check(tmp_path, "---\ntitle: About\n\n# About\n")
    assert found == [_d("docs/page.md", 1, 1, "FM001", "front matter opened with '---' is never closed")]


def test_fm001_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    found = _check(tmp_path, "---\n- a\n- b\n---\n\n# About\n")
    assert found == [_d("docs/page.md", 2, 1, "FM001", "front matter must be a mapping of keys to values")]


@pytest.mark.parametrize(
    "text",
    [
        "# About\n\nNo front matter at all.\n",
        "---\n---\n# About\n",
        "---\ntitle: About\nhide: [toc]\n---\n\n# About\n",
        "\ufeff---\ntitle: With a byte-order mark\n---\n# About\n",
        "# About\n\nA rule below is no front matter.\n\n---\n\nMore.\n",
    ],
)
def test_readable_front_matter_is_accepted(tmp_path: Path, text: str) -> None:
    assert _check(tmp_path, text) == []


def test_fm001_does_not_stop_the_body_being_checked(tmp_path: Path) -> None:
    found = _check(tmp_path, "---\ntitle: [a\n---\n\nA claim [@nokey].\n")
    assert found[0].startswith("docs/page.md:2:")
    assert " FM001 front matter: " in found[0]
    assert _d("docs/page.md", 5, 9, "CIT001", "unknown citation key 'nokey'") in found


@pytest.mark.parametrize("value", ["reviewed: 2026-02-30", "reviewed: 2026-13-01", "reviewed: !!timestamp soon"])
def test_fm001_impossible_date_is_reported_not_raised(value: str) -> None:
    _, _, _, problems = split_front_matter(f"---\ntitle: T\n{value}\n---\nBody\n", "docs/page.md")
    assert [(d.path, d.code) for d in problems] == [("docs/page.md", "FM001")]


# --- FM002 / FM003 / POL002 on module pages -------------------------------------------------------


def test_the_documented_module_front_matter_is_accepted(tmp_path: Path) -> None:
    assert _module(tmp_path) == []


def test_fm002_missing_key_and_pol002(tmp_path: Path) -> None:
    found = _module(tmp_path, FRONT.replace("content_note: true\n", ""))
    assert found == [
        _d(MODULE_PATH, 1, 1, "FM002", "missing key: 'content_note'"),
        _d(MODULE_PATH, 1, 1, "POL002", "module page lacks 'content_note: true' in its front matter"),
    ]


def test_fm002_unknown_key_at_its_line(tmp_path: Path) -> None:
    found = _module(tmp_path, FRONT.replace("content_note: true\n", "content_note: true\ncolour: red\n"))
    assert found == [
        _d(
            MODULE_PATH,
            14,
            1,
            "FM002",
            "unknown key 'colour': allowed keys are "
            "id, title, summary, duration, level, outcomes, prerequisites, reviewed, content_note",
        )
    ]


def test_fm002_wrong_values_at_their_lines(tmp_path: Path) -> None:
    front = FRONT.replace("duration: 180", "duration: long").replace("level: introductory", "level: beginner")
    assert _module(tmp_path, front) == [
        _d(MODULE_PATH, 5, 1, "FM002", "'duration': 'long' is not of type 'integer'"),
        _d(
            MODULE_PATH, 6, 1, "FM002", "'level': 'beginner' is not one of ['introductory', 'intermediate', 'advanced']"
        ),
    ]


def test_fm002_only_applies_to_module_pages(tmp_path: Path) -> None:
    text = "---\ncolour: red\n---\n\n# Modules\n"
    assert _check(tmp_path, text, "modules/index.md") == []
    assert _check(tmp_path, text, "about.md") == []
    assert _check(tmp_path, text, "modules/m3-anonymity/notes/index.md") == []


@pytest.mark.parametrize("key", ["1: one", "yes: no"])
def test_fm002_non_string_key_is_reported_not_raised(tmp_path: Path, key: str) -> None:
    found = _module(tmp_path, FRONT.replace("content_note: true\n", f"content_note: true\n{key}\n"))
    assert [line.split(": ", 1)[1].split(" ")[0] for line in found] == ["FM002"]
    assert found[0].startswith(f"{MODULE_PATH}:14:1: FM002 ")


def test_fm003_outcome_without_a_listed_verb(tmp_path: Path) -> None:
    outcome = "Understand the dual use of anonymity tools for journalists and activists"
    front = FRONT.replace("Assess the dual use of anonymity tools for journalists and activists", outcome)
    assert _module(tmp_path, front) == [
        _d(
            MODULE_PATH,
            7,
            1,
            "FM003",
            f"outcome '{outcome[:40]}' should start with a verb such as Explain, Compare or Assess "
            "(see scripts/data/outcome-verbs.yml)",
        )
    ]


def test_pol002_content_note_false(tmp_path: Path) -> None:
    found = _module(tmp_path, FRONT.replace("content_note: true", "content_note: false"))
    assert found == [_d(MODULE_PATH, 1, 1, "POL002", "module page lacks 'content_note: true' in its front matter")]


def test_pol002_not_required_outside_modules(tmp_path: Path) -> None:
    assert _check(tmp_path, "---\ntitle: About\n---\n\n# About\n", "about.md") == []


# --- FM004 ---------------------------------------------------------------------------------------


def _mod(module_id: str, folder: str, prerequisites: tuple[str, ...] = ()) -> Module:
    return Module(
        module_id,
        "Title",
        "A summary of twenty characters.",
        90,
        "introductory",
        ("Explain a thing here",) * 3,
        prerequisites,
        "2026-01-01",
        f"modules/{folder}/index.md",
    )


def _registry(*mods: Module) -> list[str]:
    paths = {m.src_uri: f"docs/{m.src_uri}" for m in mods}
    return [d.format() for d in check_registry(list(mods), paths)]


def test_fm004_duplicate_module_id() -> None:
    found = _registry(_mod("M1", "m1-a"), _mod("M1", "m1-b"))
    assert found == [
        _d("docs/modules/m1-b/index.md", 1, 1, "FM004", "module ID M1 is also used by docs/modules/m1-a/index.md")
    ]


def test_fm004_prerequisite_that_names_no_module() -> None:
    found = _registry(_mod("M1", "m1-a"), _mod("M2", "m2-b", ("M9",)))
    assert found == [_d("docs/modules/m2-b/index.md", 1, 1, "FM004", "prerequisite M9 is not another module")]


def test_fm004_module_as_its_own_prerequisite() -> None:
    found = _registry(_mod("M1", "m1-a"), _mod("M2", "m2-b", ("M2",)))
    assert found == [_d("docs/modules/m2-b/index.md", 1, 1, "FM004", "prerequisite M2 is not another module")]


def test_fm004_valid_registry() -> None:
    assert _registry(_mod("M1", "m1-a"), _mod("M2", "m2-b", ("M1",)), _mod("M3", "m3-c", ("M1", "M2"))) == []


def test_fm004_through_the_source_stage(tmp_path: Path) -> None:
    body = "\nIntro [@known2016].\n"
    pages = {
        "index.md": "# Home\n",
        "modules/m3-anonymity/index.md": FRONT.replace("prerequisites: [M1]", "prerequisites: []") + body,
        "modules/m3-again/index.md": FRONT.replace("prerequisites: [M1]", "prerequisites: []") + body,
    }
    found, _ = check.source_stage(check.load_project(write_site(tmp_path, pages)))
    # Sorted by path, m3-again comes first and so owns the ID.
    assert [d.format() for d in found] == [
        _d(MODULE_PATH, 1, 1, "FM004", "module ID M3 is also used by docs/modules/m3-again/index.md")
    ]


# --- CIT002 -----------------------------------------------------------------------------------------

# Body lines are numbered from 15 (FRONT has 14 lines).
COVERAGE_BODY = """\

A short introduction with more than ten words, which needs no citation here.

## Key issues { #key-issues }

### Sub-heading { #sub }

Ten words exactly here one two three four five six.

Nine words only here one two three four five.

A cited paragraph of well over ten words in total is accepted [@known2016].

Read the two sources below before the class and note your questions.
{: .no-cite }

- A list item with a fact of ten or more words in it.
- A short item.

| Year | Event |
|------|-------|
| 2016 | A table row that states a fact in more than ten words |
| 2017 | A cited row with many words in it, as it should be [@known2016] |

## Exercises { #exercises }

An exercise paragraph of more than ten words without any citation is fine.

## Case study: A worked case { #case-study }

The case study paragraph also needs a citation for its ten or more words.
"""


def _cit002(line: int, kind: str, words: int) -> str:
    return _d(
        MODULE_PATH,
        line,
        1,
        "CIT002",
        f"{kind} of {words} words cites no source: add [@key], or end it with {{: .no-cite }} if it states no fact",
    )


def test_cit002_uncited_blocks_in_key_issues_and_case_study(tmp_path: Path) -> None:
    assert _module(tmp_path, body=COVERAGE_BODY) == [
        _cit002(22, "paragraph", 10),
        _cit002(31, "list item", 13),
        _cit002(36, "table row", 13),
        _cit002(45, "paragraph", 14),
    ]


def test_cit002_heading_without_explicit_anchor_still_counts(tmp_path: Path) -> None:
    body = "\n## Key issues\n\nA paragraph of more than ten words that cites no source at all.\n"
    assert _module(tmp_path, body=body) == [_cit002(18, "paragraph", 13)]


def test_cit002_only_on_module_pages(tmp_path: Path) -> None:
    assert _check(tmp_path, "# Notes\n" + COVERAGE_BODY, "notes.md") == []


def test_cit002_line_after_a_fenced_code_block(tmp_path: Path) -> None:
    body = (
        "\n## Key issues { #key-issues }\n\n```text\nan example\n```\n\n"
        "An uncited paragraph of more than ten words after a fenced code block here.\n"
    )
    assert _module(tmp_path, body=body) == [_cit002(22, "paragraph", 14)]


def test_mask_code_blanks_inline_code_and_keeps_offsets() -> None:
    text = "a `[@x]` b\n"
    assert mask_code(text) == "a `    ` b\n"


def test_mask_code_keeps_the_lines_of_a_fenced_block() -> None:
    assert mask_code("```\ncode\n```\nafter\n") == "```\n    \n```\nafter\n"


# --- POL001 -----------------------------------------------------------------------------------------


def _words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def test_pol001_straight_quotation_of_26_words(tmp_path: Path) -> None:
    text = f'---\ntitle: Q\n---\n\n# Q\n\nShe wrote "{_words(26)}" in 2016 [@known2016].\n'
    # File line 7; 'She wrote ' is 10 characters, so the quotation mark is column 11.
    assert _check(tmp_path, text) == [
        _d("docs/page.md", 7, 11, "POL001", "direct quotation of 26 words (at most 25): shorten or paraphrase")
    ]


def test_pol001_curly_quotation_over_two_lines(tmp_path: Path) -> None:
    text = f"# Q\n\nThe report said “{_words(13)}\n{_words(20)}” [@known2016].\n"
    assert _check(tmp_path, text) == [
        _d("docs/page.md", 3, 17, "POL001", "direct quotation of 33 words (at most 25): shorten or paraphrase")
    ]


@pytest.mark.parametrize(
    "text",
    [
        f'She wrote "{_words(25)}" [@known2016].',
        f"She wrote “{_words(25)}” [@known2016].",
        f'??? question "{_words(30)}"\n    An answer [@known2016].',
        f'!!! note "{_words(30)}"\n    A note.',
        f'```text\n"{_words(30)}"\n```',
        f'Code `"{_words(30)}"` is not a quotation.',
    ],
)
def test_pol001_accepts_short_quotes_titles_and_code(tmp_path: Path, text: str) -> None:
    assert _check(tmp_path, f"# Q\n\n{text}\n") == []


def test_pol001_line_after_a_fenced_code_block(tmp_path: Path) -> None:
    text = f'# Q\n\n```text\nx\n```\n\nShe wrote "{_words(26)}".\n'
    assert _check(tmp_path, text) == [
        _d("docs/page.md", 7, 11, "POL001", "direct quotation of 26 words (at most 25): shorten or paraphrase")
    ]


# --- FIL001 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line", "col", "message"),
    [
        (b"", 1, 1, "file is empty: add content or delete it"),
        (b" \n\t\n", 1, 1, "file is empty: add content or delete it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, 1, "file is binary: only Markdown belongs here"),
        # Latin-1 'é' (0xe9) on line 3 after 'Caf': byte 4 of that line.
        (b"# Title\n\nCaf\xe9 au lait\n", 3, 4, "file is not UTF-8: re-save it as UTF-8"),
    ],
)
def test_fil001_unreadable_files(tmp_path: Path, data: bytes, line: int, col: int, message: str) -> None:
    assert _check(tmp_path, data) == [_d("docs/page.md", line, col, "FIL001", message)]


def test_fil001_huge_file(tmp_path: Path) -> None:
    data = b"# Big\n\n" + b"a" * (MAX_PAGE_BYTES + 1 - 8) + b"\n"
    assert len(data) == 2_000_001
    assert _check(tmp_path, data) == [
        _d("docs/page.md", 1, 1, "FIL001", "file is 2,000,001 bytes (limit 2,000,000): split it")
    ]


def test_fil001_limit_itself_is_allowed() -> None:
    data = b"# Big\n\n" + b"a" * (MAX_PAGE_BYTES - 8) + b"\n"
    assert len(data) == MAX_PAGE_BYTES
    text, problem = decode(data, "docs/page.md")
    assert problem is None
    assert text == data.decode()


def test_fil001_utf8_with_accents_is_readable(tmp_path: Path) -> None:
    assert _check(tmp_path, "# Café\n\nÜber naïve résumés [@known2016].\n".encode()) == []


# --- LNK003 - LNK006 ---------------------------------------------------------------------------------

LINKS_PAGE = """\
# Links

See [old](http://example.org/a) and <http://example.org/b>.

An [onion](https://abcdefgh.onion/) and [copy](https://www.scribd.com/doc/1).

A [typo](https:///nohost), [mail](mailto:info@example.org), [ok](https://example.org/c), [page](other.md).

Code is never checked: `http://example.org/code`.
"""


def test_external_link_rules_with_positions_at_the_url(tmp_path: Path) -> None:
    p = "docs/page.md"
    assert _check(tmp_path, LINKS_PAGE) == [
        _d(p, 3, 11, "LNK003", "'http://example.org/a' is not https: use the https address"),
        _d(p, 3, 38, "LNK003", "'http://example.org/b' is not https: use the https address"),
        _d(p, 5, 12, "LNK004", "links to an .onion address: remove the link"),
        _d(p, 5, 48, "LNK005", "'www.scribd.com' is a document-copy site: link the publisher's own page"),
        _d(p, 7, 10, "LNK006", "malformed URL 'https:///nohost'"),
    ]


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("ftp://example.org/f", "LNK003", "'ftp://example.org/f' is not https: use the https address"),
        ("//example.org/x", "LNK003", "'//example.org/x' is not https: use the https address"),
        ("http://abcdefgh.onion/", "LNK004", "links to an .onion address: remove the link"),
        ("https://pastebin.com/x", "LNK005", "'pastebin.com' is a forum repost: link the publisher's own page"),
        ("https://probsee.com/x", "LNK005", "'probsee.com' is a denylisted host: link the publisher's own page"),
        ("https://[::1", "LNK006", "malformed URL 'https://[::1': Invalid IPv6 URL"),
        ("https://localhost/x", "LNK006", "malformed URL 'https://localhost/x'"),
    ],
)
def test_check_external_rejects(url: str, code: str, message: str) -> None:
    assert [d.format() for d in check_external(Link(url, 4, 2), "docs/p.md", DENYLIST)] == [
        _d("docs/p.md", 4, 2, code, message)
    ]


@pytest.mark.parametrize(
    "url", ["https://example.org/", "HTTPS://Example.ORG/a?b=c#d", "mailto:info@example.org", "https://notscribd.com/"]
)
def test_check_external_accepts(url: str) -> None:
    assert check_external(Link(url, 1, 1), "docs/p.md", DENYLIST) == []


def test_raw_html_link_is_checked_on_its_line(tmp_path: Path) -> None:
    found = _check(tmp_path, '# Links\n\nSee <a href="http://example.org/d">this</a>.\n')
    assert [(f.split(":")[0], f.split(":")[1], f.split(": ", 1)[1]) for f in found] == [
        ("docs/page.md", "3", "LNK003 'http://example.org/d' is not https: use the https address")
    ]


def test_raw_html_link_column_points_at_the_url() -> None:
    assert extract_links('See <a href="http://example.org/d">this</a>.') == [Link("http://example.org/d", 1, 14)]


def test_link_url_is_kept_as_written(tmp_path: Path) -> None:
    assert _check(tmp_path, "# L\n\n[x](http://example.org/café)\n") == [
        _d("docs/page.md", 3, 5, "LNK003", "'http://example.org/café' is not https: use the https address")
    ]


def test_two_identical_bad_links_on_one_line_are_two_diagnostics(tmp_path: Path) -> None:
    p = "docs/page.md"
    assert _check(tmp_path, "# L\n\n[a](http://a.org) [b](http://a.org)\n") == [
        _d(p, 3, 5, "LNK003", "'http://a.org' is not https: use the https address"),
        _d(p, 3, 23, "LNK003", "'http://a.org' is not https: use the https address"),
    ]


def test_scheme_typo_with_one_slash_is_reported(tmp_path: Path) -> None:
    assert check_external(Link("https:/example.org/page", 3, 5), "docs/page.md", DENYLIST) != []
    assert _check(tmp_path, "# L\n\n[x](https:/example.org/page)\n") == [
        _d("docs/page.md", 3, 5, "LNK006", "malformed URL 'https:/example.org/page'")
    ]


def test_file_scheme_link_is_reported(tmp_path: Path) -> None:
    assert _check(tmp_path, "# L\n\n[x](file:///home/me/report.pdf)\n") == [
        _d("docs/page.md", 3, 5, "LNK003", "'file:///home/me/report.pdf' is not https: use the https address")
    ]


# --- LNK007 (and LNK001 for a nav entry without a page) ----------------------------------------------


def test_lnk007_page_missing_from_nav_and_lnk001_nav_entry_without_page(tmp_path: Path) -> None:
    pages = {
        "index.md": "# Home [@known2016]\n",
        "about.md": "# About\n",
        "drafts/x.md": "# Draft\n",
        "extra.md": "# Extra\n",
    }
    nav = ["index.md", {"About": "about.md"}, {"Gone": "gone.md"}, {"Elsewhere": "https://example.org/"}]
    config = write_site(tmp_path, pages, {"nav": nav, "not_in_nav": "/drafts/\n"})
    found, _ = check.source_stage(check.load_project(config))
    gone_line = config.read_text(encoding="utf-8").splitlines().index("- Gone: gone.md") + 1
    assert [d.format() for d in sorted(found)] == [
        _d("docs/extra.md", 1, 1, "LNK007", "page is not in the navigation: add it to nav in mkdocs.yml"),
        _d("mkdocs.yml", gone_line, 1, "LNK001", "nav lists 'gone.md', which does not exist"),
    ]


def test_lnk007_not_reported_without_nav_or_when_every_page_is_listed(tmp_path: Path) -> None:
    pages = {"index.md": "# Home [@known2016]\n", "sub/about.md": "# About\n"}
    found, _ = check.source_stage(check.load_project(write_site(tmp_path / "a", pages)))
    assert found == []
    config = write_site(tmp_path / "b", pages, {"nav": [{"Home": "index.md"}, {"Sub": [{"About": "sub/about.md"}]}]})
    found, _ = check.source_stage(check.load_project(config))
    assert found == []


# --- GLO001 -----------------------------------------------------------------------------------------

G = "docs/glossary.yml"


def test_glo001_valid_glossary() -> None:
    terms, problems = parse_glossary(
        "- term: Tor\n  definition: Software that routes traffic through relays.\n  aliases: [onion routing]\n"
        "- term: botnet\n  definition: Computers controlled together without their owners' knowledge.\n",
        G,
    )
    assert problems == []
    assert [(t.term, t.aliases, t.anchor) for t in terms] == [
        ("botnet", (), "term-botnet"),
        ("Tor", ("onion routing",), "term-tor"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- term: Tor\n  definition: a: b\n", 2, "glossary is not valid YAML: mapping values are not allowed here"),
        ("term: Tor\ndefinition: x\n", 1, "glossary must be a list of {term, definition}"),
        ("- term: Tor\n", 1, "entry 1 needs 'term' and 'definition'"),
        (
            "- term: Tor\n  definition: A.\n- term: Onion routing\n  definition: B.\n  aliases: [Tor]\n",
            3,
            "term 'Tor' is defined twice",
        ),
        (
            f"- term: Tor\n  definition: {'x' * (MAX_DEFINITION + 1)}\n",
            1,
            "definition of 'Tor' has 241 characters (at most 240)",
        ),
    ],
)
def test_glo001_rejects(text: str, line: int, message: str) -> None:
    _, problems = parse_glossary(text, G)
    assert [d.format() for d in problems] == [_d(G, line, 1, "GLO001", message)]


def test_glo001_term_repeated() -> None:
    _, problems = parse_glossary("- term: Tor\n  definition: A.\n- term: Tor\n  definition: B.\n", G)
    assert [(d.code, d.message) for d in problems] == [("GLO001", "term 'Tor' is defined twice")]


def test_glo001_definition_of_exactly_the_limit_is_accepted() -> None:
    _, problems = parse_glossary(f"- term: Tor\n  definition: {'x' * MAX_DEFINITION}\n", G)
    assert problems == []


def test_glo001_aliases_not_a_list() -> None:
    _, problems = parse_glossary("- term: Tor\n  definition: A.\n  aliases: 5\n", G)
    assert [d.code for d in problems] == ["GLO001"]


def test_fil001_glossary_not_utf8(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home [@known2016]\n"})
    (tmp_path / "docs" / "glossary.yml").write_bytes(b"- term: Caf\xe9\n  definition: A drink.\n")
    found, _ = check.source_stage(check.load_project(config))
    assert [(d.path, d.code) for d in found] == [(G, "FIL001")]


# --- LNK009 (remembered online failures, no network) -----------------------------------------------


def test_lnk009_remembered_failure_is_a_warning_offline(tmp_path: Path) -> None:
    cache = tmp_path / "links.cache.json"
    cache.write_text(
        json.dumps(
            {
                "https://example.org/gone": {"ok": False, "detail": "404 Not Found", "checked": "2026-01-02"},
                "https://example.org/fine": {"ok": True, "detail": "ok", "checked": "2026-01-02"},
            }
        ),
        encoding="utf-8",
    )
    uses = online.collect_uses(
        [
            ("https://example.org/gone", "docs/index.md", 3, 5),
            ("https://example.org/fine", "docs/index.md", 4, 5),
            ("https://example.org/unchecked", "docs/index.md", 5, 5),
        ]
    )
    found = online.check_online(uses, cache, refresh=False)
    expected = Diagnostic(
        "docs/index.md",
        3,
        5,
        "LNK009",
        "'https://example.org/gone' failed on 2026-01-02: 404 Not Found",
        Severity.WARNING,
    )
    assert [d.format() for d in found] == [expected.format()]
