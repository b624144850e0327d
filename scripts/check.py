"""The pre-publish check: extract -> resolve -> report.

Two stages. The **source stage** reads every page, the bibliography, the glossary and
`mkdocs.yml` and applies the rules that need no build: citations, citation coverage, front
matter, external links, content policy. The **site stage** runs `mkdocs build --strict`
(MkDocs' own link validation) into a temporary folder and reads the built HTML for what
MkDocs cannot see: raw-HTML links, anchors made by hooks, orphan pages, the URL lock.
One bad file never stops the others from being checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scripts import (
    anatomy,
    bibliography,
    citations,
    evidence,
    glossary,
    links,
    modules,
    policy,
    privacy,
    quiz,
    rendered,
    urllock,
)
from scripts.diagnostics import Diagnostic, Severity
from scripts.markdown_source import NO_CITE, SourcePage, iter_blocks, mask_code, mask_comments, read_page

COVERED_SECTIONS = frozenset({"key-issues", "case-study"})
"""Module sections in which every factual block must cite a source."""
MIN_WORDS = 10
"""Blocks shorter than this are not held to the citation rule."""
_MKDOCS_LINE = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(.*)$")
_OUR_LINE = re.compile(r"^\S+:\d+:\d+: [A-Z]{3}\d{3} ")
_DOC_LINK = re.compile(r"Doc file '(?P<file>[^']+)' contains [^']*link '(?P<link>[^']+)'")
_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


class ConfigError(Exception):
    """The check cannot run: exit status 2."""


@dataclass
class Project:
    """Where things are, read from `mkdocs.yml`."""

    root: Path
    config_file: Path
    docs_dir: Path
    nav: list[Any]
    not_in_nav: str
    redirects: dict[str, str]
    lock_file: Path
    config: dict[str, Any] = field(default_factory=dict)

    def required(self, name: str) -> bool:
        """Whether `mkdocs.yml` sets `extra.course.<name>: required`."""
        course = (self.config.get("extra") or {}).get("course") or {}
        return isinstance(course, dict) and course.get(name) == "required"

    @property
    def assessment_required(self) -> bool:
        """`extra.course.assessment: required`: every module has the E4J parts (MOD001-MOD004)."""
        return self.required("assessment")

    @property
    def evidence_required(self) -> bool:
        """`extra.course.evidence: required`: every citation needs evidence (EVD001)."""
        return self.required("evidence")

    def display(self, path: Path) -> str:
        """Path relative to the project root, for diagnostics."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def load_project(config_file: Path) -> Project:
    """Read `mkdocs.yml`; raise [`ConfigError`][scripts.check.ConfigError] when unusable."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except FileNotFoundError as error:
        raise ConfigError(f"{config_file}:1:1: CFG001 configuration file not found") from error
    except Exception as error:
        raise ConfigError(f"{config_file}:1:1: CFG001 cannot read configuration: {error}") from error
    if not isinstance(config, dict):
        raise ConfigError(f"{config_file}:1:1: CFG001 configuration must be a mapping")
    root = config_file.parent
    docs_dir = root / str(config.get("docs_dir", "docs"))
    if not docs_dir.is_dir():
        raise ConfigError(f"{config_file}:1:1: CFG001 docs_dir '{docs_dir}' is not a folder")
    redirects: dict[str, str] = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "redirects" in plugin:
            redirects = dict((plugin["redirects"] or {}).get("redirect_maps") or {})
    return Project(
        root=root,
        config_file=config_file,
        docs_dir=docs_dir,
        nav=list(config.get("nav") or []),
        not_in_nav=str(config.get("not_in_nav") or ""),
        redirects=redirects,
        lock_file=root / "urls.lock",
        config=config,
    )


# --- Source stage -------------------------------------------------------------------------


@dataclass
class Sources:
    """What the source stage read, for the site stage."""

    pages: dict[str, SourcePage] = field(default_factory=dict)
    cited: set[str] = field(default_factory=set)
    external: list[tuple[str, str, int, int]] = field(default_factory=list)
    """Every external URL with the place that uses it: (url, path, line, col)."""


def check_page(
    page: SourcePage,
    keys: frozenset[str],
    denylist: policy.Denylist,
    external: list[tuple[str, str, int, int]] | None = None,
    *,
    evidence_required: bool = False,
) -> tuple[list[Diagnostic], set[str]]:
    """Every source rule for one page. Returns the diagnostics and the keys it cites.

    External https URLs found are appended to `external` when given (for `--online`).
    With `evidence_required`, every citation outside the reading lists needs evidence (EVD001).
    """
    found = list(page.problems)
    cited: set[str] = set()
    if page.problems and not page.body:
        return found, cited
    path = page.path
    masked = mask_comments(mask_code(page.body))
    for citation in citations.find_citations(page.body):
        line, col = citations.line_col(page.body, citation.start)
        line += page.body_line - 1
        for item in citation.items:
            cited.add(item.key)
            if item.key not in keys:
                found.append(Diagnostic(path, line, col, "CIT001", f"unknown citation key '{item.key}'"))
        for part in citation.malformed:
            if not part:
                found.append(Diagnostic(path, line, col, "CIT003", "empty citation item: remove the extra ';'"))
                continue
            found.append(
                Diagnostic(
                    path, line, col, "CIT003", f"malformed citation '{part[:40]}': write [@key] or [@key, p. 12]"
                )
            )
    for offset, snippet in citations.find_suspects(page.body):
        line, col = citations.line_col(page.body, offset)
        found.append(
            Diagnostic(
                path,
                line + page.body_line - 1,
                col,
                "CIT003",
                f"'{snippet}' looks like a citation but is not read as one: write [@key] with a plain key",
            )
        )
    if modules.is_module_page(page.src_uri):
        found.extend(modules.validate_front_matter(page.meta, path, page.front))
        found.extend(policy.check_content_note(page.meta, path))
        found.extend(check_coverage(page))
    found.extend(policy.check_quotes(masked, path, page.body_line))
    found.extend(check_slow_lines(page))
    found.extend(evidence.check_evidence(page.body, path, page.body_line, required=evidence_required))
    if not links.may_have_external(masked):
        return found, cited
    for link in links.extract_links(page.body, page.body_line):
        if links.is_external(link.url):
            found.extend(links.check_external(link, path, denylist))
            if external is not None and link.url.startswith("https://"):
                external.append((link.url, path, link.line, link.col))
    return found, cited


MAX_BRACKETS = 500
"""More `[` than this in one paragraph make Python-Markdown's link parser take quadratic
time (5,000 take 4 s, 50,000 several minutes)."""


def check_slow_lines(page: SourcePage) -> list[Diagnostic]:
    """FIL003: paragraphs (runs of non-blank lines) that Python-Markdown would take minutes to read."""
    found = []
    start, count = 0, 0
    lines = page.body.split("\n")
    for number, line in enumerate([*lines, ""]):
        if line.strip():
            if count == 0:
                start = number
            count += line.count("[")
            continue
        if count > MAX_BRACKETS:
            col = lines[start].find("[") + 1 or 1
            found.append(
                Diagnostic(
                    page.path,
                    start + page.body_line,
                    col,
                    "FIL003",
                    f"{count:,} '[' in one paragraph (limit {MAX_BRACKETS}): Markdown would take minutes to read it; "
                    "split it or put it in a code block",
                )
            )
        count = 0
    return found


def check_module_parts(project: Project, page: SourcePage) -> list[Diagnostic]:
    """The knowledge check beside a module page (QIZ001, QIZ002) and, when the course requires
    them, the module's E4J parts (MOD001-MOD004)."""
    found: list[Diagnostic] = []
    file = project.docs_dir / Path(page.src_uri).parent / quiz.FILE_NAME
    if file.is_file():
        loaded, problems = quiz.load_quiz(file, project.display(file))
        found.extend(problems)
        if loaded is not None:
            found.extend(quiz.check_sections(loaded, set(anatomy.anchors(page.body)) | {"outcomes"}))
    if project.assessment_required:
        duration = page.meta.get("duration")
        found.extend(anatomy.check_module(page, duration if isinstance(duration, int) else None, project.docs_dir))
    return found


def check_coverage(page: SourcePage) -> list[Diagnostic]:
    """CIT002: factual blocks of Key issues and Case study sections must cite."""
    found = []
    for block in iter_blocks(page.body, page.body_line):
        if block.section not in COVERED_SECTIONS:
            continue
        words = len(re.findall(r"[A-Za-z0-9][\w'’-]*", block.text))
        if words < MIN_WORDS or NO_CITE.search(block.text) or citations.find_citations(block.text):
            continue
        found.append(
            Diagnostic(
                page.path,
                block.line,
                1,
                "CIT002",
                f"{block.kind.replace('_', ' ')} of {words} words cites no source: add [@key], or end it with {{: .no-cite }} if it states no fact",
            )
        )
    return found


def source_stage(project: Project, progress: Callable[[str], None] | None = None) -> tuple[list[Diagnostic], Sources]:
    """Apply every source rule to every file under `docs/`."""
    denylist = policy.load_denylist()
    bib = bibliography.load_bibliography(
        project.docs_dir / "references.bib", project.display(project.docs_dir / "references.bib")
    )
    found = bibliography.check_bibliography(bib, denylist)
    _, glossary_problems = glossary.load_glossary(
        project.docs_dir / "glossary.yml", project.display(project.docs_dir / "glossary.yml")
    )
    found.extend(glossary_problems)
    keys = frozenset(bib.entries)
    sources = Sources()
    registry: list[modules.Module] = []
    paths: dict[str, str] = {}
    for file in sorted(project.docs_dir.rglob("*.md")):
        page = read_page(file, project.docs_dir, project.root)
        sources.pages[page.src_uri] = page
        if progress:
            progress(page.path)
        page_found, cited = check_page(
            page, keys, denylist, sources.external, evidence_required=project.evidence_required
        )
        found.extend(page_found)
        sources.cited |= cited
        if modules.is_module_page(page.src_uri):
            found.extend(check_module_parts(project, page))
            if not page_found_fm(page_found):
                registry.append(modules.to_module(page.meta, page.src_uri))
                paths[page.src_uri] = page.path
    found.extend(modules.check_registry(registry, paths))
    for entry in bib.entries.values():
        url = entry.fields.get("url", "")
        if url.startswith("https://"):
            sources.external.append((url, bib.path, entry.field_lines.get("url", entry.line), 1))
        if entry.key not in sources.cited:
            found.append(
                Diagnostic(
                    bib.path, entry.line, 1, "BIB007", f"entry '{entry.key}' is not cited by any page", Severity.WARNING
                )
            )
    found.extend(check_nav(project, sources))
    return found, sources


def page_found_fm(found: list[Diagnostic]) -> bool:
    """True when a page's diagnostics include front matter errors."""
    return any(d.code in {"FM001", "FM002", "FIL001"} for d in found)


def check_nav(project: Project, sources: Sources) -> list[Diagnostic]:
    """LNK007: pages missing from `nav` (unless listed in `not_in_nav`), and nav entries with no page."""
    if not project.nav:
        return []
    listed = set(links.nav_sources(project.nav))
    patterns = [p.strip().lstrip("/") for p in project.not_in_nav.splitlines() if p.strip()]
    found = []
    for src_uri, page in sorted(sources.pages.items()):
        if src_uri in listed or any(_match(src_uri, p) for p in patterns):
            continue
        found.append(
            Diagnostic(page.path, 1, 1, "LNK007", "page is not in the navigation: add it to nav in mkdocs.yml")
        )
    config = project.display(project.config_file)
    text = project.config_file.read_text(encoding="utf-8")
    for src_uri in sorted(listed - set(sources.pages)):
        line = text[: text.find(src_uri)].count("\n") + 1 if src_uri in text else 1
        found.append(Diagnostic(config, line, 1, "LNK001", f"nav lists '{src_uri}', which does not exist"))
    return found


def _match(src_uri: str, pattern: str) -> bool:
    from fnmatch import fnmatch

    return fnmatch(src_uri, pattern) or fnmatch(src_uri, pattern.rstrip("/") + "/*")


# --- Site stage ---------------------------------------------------------------------------


def build(project: Project, site_dir: Path) -> list[Diagnostic]:
    """Run `mkdocs build --strict` into `site_dir`; its warnings become BLD001 diagnostics.

    Lines the course's hooks print in the check's own format are dropped: the source
    stage reports the same problems. (MkDocs still writes the pages before aborting, so
    the site stage can run on them.)
    """
    env = os.environ | _ENV
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose"]
    command += ["-f", str(project.config_file), "-d", str(site_dir)]
    limit = build_timeout()
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=project.root, check=False, timeout=limit
        )
    except subprocess.TimeoutExpired as expired:
        return [_timed_out(project, limit, _text(expired.stderr) + _text(expired.stdout))]
    found = []
    ours = 0
    config = project.display(project.config_file)
    for line in (result.stderr + result.stdout).splitlines():
        match = _MKDOCS_LINE.match(line.strip())
        if not match:
            continue
        if _OUR_LINE.match(match.group(1).strip()):
            ours += 1
        else:
            found.append(_build_diagnostic(project, config, match.group(1).strip()))
    if result.returncode != 0 and not found and not ours:
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        found.append(Diagnostic(config, 1, 1, "BLD001", f"mkdocs build failed: {tail[0]}"))
    return found


BUILD_TIMEOUT = 300
"""Seconds a build may take before the check stops it (`COURSE_BUILD_TIMEOUT` overrides)."""
_RENDERING = re.compile(r"DEBUG\s+-\s+(?:Reading|Building page):?\s+(?P<page>\S+)")


def build_timeout() -> float:
    """The build's time limit in seconds: `COURSE_BUILD_TIMEOUT`, else `BUILD_TIMEOUT`."""
    try:
        return max(1.0, float(os.environ.get("COURSE_BUILD_TIMEOUT", BUILD_TIMEOUT)))
    except ValueError:
        return BUILD_TIMEOUT


def _text(output: str | bytes | None) -> str:
    return output.decode("utf-8", "replace") if isinstance(output, bytes) else output or ""


def _timed_out(project: Project, limit: float, output: str) -> Diagnostic:
    """BLD004 at the page MkDocs was reading or building when the time ran out."""
    pages = _RENDERING.findall(output)
    if not pages:
        return Diagnostic(
            project.display(project.config_file),
            1,
            1,
            "BLD004",
            f"the build took longer than {limit:g} s and was stopped",
        )
    path = project.display(project.docs_dir / pages[-1])
    return Diagnostic(
        path,
        1,
        1,
        "BLD004",
        f"the build took longer than {limit:g} s and was stopped while rendering this page: look for a line that "
        "Markdown reads slowly (thousands of brackets, a huge table)",
    )


def check_docs_tree(project: Project) -> list[Diagnostic]:
    """FIL002: symbolic links in `docs/` that loop or lead outside it (checked before building).

    MkDocs follows every link while it lists the files, so a loop would keep it busy for
    minutes, and a link out of `docs/` would publish files that are not the course's.
    """
    found = []
    docs = project.docs_dir.resolve()
    for folder, dirs, names in os.walk(project.docs_dir, followlinks=False):
        for name in sorted(dirs + names):
            item = Path(folder, name)
            if not item.is_symlink():
                continue
            try:
                target = item.resolve(strict=True)
            except (OSError, RuntimeError):
                problem = "loops or points to nothing"
            else:
                if item.is_dir() and item.absolute().is_relative_to(target):
                    problem = "loops back to a folder that contains it"
                elif not target.is_relative_to(docs):
                    problem = "leads outside docs/"
                else:
                    continue
            shown = item.relative_to(project.root).as_posix() if item.is_relative_to(project.root) else item.as_posix()
            found.append(Diagnostic(shown, 1, 1, "FIL002", f"symbolic link {problem}: replace it with the file itself"))
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    return found


def _build_diagnostic(project: Project, config: str, message: str) -> Diagnostic:
    """A MkDocs warning as BLD001, placed at the link it is about when it names one."""
    doc = _DOC_LINK.search(message)
    if doc is None:
        return Diagnostic(config, 1, 1, "BLD001", message)
    file = project.docs_dir / doc.group("file")
    path = project.display(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Diagnostic(path, 1, 1, "BLD001", message)
    offset = text.find(f"]({doc.group('link')}")
    offset = offset + 2 if offset >= 0 else text.find(doc.group("link"))
    if offset < 0:
        return Diagnostic(path, 1, 1, "BLD001", message)
    line, col = citations.line_col(text, offset)
    return Diagnostic(path, line, col, "BLD001", message)


def site_stage(
    project: Project, sources: Sources, site_dir: Path
) -> tuple[list[Diagnostic], dict[str, links.BuiltPage]]:
    """What readers get, on a built site: links, anchors, orphans, the URL lock, source
    syntax left in pages, unrendered citations and third-party assets (one parse per page)."""
    every_file = links.site_files(site_dir)
    site_host = urlsplit(str(project.config.get("site_url") or "")).hostname
    pages = links.read_site(site_dir, files=every_file, site_host=site_host)
    files = frozenset(every_file)
    by_url = {links.src_to_url(uri): (page.path, page.body) for uri, page in sources.pages.items()}
    offsets = {page.path: page.body_line - 1 for page in sources.pages.values()}
    found = [_shift(d, offsets.get(d.path, 0)) for d in links.check_site_links(pages, files, by_url)]
    present = {url: source for url, source in by_url.items() if url in pages}
    found.extend(links.find_orphans(pages, present, roots=("", "404.html")))
    found.extend(urllock.check_lock(urllock.read_lock(project.lock_file), pages, project.display(project.lock_file)))
    for url, page in sorted(pages.items()):
        path, body = by_url.get(url, (f"{project.display(site_dir)}/{url or 'index.html'}", ""))
        if body and page.redirect is None:
            found.extend(rendered.check_page(path, body, offsets.get(path, 0) + 1, page.leftovers, page.citations))
        found.extend(_asset(path, body, offsets.get(path, 0), asset) for asset in page.assets)
    for name in every_file:
        if name.endswith(".css"):
            css = (site_dir / name).read_text(encoding="utf-8", errors="replace")
            found.extend(
                Diagnostic(
                    _css_source(project, name),
                    1,
                    1,
                    "PRV001",
                    f"style sheet loads '{url}' from another origin: vendor it",
                )
                for url in privacy.css_urls(css)
                if privacy.is_remote(url, site_host)
            )
    return found, pages


def _asset(path: str, body: str, offset: int, url: str) -> Diagnostic:
    """PRV001 at the place in the source that embeds the asset (line 1 when the theme does)."""
    line, col = rendered.locate(body, url) if body else (1, 1)
    return Diagnostic(
        path,
        line + (offset if line > 1 or col > 1 else 0),
        col,
        "PRV001",
        f"the page loads '{url}' from another origin, so every reader's visit reaches it: vendor the file or link to it",
    )


def _css_source(project: Project, name: str) -> str:
    source = project.docs_dir / name
    return project.display(source) if source.exists() else project.display(project.config_file)


def _shift(diagnostic: Diagnostic, offset: int) -> Diagnostic:
    if diagnostic.line == 1 and diagnostic.col == 1:
        return diagnostic
    return Diagnostic(
        diagnostic.path,
        diagnostic.line + offset,
        diagnostic.col,
        diagnostic.code,
        diagnostic.message,
        diagnostic.severity,
    )


def downloads_stage(project: Project, site_dir: Path) -> list[Diagnostic]:
    """The built downloads (DLD001-DLD003), when the build wrote them (not with COURSE_DOWNLOADS=0)."""
    from scripts import downloads, quiz

    page = project.docs_dir / "downloads.md"
    if os.environ.get("COURSE_DOWNLOADS", "1") == "0" or not page.exists():
        return []
    quizzes = {}
    for file in sorted(project.docs_dir.glob(f"modules/*/{quiz.FILE_NAME}")):
        loaded, _ = quiz.load_quiz(file, project.display(file))
        if loaded is not None:
            quizzes[file.parent.name] = loaded
    return downloads.check_downloads(site_dir, project.display(page), quizzes)


def lock_entries(sources: Sources, pages: dict[str, links.BuiltPage]) -> list[str]:
    """The lock lines for the current site (for `make lock-urls`)."""
    anchors = {links.src_to_url(uri): urllock.explicit_anchors(page.body) for uri, page in sources.pages.items()}
    return urllock.current_entries(pages, anchors)


@dataclass
class Result:
    """Outcome of a full check."""

    diagnostics: list[Diagnostic]
    sources: Sources
    pages: dict[str, links.BuiltPage] = field(default_factory=dict)
    built: bool = False


def run_check(
    project: Project,
    site_dir: Path | None = None,
    *,
    build_site: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Run both stages. With `site_dir`, the built site is left there for publishing."""
    found, sources = source_stage(project, progress)
    tree = check_docs_tree(project)
    found.extend(tree)
    # A link loop or a line Markdown reads in quadratic time would keep the build busy for
    # minutes: report them and do not build.
    if not build_site or tree or any(d.code == "FIL003" for d in found):
        return Result(found, sources)
    owned = site_dir is None
    target = site_dir or Path(tempfile.mkdtemp(prefix=".site-check-", dir=project.root))
    try:
        build_problems = build(project, target)
        found.extend(build_problems)
        built = not build_problems and (target / "index.html").exists()
        pages: dict[str, links.BuiltPage] = {}
        if built:
            site_found, pages = site_stage(project, sources, target)
            found.extend(site_found)
            found.extend(downloads_stage(project, target))
        return Result(found, sources, pages, built)
    finally:
        if owned:
            import shutil

            shutil.rmtree(target, ignore_errors=True)
