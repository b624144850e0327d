"""Bounded time and a named culprit: symbolic links that loop or leave docs/ (FIL002) and
paragraphs Markdown reads in quadratic time (FIL003) are refused before building; a build
that runs out of time (BLD004) names the page it was rendering."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts import check
from tests.conftest import ENV, write_site

CLEAN = {"index.md": "# Home\n\nSee [About](about.md) [@known2016].\n", "about.md": "# About\n\n[Home](index.md).\n"}


def _timed(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[str], float]:
    """Run `python -m scripts check` and time it."""
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "scripts", "check", *args],
        cwd=tmp_path,
        env=ENV | {"COURSE_PDF": "0"} | (env or {}),
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout.splitlines(), time.monotonic() - start


@pytest.mark.build
def test_fil002_a_symlink_loop_is_refused_in_seconds(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    (tmp_path / "docs" / "sub").mkdir()
    (tmp_path / "docs" / "sub" / "loop").symlink_to("..")
    status, lines, seconds = _timed(tmp_path)
    assert status == 1
    assert (
        lines[0]
        == "docs/sub/loop:1:1: FIL002 symbolic link loops back to a folder that contains it: replace it with the file itself"
    )
    assert seconds < 60


@pytest.mark.build
def test_fil002_a_symlink_out_of_docs_is_refused(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    (tmp_path / "secret.md").write_text("# Not the course\n", encoding="utf-8")
    (tmp_path / "docs" / "secret.md").symlink_to(tmp_path / "secret.md")
    status, lines, _ = _timed(tmp_path, "--no-build")
    assert status == 1
    assert "docs/secret.md:1:1: FIL002 symbolic link leads outside docs/: replace it with the file itself" in lines


def test_a_symlink_inside_docs_is_fine(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    (tmp_path / "docs" / "same.md").symlink_to("about.md")
    assert check.check_docs_tree(check.load_project(tmp_path / "mkdocs.yml")) == []


@pytest.mark.build
def test_fil003_a_pathological_line_is_refused_before_building(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN | {"about.md": "# About\n\n[Home](index.md).\n\n" + "[" * 50_000 + "\n"})
    status, lines, seconds = _timed(tmp_path)
    assert status == 1
    assert lines[0].startswith("docs/about.md:5:1: FIL003 50,000 '[' in one paragraph (limit 500)")
    assert seconds < 60


def test_fil003_500_brackets_are_accepted(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN | {"about.md": "# About\n\n" + "[x] " * 250 + "\n\n" + "[y] " * 250 + "\n"})
    found, _ = check.source_stage(check.load_project(tmp_path / "mkdocs.yml"))
    assert [d for d in found if d.code == "FIL003"] == []


SLOW_HOOK = """\
import time

def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri == "slow.md":
        time.sleep(60)
    return markdown
"""


@pytest.mark.build
def test_bld004_a_build_out_of_time_names_the_page(tmp_path: Path) -> None:
    (tmp_path / "slow_hook.py").write_text(SLOW_HOOK, encoding="utf-8")
    config = write_site(tmp_path, CLEAN | {"slow.md": "# Slow\n\n[Home](index.md).\n"})
    text = config.read_text(encoding="utf-8").replace("hooks:\n", f"hooks:\n- {tmp_path / 'slow_hook.py'}\n")
    config.write_text(text + "nav: [index.md, about.md, slow.md]\n", encoding="utf-8")
    status, lines, seconds = _timed(tmp_path, env={"COURSE_BUILD_TIMEOUT": "8"})
    assert status == 1
    assert lines[0].startswith(
        "docs/slow.md:1:1: BLD004 the build took longer than 8 s and was stopped while rendering this page"
    )
    assert seconds < 40
