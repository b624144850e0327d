"""The offline copy works from file://: pages open, search answers, nothing leaves the machine."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from scripts import check, offline
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = check.load_project(ROOT / "mkdocs.yml")
    site = tmp_path_factory.mktemp("offline-site")
    result = offline.build_offline_site(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    archive = tmp_path_factory.mktemp("dist") / offline.ZIP_NAME
    offline.zip_site(site, archive)
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(unpacked)
    return unpacked / "shared-tools-different-motives"


def test_offline_copy_uses_html_urls_and_local_polyfill(offline_copy: Path) -> None:
    index = (offline_copy / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in index
    assert "vendor/iframe-worker/shim.js" in index
    assert 'href="modules/index.html"' in index


def test_offline_copy_opens_and_searches_from_file_url(offline_copy: Path, chromium_browser: Browser) -> None:
    requests: list[str] = []
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto((offline_copy / "index.html").as_uri())
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator(".md-search__input").press_sequentially("privacy", delay=20)
        page.locator(".md-search-result__link").first.wait_for(timeout=15_000)
        hrefs = [a.get_attribute("href") or "" for a in page.locator(".md-search-result__link").all()]
        assert any("about.html" in href for href in hrefs), hrefs
        page.goto((offline_copy / "modules" / "index.html").as_uri())
        assert page.locator("h1").first.inner_text().startswith("Modules")
    finally:
        context.close()
    assert requests
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests), [
        u for u in requests if not u.startswith("file://")
    ]


def test_offline_copy_shows_the_source_words_of_a_citation_on_a_phone(
    offline_copy: Path, chromium_browser: Browser
) -> None:
    requests: list[str] = []
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto((offline_copy / "modules" / "m3-anonymity" / "index.html").as_uri())
        cite = page.locator("article a.citation[aria-describedby]").first
        popover = page.locator(f"[id='{cite.get_attribute('aria-describedby')}']")
        cite.scroll_into_view_if_needed()
        cite.tap()
        popover.wait_for(state="visible", timeout=15_000)
        assert popover.inner_text().count("The source says:") == 1
        assert page.url.endswith("index.html"), "the tap opened the evidence instead of jumping to the list"
    finally:
        context.close()
    assert all(url.startswith(("file://", "data:", "blob:", "about:")) for url in requests), [
        u for u in requests if not u.startswith("file://")
    ]


def test_offline_copy_answers_a_knowledge_check(offline_copy: Path, chromium_browser: Browser) -> None:
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.goto((offline_copy / "modules" / "m3-anonymity" / "index.html").as_uri())
        form = page.locator("form.quiz-question").first
        form.locator("input[data-correct=true]").first.check()
        form.locator(".quiz-check").click()
        form.locator("[role=status] p").first.wait_for(timeout=15_000)
        assert form.locator("[role=status]").inner_text().strip()
    finally:
        context.close()
