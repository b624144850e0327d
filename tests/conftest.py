"""Shared fixtures: tiny sites built from dicts, the real site built once, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
import yaml

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

MINIMAL_BIB = textwrap.dedent(
    """\
    @online{known2016,
      author = {{Example Org}},
      title = {A known source},
      year = {2016},
      publisher = {Example Org},
      url = {https://example.org/known},
    }
    """
)


def write_site(
    root: Path, pages: dict[str, str], config: dict[str, object] | None = None, bib: str = MINIMAL_BIB
) -> Path:
    """Write a tiny course site (mkdocs.yml, docs/, references.bib) and return its config path."""
    docs = root / "docs"
    for name, text in pages.items():
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    (docs / "references.bib").write_text(bib, encoding="utf-8")
    settings: dict[str, object] = {
        "site_name": "Fixture",
        "site_url": "https://example.org/course/",
        "theme": {"name": "material", "font": False},
        "hooks": [str(ROOT / "scripts" / "hooks.py")],
        "markdown_extensions": [
            "attr_list",
            "admonition",
            "pymdownx.details",
            {"toc": {"permalink": True}},
            "md_in_html",
            "abbr",
            "tables",
        ],
        "plugins": ["search"],
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
    }
    settings |= config or {}
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, *, pdf: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a command with the banners silenced, capturing text output.

    PDF handouts are printed only when `pdf` is set: they cost seconds per build.
    """
    env = ENV | {"COURSE_PDF": "1" if pdf else "0"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m scripts ...` in `cwd`."""
    return run([sys.executable, "-m", "scripts", *args], cwd)


def mkdocs_build(config: Path, site: Path, *, pdf: bool = False) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` (never with -q: it would hide the failure)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    return run(command, config.parent, pdf=pdf)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real course site, built strictly once per test worker."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site, pdf=True)
    assert result.returncode == 0, result.stderr[-3000:]
    yield site


def missing_tool(reason: str, *, module: bool = False) -> NoReturn:
    """Skip a test (or, with `module`, a test module) that needs a tool this machine lacks;
    fail instead when `CI` is set, because `.ci/run` installs every tool the tests use."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} [CI is set, so this fails instead of skipping]", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """One headless Debian Chromium per test worker, shared by every browser test.

    Playwright's sync API runs one event loop per thread, so a second `sync_playwright()`
    in the same worker fails: every test module takes its browser from here.
    """
    from playwright.sync_api import sync_playwright

    from scripts import pdf

    if not pdf.available():
        missing_tool("Chromium not found: apt-get install chromium (CI installs it via .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pdf.chromium_path(), args=pdf.CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
