"""Editions: every published edition stays readable, frozen, under `/editions/<id>/`.

`editions.yml` (beside `mkdocs.yml`) lists the editions, oldest first. The last one is the
current edition: its `id` is `extra.course.edition`, it has no `commit`, and the site root
shows it. Every earlier edition names the commit it was published from; `make publish`
builds that commit in a temporary git worktree (its own `mkdocs.yml` and `scripts/`, this
machine's pinned packages, the commit's date as `SOURCE_DATE_EPOCH`), so an archived edition
is the same bytes every time it is built (a test builds one twice and compares). The current
edition is also built into its folder, so its frozen address works from the day it appears.

Every page of an edition folder gets a notice ([`add_notice`][scripts.editions.add_notice]):
which edition, its dates, and a link to the same page in the current edition. On the current
site, each heading's link button offers both addresses
([`edition_links`][scripts.editions.edition_links]): the current one and the frozen one.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts import privacy
from scripts.diagnostics import Diagnostic

FILE_NAME = "editions.yml"
FOLDER = "editions"
_ID = re.compile(r"^\d{4}\.\d{2}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
ARTICLE = '<article class="md-content__inner md-typeset">'
"""Where Material's page content starts: the notice goes right after it."""


@dataclass(frozen=True)
class Edition:
    """One edition.

    Attributes:
        id: `2026.11` (year and month of publication).
        published: Date it was published.
        superseded: Date the next edition replaced it (None for the current edition).
        commit: Full hash of the commit it was published from (None for the current edition).
        summary: What the edition brought, one or two sentences.
        errata: Known problems of an archived edition, fixed later, shown in its notice (an
            archive is kept as it was published, defects included, so readers are told).
    """

    id: str
    published: dt.date
    superseded: dt.date | None
    commit: str | None
    summary: str
    errata: str = ""

    @property
    def current(self) -> bool:
        """The edition the site root shows."""
        return self.commit is None


def format_date(day: dt.date) -> str:
    """`1 December 2026`."""
    return f"{day.day} {day:%B %Y}"


def _line(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return 1


def load_editions(path: Path, display: str, current_id: str) -> tuple[list[Edition], list[Diagnostic]]:
    """Read and validate `editions.yml` (EDN001): ids in order and unique, every archived
    edition with a commit and the date it was superseded, the last one current and equal to
    `extra.course.edition`."""
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = yaml.safe_load(text)
    except OSError as error:
        return [], [Diagnostic(display, 1, 1, "EDN001", f"cannot read the editions file: {error}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Diagnostic(display, (mark.line + 1) if mark else 1, 1, "EDN001", f"invalid YAML: {error}")]
    raw = data.get("editions") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        return [], [Diagnostic(display, 1, 1, "EDN001", "expected a mapping with a non-empty list 'editions'")]
    editions: list[Edition] = []
    problems: list[Diagnostic] = []
    for index, entry in enumerate(raw):
        ident = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        line = _line(text, f'id: "{ident}"') if ident else 1

        def problem(message: str, line: int = line) -> None:
            problems.append(Diagnostic(display, line, 1, "EDN001", message))

        if not isinstance(entry, dict) or not _ID.match(ident):
            problem(f"edition {index + 1}: 'id' must be a quoted year.month such as \"2026.11\"")
            continue
        last = index == len(raw) - 1
        commit = entry.get("commit")
        published, superseded = entry.get("published"), entry.get("superseded")
        if not isinstance(published, dt.date) or (superseded is not None and not isinstance(superseded, dt.date)):
            problem(f"edition {ident}: 'published' (and 'superseded') must be dates, YYYY-MM-DD")
            continue
        if last and (commit is not None or superseded is not None):
            problem(f"edition {ident}: the last edition is the current one: no 'commit', no 'superseded'")
        if not last and (not isinstance(commit, str) or not _COMMIT.match(commit) or superseded is None):
            problem(f"edition {ident}: an archived edition needs the full 40-character 'commit' and 'superseded'")
        if editions and ident <= editions[-1].id:
            problem(f"edition {ident}: editions are listed oldest first, each id once")
        summary = str(entry.get("summary") or "").strip()
        if not summary:
            problem(f"edition {ident}: give a one-line 'summary' of what it brought")
        errata = str(entry.get("errata") or "").strip()
        if last and errata:
            problem(f"edition {ident}: the current edition has no errata: fix the problem instead")
        editions.append(
            Edition(ident, published, superseded, commit if isinstance(commit, str) else None, summary, errata)
        )
    if editions and not problems and editions[-1].id != current_id:
        problems.append(
            Diagnostic(
                display,
                _line(text, editions[-1].id),
                1,
                "EDN001",
                f"the current edition is '{editions[-1].id}' here but '{current_id}' in mkdocs.yml (extra.course.edition): make them agree",
            )
        )
    return editions, problems


# --- Heading links on the current site -----------------------------------------------------------

_HEADERLINK = re.compile(r'<a class="headerlink" href="#(?P<id>[^"]+)" title="(?P<title>[^"]*)">(?P<text>[^<]*)</a>')


def edition_links(content: str, frozen_page_url: str, edition: str) -> str:
    """After each heading's link button (Python-Markdown's `toc` permalink), a second one to
    the same section in the frozen edition. Its class is exactly `headerlink`, which
    Material's search leaves out of section titles; `data-edition` tells the two apart."""

    def add(match: re.Match[str]) -> str:
        anchor = match.group("id")
        href = html.escape(f"{frozen_page_url}#{anchor}", quote=True)
        current = (
            f'<a class="headerlink" href="#{anchor}" title="Link to this section (current edition: may change)">'
            f"{match.group('text')}</a>"
        )
        frozen = (
            f'<a class="headerlink" data-edition="{edition}" href="{href}" '
            f'title="Link to this section in edition {edition} (frozen: never changes)">{edition}</a>'
        )
        return current + frozen

    return _HEADERLINK.sub(add, content)


# --- Edition folders --------------------------------------------------------------------------------


def notice(edition: Edition, current: Edition, current_url: str) -> str:
    """The notice at the top of every page of an edition folder."""
    if edition.current:
        dates = f"published {format_date(edition.published)}; it is the current edition"
        state = "the current edition"
    else:
        assert edition.superseded is not None
        dates = f"published {format_date(edition.published)}, replaced by edition {current.id} on {format_date(edition.superseded)}"
        state = "archived"
    link = html.escape(current_url, quote=True)
    errata = (
        f"<p><strong>Known problems in this edition:</strong> {html.escape(edition.errata)}</p>"
        if edition.errata
        else ""
    )
    return (
        f'<div class="admonition info edition-notice" role="note"><p class="admonition-title">Edition {edition.id} ({state})</p>'
        f"<p>You are reading edition {edition.id} of the course ({dates}). Its pages stay at this address, "
        "unchanged, so that a link to them always shows the same text. "
        f'<a class="edition-current" href="{link}">Read this page in the current edition</a>.</p>{errata}'
        "<script>(function(a){function u(){a.hash=location.hash}u();addEventListener('hashchange',u)})"
        "(document.currentScript.parentNode.querySelector('a.edition-current'))</script></div>"
    )


def add_notice(
    folder: Path, edition: Edition, current: Edition, current_base: str, current_pages: set[str]
) -> list[str]:
    """Put the notice on every HTML page of an edition's folder; return the pages where
    Material's article was not found (the notice could not be placed)."""
    missed = []
    for page in sorted(folder.rglob("*.html")):
        url = page.relative_to(folder).as_posix().removesuffix("index.html")
        text = page.read_text(encoding="utf-8")
        if ARTICLE not in text:
            if 'http-equiv="refresh"' not in text and page.name != "404.html":
                missed.append(url or "index.html")
            continue
        target = current_base + (url if url in current_pages else "")
        page.write_text(text.replace(ARTICLE, ARTICLE + notice(edition, current, target), 1), encoding="utf-8")
    return missed


def commit_time(root: Path, commit: str) -> str | None:
    """The commit's time (seconds since the epoch), or None if this clone lacks the commit."""
    result = subprocess.run(
        ["git", "-C", str(root), "show", "-s", "--format=%ct", commit], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def build_commit(root: Path, commit: str, target: Path, site_url: str) -> str | None:
    """Build the site as it was at `commit` into `target`; return an error message or None.

    The commit is checked out in a temporary worktree; its own `scripts/` is imported first
    (PYTHONPATH), PDFs and downloads are left out, and `SOURCE_DATE_EPOCH` is the commit's
    time, so two builds of one commit give the same bytes.
    """
    epoch = commit_time(root, commit)
    if epoch is None:
        return f"commit {commit[:12]} is not in this clone (a shallow clone? run `git fetch --unshallow`)"
    with tempfile.TemporaryDirectory(prefix=".edition-") as scratch:
        tree = Path(scratch) / "tree"
        added = subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", "--quiet", str(tree), commit],
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            return f"cannot check out {commit[:12]}: {added.stderr.strip()}"
        try:
            extra = {"PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": epoch}
            error = _build(tree / "mkdocs.yml", target, site_url, extra)
            if error:
                return f"the build of {commit[:12]} failed: {error}"
        finally:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], capture_output=True, check=False
            )
    return None


def _build(config_file: Path, target: Path, site_url: str, extra: dict[str, str] | None = None) -> str | None:
    """`mkdocs build --strict` for an edition folder (no PDFs, no downloads); the error or None."""
    env = os.environ | {
        "SITE_URL": site_url,
        "COURSE_PDF": "0",
        "COURSE_DOWNLOADS": "0",
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        **(extra or {}),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(target)]
    built = subprocess.run(command, cwd=config_file.parent, env=env, capture_output=True, text=True, check=False)
    return None if built.returncode == 0 else built.stderr.strip()[-600:]


def build_current(config_file: Path, target: Path, site_url: str) -> str | None:
    """Build the working tree's site (the current edition) for its frozen address."""
    error = _build(config_file, target, site_url)
    return f"the build of the current edition failed: {error}" if error else None


def build_editions(
    root: Path, config_file: Path, site_dir: Path, editions: list[Edition], editions_url: str, cache: Path | None = None
) -> list[str]:
    """Build every edition into `site_dir/editions/<id>/` with its notice; return problems.

    An archived edition's build is kept in `cache` (by commit) and copied from there next
    time: it never changes, so it is never rebuilt differently.
    """
    root, config_file, site_dir = root.resolve(), config_file.resolve(), site_dir.resolve()
    cache = cache.resolve() if cache is not None else None
    current = editions[-1]
    pages = {
        p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith(f"{FOLDER}/")
    }
    current_base = editions_url.removesuffix("/").rsplit("/", 1)[0] + "/"
    problems = []
    for edition in editions:
        target = site_dir / FOLDER / edition.id
        url = f"{editions_url}{edition.id}/"
        if edition.commit is None:
            error = build_current(config_file, target, url)
        else:
            cached = cache / edition.commit if cache else None
            if cached is not None and cached.is_dir():
                shutil.copytree(cached, target)
                error = None
            else:
                error = build_commit(root, edition.commit, target, url)
                if error is None and cached is not None:
                    shutil.copytree(target, cached)
        if error:
            problems.append(f"edition {edition.id}: {error}")
            continue
        missed = add_notice(target, edition, current, current_base, pages)
        problems.extend(f"edition {edition.id}: no place for the notice on '{m}'" for m in missed)
        # An edition folder is published like the root: nothing may load from another origin.
        problems.extend(
            f"edition {edition.id}: {asset.file} loads '{asset.url}' from another origin"
            for asset in privacy.scan_site(target)
        )
    return problems
