"""Links: external URLs in the sources, internal links and anchors in the built site.

MkDocs' own `validation:` checks Markdown links and anchors during the strict build. This
module checks what it cannot see: links written in raw HTML, anchors made by hooks, pages
that nothing links to, pages missing from the navigation, and the rules on external URLs
(https only, no `.onion`, no forbidden host). Built pages are read with lxml, a real HTML
parser; Markdown is read with markdown-it-py.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt

from scripts import privacy, rendered
from scripts.diagnostics import Diagnostic, Severity
from scripts.markdown_source import mask_code, unwrap_admonitions
from scripts.policy import Denylist


@dataclass(frozen=True)
class Link:
    """A link found in a source page.

    Attributes:
        url: The link target as written.
        line: 1-based line in the file.
        col: 1-based column.
    """

    url: str
    line: int
    col: int


class _AnchorParser(HTMLParser):
    """Collects `href` and `src` values of raw HTML in Markdown, with positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                line, offset = self.getpos()
                self.found.append((value, line, offset + 1))


_MD = MarkdownIt("commonmark").enable("table")
_MD.validateLink = lambda url: True  # type: ignore[method-assign]  # report file: links, do not hide them


def extract_links(body: str, first_line: int = 1) -> list[Link]:
    """All link targets in a Markdown body: Markdown links, autolinks and raw HTML.

    Each link is reported as written, at the position of the URL itself; identical links
    on one line each get their own column.
    """
    source = unwrap_admonitions(mask_code(body))
    lines = source.split("\n")
    links: list[Link] = []
    searched: dict[int, int] = {}
    for token in _MD.parse(source):
        if token.type != "inline" or not token.children or not token.map:
            continue
        start, end = token.map
        for child in token.children:
            if child.type not in {"link_open", "image"}:
                continue
            url = str(child.attrs.get("href") or child.attrs.get("src") or "")
            links.append(_locate(url, lines, start, end, first_line, searched))
    parser = _AnchorParser()
    parser.feed(source)
    parser.close()
    for url, line, col in parser.found:
        at = lines[line - 1].find(url, col - 1) if 0 < line <= len(lines) else -1
        links.append(Link(url, line + first_line - 1, at + 1 if at >= 0 else col))
    return links


def _locate(url: str, lines: list[str], start: int, end: int, first_line: int, searched: dict[int, int]) -> Link:
    """Find the URL as written (markdown-it percent-encodes it) in the block's lines."""
    candidates = dict.fromkeys([url, unquote(url), html.unescape(url)])
    for index in range(start, min(end, len(lines))):
        for candidate in candidates:
            col = lines[index].find(candidate, searched.get(index, 0))
            if col >= 0:
                searched[index] = col + len(candidate)
                return Link(candidate, index + first_line, col + 1)
    return Link(url, start + first_line, 1)


_MAY_LINK_OUT = re.compile(
    r"\]\(\s*<?(?:[A-Za-z][\w+.-]*:|//)"  # a Markdown link or image with a scheme, or protocol-relative
    r"|<[A-Za-z][\w+.-]*:"  # an autolink
    r"|(?:href|src)\s*=\s*[\"']?\s*(?:[A-Za-z][\w+.-]*:|//)"  # raw HTML with a scheme
    r"|^\s*\[[^\]]+\]:\s*<?(?:[A-Za-z][\w+.-]*:|//)",  # a reference definition
    re.I | re.M,
)


def may_have_external(masked: str) -> bool:
    """Cheap pre-test: can this (code-masked) text contain an external link at all?

    Markdown parsing is the source stage's main cost; pages with no link target that has
    a scheme or starts with `//` (most pages: sources are cited, not linked) skip it.
    """
    return _MAY_LINK_OUT.search(masked) is not None


_SCHEME_OR_NETLOC = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//[^/?#]")
_URL_STRIP = "".join(map(chr, range(33)))
"""What `urlsplit` strips from the start of a URL (C0 controls and space)."""


def _clean(url: str) -> str:
    """`url` as `urlsplit` reads it: leading controls and spaces gone, tabs and newlines removed."""
    url = url.lstrip(_URL_STRIP)
    if "\t" in url or "\n" in url or "\r" in url:
        url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    return url


def is_external(url: str) -> bool:
    """True for a URL with a scheme or a network location (`https://`, `mailto:`, `//x`).

    The same verdict as `urlsplit(url).scheme or .netloc` (a property test holds them
    together), without building the split: the link pass calls this for every link.
    """
    return _SCHEME_OR_NETLOC.match(_clean(url)) is not None


def check_external(link: Link, path: str, denylist: Denylist) -> list[Diagnostic]:
    """Rules for one external link: https only, no onion, no forbidden host."""
    try:
        parts = urlsplit(link.url)
        host = parts.hostname or ""
    except ValueError as error:
        return [Diagnostic(path, link.line, link.col, "LNK006", f"malformed URL '{link.url}': {error}")]
    if parts.scheme == "mailto":
        return []
    if host.endswith(".onion"):
        return [Diagnostic(path, link.line, link.col, "LNK004", "links to an .onion address: remove the link")]
    if parts.scheme != "https":
        return [Diagnostic(path, link.line, link.col, "LNK003", f"'{link.url}' is not https: use the https address")]
    if not host or "." not in host or " " in link.url:
        return [Diagnostic(path, link.line, link.col, "LNK006", f"malformed URL '{link.url}'")]
    reason = denylist.reason(host)
    if reason:
        return [
            Diagnostic(path, link.line, link.col, "LNK005", f"'{host}' is a {reason}: link the publisher's own page")
        ]
    return []


# --- The built site -----------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltPage:
    """What one built HTML page offers and points to.

    Attributes:
        url: Site-relative directory URL (`modules/m3-anonymity/`).
        ids: Every `id` in the page's article.
        heading_ids: `id`s of headings h1-h6.
        links: Targets of `href`/`src` inside the page's content area.
        redirect: For a redirect stub, the site-relative URL it points to.
    """

    url: str
    ids: frozenset[str]
    heading_ids: frozenset[str]
    links: tuple[str, ...]
    redirect: str | None = None
    leftovers: tuple[rendered.Leftover, ...] = ()
    """Source syntax in the article's visible text (BLD002)."""
    citations: int = 0
    """Citations rendered in the article (BLD003 compares them with the source)."""
    assets: tuple[str, ...] = ()
    """URLs of assets the page would load from another origin (PRV001)."""
    internal: tuple[tuple[str, str, str], ...] = field(init=False, repr=False, compare=False)
    """`(href, target URL, fragment)` for each internal link, resolved once (in the parser's
    worker process) for both the link check and the orphan check."""

    def __post_init__(self) -> None:
        internal = tuple((href, *resolve(self.url, href)) for href in self.links if not is_external(href))
        object.__setattr__(self, "internal", internal)


def page_url(html_path: str) -> str:
    """`modules/m3/index.html` -> `modules/m3/`; `404.html` -> `404.html`."""
    return html_path.removesuffix("index.html") if html_path.endswith("index.html") else html_path


def src_to_url(src_uri: str) -> str:
    """The directory URL MkDocs gives a Markdown source (`about.md` -> `about/`)."""
    if src_uri == "index.md":
        return ""
    if src_uri.endswith("/index.md"):
        return src_uri.removesuffix("index.md")
    return src_uri.removesuffix(".md") + "/"


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARSER = lxml.etree.HTMLParser(encoding="utf-8")
"""libxml2's HTML parser without lxml.html's element classes (a third faster); the encoding
is given because a slice of the page carries no `<meta charset>`."""


def parse_built_page(site_dir: str, html_path: str, site_host: str | None = None) -> BuiltPage:
    """Parse one built page, once, for every rule on built pages.

    From the `<article>` element (what authors wrote and the hooks generated; the theme's
    navigation around it is MkDocs' own): ids, heading ids, links, source syntax left in the
    visible text, and rendered citations. From the whole document: assets it would load
    from another origin than `site_host`. A redirect stub gives its target.
    """
    data = Path(site_dir, html_path).read_bytes()
    url = page_url(html_path)
    if not data.strip():
        return BuiltPage(url, frozenset(), frozenset(), ())
    if len(data) < 4000 and b"refresh" in data:
        tree = lxml.html.document_fromstring(data)
        refresh = tree.xpath("//meta[@http-equiv='refresh']/@content")
        if refresh:
            target = str(refresh[0]).split("url=", 1)[-1].strip()
            return BuiltPage(url, frozenset(), frozenset(), (), resolve(url, target)[0])
    document = lxml.etree.fromstring(data, _PARSER)
    if document is None:  # nothing a parser could read
        return BuiltPage(url, frozenset(), frozenset(), ())
    assets = tuple(asset.url for asset in privacy.scan_tree(document, html_path, site_host))
    scope = next(document.iter("article"), document)
    ids: set[str] = set()
    headings: set[str] = set()
    links: list[str] = []
    for element in scope.iter():  # one pass in document order (three XPath queries took twice as long)
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        anchor = element.get("id")
        if anchor is not None:
            ids.add(anchor)
            if tag in _HEADINGS:
                headings.add(anchor)
        value = element.get("href") if tag == "a" else element.get("src") if tag == "img" else None
        if value is not None:
            links.append(value)
    leftovers = tuple(rendered.find_leftovers(rendered.visible_text(scope)))
    return BuiltPage(
        url, frozenset(ids), frozenset(headings), tuple(links), None, leftovers, rendered.count_rendered(scope), assets
    )


def _parse_many(args: tuple[str, list[str], str | None]) -> list[BuiltPage]:
    site_dir, paths, site_host = args
    return [parse_built_page(site_dir, p, site_host) for p in paths]


def site_files(site_dir: Path) -> list[str]:
    """Every file of a built site as a sorted, site-relative POSIX path (one directory walk)."""
    root = str(site_dir)
    found: list[str] = []
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.extend(prefix + name for name in names)
    return sorted(found)


def read_site(
    site_dir: Path, workers: int | None = None, files: list[str] | None = None, site_host: str | None = None
) -> dict[str, BuiltPage]:
    """Parse every HTML page of a built site, in parallel for large sites.

    `files` is the site's file list when the caller already has it (`site_files`);
    `site_host` is the site's own host (assets from it are not third-party).
    """
    paths = [f for f in (site_files(site_dir) if files is None else files) if f.endswith(".html")]
    workers = workers or min(4, os.cpu_count() or 1)
    if len(paths) < 400 or workers == 1:
        pages = _parse_many((str(site_dir), paths, site_host))
    else:
        chunks = [paths[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            pages = [
                p for chunk in pool.map(_parse_many, [(str(site_dir), c, site_host) for c in chunks]) for p in chunk
            ]
    return {p.url: p for p in pages}


def resolve(base_url: str, href: str) -> tuple[str, str]:
    """Resolve a relative `href` on the page at `base_url` to `(site URL, fragment)`."""
    rest, _, fragment = _clean(href).partition("#")
    if rest.startswith("//"):  # an empty network location, as in `///page/`: not a host
        rest = rest[2:]
    path = unquote(rest.partition("?")[0])
    if not path:
        return base_url, fragment
    if path.startswith("/"):
        joined = posixpath.normpath(path)
    else:
        base = "/" + base_url
        base_dir = base if base_url.endswith("/") or not base_url else posixpath.dirname(base)
        joined = posixpath.normpath(posixpath.join(base_dir, path))
    url = joined.lstrip("/")
    if path.endswith("/") and url:
        url += "/"
    if url == ".":
        url = ""
    return url, fragment


def _exists(url: str, pages: dict[str, BuiltPage], files: frozenset[str]) -> BuiltPage | bool | None:
    if url in pages:
        return pages[url]
    if url + "/" in pages:
        return pages[url + "/"]
    return url in files


def check_site_links(
    pages: dict[str, BuiltPage], files: frozenset[str], sources: dict[str, tuple[str, str]]
) -> list[Diagnostic]:
    """Broken internal links (LNK001) and missing anchors (LNK002) in built content.

    Args:
        pages: Built pages by URL.
        files: Every file of the built site (for links to non-HTML assets).
        sources: For each page URL, its source path (for diagnostics) and Markdown text
            (to point at the line of the link).
    """
    found: list[Diagnostic] = []
    for url, page in pages.items():
        if url not in sources:
            continue
        path, text = sources[url]
        for href, target_url, fragment in page.internal:
            target = _exists(target_url, pages, files)
            if target is False or target is None:
                code, message = "LNK001", f"link '{href}' points to a page the site does not have"
            elif fragment and isinstance(target, BuiltPage) and target.redirect is None and fragment not in target.ids:
                code, message = "LNK002", f"link '{href}': no anchor '#{fragment}' on '{target.url or 'home'}'"
            else:
                continue
            line, col = locate_in_source(text, href, fragment)
            found.append(Diagnostic(path, line, col, code, message))
    return found


def locate_in_source(text: str, href: str, fragment: str) -> tuple[int, int]:
    """Best position of a built link in its Markdown source (line 1 when not found)."""
    needles = [href, f"#{fragment}" if fragment else "", PurePosixPath(urlsplit(href).path).name]
    for needle in needles:
        if needle and needle in text:
            offset = text.index(needle)
            line = text.count("\n", 0, offset) + 1
            return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 1, 1


def find_orphans(
    pages: dict[str, BuiltPage], sources: dict[str, tuple[str, str]], roots: Iterable[str]
) -> list[Diagnostic]:
    """Pages no other page links to (LNK008, a warning); `roots` are exempt."""
    linked: set[str] = set(roots)
    for url, page in pages.items():
        for _, target, _ in page.internal:
            if target != url:
                linked.add(target if target.endswith("/") or not target else target + "/")
                linked.add(target)
    return [
        Diagnostic(path, 1, 1, "LNK008", "no other page links here: link it from a related page", Severity.WARNING)
        for url, (path, _) in sorted(sources.items())
        if url not in linked
    ]


def nav_sources(nav: object) -> Iterator[str]:
    """Every Markdown source listed in a `nav:` tree from mkdocs.yml."""
    if isinstance(nav, str):
        if not re.match(r"^[a-z]+://", nav):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_sources(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_sources(value)
