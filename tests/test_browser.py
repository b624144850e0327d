"""The built site in a real browser (Debian's Chromium driven by Playwright).

Each test worker builds the real site strictly for its own address, serves it on
127.0.0.1 and launches one headless Chromium. Pages are found in the build, so new modules
are covered without editing this file; only the search queries name pages.

Every page is loaded twice, once at desktop width (1280x800) and once at phone width
(375x740); each load checks that every request stayed on 127.0.0.1, that nothing failed,
that no script threw, and runs axe-core (WCAG 2.0/2.1 A and AA). The phone load also checks
that the page does not scroll sideways. These sweeps are split into parts so that
pytest-xdist can share them out; the page loads are shared between checks because axe is
what the time goes on. The dark palette is checked on the home page and a module page.
Then: navigation, the footer "next" link, search, the light/dark toggle, heading
permalinks, glossary tooltips, the print style sheet, keyboard access to self-check
answers, and byte budgets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Request, Response, ViewportSize, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from scripts.bench_web import BUDGET_FIRST_VISIT, BUDGET_HTML
from tests.browser_support import (
    AXE_OPTIONS,
    CHROMIUM_ARGS,
    ServedSite,
    describe_violations,
    gzipped_size,
    require_chromium,
    served_build,
    shard,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = require_chromium()

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}
SWEEP_PARTS = 6
"""Each width's sweep over every page is split into this many tests, so xdist can share them out."""

SEARCHES = [
    ("glossary", "glossary/"),
    ("References", "references/"),
    ("onion", "modules/m3-anonymity/"),
]
"""Queries taken from the content, and a page each must find."""

Scheme = Literal["light", "dark"]


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The real site, built for and served at http://127.0.0.1:<free port>/."""
    with served_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("browser-site")) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    return Axe()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """`open_page(viewport=..., scheme=...)`: a page in a fresh context (empty cache and storage)."""
    contexts = []

    def factory(viewport: ViewportSize = DESKTOP, scheme: Scheme = "light") -> Page:
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        context.set_default_timeout(30_000)  # generous: only a failing test waits this long
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


# --- Helpers ------------------------------------------------------------------------------------


expect.set_options(timeout=15_000)  # two shared cores under a parallel test run are slow


def _goto(page: Page, url: str, wait_until: Literal["load", "networkidle"] = "load") -> Response:
    response = page.goto(url, wait_until=wait_until)
    assert response is not None, url
    assert response.status == 200, f"{url}: HTTP {response.status}"
    return response


def _path(site: ServedSite, url: str) -> str:
    """The site-relative path of an absolute URL on the test server (query and fragment dropped)."""
    return urlsplit(url).path.removeprefix(urlsplit(site.base).path)


def _scheme(page: Page) -> str:
    return str(page.locator("body").get_attribute("data-md-color-scheme"))


def _toggle_palette(page: Page) -> None:
    page.locator("form[data-md-component=palette] label:not([hidden])").click()


def _axe_violations(axe: Any, page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return violations


class _Watch:
    """What the browser did on a page: every request, failed requests, uncaught script errors."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _request_failed(self, request: Request) -> None:
        # Leaving a page cancels what it was still fetching (search index, favicon): not a failure.
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def problems(self, site: ServedSite) -> list[str]:
        local = (site.base, "data:", "blob:", "about:")
        foreign = sorted({url for url in self.requests if not url.startswith(local)})
        found = []
        if foreign:
            found.append(f"requests that left {site.base}:\n  " + "\n  ".join(foreign))
        if self.failed:
            found.append("failed requests:\n  " + "\n  ".join(self.failed))
        if self.errors:
            found.append("uncaught JavaScript errors:\n  " + "\n  ".join(self.errors))
        return found


SIDEWAYS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    [...e.classList].map(c => "." + c).join("");
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => e.parentElement.getBoundingClientRect().right <= width + 1);
  return `scrollWidth ${root.scrollWidth} > clientWidth ${width}; too wide: ${wide.slice(0, 3).map(name).join(", ")}`;
}"""
"""`null` when the page fits its width, else which elements stick out first."""


def _empty_search_index(site: ServedSite, page: Page) -> None:
    """Answer the search index request with the real index stripped of its documents.

    Every page load starts Material's search worker, which builds the whole index: CPU that
    competes with axe on two cores and changes nothing axe or the request checks see (the
    request is still made and recorded). The search and budget tests use the real index.
    """
    index = site.root / "search" / "search_index.json"
    if not index.exists():
        return
    stub = json.loads(index.read_text(encoding="utf-8")) | {"docs": []}
    page.route(site.url("search/search_index.json"), lambda route: route.fulfill(json=stub))


def _sweep(site: ServedSite, page: Page, axe: Any, paths: list[str], label: str, *, fit: bool = False) -> list[str]:
    """Load each page and check it; return one readable report per problem."""
    watch = _Watch(page)
    _empty_search_index(site, page)
    reports = []
    for path in paths:
        _goto(page, site.url(path))
        if page.locator("article h1").count() != 1:
            reports.append(f"/{path} ({label}): not exactly one <h1> in the article")
        if fit and (sideways := page.evaluate(SIDEWAYS)):
            reports.append(f"/{path} ({label}) scrolls sideways: {sideways}")
        violations = _axe_violations(axe, page)
        if violations:
            reports.append(describe_violations(f"/{path} ({label})", violations))
    return reports + watch.problems(site)


def _click_link_to(page: Page, *urls: str, scope: str = "body") -> str:
    """Click the first visible link (inside `scope`) to one of `urls`; wait for it; return its URL."""
    links = page.locator(f"{scope} a")
    found: list[list[Any]] = links.evaluate_all(
        "links => links.map(link => [link.href, link.getClientRects().length > 0])"
    )
    index = next((i for i, (href, visible) in enumerate(found) if visible and href in urls), None)
    assert index is not None, f"{page.url}: no visible link to {list(urls)}; links: {[h for h, _ in found]}"
    target = str(found[index][0])
    links.nth(index).click()
    page.wait_for_url(target)
    return target


def _first_module(site: ServedSite) -> str:
    modules = site.module_pages
    assert modules, "the build has no modules/<folder>/ page"
    return modules[0]


# --- Every page, at two widths -----------------------------------------------------------------


@pytest.mark.parametrize("part", range(SWEEP_PARTS), ids=[f"part{i + 1}" for i in range(SWEEP_PARTS)])
def test_every_page_at_desktop_width_stays_local_and_passes_axe(
    site: ServedSite, open_page: Callable[..., Page], axe: Any, part: int
) -> None:
    pages = site.pages
    assert "" in pages and "modules/" in pages, pages
    reports = _sweep(site, open_page(viewport=DESKTOP), axe, shard(site.root, pages, part, SWEEP_PARTS), "1280x800")
    assert not reports, "\n".join(reports)


@pytest.mark.parametrize("part", range(SWEEP_PARTS), ids=[f"part{i + 1}" for i in range(SWEEP_PARTS)])
def test_every_page_at_phone_width_fits_stays_local_and_passes_axe(
    site: ServedSite, open_page: Callable[..., Page], axe: Any, part: int
) -> None:
    reports = _sweep(
        site, open_page(viewport=PHONE), axe, shard(site.root, site.pages, part, SWEEP_PARTS), "375x740", fit=True
    )
    assert not reports, "\n".join(reports)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_dark_palette_chosen_with_the_toggle_passes_axe(
    site: ServedSite, open_page: Callable[..., Page], axe: Any, width: str
) -> None:
    """Home page at both widths, and a module page at desktop width, after clicking the toggle."""
    page = open_page(viewport=DESKTOP if width == "desktop" else PHONE)
    _empty_search_index(site, page)
    _goto(page, site.base)
    _toggle_palette(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    paths = ["", _first_module(site)] if width == "desktop" else [""]
    reports = []
    for path in paths:
        _goto(page, site.url(path))  # a fresh load: the remembered palette applies before the first paint
        assert _scheme(page) == "slate", f"/{path}: the dark palette was not remembered"
        violations = _axe_violations(axe, page)
        if violations:
            reports.append(describe_violations(f"/{path} ({width}, dark)", violations))
    assert not reports, "\n".join(reports)


# --- Page weight --------------------------------------------------------------------------------


HTML_BUDGET_EXEMPT = frozenset({"maintainers/api/"})
"""The maintainers' API reference (mkdocstrings) is one long page for contributors, not a course page."""
SEARCH_INDEX_BUDGET = 110_000
"""The full-text search index, fetched once by Material on a first visit and then cached: it is
the whole course text (about 99 KB gzipped), so it is budgeted on its own (see the closing note)."""


def test_html_pages_fit_the_gzip_budget(site: ServedSite) -> None:
    heavy = []
    for path in site.pages:
        if path in HTML_BUDGET_EXEMPT:
            continue
        size = gzipped_size((site.root / path / "index.html").read_bytes(), "text/html")
        if size > BUDGET_HTML:
            heavy.append(f"/{path}: {size:,} bytes gzipped")
    assert not heavy, f"HTML over {BUDGET_HTML:,} bytes gzipped:\n" + "\n".join(heavy)


def _first_visit(site: ServedSite, page: Page, path: str) -> dict[str, int]:
    """Gzipped bytes of every response while a fresh `page` (empty cache) loads `path`."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    if (site.root / "search" / "search_index.json").exists():
        # The search worker fetches the index after `load`: wait for it rather than for idle.
        with page.expect_response(site.url("search/search_index.json")) as fetched:
            _goto(page, site.url(path))
        fetched.value.finished()
    else:
        _goto(page, site.url(path), wait_until="networkidle")
    sizes: dict[str, int] = {}
    for request in list(requests):
        response = request.response()  # waits for it, whatever order the events came in
        if response is not None and request.url.startswith(site.base) and not 300 <= response.status < 400:
            sizes[request.url] = gzipped_size(response.body(), response.headers.get("content-type", ""))
    return sizes


def test_first_visit_of_each_module_page_fits_the_budget(site: ServedSite, open_page: Callable[..., Page]) -> None:
    """The page itself with everything it needs is within budget; the search index on its own."""
    over = []
    for module in site.module_pages:
        sizes = _first_visit(site, open_page(), module)  # a fresh context each time: a first visit
        index = sizes.pop(site.url("search/search_index.json"), 0)
        assert index <= SEARCH_INDEX_BUDGET, f"search index {index:,} bytes gzipped"
        total = sum(sizes.values())
        if total > BUDGET_FIRST_VISIT:
            biggest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
            detail = ", ".join(f"/{_path(site, url)} {size:,}" for url, size in biggest)
            over.append(f"/{module}: {total:,} bytes gzipped in {len(sizes)} responses (largest: {detail})")
    assert not over, f"first visit over {BUDGET_FIRST_VISIT:,} bytes:\n" + "\n".join(over)


# --- Navigation and search ------------------------------------------------------------------


def test_home_reaches_modules_and_a_module_then_footer_next(site: ServedSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    _goto(page, site.base)
    _click_link_to(page, site.url("modules/"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"Modules"))
    module_urls = [site.url(path) for path in site.module_pages]
    _click_link_to(page, *module_urls, scope="article")
    expect(page.locator("article h1")).not_to_be_empty()
    assert _path(site, page.url) in site.module_pages, page.url

    following = page.locator("a.md-footer__link--next")
    expect(following).to_have_count(1)
    title = following.locator(".md-ellipsis").inner_text().strip()
    destination = str(following.evaluate("link => link.href"))
    following.click()
    page.wait_for_url(destination)
    expect(page).to_have_title(re.compile(re.escape(title)))  # instant navigation sets it after the URL


@pytest.mark.parametrize(("query", "expected"), SEARCHES, ids=[q for q, _ in SEARCHES])
def test_search_finds_the_page(site: ServedSite, open_page: Callable[..., Page], query: str, expected: str) -> None:
    page = open_page()
    _goto(page, site.base)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__link")
    results.first.wait_for()
    hit = page.locator(f'.md-search-result__link[href^="{site.url(expected)}"]')
    try:
        hit.first.wait_for(timeout=10_000)
    except PlaywrightError:
        found = [_path(site, str(link.get_attribute("href"))) for link in results.all()]
        pytest.fail(f"search {query!r}: no result links to /{expected}; results: {found}")
    hit.first.click()
    page.wait_for_url(re.compile(re.escape(site.url(expected))))


def test_palette_toggle_switches_light_and_dark_and_remembers(site: ServedSite, open_page: Callable[..., Page]) -> None:
    page = open_page(scheme="light")
    _goto(page, site.base)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    _toggle_palette(page)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    _goto(page, site.url("modules/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    _toggle_palette(page)
    expect(body).to_have_attribute("data-md-color-scheme", "default")


# --- Page features ------------------------------------------------------------------------------


def test_headings_have_permalinks_to_their_own_ids(site: ServedSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    module = _first_module(site)
    _goto(page, site.url(module))
    static = re.findall(r'<a class="headerlink" href="([^"]*)"', (site.root / module / "index.html").read_text("utf-8"))
    assert len(static) >= 3, f"/{module}: {len(static)} heading permalinks in the HTML"
    assert all(href.startswith("#") for href in static), static
    # In the browser Material makes links absolute: same page, and the #fragment exists.
    links: list[list[str]] = page.locator("article a.headerlink").evaluate_all(
        "links => links.map(link => [link.href.split('#')[0], link.hash.slice(1)])"
    )
    assert len(links) == len(static)
    wrong = [f"{page_url}#{anchor}" for page_url, anchor in links if page_url != site.url(module) or not anchor]
    assert not wrong, f"permalinks that leave the page: {wrong}"
    missing: list[str] = page.evaluate(
        "anchors => anchors.filter(a => !document.getElementById(decodeURIComponent(a)))", [a for _, a in links]
    )
    assert not missing, f"permalinks without a matching id: {missing}"


def test_glossary_terms_show_tooltips(site: ServedSite, open_page: Callable[..., Page]) -> None:
    has_glossary = (site.root / "glossary.yml").exists() or (site.root / "glossary" / "index.html").exists()
    users = [p for p in site.pages if b"<abbr title=" in (site.root / p / "index.html").read_bytes()]
    if not has_glossary and not users:
        pytest.skip("no glossary yet: the build has no glossary page and no <abbr title> terms")
    assert users, "the site has a glossary but no page marks a glossary term with <abbr title>"
    path = next((p for p in users if p in site.module_pages), users[0])
    page = open_page()
    _goto(page, site.url(path))
    terms = page.locator("article abbr[title]")
    assert terms.count() > 0, f"/{path}: no <abbr title> in the rendered article"
    first = terms.first
    definition = str(first.get_attribute("title")).strip()
    assert definition, f"/{path}: empty glossary definition on {first.inner_text()!r}"
    first.scroll_into_view_if_needed()
    first.hover()
    tooltip = page.locator(".md-tooltip2").filter(has_text=definition[:40])
    expect(tooltip.first).to_be_visible()


def test_print_hides_header_and_sidebars(site: ServedSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    module = _first_module(site)
    _goto(page, site.url(module))
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary"]
    for selector in chrome:
        expect(page.locator(selector).first).to_be_visible()
    page.emulate_media(media="print")
    for selector in [*chrome, ".md-sidebar"]:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()


def test_self_check_answers_open_with_the_keyboard(site: ServedSite, open_page: Callable[..., Page]) -> None:
    page = open_page()
    module = _first_module(site)
    _goto(page, site.url(module))
    opened: list[bool] = page.locator("article details").evaluate_all("all => all.map(d => d.open)")
    assert False in opened, f"/{module}: no closed <details> (self-check answers)"
    details = page.locator("article details").nth(opened.index(False))
    summary = details.locator("> summary")
    summary.focus()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(details).to_have_js_property("open", True)
    page.keyboard.press("Enter")
    expect(details).to_have_js_property("open", False)


def test_module_pages_are_found_in_the_build(site: ServedSite) -> None:
    """Guard: the sweeps above run on what the build produced; it must have module pages."""
    sources = sorted(p.parent.name for p in (ROOT / "docs" / "modules").glob("*/index.md"))
    assert [Path(p).name for p in site.module_pages] == sources
