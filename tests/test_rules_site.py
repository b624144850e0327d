"""Site rules on a built fixture: raw-HTML links (LNK001), anchors (LNK002), orphans (LNK008) and
the URL lock (URL001, URL002), plus the pure functions behind them.

One fixture site is built once per worker; everything else runs on hand-made `BuiltPage`s.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from scripts import check
from scripts.diagnostics import Diagnostic, Severity
from scripts.links import BuiltPage, check_site_links, find_orphans, parse_built_page, resolve
from scripts.urllock import GENERATED_ANCHORS, check_lock, current_entries, explicit_anchors, read_lock, write_lock
from tests.conftest import write_site

INDEX = """\
# Home

See [About](about.md) and <a href="about/#team">the team</a> [@known2016].

Broken raw: <a href="missing/">missing page</a>.

Bad anchor: <a href="about/#nowhere">nowhere</a> and <a href="#gone">here</a>.

Raw image: <img src="img/missing.png" alt="x">.

A real file: <a href="files/handout.txt">handout</a>, a real anchor: <a href="#home">top</a>.
"""

LOCK = """\
# Published page URLs and explicit heading anchors, from the site root.
/about/
/about/#team
/old/
/old/#team
/old/#vanished
/removed/
/removed/#x
/about/#dropped
/lonely/
"""


@pytest.fixture(scope="module")
def site_result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[check.Result]:
    root = tmp_path_factory.mktemp("linksite")
    config = write_site(
        root,
        {
            "index.md": INDEX,
            "about.md": "# About\n\n## Team { #team }\n\nBack [home](index.md).\n",
            "lonely.md": "# Lonely\n\nNobody links here, but it links [home](index.md).\n",
            "files/handout.txt": "A handout.\n",
        },
        {
            "nav": ["index.md", "about.md", "lonely.md"],
            "plugins": ["search", {"redirects": {"redirect_maps": {"old.md": "about.md"}}}],
        },
    )
    (root / "urls.lock").write_text(LOCK, encoding="utf-8")
    yield check.run_check(check.load_project(config))


def _codes(result: check.Result, *codes: str) -> list[str]:
    return [d.format() for d in sorted(result.diagnostics) if d.code in codes]


def _d(path: str, line: int, col: int, code: str, message: str, severity: Severity = Severity.ERROR) -> str:
    return Diagnostic(path, line, col, code, message, severity).format()


EXPECTED_LINKS = [
    _d("docs/index.md", 5, 22, "LNK001", "link 'missing/' points to a page the site does not have"),
    _d("docs/index.md", 9, 22, "LNK001", "link 'img/missing.png' points to a page the site does not have"),
]
EXPECTED_ANCHORS = [
    _d("docs/index.md", 7, 22, "LNK002", "link 'about/#nowhere': no anchor '#nowhere' on 'about/'"),
    _d("docs/index.md", 7, 63, "LNK002", "link '#gone': no anchor '#gone' on 'home'"),
]
EXPECTED_ORPHANS = [
    _d("docs/lonely.md", 1, 1, "LNK008", "no other page links here: link it from a related page", Severity.WARNING)
]


def _gone_page(line: int, url: str) -> str:
    return _d(
        "urls.lock",
        line,
        1,
        "URL001",
        f"published page '{url}' is gone: add a redirect in mkdocs.yml or run make lock-urls",
    )


def _gone_anchor(line: int, entry: str, anchor: str) -> str:
    return _d(
        "urls.lock",
        line,
        1,
        "URL002",
        f"published anchor '{entry}' is gone: keep '{{ #{anchor} }}' on the heading or run make lock-urls",
    )


EXPECTED_LOCK = [
    _gone_anchor(6, "old/#vanished", "vanished"),
    _gone_page(7, "removed/"),
    _gone_page(8, "removed/"),
    _gone_anchor(9, "about/#dropped", "dropped"),
]


@pytest.mark.build
def test_fixture_site_was_built(site_result: check.Result) -> None:
    assert site_result.built
    assert site_result.pages["old/"].redirect == "about/"


@pytest.mark.build
def test_lnk001_broken_raw_html_links(site_result: check.Result) -> None:
    # Existing pages and the copied handout.txt are accepted: only the two missing targets.
    assert _codes(site_result, "LNK001") == EXPECTED_LINKS


@pytest.mark.build
def test_lnk002_missing_anchors_in_raw_html(site_result: check.Result) -> None:
    # about/#team and #home exist and are accepted.
    assert _codes(site_result, "LNK002") == EXPECTED_ANCHORS


@pytest.mark.build
def test_lnk008_orphan_even_if_listed_in_nav(site_result: check.Result) -> None:
    # The home page is exempt; about/ is linked from the home page; lonely/ only from the nav.
    assert _codes(site_result, "LNK008") == EXPECTED_ORPHANS


@pytest.mark.build
def test_url001_url002_lock_with_redirect_stub_keeping_anchors(site_result: check.Result) -> None:
    # old/ is a redirect stub to about/: old/ and old/#team stay alive; old/#vanished does not.
    assert _codes(site_result, "URL001", "URL002") == EXPECTED_LOCK


@pytest.mark.build
def test_nothing_else_is_reported(site_result: check.Result) -> None:
    everything = sorted(EXPECTED_LINKS + EXPECTED_ANCHORS + EXPECTED_ORPHANS + EXPECTED_LOCK)
    assert sorted(d.format() for d in site_result.diagnostics) == everything


# --- Pure functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("", "about/#team", ("about/", "team")),
        ("about/", "#team", ("about/", "team")),
        ("about/", "../", ("", "")),
        ("modules/m3-anonymity/", "../m1-shared-tools/#key-issues", ("modules/m1-shared-tools/", "key-issues")),
        ("modules/m3-anonymity/", "/about/", ("about/", "")),
        ("404.html", "about/", ("about/", "")),
        ("about/", "../img/a%20b.png", ("img/a b.png", "")),
    ],
)
def test_resolve(base: str, href: str, expected: tuple[str, str]) -> None:
    assert resolve(base, href) == expected


def _page(url: str, ids: Iterable[str] = (), links: tuple[str, ...] = (), redirect: str | None = None) -> BuiltPage:
    return BuiltPage(url, frozenset(ids), frozenset(ids), links, redirect)


def test_check_site_links_on_built_pages() -> None:
    text = 'Intro\n\n<a href="nope/">x</a>\n<a href="about/#x">y</a>\n'
    pages = {
        "": _page(
            "",
            {"home"},
            ("about/", "about/#team", "nope/", "about/#x", "assets/a.png", "https://e.org/", "mailto:a@e.org", "#home"),
        ),
        "about/": _page("about/", {"about", "team"}),
    }
    found = check_site_links(pages, frozenset({"assets/a.png"}), {"": ("docs/index.md", text)})
    assert [d.format() for d in sorted(found)] == [
        _d("docs/index.md", 3, 10, "LNK001", "link 'nope/' points to a page the site does not have"),
        _d("docs/index.md", 4, 10, "LNK002", "link 'about/#x': no anchor '#x' on 'about/'"),
    ]


def test_find_orphans_roots_and_self_links() -> None:
    pages = {
        "": _page("", links=("a/",)),
        "a/": _page("a/", links=("../b/",)),
        "b/": _page("b/", links=("#top", "./")),
        "c/": _page("c/", links=("../a/",)),
    }
    sources = {"": ("docs/index.md", ""), "a/": ("docs/a.md", ""), "b/": ("docs/b.md", ""), "c/": ("docs/c.md", "")}
    found = find_orphans(pages, sources, roots=("",))
    # The root is exempt; a/ and b/ are linked from other pages; nothing links to c/.
    assert [d.format() for d in found] == [
        _d("docs/c.md", 1, 1, "LNK008", "no other page links here: link it from a related page", Severity.WARNING)
    ]


def test_find_orphans_ignores_self_links() -> None:
    pages = {"": _page(""), "b/": _page("b/", links=("#top", "./", "../b/"))}
    found = find_orphans(pages, {"b/": ("docs/b.md", "")}, roots=("",))
    assert [d.path for d in found] == ["docs/b.md"]


def test_check_lock_follows_redirect_chains_and_survives_loops() -> None:
    pages = {
        "new/": _page("new/", {"kept"}),
        "mid/": _page("mid/", redirect="new/"),
        "old/": _page("old/", redirect="mid/"),
        "loop-a/": _page("loop-a/", redirect="loop-b/"),
        "loop-b/": _page("loop-b/", redirect="loop-a/"),
        "dangling/": _page("dangling/", redirect="nowhere/"),
    }
    lock = [
        (1, "old/"),
        (2, "old/#kept"),
        (3, "old/#lost"),
        (4, "loop-a/#kept"),
        (5, "dangling/"),
        (6, "dangling/#kept"),
    ]
    found = [d.format() for d in check_lock(lock, pages, "urls.lock")]
    assert found == [
        _gone_anchor(3, "old/#lost", "lost"),
        _gone_anchor(4, "loop-a/#kept", "kept"),
        _gone_anchor(6, "dangling/#kept", "kept"),
    ]


def test_home_page_anchor_survives_the_lock_round_trip(tmp_path: Path) -> None:
    lock = tmp_path / "urls.lock"
    entries = current_entries({"": _page("", {"top"})}, {"": {"top"}})
    assert entries == ["", "#top"]
    write_lock(lock, entries)
    # The header has 3 lines; then '' (line 4) and '#top' (line 5). The anchor is then removed.
    found = check_lock(read_lock(lock), {"": _page("")}, "urls.lock")
    assert [d.format() for d in found] == [_gone_anchor(5, "#top", "top")]


def test_check_lock_all_present() -> None:
    pages = {"": _page("", {"home"}), "a/": _page("a/", {"x"})}
    assert check_lock([(2, "a/"), (3, "a/#x"), (4, "#home")], pages, "urls.lock") == []


def test_parse_built_page_reads_article_only_and_redirect_stubs(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "index.html").write_text(
        '<html><body><nav><a href="../nav-only/" id="navid">n</a></nav>'
        '<article><h1 id="title">T</h1><h2 id="sec">S</h2><p id="para"><a href="../x/#y">x</a>'
        '<img src="../img/a.png"></p></article></body></html>',
        encoding="utf-8",
    )
    page = parse_built_page(str(tmp_path), "p/index.html")
    assert page.url == "p/"
    assert page.ids == {"title", "sec", "para"}
    assert page.heading_ids == {"title", "sec"}
    assert page.links == ("../x/#y", "../img/a.png")
    assert page.redirect is None
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "index.html").write_text(
        textwrap.dedent(
            """\
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Redirecting...</title>
            <link rel="canonical" href="../p/">
            <meta http-equiv="refresh" content="0; url=../p/">
            <script>var anchor=window.location.hash.substr(1);location.href="../p/"+(anchor?"#"+anchor:"")</script>
            </head><body>You're being redirected to a <a href="../p/">new destination</a>.</body></html>
            """
        ),
        encoding="utf-8",
    )
    stub = parse_built_page(str(tmp_path), "old/index.html")
    assert (stub.url, stub.redirect, stub.links) == ("old/", "p/", ())


def test_lock_file_round_trip(tmp_path: Path) -> None:
    lock = tmp_path / "urls.lock"
    assert read_lock(lock) == []
    write_lock(lock, ["b/", "a/#x", "a/", "a/"])
    entries = read_lock(lock)
    assert [e for _, e in entries] == ["a/", "a/#x", "b/"]
    lines = lock.read_text(encoding="utf-8").splitlines()
    assert all(lines[n - 1] == "/" + e for n, e in entries)


def test_explicit_anchors_only_from_headings_outside_code() -> None:
    md = "# T { #top }\n\n## Key issues { #key-issues }\n\nText { #not-a-heading }\n\n```\n## Code { #in-code }\n```\n"
    assert explicit_anchors(md) == {"top", "key-issues"}


def test_current_entries_skip_redirects_and_files_and_add_generated_module_anchors() -> None:
    module_ids = {"key-issues", *GENERATED_ANCHORS, "auto-slug"}
    pages = {
        "": _page("", {"home"}),
        "modules/m3-anonymity/": _page("modules/m3-anonymity/", module_ids),
        "old/": _page("old/", redirect=""),
        "404.html": _page("404.html"),
        "maintainers/api/": _page("maintainers/api/", {"x"}),
    }
    anchors = {"modules/m3-anonymity/": {"key-issues"}, "": set[str]()}
    assert current_entries(pages, anchors) == [
        "",
        "modules/m3-anonymity/",
        "modules/m3-anonymity/#cite",
        "modules/m3-anonymity/#key-issues",
        "modules/m3-anonymity/#outcomes",
        "modules/m3-anonymity/#references",
    ]
