"""Handouts: one PDF per module, printed by headless Chromium at build time.

When Playwright (a development dependency) and Debian's Chromium are both present, the
build prints every module page with the print style sheet (no navigation, URLs after
links, self-check answers open) to `modules/<folder>/<folder>.pdf`, and the module page
links it. Without them the build simply makes no PDFs and shows no link.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Flags that keep Chromium quiet and off the network."""


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def available() -> bool:
    """True when PDFs can be printed here (Chromium and Playwright), unless COURSE_PDF=0."""
    if os.environ.get("COURSE_PDF", "1") == "0" or chromium_path() is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_name(module_url: str) -> str:
    """`modules/m3-anonymity/` -> `m3-anonymity.pdf` (stored beside the page)."""
    return module_url.rstrip("/").rsplit("/", 1)[-1] + ".pdf"


def print_pages(site_dir: Path, module_urls: list[str]) -> list[Path]:
    """Print each module page of a built site to a PDF beside it; return the files written."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for url in module_urls:
                html = site_dir / url / "index.html"
                if not html.exists():
                    continue
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
                target = site_dir / url / pdf_name(url)
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=False,
                    margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                )
                written.append(target)
        finally:
            browser.close()
    return written
