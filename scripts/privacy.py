"""Privacy: find every asset a built page would load from another origin.

The site must request nothing from any third party. This scans built HTML (lxml) for
elements that load something (scripts, styles, images, frames, media, preconnects) and
built CSS (tinycss2) for `url()` and `@import`, and reports each absolute URL whose host is
not local. Plain hyperlinks (`<a href>`) load nothing and are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", ""})
_LOADING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
_NON_LOADING_RELS = frozenset({"canonical", "license", "alternate", "author", "help", "next", "prev", "search"})


@dataclass(frozen=True)
class ExternalAsset:
    """An asset loaded from another origin: where it is referenced and its URL."""

    file: str
    url: str


def is_remote(url: str, site_host: str | None) -> bool:
    """Whether loading `url` would reach another host than this machine or the site's own."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "javascript", "mailto"}:
        return False
    if not parts.scheme and not parts.netloc:
        return False
    host = parts.hostname or ""
    return host not in LOCAL_HOSTS and host != site_host


def scan_html(html: bytes, file: str, site_host: str | None = None) -> list[ExternalAsset]:
    """External assets loaded by one HTML document."""
    if not html.strip():
        return []
    return scan_tree(lxml.html.document_fromstring(html), file, site_host)


def scan_tree(tree: Any, file: str, site_host: str | None = None) -> list[ExternalAsset]:
    """External assets loaded by an HTML document already parsed (lxml)."""
    found: list[ExternalAsset] = []
    for element in tree.iter(*_LOADING):
        tag = str(element.tag)
        if tag == "link":
            rel = set(str(element.get("rel", "")).lower().split())
            if rel and rel <= _NON_LOADING_RELS:
                continue
        for attribute in _LOADING[tag]:
            value = element.get(attribute)
            if not value:
                continue
            candidates = [c.strip().split(" ")[0] for c in value.split(",")] if attribute == "srcset" else [value]
            found.extend(ExternalAsset(file, c) for c in candidates if is_remote(c, site_host))
    for style in tree.iter("style"):
        found.extend(ExternalAsset(file, u) for u in css_urls(style.text or "") if is_remote(u, site_host))
    for element in tree.xpath("//*[@style]"):
        found.extend(
            ExternalAsset(file, u) for u in css_urls(str(element.get("style")), inline=True) if is_remote(u, site_host)
        )
    return found


def css_urls(css: str, *, inline: bool = False) -> list[str]:
    """Every `url(...)` and `@import` target in a style sheet (parsed with tinycss2)."""
    import tinycss2

    urls: list[str] = []

    def walk(tokens: list[object]) -> None:
        for token in tokens:
            kind = getattr(token, "type", "")
            if kind == "url":
                urls.append(str(getattr(token, "value", "")))
            elif kind == "function" and str(getattr(token, "lower_name", "")) == "url":
                args = [a for a in getattr(token, "arguments", []) if getattr(a, "type", "") == "string"]
                urls.extend(str(getattr(a, "value", "")) for a in args)
            elif kind == "at-rule" and str(getattr(token, "lower_at_keyword", "")) == "import":
                for part in getattr(token, "prelude", []):
                    if getattr(part, "type", "") in {"string", "url"}:
                        urls.append(str(getattr(part, "value", "")))
                    elif getattr(part, "type", "") == "function":
                        walk([part])
            for child in ("content", "prelude", "arguments", "value"):
                nested = getattr(token, child, None)
                if (isinstance(nested, list) and kind != "at-rule") or (
                    isinstance(nested, list) and kind == "at-rule" and child == "content"
                ):
                    walk(nested)

    if inline:
        walk(tinycss2.parse_component_value_list(css))
    else:
        walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return urls


def scan_site(site_dir: Path, site_host: str | None = None) -> list[ExternalAsset]:
    """External assets across every HTML and CSS file of a built site."""
    found: list[ExternalAsset] = []
    for path in sorted(site_dir.rglob("*")):
        name = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            found.extend(scan_html(path.read_bytes(), name, site_host))
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
            found.extend(ExternalAsset(name, u) for u in css_urls(css) if is_remote(u, site_host))
    return found
