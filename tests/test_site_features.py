"""What students and trainers get on the built site: catalogue, modules.json, citations,
"Cite this module", content notes, glossary tooltips, handouts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import lxml.html
import pytest

from scripts import modules, pdf
from tests.conftest import ROOT, missing_tool

MODULE_PAGES = sorted(p.parent.name for p in (ROOT / "docs" / "modules").glob("*/index.md"))


def _page(site: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring((site / url / "index.html").read_bytes())


def test_modules_json_is_valid_and_lists_every_module(built_site: Path) -> None:
    data = json.loads((built_site / "modules.json").read_text(encoding="utf-8"))
    schema = json.loads((modules.DATA / "modules.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert sorted(m["path"].split("/")[1] for m in data["modules"]) == MODULE_PAGES
    ids = [m["id"] for m in data["modules"]]
    assert ids == sorted(ids, key=lambda i: int(i[1:]))
    for module in data["modules"]:
        assert (built_site / module["path"] / "index.html").exists()


def test_published_schema_rejects_a_broken_catalogue(built_site: Path) -> None:
    schema = json.loads((built_site / "modules.schema.json").read_text(encoding="utf-8"))
    broken = {"course": "x", "edition": "1", "licence": "CC-BY-4.0", "modules": [{"id": "3"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_catalogue_page_has_one_card_per_module(built_site: Path) -> None:
    tree = _page(built_site, "modules")
    cards = tree.xpath("//div[contains(@class,'grid') and contains(@class,'cards')]/ul/li")
    assert len(cards) == len(MODULE_PAGES)
    first = cards[0].text_content()
    assert "M1" in first
    assert "minutes" in first


@pytest.mark.parametrize("folder", MODULE_PAGES)
def test_module_page_anatomy(built_site: Path, folder: str) -> None:
    tree = _page(built_site, f"modules/{folder}")
    h1 = tree.xpath("//article//h1")[0].text_content()
    assert h1.startswith("M") and h1.split(" ", 1)[0][1:].isdigit()
    ids = set(tree.xpath("//article//@id"))
    for anchor in (
        "outcomes",
        "key-issues",
        "case-study",
        "exercises",
        "class-structure",
        "review",
        "cite",
        "references",
    ):
        assert anchor in ids, f"{folder}: no #{anchor}"
    note = tree.xpath("//article//div[contains(@class,'admonition')]/p[@class='admonition-title']/text()")
    assert "Content note" in note
    assert tree.xpath("//article//details"), "review questions must be collapsible"
    bibtex = (
        "".join(tree.xpath("//div[@id='cite']/following::code[1]//text()")) or tree.xpath("//article")[0].text_content()
    )
    assert "@misc{stdm-" in bibtex


@pytest.mark.parametrize("folder", MODULE_PAGES)
def test_every_citation_links_to_an_entry_on_the_same_page(built_site: Path, folder: str) -> None:
    tree = _page(built_site, f"modules/{folder}")
    targets = {href[1:] for href in tree.xpath("//a[@class='citation']/@href")}
    assert targets, "a module page cites sources"
    entries = set(tree.xpath("//div[@class='references']/p[@class='reference']/@id"))
    assert targets <= entries
    assert "citation-unknown" not in lxml.html.tostring(tree).decode()


def test_references_page_lists_every_bibliography_entry(built_site: Path) -> None:
    from scripts.bibliography import load_bibliography

    bib = load_bibliography(ROOT / "docs" / "references.bib")
    tree = _page(built_site, "references")
    listed = {i.removeprefix("ref-") for i in tree.xpath("//p[@class='reference']/@id")}
    assert listed == set(bib.entries)


def test_glossary_terms_become_tooltips(built_site: Path) -> None:
    from scripts.glossary import load_glossary

    terms, _ = load_glossary(ROOT / "docs" / "glossary.yml")
    if not terms:
        pytest.skip("no glossary yet")
    titles = set()
    for folder in MODULE_PAGES:
        titles |= {str(t) for t in _page(built_site, f"modules/{folder}").xpath("//abbr/@title")}
    assert titles & {t.definition for t in terms}
    glossary = _page(built_site, "glossary")
    assert {t.anchor for t in terms} <= set(glossary.xpath("//dt/@id"))


def test_module_handout_pdf_has_title_and_references(built_site: Path) -> None:
    if not pdf.available() or shutil.which("pdftotext") is None:
        missing_tool("needs Chromium, Playwright and pdftotext: apt-get install chromium poppler-utils")
    folder = MODULE_PAGES[0]
    handout = built_site / "modules" / folder / f"{folder}.pdf"
    assert handout.exists()
    text = subprocess.run(["pdftotext", str(handout), "-"], capture_output=True, text=True, check=True).stdout
    tree = _page(built_site, f"modules/{folder}")
    heading = tree.xpath("//article//h1")[0]
    for button in heading.xpath(".//a[@class='headerlink']"):  # the link buttons are not printed
        button.drop_tree()
    title = heading.text_content().strip()
    assert title in " ".join(text.split())
    assert "References" in text
    assert "Learning outcomes" in text
    answer = " ".join(tree.xpath("//article//details[1]/p")[0].text_content().split())
    assert answer[:60] in " ".join(text.split()), "self-check answers are printed"
    link = tree.xpath("//p[@class='module-handout']/a/@href")
    assert link == [f"{folder}.pdf"]
