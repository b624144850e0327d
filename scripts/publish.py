"""Publishing: build into a fresh folder, then swap it into `site/` only on success.

The last good build is never destroyed: a failed check or build leaves `site/` untouched,
and the swap is two renames on one file system, rolled back if the second fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from scripts import editions
from scripts.diagnostics import Diagnostic

if TYPE_CHECKING:
    from scripts.check import Project


def new_site_dir(root: Path) -> Path:
    """A fresh, empty folder beside `site/` (same file system, so renames are atomic)."""
    return Path(tempfile.mkdtemp(prefix=".site-new-", dir=root))


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` with `new`; on failure `target` is restored as it was."""
    old = target.with_name(f".site-old-{new.name}")
    had_target = target.exists()
    if had_target:
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if had_target:
            old.rename(target)
        raise
    if had_target:
        shutil.rmtree(old, ignore_errors=True)


def discard(folder: Path) -> None:
    """Remove a build folder that will not be published."""
    shutil.rmtree(folder, ignore_errors=True)


def build_editions(project: Project, site_dir: Path) -> list[Diagnostic]:
    """Every edition of `editions.yml` into `site_dir/editions/<id>/` (EDN001, EDN002).

    Archived editions are kept in `.cache/editions/<commit>/` once built; set
    `COURSE_EDITIONS=0` to skip this step (a quick local publish).
    """
    if os.environ.get("COURSE_EDITIONS", "1") == "0":
        return []
    course = (project.config.get("extra") or {}).get("course") or {}
    file = project.root / editions.FILE_NAME
    if not file.exists():
        return []  # a site without editions.yml publishes its root only
    display = project.display(file)
    listed, problems = editions.load_editions(file, display, str(course.get("edition", "")))
    if problems:
        return problems
    url = str(course.get("editions_url") or "")
    if not url.startswith("https://") or not url.endswith("/"):
        return [
            Diagnostic(
                project.display(project.config_file),
                1,
                1,
                "EDN001",
                "extra.course.editions_url must be an https address ending in /",
            )
        ]
    cache = project.root / ".cache" / "editions"
    cache.mkdir(parents=True, exist_ok=True)
    failed = editions.build_editions(project.root, project.config_file, site_dir, listed, url, cache)
    return [Diagnostic(display, 1, 1, "EDN002", message) for message in failed]
