"""Helpers for tests/test_browser.py: Chromium discovery, the built site served on 127.0.0.1,
the pages to visit, byte budgets and readable axe reports."""

from __future__ import annotations

import gzip
import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from scripts import pdf
from tests.conftest import ENV, missing_tool

CHROMIUM_MISSING = "Chromium not found: apt-get install chromium (CI installs it via .ci/run)"
CHROMIUM_ARGS = pdf.CHROMIUM_ARGS
"""The same flags the handout printer uses: quiet, headless and off the network."""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS: dict[str, Any] = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
"""WCAG 2.0/2.1 A and AA rules. `resultTypes` keeps node details for violations only: the same
verdict, about a third faster (passing nodes are otherwise serialised one by one)."""

TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")
"""Content types a web server would gzip; anything else counts at its raw size."""

_REDIRECT_STUB = re.compile(rb"<meta[^>]+http-equiv=[\"']?refresh", re.IGNORECASE)
_MODULE_PAGE = re.compile(r"modules/[^/]+/")


def chromium_path() -> str | None:
    """Debian's Chromium, or `None` when it is not installed."""
    return pdf.chromium_path()


def require_chromium() -> str:
    """Chromium's path. Called while a test module is imported: without Chromium the whole
    module is skipped with one reason, or fails to collect when `CI` is set."""
    path = chromium_path()
    if path is None:
        missing_tool(CHROMIUM_MISSING, module=True)
    return path


@dataclass(frozen=True)
class ServedSite:
    """A strict build of the real site, served over HTTP on 127.0.0.1."""

    root: Path
    base: str
    """`http://127.0.0.1:PORT/`, also the build's `site_url`."""

    @property
    def origin(self) -> str:
        return self.base.rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL of a site-relative path such as `modules/`."""
        return self.base + path.lstrip("/")

    @property
    def pages(self) -> list[str]:
        """Site-relative URLs of every HTML page (`""` is the home page)."""
        return page_paths(self.root)

    @property
    def module_pages(self) -> list[str]:
        """`modules/<folder>/` for every module page of the build."""
        return [p for p in self.pages if _MODULE_PAGE.fullmatch(p)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that hangs up mid-response is not an error worth a traceback."""
        return


def build_site(config: Path, site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` with `SITE_URL` set (never -q), without the PDF handouts."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)]
    env = ENV | {"SITE_URL": site_url, "COURSE_PDF": "0"}
    return subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True, check=False)


@contextmanager
def served_build(config: Path, site_dir: Path) -> Iterator[ServedSite]:
    """Bind a free port on 127.0.0.1, build the site for that address, serve it from a thread."""
    server = _Server(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site_dir)))
    thread: threading.Thread | None = None
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        result = build_site(config, site_dir, base)
        assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-3000:]}"
        thread = threading.Thread(target=server.serve_forever, name="browser-site", daemon=True)
        thread.start()
        yield ServedSite(root=site_dir, base=base)
    finally:
        if thread is not None:
            server.shutdown()
            thread.join(timeout=10)
        server.server_close()


def page_paths(site_dir: Path) -> list[str]:
    """Site-relative URLs of every real page: no redirect stubs, no 404 page."""
    paths = []
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        if relative == "404.html" or _REDIRECT_STUB.search(html.read_bytes()[:2000]):
            continue
        paths.append(relative.removesuffix("index.html"))
    return paths


def shard(site_dir: Path, paths: list[str], index: int, count: int) -> list[str]:
    """Part `index` of `count` of the pages, so that pytest-xdist can share a sweep out.

    Pages are dealt round-robin from the largest down (axe's time grows with page size), so
    the parts take about as long as each other. Every worker computes the same split from
    its own, identical build.
    """
    by_size = sorted(paths, key=lambda path: (-(site_dir / path / "index.html").stat().st_size, path))
    return by_size[index::count]


def gzipped_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire for a server that gzips text (level 6, as nginx and bench-web do)."""
    if any(kind in content_type for kind in TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """One readable block per broken axe rule: id, impact, what it means, the elements."""
    lines = [f"{where}: {len(violations)} axe rule(s) broken"]
    for violation in violations:
        nodes: list[dict[str, Any]] = violation.get("nodes", [])
        targets = [" ".join(str(part) for part in node.get("target", [])) for node in nodes]
        shown = ", ".join(targets[:6]) + (f", ... ({len(targets)} in all)" if len(targets) > 6 else "")
        lines.append(f"  - {violation['id']} [{violation.get('impact')}] {violation.get('help', '')}")
        lines.append(f"    targets: {shown}")
        checks = [check for node in nodes[:1] for group in ("any", "all", "none") for check in node.get(group, [])]
        if checks and checks[0].get("message"):
            lines.append(f"    first: {checks[0]['message']}")
    return "\n".join(lines)
