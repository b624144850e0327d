"""The site builds strictly, fails on broken links and anchors, and has a ProperDocs exit."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, mkdocs_build, run, write_site

pytestmark = pytest.mark.build


def test_real_site_builds_strict_without_any_warning(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr
    assert (tmp_path / "site" / "index.html").exists()


def test_fixture_site_with_good_links_builds(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {
            "index.md": "# Home\n\n[About](about.md#team)\n",
            "about.md": "# About\n\n## Team { #team }\n\n[Home](index.md)\n",
        },
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr


def test_broken_internal_link_fails_the_build(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n\n[Missing](missing.md)\n"})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert "missing.md" in result.stderr


def test_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    config = write_site(
        tmp_path, {"index.md": "# Home\n\n[About](about.md#nowhere)\n", "about.md": "# About\n\n## Team { #team }\n"}
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert "nowhere" in result.stderr


def test_unknown_citation_key_fails_the_build(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n\nA claim [@nosuchkey2016].\n"})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert "docs/index.md:3:9: CIT001 unknown citation key 'nosuchkey2016'" in result.stderr


@pytest.mark.skipif(
    shutil.which("properdocs", path=str(Path(sys.executable).parent)) is None, reason="properdocs not installed"
)
def test_properdocs_builds_the_same_config(tmp_path: Path) -> None:
    properdocs = str(Path(sys.executable).parent / "properdocs")
    result = run([properdocs, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")], ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "modules" / "index.html").exists()
