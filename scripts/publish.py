"""Publishing: build into a fresh folder, then swap it into `site/` only on success.

The last good build is never destroyed: a failed check or build leaves `site/` untouched,
and the swap is two renames on one file system, rolled back if the second fails.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


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
