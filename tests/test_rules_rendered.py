"""What readers get: BLD002 (source syntax on a built page), BLD003 (citations not rendered) and
PRV001 (an asset from another origin), all in the check and so in `make publish`.

Each planted defect is built by a real strict MkDocs build of a fixture site and must fail the
check at its line in the Markdown source; the clean fixture must pass.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import lxml.etree
import pytest

from scripts import rendered
from tests.conftest import run_cli, write_site

ABOUT = {"about.md": "# About\n\nBack [home](index.md).\n"}


def _site(tmp_path: Path, body: str) -> Path:
    return write_site(tmp_path, {"index.md": f"# Home\n\nSee [About](about.md) [@known2016].\n\n{body}\n", **ABOUT})


def _lines(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    result = run_cli(["check", *args], tmp_path)
    return result.returncode, result.stdout.splitlines()


def _tree(html: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(html, lxml.etree.HTMLParser())


# --- Unit: the visible text and what it must not contain ------------------------------------


def test_visible_text_leaves_out_code_scripts_and_styles() -> None:
    root = _tree("<article><p>A <code>[@x]</code> b<script>**</script> c</p><pre>{: .x }</pre>d</article>")
    article = next(root.iter("article"))
    assert rendered.visible_text(article) == "A  b cd"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("as [@trendmicro2016blog]: why", "citation"),
        ("a paragraph {: .no-cite }", "attribute list"),
        ("Heading { #anchor }", "attribute list"),
        ("see [the page](../x/index.md) here", "Markdown link"),
        ("a **bold** word", "bold or emphasis marker"),
        ('\n!!! note "x"', "admonition marker"),
        ("{{ config.site_name }}", "template braces"),
        ("<!-- @a, p. 1 -->", "HTML comment"),
    ],
)
def test_each_kind_of_leftover_is_found(text: str, kind: str) -> None:
    assert {leftover.kind for leftover in rendered.find_leftovers(text)} == {kind}


@pytest.mark.parametrize(
    "text", ["an e-mail user@example.org", "[1] a footnote", "a {curly} word", "2 * 3 * 4", "a -- dash"]
)
def test_ordinary_text_is_not_a_leftover(text: str) -> None:
    assert rendered.find_leftovers(text) == []


def test_count_rendered_citations() -> None:
    root = _tree('<p><a class="citation" href="#ref-a">A</a> <b class="citation-unknown">@b</b> <a href="#x">c</a></p>')
    assert rendered.count_rendered(root) == 2


# --- Built: planted defects fail at their source line ----------------------------------------


@pytest.mark.build
def test_the_clean_fixture_passes(tmp_path: Path) -> None:
    _site(tmp_path, "Nothing else.")
    assert _lines(tmp_path) == (0, ["no problems found"])


@pytest.mark.build
@pytest.mark.parametrize(
    ("body", "kind", "line"),
    [
        # Python-Markdown reads an attribute list only at the end of a block: inside a line it stays.
        ("Para one {: .note } and more text.", "attribute list", 5),
        # Markdown emphasis markers with spaces inside are left as typed.
        ("A ** loose ** marker here.", "bold or emphasis marker", 5),
        # An admonition marker that does not start a block stays in the text.
        ('Text\n\nA line with !!! note "x" inside it.', "admonition marker", 7),
        ("Raw {{ page.title }} braces.", "template braces", 5),
    ],
)
def test_bld002_source_syntax_on_the_built_page_fails_at_its_line(
    tmp_path: Path, body: str, kind: str, line: int
) -> None:
    _site(tmp_path, body)
    status, lines = _lines(tmp_path)
    assert status == 1
    bld = [entry for entry in lines if " BLD002 " in entry]
    assert bld, lines
    assert bld[0].startswith(f"docs/index.md:{line}:"), bld
    assert f"({kind})" in bld[0]


@pytest.mark.build
def test_bld003_a_citation_lost_inside_an_attribute(tmp_path: Path) -> None:
    # In a link title the rendered citation becomes attribute text: no reader sees a citation.
    _site(tmp_path, 'Read [the page](about.md "as [@known2016] says").')
    status, lines = _lines(tmp_path)
    assert status == 1
    assert lines[0] == "docs/index.md:1:1: BLD003 1 of 2 citations did not come out rendered (1 on the built page)"


@pytest.mark.build
@pytest.mark.parametrize(
    "embed",
    [
        '<img src="https://tracker.example.com/pixel.gif" alt="">',
        '<script src="https://cdn.example.com/lib.js"></script>',
        '<iframe src="https://video.example.com/embed/1" title="v"></iframe>',
        '<link rel="stylesheet" href="https://fonts.example.com/css">',
        '<p style="background: url(https://img.example.com/a.png)">x</p>',
        "![chart](https://img.example.com/chart.png)",
    ],
)
def test_prv001_publish_refuses_a_third_party_asset_and_keeps_the_last_site(tmp_path: Path, embed: str) -> None:
    _site(tmp_path, embed)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last good build\n", encoding="utf-8")
    before = hashlib.sha256((site / "index.html").read_bytes()).hexdigest()
    result = run_cli(["publish"], tmp_path)
    assert result.returncode == 1
    prv = [line for line in result.stdout.splitlines() if " PRV001 " in line]
    assert prv and prv[0].startswith("docs/index.md:5:"), result.stdout
    assert "not published: site/ is unchanged" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert hashlib.sha256((site / "index.html").read_bytes()).hexdigest() == before


@pytest.mark.build
def test_prv001_a_plain_link_to_another_site_is_allowed(tmp_path: Path) -> None:
    _site(tmp_path, "Read [the report](https://example.org/report).")
    assert _lines(tmp_path) == (0, ["no problems found"])


def test_a_leftover_that_the_source_has_twice_is_placed_by_its_context() -> None:
    body = "Intro {: .x } first.\n\n| a | b |\n|---|---|\n| x | rights |\n{: .x }\n"
    (first, second) = rendered.find_leftovers("Intro {: .x } first. a b x rights {: .x }")
    assert rendered.locate(body, first.match, first.before) == (1, 7)
    assert rendered.locate(body, second.match, second.before) == (6, 1)
