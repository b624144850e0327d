"""Citation rules CIT001 (unknown key) and CIT003 (malformed), and how citations are read.

Syntax (authoring.md, "Citing"): `[@key]`, `[@key, p. 12]`, `[@a; @b]`, Pandoc-style, so also
`[see @key]` and `[-@key]`. Code is never a citation. Positions are the `[` of the group, in
file lines (front matter counted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import check
from scripts.bibliography import author_label, parse_bibliography, year_labels
from scripts.citations import CiteItem, find_citations, labeller, render_citations
from scripts.diagnostics import Diagnostic
from scripts.markdown_source import read_page
from scripts.policy import load_denylist

DENYLIST = load_denylist()
KEYS = frozenset({"known2016", "other2017"})


def _check(tmp_path: Path, text: str, name: str = "index.md") -> tuple[list[str], set[str]]:
    """Write one page under tmp_path/docs, read it as the check does, apply the page rules."""
    docs = tmp_path / "docs"
    file = docs / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    found, cited = check.check_page(read_page(file, docs, tmp_path), KEYS, DENYLIST)
    return [d.format() for d in sorted(found)], cited


# --- CIT001 -----------------------------------------------------------------------------------


def test_cit001_unknown_key_at_the_bracket_counting_front_matter_lines(tmp_path: Path) -> None:
    text = "---\ntitle: Home\n---\n\n# Home\n\nA claim [@nokey2016].\n"
    found, cited = _check(tmp_path, text)
    # Line 7 of the file; "A claim " is 8 characters, so the bracket is column 9.
    assert found == [Diagnostic("docs/index.md", 7, 9, "CIT001", "unknown citation key 'nokey2016'").format()]
    assert cited == {"nokey2016"}


def test_cit001_known_key_is_accepted(tmp_path: Path) -> None:
    found, cited = _check(tmp_path, "# Home\n\nA claim [@known2016].\n")
    assert found == []
    assert cited == {"known2016"}


def test_cit001_only_the_unknown_key_of_a_group(tmp_path: Path) -> None:
    found, cited = _check(tmp_path, "# Home\n\nTwo [@known2016; @nokey].\n")
    assert found == ["docs/index.md:3:5: CIT001 unknown citation key 'nokey'"]
    assert cited == {"known2016", "nokey"}


def test_cit001_each_unknown_citation_has_its_own_position(tmp_path: Path) -> None:
    found, _ = _check(tmp_path, "# Home\n\n[@nokey] then\nmore [@nokey].\n")
    assert found == [
        "docs/index.md:3:1: CIT001 unknown citation key 'nokey'",
        "docs/index.md:4:6: CIT001 unknown citation key 'nokey'",
    ]


@pytest.mark.parametrize(
    "citation",
    ["[@known2016]", "[@known2016, p. 12]", "[see @known2016]", "[-@known2016]", "[@known2016; @other2017, pp. 3-4]"],
)
def test_documented_citation_forms_are_accepted(tmp_path: Path, citation: str) -> None:
    found, cited = _check(tmp_path, f"# Home\n\nA claim {citation}.\n")
    assert found == []
    assert "known2016" in cited


@pytest.mark.parametrize(
    "text",
    [
        "Write to info@example.org about it.",
        "A bracketed address [info@example.org] is no citation.",
        "Inline code `[@nokey]` is not a citation.",
        "```markdown\nA fenced example [@nokey].\n```",
        "An escaped \\[@nokey] is not a citation.",
        "A link whose text starts with an at sign [@nokey](https://example.org/).",
        "An image ![@nokey](pic.png) is not a citation.",
    ],
)
def test_things_that_are_not_citations(tmp_path: Path, text: str) -> None:
    found, cited = _check(tmp_path, f"# Home\n\n{text}\n")
    assert found == []
    assert cited == set()


# --- CIT003 -----------------------------------------------------------------------------------


def test_cit003_space_after_at(tmp_path: Path) -> None:
    found, cited = _check(tmp_path, "# Home\n\nA claim [@ known2016].\n")
    assert found == [
        Diagnostic(
            "docs/index.md", 3, 9, "CIT003", "malformed citation '@ known2016': write [@key] or [@key, p. 12]"
        ).format()
    ]
    assert cited == set()


def test_cit003_locator_after_a_semicolon_is_not_an_item(tmp_path: Path) -> None:
    found, cited = _check(tmp_path, "# Home\n\nA claim [@known2016; p. 12].\n")
    assert found == ["docs/index.md:3:9: CIT003 malformed citation 'p. 12': write [@key] or [@key, p. 12]"]
    assert cited == {"known2016"}


@pytest.mark.parametrize("text", ["A claim [@].", "A claim [see @]."])
def test_cit003_bare_at_sign(tmp_path: Path, text: str) -> None:
    found, _ = _check(tmp_path, f"# Home\n\n{text}\n")
    assert [line.split(": ")[1].split(" ")[0] for line in found] == ["CIT003"]
    assert found[0].startswith("docs/index.md:3:9: CIT003 ")


# --- Reading and rendering ----------------------------------------------------------------------


def test_find_citations_items_prefix_locator_and_suppression() -> None:
    text = "x [see @a, p. 12; -@b] y"
    (citation,) = find_citations(text)
    assert text[citation.start : citation.end] == "[see @a, p. 12; -@b]"
    assert citation.items == (CiteItem("a", "see", "p. 12"), CiteItem("b", suppress_author=True))
    assert citation.malformed == ()


def test_render_citations_author_date_links_and_unknown_keys() -> None:
    label = labeller({"a": "Smith", "b": "Trend Micro"}, {"a": "2016", "b": "2019a"})
    text = "A [see @a, p. 3; -@b] B [@a] C [@zz]."
    rendered, keys = render_citations(text, label)
    group = '<span class="cite" data-search-exclude>'
    assert rendered == (
        f'A {group}(see <a class="citation" href="#ref-a">Smith, 2016</a>, p. 3; '
        '<a class="citation" href="#ref-b">2019a</a>)</span> '
        f'B {group}(<a class="citation" href="#ref-a">Smith, 2016</a>)</span> '
        f'C {group}(<b class="citation-unknown">@zz</b>)</span>.'
    )
    assert keys == ["a", "b", "zz"]


def test_labels_follow_apa_author_date_with_year_suffixes() -> None:
    bib = parse_bibliography(
        "@online{tm-b, author = {{Trend Micro}}, title = {Beta}, year = {2016}, publisher = {P}, url = {https://e.org/b}}\n"
        "@online{tm-a, author = {{Trend Micro}}, title = {Alpha}, year = {2016}, publisher = {P}, url = {https://e.org/a}}\n"
        "@article{wv, author = {Weimann, Gabriel and Vellante, Alexander}, title = {T}, journal = {J}, year = {2016}, doi = {10.1/x}}\n"
        "@article{p3, author = {Pearson, E. and Winterbotham, E. and Brown, K.}, title = {T}, journal = {J}, year = {2020}, doi = {10.1/y}}\n",
        "docs/references.bib",
    )
    assert bib.problems == ()
    labels = {key: author_label(entry) for key, entry in bib.entries.items()}
    assert labels == {"tm-b": "Trend Micro", "tm-a": "Trend Micro", "wv": "Weimann & Vellante", "p3": "Pearson et al."}
    # Two works by one author in one year: a and b, in title order.
    assert year_labels(bib.entries) == {"tm-a": "2016a", "tm-b": "2016b", "wv": "2016", "p3": "2020"}


# --- A group followed by ':' (the reading lists' form) ------------------------------------


def test_group_followed_by_a_colon_is_a_citation() -> None:
    """Regression: `- Source [@key]: why` was left as raw text in 53 reading-list lines."""
    (found,) = find_citations("- The announcement [@known2016]: the company's own words.")
    assert [item.key for item in found.items] == ["known2016"]
    html, keys = render_citations("- Source [@known2016]: why", labeller({"known2016": "Org"}, {"known2016": "2016"}))
    assert "[@" not in html and keys == ["known2016"]


@pytest.mark.parametrize(
    "text",
    ["[@known2016]: https://example.org", '   [@known2016]: https://example.org "Title"', "x\n[@known2016]: <u>"],
)
def test_a_link_reference_definition_is_not_a_citation(text: str) -> None:
    """At the start of a line, `[x]: target` with nothing after an optional title is a definition."""
    assert find_citations(text) == []


def test_a_reading_list_line_starting_with_a_group_is_a_citation() -> None:
    """Regression: a wrapped list item whose next line starts `  [@key]: why to read it`."""
    text = '- "A long title"\n  [@known2016]: the nexus applied to the Internet.'
    assert [c.items[0].key for c in find_citations(text)] == ["known2016"]


def test_citation_inside_an_html_comment_is_not_rendered() -> None:
    assert find_citations("Text <!-- [@known2016] --> and [@other2017].")[0].items[0].key == "other2017"
    assert len(find_citations("Text <!-- [@known2016] -->.")) == 0


# --- Read as Pandoc reads them (tests/test_pandoc_citations.py compares with Pandoc itself) ----


@pytest.mark.parametrize(
    ("text", "key", "prefix", "locator"),
    [
        ("[foo@bar.com @known2016]", "known2016", "foo@bar.com", ""),
        ("[as x@y said, @known2016]", "known2016", "as x@y said,", ""),
        ("[@known2016, chap. [3]]", "known2016", "", "chap. [3]"),
        ("failed![@known2016]", "known2016", "", ""),
        ("C:\\\\[@known2016]", "known2016", "", ""),
        ("[`code` @known2016]", "known2016", "`code`", ""),
        ("[@known2016.]", "known2016", "", "."),
    ],
)
def test_groups_the_parser_used_to_drop_or_alter(text: str, key: str, prefix: str, locator: str) -> None:
    (found,) = find_citations(text)
    assert found.items == (CiteItem(key, prefix, locator),)


def test_an_escaped_bracket_is_not_a_citation() -> None:
    assert find_citations("\\[@known2016]") == []


def test_cit003_text_that_looks_like_a_citation_is_reported(tmp_path: Path) -> None:
    found, _ = _check(tmp_path, "# Home\n\nTwo [@known2016][@other2017] and [@known2016;].\n")
    assert found == [
        "docs/index.md:3:5: CIT003 '[@known2016]' looks like a citation but is not read as one: write [@key] with a plain key",
        "docs/index.md:3:17: CIT003 '[@other2017]' looks like a citation but is not read as one: write [@key] with a plain key",
        "docs/index.md:3:34: CIT003 empty citation item: remove the extra ';'",
    ]


def test_a_link_whose_text_has_an_at_sign_is_not_suspect(tmp_path: Path) -> None:
    found, _ = _check(tmp_path, "# Home\n\nWrite to [@team](https://example.org/contact) [@known2016].\n")
    assert found == []
