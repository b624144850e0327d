"""Editions: editions.yml is validated, archived editions are rebuilt from their commit to the
same bytes, every edition page carries its notice, and headings offer the frozen address."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from scripts import editions

ROOT = Path(__file__).resolve().parent.parent
URL = "https://example.org/course/editions/"
FIRST = editions.Edition(
    "2026.11",
    dt.date(2026, 11, 23),
    dt.date(2026, 12, 1),
    "e3f05b0e60176f9235373219667008629d15c903",
    "First.",
    "Raw [@key] text.",
)
CURRENT = editions.Edition("2026.12", dt.date(2026, 12, 1), None, None, "Second.")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "editions.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_course_editions_file_is_valid_and_its_last_edition_is_mkdocs_edition() -> None:
    listed, problems = editions.load_editions(ROOT / "editions.yml", "editions.yml", "2026.12")
    assert problems == []
    assert listed[-1].current and listed[-1].id == "2026.12"
    assert all(e.commit and e.superseded for e in listed[:-1])
    _, problems = editions.load_editions(ROOT / "editions.yml", "editions.yml", "2027.01")
    assert [p.code for p in problems] == ["EDN001"] and "extra.course.edition" in problems[0].message


ARCHIVED = """\
  - id: "2026.11"
    published: 2026-11-23
    superseded: 2026-12-01
    commit: e3f05b0e60176f9235373219667008629d15c903
    summary: First.
"""
CURRENT_YAML = """\
  - id: "2026.12"
    published: 2026-12-01
    summary: Second.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("editions:\n" + CURRENT_YAML + ARCHIVED, "oldest first"),
        (
            "editions:\n"
            + ARCHIVED.replace("    commit: e3f05b0e60176f9235373219667008629d15c903\n", "")
            + CURRENT_YAML,
            "full 40-character",
        ),
        (
            "editions:\n"
            + ARCHIVED
            + CURRENT_YAML.replace("summary", "commit: e3f05b0e60176f9235373219667008629d15c903\n    summary"),
            "no 'commit'",
        ),
        ("editions:\n" + ARCHIVED.replace('"2026.11"', "2026.10") + CURRENT_YAML, "quoted year.month"),
        ("editions:\n" + ARCHIVED.replace("summary: First.", "summary: ''") + CURRENT_YAML, "summary"),
        ("editions: [", "invalid YAML"),
        ("editions:\n" + ARCHIVED + CURRENT_YAML + "    errata: none\n", "no errata"),
        ("editions: []", "non-empty list"),
    ],
)
def test_a_broken_editions_file_is_reported_with_its_line(tmp_path: Path, text: str, expected: str) -> None:
    _, problems = editions.load_editions(_write(tmp_path, text), "editions.yml", "2026.12")
    assert problems and all(p.code == "EDN001" for p in problems)
    assert any(expected in p.message for p in problems), problems


def test_a_valid_editions_file_is_accepted(tmp_path: Path) -> None:
    listed, problems = editions.load_editions(
        _write(tmp_path, "editions:\n" + ARCHIVED + CURRENT_YAML), "e.yml", "2026.12"
    )
    assert problems == [] and [e.id for e in listed] == ["2026.11", "2026.12"]


def test_each_heading_link_gets_its_frozen_twin_that_search_leaves_out() -> None:
    content = '<h2 id="tor">Tor<a class="headerlink" href="#tor" title="Link to this section">&para;</a></h2>'
    result = editions.edition_links(content, "https://example.org/editions/2026.12/modules/m3/", "2026.12")
    links = lxml_html.fromstring(result).findall(".//a")
    assert [a.get("href") for a in links] == ["#tor", "https://example.org/editions/2026.12/modules/m3/#tor"]
    assert [a.get("class") for a in links] == ["headerlink", "headerlink"]  # Material's search skips exactly this class
    assert links[1].get("data-edition") == "2026.12" and "frozen" in (links[1].get("title") or "")
    assert editions.edition_links("<p>no heading</p>", "x", "2026.12") == "<p>no heading</p>"


def test_the_notice_names_the_edition_and_links_the_same_page_in_the_current_edition(tmp_path: Path) -> None:
    (tmp_path / "modules" / "m3").mkdir(parents=True)
    (tmp_path / "gone").mkdir()
    page = f"<html><body>{editions.ARTICLE}<h1>M3</h1></article></body></html>"
    (tmp_path / "modules" / "m3" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "gone" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "odd.html").write_text("<html><body><p>No article</p></body></html>", encoding="utf-8")
    missed = editions.add_notice(tmp_path, FIRST, CURRENT, "https://example.org/course/", {"modules/m3/"})
    assert missed == ["odd.html"]
    document = lxml_html.fromstring((tmp_path / "modules" / "m3" / "index.html").read_text(encoding="utf-8"))
    notice = document.find(".//div[@class='admonition info edition-notice']")
    assert notice is not None
    text = notice.text_content()
    assert "Edition 2026.11 (archived)" in text and "23 November 2026" in text and "1 December 2026" in text
    assert "Known problems in this edition: Raw [@key] text." in text
    assert document.find(".//a[@class='edition-current']").get("href") == "https://example.org/course/modules/m3/"
    gone = lxml_html.fromstring((tmp_path / "gone" / "index.html").read_text(encoding="utf-8"))
    assert gone.find(".//a[@class='edition-current']").get("href") == "https://example.org/course/"


# --- Real builds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_edition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Edition 2026.11 built twice from its commit."""
    if editions.commit_time(ROOT, FIRST.commit or "") is None:
        pytest.fail(f"commit {FIRST.commit} is not in this clone: editions need the full history")
    folder = tmp_path_factory.mktemp("edition")
    builds = folder / "a", folder / "b"
    for target in builds:
        error = editions.build_commit(ROOT, FIRST.commit or "", target, f"{URL}2026.11/")
        assert error is None, error
    yield builds


def test_an_archived_edition_is_the_same_bytes_every_time_it_is_built(first_edition: tuple[Path, Path]) -> None:
    first, second = first_edition
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert "modules/m3-anonymity/index.html" in names
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert mismatch == [] and errors == []


def _article_text(page: Path) -> str:
    document = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    article = document.find(".//article")
    assert article is not None
    for notice in article.findall(".//div[@class='admonition info edition-notice']"):
        notice.drop_tree()
    return " ".join(article.text_content().split())


def _tree_is_clean() -> bool:
    status = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "docs", "mkdocs.yml", "scripts", "overrides"],
        capture_output=True,
        text=True,
        check=False,
    )
    return status.returncode == 0 and status.stdout.strip() == ""


def test_two_editions_published_side_by_side_each_with_its_notice(
    first_edition: tuple[Path, Path], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "modules" / "m3-anonymity").mkdir(parents=True)
    (site / "modules" / "m3-anonymity" / "index.html").write_text("<html></html>", encoding="utf-8")
    cache = tmp_path / "cache"
    shutil.copytree(first_edition[0], cache / (FIRST.commit or ""))  # built once: copied, never rebuilt
    problems = editions.build_editions(ROOT, ROOT / "mkdocs.yml", site, [FIRST, CURRENT], URL, cache)
    assert problems == []
    archived = site / "editions" / "2026.11" / "modules" / "m3-anonymity" / "index.html"
    current = site / "editions" / "2026.12" / "modules" / "m3-anonymity" / "index.html"
    assert "Edition 2026.11 (archived)" in archived.read_text(encoding="utf-8")
    assert "Edition 2026.12 (the current edition)" in current.read_text(encoding="utf-8")
    # The archived copy says what the commit's own build says, notice aside.
    assert _article_text(archived) == _article_text(first_edition[0] / "modules" / "m3-anonymity" / "index.html")
    # A "this edition" link copied today (editions/2026.12/...#tor) shows the same text once
    # 2026.12 is archived and rebuilt from its commit: the current build equals HEAD's build.
    if not _tree_is_clean():
        if os.environ.get("CI"):
            pytest.fail("the working tree differs from HEAD; CI runs on a clean clone")
        pytest.skip("uncommitted changes: the current edition cannot equal HEAD's build")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    rebuilt = tmp_path / "rebuilt"
    assert editions.build_commit(ROOT, head, rebuilt, f"{URL}2026.12/") is None
    page = rebuilt / "modules" / "m3-anonymity" / "index.html"
    assert _article_text(page) == _article_text(current)
    assert 'href="#tor"' in current.read_text(encoding="utf-8")
