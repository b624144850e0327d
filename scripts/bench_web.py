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
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scripts import pdf

if TYPE_CHECKING:
    from playwright.sync_api import Request

TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
BUDGET_FIRST_VISIT = 150_000
"""Bytes transferred on a first visit of a module page (issue budget)."""
BUDGET_HTML = 30_000
"""Gzipped bytes of one HTML page (issue budget)."""


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
    return [u + "/" if u else "" for u in urls]


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


def lighthouse(url: str, preset: str | None) -> dict[str, float] | None:
    """Lighthouse category scores for `url`, or `None` when Lighthouse is not installed."""
    npx = shutil.which("npx")
    if npx is None or pdf.chromium_path() is None:
        return None
    flags = " ".join(pdf.CHROMIUM_ARGS)
    command = [npx, "--no-install", "lighthouse", url, "--quiet", "--output=json", "--output-path=stdout",
               "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={flags}"]  # fmt: skip
    if preset:
        command.append(f"--preset={preset}")
    env = {"CHROME_PATH": pdf.chromium_path() or "", "PATH": str(Path(npx).parent) + ":/usr/bin:/bin"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=180)
    if result.returncode != 0:
        return None
    categories = json.loads(result.stdout)["categories"]
    return {name: round(100 * float(c["score"] or 0)) for name, c in categories.items()}


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
            if lighthouse(base, "desktop") is None:
                print("Lighthouse: not installed (npm install lighthouse@12 for scores)")
                return 0
            print(
                f"{'module page':<42} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'mobile perf (median of 3)':>26}"
            )
            for url in modules:
                desktop = lighthouse(base + url, "desktop") or {}
                mobile = [(lighthouse(base + url, None) or {}).get("performance", 0.0) for _ in range(3)]
                print(f"{url:<42} {desktop.get('performance', 0):>5} {desktop.get('accessibility', 0):>5} "
                      f"{desktop.get('best-practices', 0):>5} {desktop.get('seo', 0):>5} {statistics.median(mobile):>26}")  # fmt: skip
    return 0
