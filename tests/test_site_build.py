"""The site builds strictly, fails on broken links and anchors, and has a ProperDocs exit."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, mkdocs_build, run, write_site

pytestmark = pytest.mark.build


def test_real_site_builds_strict_without_any_warning(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    api = (tmp_path / "site" / "maintainers" / "api" / "check" / "index.html").read_text(encoding="utf-8")
    assert "doc-object" in api, "the published build renders the API reference"


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


def test_make_serve_checks_then_serves_a_page(tmp_path: Path) -> None:
    """The README's first command: `make serve` answers on 127.0.0.1 with the site."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        body = ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/modules/", timeout=2) as reply:
                    body = reply.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert "<h1" in body and "Modules" in body, (tmp_path / "serve.log").read_text()[-2000:]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()


def test_preview_build_leaves_out_the_api_reference_and_keeps_the_course(tmp_path: Path) -> None:
    """What `make serve` builds (COURSE_API=false, COURSE_GIT_DATES=false): strict, fast, with
    one note where the docstrings would be; the published build keeps them (test above)."""
    env = {"COURSE_API": "false", "COURSE_GIT_DATES": "false"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path)]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=os.environ | env | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "COURSE_PDF": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    api = (tmp_path / "maintainers" / "api" / "check" / "index.html").read_text(encoding="utf-8")
    assert api.count("API reference left out of this preview") == 1
    assert "doc-object" not in api and ":::" not in api
    module = (tmp_path / "modules" / "m3-anonymity" / "index.html").read_text(encoding="utf-8")
    assert 'class="citation"' in module
