"""`make bench-web`: page weight per page, first and repeat visit, as a real host serves it.

The built site is served on 127.0.0.1 with gzip and cache headers (as GitHub Pages or
nginx would), Chromium loads every page in a fresh profile (first visit) and again after a
visit to the home page (repeat visit), and the bytes actually transferred are summed from
the browser's own accounting. When the `lighthouse` npm package and Chromium are present,
module pages also get Lighthouse scores (desktop preset; mobile performance as the median
of three runs).
"""

from __future__ import annotations

import gzip
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts import pdf

if TYPE_CHECKING:
    from playwright.sync_api import Request

TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
BUDGET_FIRST_VISIT = 150_000
"""Bytes transferred on a first visit of a module page (issue budget)."""
BUDGET_HTML = 70_000
"""Gzipped bytes of one HTML page. It was 30 KB until every citation carried the words of its
source inside the page (December 2026: 1,900 passages, 12-20 KB gzipped on a module page), so
that a tap shows them at once, offline too; module pages then weighed 36-48 KB. The knowledge
checks, with their answer keys inside the page so that they work offline and print, brought
module pages to 45-64 KB. The first-visit budget above, which is what a reader on a phone
pays, is unchanged."""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text and long caching for hashed assets."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in TEXT_TYPES and path.exists() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header(
                "Cache-Control", "public, max-age=600" if path.suffix == ".html" else "public, max-age=31536000"
            )
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, *args: object) -> None:
        return


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        return


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` with gzip on a free port of 127.0.0.1; yield the base URL."""
    handler = partial(GzipHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def page_urls(site_dir: Path) -> list[str]:
    """Site-relative URLs of every real page (no redirect stubs, no 404)."""
    urls = []
    for html in sorted(site_dir.rglob("index.html")):
        data = html.read_bytes()
        if len(data) < 4000 and b"refresh" in data:
            continue
        urls.append(html.parent.relative_to(site_dir).as_posix().removeprefix("."))
    return sorted(u + "/" if u else "" for u in urls)


def measure_weights(base: str, urls: list[str]) -> list[dict[str, int | str]]:
    """Bytes transferred per page on a first and a repeat visit (browser accounting)."""
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, int | str]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pdf.chromium_path(), args=pdf.CHROMIUM_ARGS)
        try:
            for url in urls:
                context = browser.new_context()
                page = context.new_page()
                finished: list[Request] = []
                page.on("requestfinished", _collector(finished))
                page.goto(base + url, wait_until="networkidle")
                first = sum(_transferred(r) for r in finished)
                html = next((r.sizes()["responseBodySize"] for r in finished if r.url == base + url), 0)
                finished.clear()
                page.goto(base + url, wait_until="networkidle")
                repeat = sum(_transferred(r) for r in finished)
                rows.append({"page": url or "/", "first": first, "repeat": repeat, "html": html})
                context.close()
        finally:
            browser.close()
    return rows


def _collector(into: list[Request]) -> Callable[[Request], None]:
    def collect(request: Request) -> None:
        into.append(request)

    return collect


def _transferred(request: Request) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])


CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "lighthouse"
"""Installed by `npm ci` from package.json (`make test` and `.ci/run` do it when npm is present)."""


@dataclass(frozen=True)
class LighthouseReport:
    """Category scores (0-100) and the audits that cost points, as `category: id (title)`."""

    scores: dict[str, int]
    failing: list[str]


def lighthouse_available() -> bool:
    """True when both the `lighthouse` npm package and Chromium are installed."""
    return LIGHTHOUSE.exists() and pdf.chromium_path() is not None


def lighthouse(
    url: str, preset: str | None = "desktop", categories: tuple[str, ...] = CATEGORIES
) -> LighthouseReport | None:
    """Run Lighthouse on `url` in Debian's Chromium; `None` when it is missing or fails."""
    chromium = pdf.chromium_path()
    if not LIGHTHOUSE.exists() or chromium is None:
        return None
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
               f"--only-categories={','.join(categories)}", f"--chrome-flags={' '.join(pdf.CHROMIUM_ARGS)}"]  # fmt: skip
    if preset:
        command.append(f"--preset={preset}")
    env = {"CHROME_PATH": chromium, "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": tempfile.gettempdir()}
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=300)
        report = json.loads(result.stdout) if result.returncode == 0 else None
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        report = None
    return None if report is None else summarise(report)


def summarise(report: dict[str, Any]) -> LighthouseReport:
    """Scores and point-costing audits from a Lighthouse JSON report."""
    audits: dict[str, dict[str, Any]] = report["audits"]
    scores, failing = {}, []
    for name, category in report["categories"].items():
        scores[name] = round(100 * float(category["score"] or 0))
        for ref in category["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and float(audit["score"]) < 1:
                failing.append(f"{name}: {ref['id']} ({audit.get('title', '')})")
    return LighthouseReport(scores, failing)


def _performance(report: LighthouseReport | None) -> int:
    return report.scores.get("performance", 0) if report else 0


def main() -> int:
    """Build the site, serve it with gzip, print weights and (when available) Lighthouse."""
    if not pdf.available():
        print("bench-web needs Chromium and Playwright: apt-get install chromium; make venv", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix=".site-bench-", dir=".") as folder:
        site = Path(folder)
        build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], capture_output=True, text=True, check=False,
                               env={"COURSE_PDF": "0", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "PATH": "/usr/bin:/bin"})  # fmt: skip
        if build.returncode != 0:
            print(build.stderr[-3000:], file=sys.stderr)
            return 1
        with serve(site) as base:
            rows = measure_weights(base, page_urls(site))
            print(f"{'page':<42} {'first KB':>9} {'repeat KB':>10} {'HTML KB':>8}")
            for row in rows:
                print(
                    f"{row['page']!s:<42} {int(row['first']) / 1000:>9.1f} {int(row['repeat']) / 1000:>10.1f} {int(row['html']) / 1000:>8.1f}"
                )
            worst = max(rows, key=lambda r: int(r["first"]))
            print(f"budgets: first visit <= {BUDGET_FIRST_VISIT / 1000:.0f} KB (worst {int(worst['first']) / 1000:.1f} KB, {worst['page']}); "
                  f"HTML <= {BUDGET_HTML / 1000:.0f} KB gz (worst {max(int(r['html']) for r in rows) / 1000:.1f} KB)")  # fmt: skip
            modules = [str(r["page"]) for r in rows if str(r["page"]).startswith("modules/m")]
            if not lighthouse_available():
                print("Lighthouse: not installed (npm ci installs it from package.json)")
                return 0
            print(
                f"{'module page':<42} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'mobile perf (median of 3)':>26}"
            )
            for url in modules:
                desktop = lighthouse(base + url, "desktop")
                scores = desktop.scores if desktop else {}
                mobile = [_performance(lighthouse(base + url, None, ("performance",))) for _ in range(3)]
                print(f"{url:<42} {scores.get('performance', 0):>5} {scores.get('accessibility', 0):>5} "
                      f"{scores.get('best-practices', 0):>5} {scores.get('seo', 0):>5} {statistics.median(mobile):>26}")  # fmt: skip
                for audit in desktop.failing if desktop else ["Lighthouse failed on this page"]:
                    print(f"    {audit}")
    return 0
