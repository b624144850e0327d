"""URL stability: published page URLs and explicit anchors never vanish silently.

`urls.lock` (committed) lists every published page URL and every explicit heading anchor.
The check fails when one disappears without a redirect; `make lock-urls` rewrites the lock
after an intended change, so an accidental break is never silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from scripts.diagnostics import Diagnostic
from scripts.links import BuiltPage
from scripts.markdown_source import mask_code

HEADER = (
    "# Published page URLs and explicit heading anchors of the course site.\n"
    "# The check fails when one disappears without a redirect. After an intended change,\n"
    "# run `make lock-urls` and commit this file.\n"
)
GENERATED_ANCHORS = frozenset({"outcomes", "cite", "references"})
"""Anchors the hooks add to module pages."""
_EXPLICIT = re.compile(r"^#{1,6}\s.*\{[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$", re.M)
_UNLOCKED = ("maintainers/api/", "404.html")


def explicit_anchors(markdown: str) -> set[str]:
    """Anchors set explicitly on headings: `## Title { #slug }`."""
    return set(_EXPLICIT.findall(mask_code(markdown)))


def current_entries(pages: dict[str, BuiltPage], anchors_by_url: dict[str, set[str]]) -> list[str]:
    """Lock lines for a built site: each real page URL, and `url#anchor` for its anchors."""
    lines: list[str] = []
    for url, page in pages.items():
        if page.redirect is not None or (not url.endswith("/") and url != "") or url.startswith(_UNLOCKED):
            continue
        lines.append(url)
        wanted = anchors_by_url.get(url, set())
        if url.startswith("modules/") and url.count("/") == 2:
            wanted = wanted | GENERATED_ANCHORS
        lines.extend(f"{url}#{a}" for a in sorted(wanted & page.heading_ids))
    return sorted(lines)


def read_lock(path: Path) -> list[tuple[int, str]]:
    """Entries of the lock file with their line numbers (empty when there is no lock).

    Entries are written from the site root (`/`, `/#home`, `/about/#licence`) and
    returned without the leading slash, as site-relative URLs (`""` is the home page).
    """
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if line.startswith("/"):
            entries.append((number, line.removeprefix("/")))
    return entries


def write_lock(path: Path, entries: Iterable[str]) -> None:
    """Write the lock file: header, then one entry per line, each from the site root."""
    path.write_text(HEADER + "".join(f"/{e}\n" for e in sorted(set(entries))), encoding="utf-8")


def check_lock(lock: list[tuple[int, str]], pages: dict[str, BuiltPage], lock_path: str) -> list[Diagnostic]:
    """URL001 for a locked page that is gone; URL002 for a locked anchor that is gone.

    A page that became a redirect stub keeps its URL alive; its anchors are looked up on
    the redirect's target, which receives the `#anchor` too.
    """
    found: list[Diagnostic] = []
    for line, entry in lock:
        url, _, anchor = entry.partition("#")
        page = pages.get(url)
        if page is None:
            found.append(
                Diagnostic(
                    lock_path,
                    line,
                    1,
                    "URL001",
                    f"published page '{url or '/'}' is gone: add a redirect in mkdocs.yml or run make lock-urls",
                )
            )
            continue
        seen: set[str] = set()
        while page is not None and page.redirect is not None and page.url not in seen:
            seen.add(page.url)
            page = pages.get(page.redirect)
        if anchor and (page is None or anchor not in page.ids):
            found.append(
                Diagnostic(
                    lock_path,
                    line,
                    1,
                    "URL002",
                    f"published anchor '{url}#{anchor}' is gone: keep '{{ #{anchor} }}' on the heading or run make lock-urls",
                )
            )
    return found
