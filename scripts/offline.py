"""`make offline`: a zip of the whole site that works from `file://`, search included.

Material's offline plugin (enabled with `OFFLINE=true`) switches to `.html` URLs and inlines
the search index; the hooks swap its CDN polyfill for a vendored copy, so the copy makes no
network request at all. The build goes through the same check as `make publish`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts import privacy
from scripts.check import Project

ZIP_NAME = "shared-tools-different-motives-offline.zip"
"""File name of the offline copy in `dist/`."""


def build_offline_site(project: Project, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Strict build with the offline plugin enabled into `site_dir`."""
    return _offline_build(project.config_file, site_dir)


def _offline_build(config_file: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=config_file.parent, check=False)


class OfflineBuildError(RuntimeError):
    """The offline copy could not be built, or it would load something from another origin."""


def zip_offline_build(config_file: Path, target: Path) -> None:
    """Build the offline copy and zip it into `target` (the Downloads page's copy).

    Raises:
        OfflineBuildError: the build failed or the copy loads a third-party asset; the
            message names the first problem (the main build then fails with it).
    """
    with tempfile.TemporaryDirectory(prefix=".site-offline-", dir=config_file.parent) as folder:
        site_dir = Path(folder)
        result = _offline_build(config_file, site_dir)
        if result.returncode != 0:
            raise OfflineBuildError(f"the offline build failed: {result.stderr.strip()[-800:]}")
        external = privacy.scan_site(site_dir)
        if external:
            raise OfflineBuildError(
                f"the offline copy loads '{external[0].url}' from another origin ({external[0].file})"
            )
        zip_site(site_dir, target)


def zip_site(site_dir: Path, target: Path) -> None:
    """Zip `site_dir` into `target`, with one top folder so it unpacks tidily."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file():
                archive.write(path, Path("shared-tools-different-motives") / path.relative_to(site_dir))
    partial.replace(target)


def build_offline(project: Project) -> int:
    """Build, verify (no external asset) and zip the offline copy into `dist/`."""
    with tempfile.TemporaryDirectory(prefix=".site-offline-", dir=project.root) as folder:
        site_dir = Path(folder)
        result = build_offline_site(project, site_dir)
        if result.returncode != 0:
            print(result.stderr[-4000:], file=sys.stderr)
            print("offline build failed: dist/ is unchanged", file=sys.stderr)
            return 1
        external = privacy.scan_site(site_dir)
        if external:
            for asset in external:
                print(f"{asset.file}:1:1: PRV001 loads '{asset.url}' from another origin", file=sys.stderr)
            return 1
        target = project.root / "dist" / ZIP_NAME
        zip_site(site_dir, target)
        shutil.rmtree(site_dir, ignore_errors=True)
    print(f"offline copy: {project.display(target)} ({target.stat().st_size / 1e6:.1f} MB); unzip and open index.html")
    return 0
