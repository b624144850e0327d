"""MkDocs hooks: the course's logic, plugged into the build.

One `on_page_markdown` dispatcher runs small renderers in turn: module headers from front
matter, citations and the page's reference list, the generated pages (bibliography,
glossary, module catalogue, check codes) and the glossary tooltips. Data is loaded once per
build in `on_config`. Every problem is logged as a warning in the check's
`path:line:col: CODE message` form, so `mkdocs build --strict` fails on it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import (
    bibliography,
    buildcache,
    cartridge,
    citations,
    downloads,
    editions,
    evidence,
    glossary,
    lms,
    modules,
    pdf,
    quiz,
)
from scripts.diagnostics import Diagnostic, load_codes
from scripts.markdown_source import split_front_matter

log = logging.getLogger("mkdocs.hooks.course")

BIB_FILE = "references.bib"
GLOSSARY_FILE = "glossary.yml"
MARKERS = {
    "bibliography": "<!-- course:bibliography -->",
    "glossary": "<!-- course:glossary -->",
    "catalogue": "<!-- course:catalogue -->",
    "codes": "<!-- course:codes -->",
    "downloads": downloads.MARKER,
    "editions": "<!-- course:editions -->",
}
CONTENT_NOTE = (
    '!!! warning "Content note"\n'
    "    This module discusses terrorism and violent extremism. It contains no propaganda, no\n"
    "    images of violence and no links to extremist material. If the subject affects you, take\n"
    "    a break and talk to someone you trust; see [support for students and trainers]({about}#wellbeing).\n"
)


@dataclass
class State:
    """What the hooks load once per build."""

    docs_dir: Path = Path("docs")
    bib: bibliography.Bibliography | None = None
    authors: dict[str, str] = field(default_factory=dict)
    years: dict[str, str] = field(default_factory=dict)
    terms: list[glossary.Term] = field(default_factory=list)
    modules: dict[str, modules.Module] = field(default_factory=dict)
    edition: str = ""
    site_url: str = ""
    pdf: bool = False
    """Print module PDFs after this build (a `build` command with Chromium present)."""
    api: bool = True
    """Whether mkdocstrings renders the API reference (`make serve` turns it off)."""
    downloads: bool = False
    """Write the cartridges, quiz exports and offline zip after this build."""
    editions_url: str = ""
    """Where frozen editions live (`extra.course.editions_url`): `<editions_url><edition>/`."""
    tocs: dict[str, Any] = field(default_factory=dict)
    """Each module page's table of contents, by source path (for the cartridges)."""
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each module page's section titles by anchor (for the quiz exports)."""
    quizzes: dict[str, quiz.Quiz] = field(default_factory=dict)
    """Each module page's knowledge check as rendered, by source path (for the exports)."""
    config_file: str = ""
    editions: list[editions.Edition] = field(default_factory=list)
    """The published editions (`editions.yml`), oldest first."""


STATE = State()


def _warn(diagnostic: Diagnostic) -> None:
    log.warning(diagnostic.format())


def load_state(docs_dir: Path, edition: str, site_url: str) -> State:
    """Load the bibliography, glossary and module registry from `docs_dir`."""
    state = State(docs_dir=docs_dir, edition=edition, site_url=site_url)
    bib = bibliography.load_bibliography(docs_dir / BIB_FILE, f"{docs_dir.name}/{BIB_FILE}")
    state.bib = bib
    state.authors = {k: bibliography.author_label(e) for k, e in bib.entries.items()}
    state.years = bibliography.year_labels(bib.entries)
    state.terms, _ = glossary.load_glossary(docs_dir / GLOSSARY_FILE)
    for page in sorted(docs_dir.glob("modules/*/index.md")):
        src_uri = page.relative_to(docs_dir).as_posix()
        meta, _, _, problems = split_front_matter(page.read_text(encoding="utf-8", errors="replace"), src_uri)
        if problems or modules.validate_front_matter(meta, src_uri):
            continue  # reported when the page itself is rendered
        module = modules.to_module(meta, src_uri)
        state.modules[module.id] = module
    return state


# --- MkDocs events ------------------------------------------------------------------------

COMMAND = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: PDFs are printed by `build`, never by `serve`."""
    COMMAND["name"] = command


IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_LOCAL = "vendor/iframe-worker/shim.js"


def on_config(config: Any) -> Any:
    """Load the course data once per build; keep the offline build's polyfill local."""
    extra = config.get("extra") or {}
    polyfills = extra.get("polyfills")
    if polyfills:
        extra["polyfills"] = [IFRAME_WORKER_LOCAL if url == IFRAME_WORKER_CDN else url for url in polyfills]
    global STATE
    course = (config.get("extra") or {}).get("course") or {}
    STATE = load_state(Path(config["docs_dir"]), str(course.get("edition", "")), str(config.get("site_url") or ""))
    offline = os.environ.get("OFFLINE", "false") == "true"
    STATE.pdf = COMMAND["name"] == "build" and pdf.available() and not offline
    STATE.downloads = COMMAND["name"] == "build" and not offline and os.environ.get("COURSE_DOWNLOADS", "1") != "0"
    STATE.editions_url = str(course.get("editions_url") or "")
    STATE.config_file = str(config.get("config_file_path") or "mkdocs.yml")
    editions_file = Path(STATE.config_file).parent / editions.FILE_NAME
    if editions_file.exists():  # a site without editions.yml simply has no editions list
        STATE.editions, problems = editions.load_editions(editions_file, editions.FILE_NAME, STATE.edition)
        for problem in problems:
            _warn(problem)
    # Downloads belong to a site with a Downloads page.
    STATE.downloads = STATE.downloads and (STATE.docs_dir / "downloads.md").exists()
    mkdocstrings = (config.get("plugins") or {}).get("mkdocstrings")
    STATE.api = mkdocstrings is not None and bool(getattr(mkdocstrings, "plugin_enabled", True))
    if STATE.bib:
        for problem in STATE.bib.problems:
            _warn(problem)
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Render module headers, citations, generated pages and glossary tooltips."""
    src_uri: str = page.file.src_uri
    path = f"{Path(config['docs_dir']).name}/{src_uri}"
    source = page.file.content_string
    # The author's front matter, not page.meta: plugins add their own keys there.
    meta, _, body_line, _ = split_front_matter(source, path)
    if modules.is_module_page(src_uri):
        markdown = render_module(markdown, meta, src_uri, path, source)
        STATE.titles[src_uri] = quiz.section_titles(markdown)
        if quiz.MARKER in markdown:
            markdown = markdown.replace(quiz.MARKER, render_quiz(src_uri, STATE.titles[src_uri]), 1)
        if meta.get("id") and meta.get("title"):
            page.meta["title"] = f"{meta['id']} {meta['title']}"  # the ID in nav, tabs and <title>
    if not STATE.api and ":::" in markdown:
        markdown = _API_BLOCK.sub("", _API_BLOCK.sub(API_OFF, markdown, count=1))
    for name, marker in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render_generated(name, src_uri))
    markdown = render_page_citations(markdown, path, body_line, reference_list=MARKERS["bibliography"] not in source)
    if STATE.terms:
        markdown += "\n\n" + glossary.abbreviations(STATE.terms) + "\n"
    return markdown


_API_BLOCK = re.compile(r"^::: [\w.]+\n(?:[ \t]+.*\n?)*", re.M)
API_OFF = (
    '!!! note "API reference left out of this preview"\n'
    "    `make serve` skips the docstrings so that it rebuilds in under two seconds; "
    "`make build` and the published site include them.\n\n"
)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Reuse compiled theme templates across `mkdocs serve` rebuilds (scripts.buildcache)."""
    env.bytecode_cache = buildcache.TEMPLATES
    return env


def frozen_url(page_url: str) -> str:
    """A page's address in the frozen copy of this edition ('' when no editions_url is set)."""
    if not (STATE.editions_url and STATE.edition):
        return ""
    return f"{STATE.editions_url}{STATE.edition}/{page_url}"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Keep module pages' tables of contents (for the cartridges); give every heading's link
    button its frozen twin, the same section in this edition's permanent folder."""
    if modules.is_module_page(page.file.src_uri):
        STATE.tocs[page.file.src_uri] = page.toc
    frozen = frozen_url(page.url)
    return editions.edition_links(html, frozen, STATE.edition) if frozen else html


def on_post_build(config: Any) -> None:
    """Print the module handouts (PDF) when Chromium is present; then write the downloads."""
    site_dir = Path(config["site_dir"])
    if STATE.pdf:
        pdf.print_pages(site_dir, [m.url for m in STATE.modules.values()])
    if STATE.downloads:
        write_downloads(site_dir, config)


def _module_quiz(module: modules.Module) -> lms.ModuleQuiz | None:
    loaded = STATE.quizzes.get(module.src_uri)  # read and validated when its page was rendered
    if loaded is None:
        return None
    return lms.ModuleQuiz(
        module.id, module.full_title, frozen_url(module.url), loaded, STATE.titles.get(module.src_uri, {})
    )


def write_downloads(site_dir: Path, config: Any) -> None:
    """Cartridges, Moodle XML and the offline zip into `site/downloads/`; sizes on the page."""
    from scripts import offline

    packages, quizzes = [], []
    for module in sorted(STATE.modules.values(), key=lambda m: m.number):
        folder = Path(module.src_uri).parent.name
        handout = site_dir / module.url / pdf.pdf_name(module.url)
        item = _module_quiz(module)
        if item is not None:
            quizzes.append(item)
        packages.append(
            cartridge.ModulePackage(
                module.id,
                module.full_title,
                folder,
                frozen_url(module.url),
                cartridge.sections_from_toc(STATE.tocs.get(module.src_uri, [])),
                item,
                handout.read_bytes() if handout.exists() else None,
            )
        )
    course = cartridge.CartridgeSpec(
        identifier=f"stdm-{STATE.edition}",
        title=f"{config['site_name']} (edition {STATE.edition})",
        description=str(config.get("site_description") or "").strip(),
        edition=STATE.edition,
        language=str((config.get("theme") or {}).get("language") or "en"),
        modules=tuple(packages),
        keywords=("terrorism", "cybercrime", "online services", "counter-terrorism", "human rights"),
    )
    downloads.write_downloads(site_dir, STATE.edition, course, quizzes, str(config["site_name"]))
    try:
        offline.zip_offline_build(Path(STATE.config_file), site_dir / downloads.FOLDER / downloads.OFFLINE_ZIP)
    except offline.OfflineBuildError as error:
        _warn(Diagnostic(f"{STATE.docs_dir.name}/downloads.md", 1, 1, "DLD001", str(error)))
    page = site_dir / downloads.FOLDER / "index.html"
    if page.exists():
        downloads.fill_sizes(page, site_dir)


def on_files(files: Any, config: Any) -> Any:
    """Add `modules.json` and its JSON Schema to the site as generated files."""
    from mkdocs.structure.files import File

    data = modules.catalogue(list(STATE.modules.values()), STATE.site_url, STATE.edition)
    catalogue = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    files.append(File.generated(config, "modules.json", content=catalogue))
    schema = (modules.DATA / "modules.schema.json").read_text(encoding="utf-8")
    files.append(File.generated(config, "modules.schema.json", content=schema))
    return files


# --- Renderers ----------------------------------------------------------------------------


def _relative(from_uri: str, to_uri: str) -> str:
    """Relative Markdown link from one page's source path to another's."""
    depth = from_uri.count("/")
    return "../" * depth + to_uri


def render_module(markdown: str, meta: dict[str, Any], src_uri: str, path: str, raw: str = "") -> str:
    """Prepend the module header (title, facts, content note, outcomes) and append "Cite"."""
    problems = modules.validate_front_matter(meta, path, raw)
    for problem in problems:
        _warn(problem)
    if problems:
        return markdown
    module = modules.to_module(meta, src_uri)
    prerequisites = (
        ", ".join(
            f"[{p}]({_relative(src_uri, STATE.modules[p].src_uri)})" for p in module.prerequisites if p in STATE.modules
        )
        or "none"
    )
    hours = f"{module.duration / 60:g} hours" if module.duration % 30 == 0 else f"{module.duration} minutes"
    note = CONTENT_NOTE.format(about=_relative(src_uri, "about.md")) if meta.get("content_note") else ""
    outcomes = "\n".join(f"{i}. {o}" for i, o in enumerate(module.outcomes, start=1))
    header = (
        f"# {module.full_title}\n\n"
        f"{module.summary}\n{{: .module-summary .no-cite }}\n\n"
        f"**Time** {hours} · **Level** {module.level} · **Prerequisites** {prerequisites} · "
        f"**Reviewed** {modules.format_date(module.reviewed)}\n{{: .module-facts .no-cite }}\n\n"
        f"{note}\n"
        "## Learning outcomes { #outcomes }\n\n"
        "By the end of this module, students should be able to:\n{: .no-cite }\n\n"
        f"{outcomes}\n\n"
    )
    handout = (
        f'<p class="module-handout"><a href="{pdf.pdf_name(module.url)}" download>Download this module as a PDF handout</a>'
        " (A4; or print this page: the print layout hides the navigation and opens the answers).</p>\n\n"
        if STATE.pdf
        else ""
    )
    folder = Path(src_uri).parent.name
    trainers = (
        f"**For trainers:** this module as a cartridge for a learning platform, its knowledge check in "
        f"Moodle XML and the PDF handout are on [Downloads]({_relative(src_uri, 'downloads.md')}#{folder}).\n"
        "{: .module-downloads .no-cite }\n\n"
        if STATE.downloads or (STATE.docs_dir / "downloads.md").exists()
        else ""
    )
    return header + handout + trainers + markdown.lstrip("\n") + "\n\n" + render_cite_module(module)


def render_quiz(src_uri: str, titles: dict[str, str]) -> str:
    """The module's knowledge check, from the `quiz.yml` beside it (problems are warnings);
    `titles` are the page's section titles by anchor, for the questions' "Read again" links."""
    file = STATE.docs_dir / Path(src_uri).parent / quiz.FILE_NAME
    loaded, problems = quiz.load_quiz(file, f"{STATE.docs_dir.name}/{Path(src_uri).parent.as_posix()}/{quiz.FILE_NAME}")
    for problem in problems:
        _warn(problem)
    if loaded is None:
        return ""
    STATE.quizzes[src_uri] = loaded
    return "\n" + quiz.render_quiz(loaded, titles) + "\n"


def render_cite_module(module: modules.Module) -> str:
    """The "Cite this module" section: an APA reference and BibTeX, from front matter."""
    year = module.reviewed[:4]
    url = f"{STATE.site_url.rstrip('/')}/{module.url}" if STATE.site_url else module.url
    edition = f"Edition {STATE.edition}, " if STATE.edition else ""
    key = f"stdm-{module.id.lower()}"
    return (
        "## Cite this module { #cite }\n\n"
        f"Shared Tools, Different Motives contributors. ({year}). *{module.full_title}* "
        f"({edition}reviewed {modules.format_date(module.reviewed)}). Shared Tools, Different "
        f"Motives. <{url}>\n{{: .cite-module .no-cite }}\n\n"
        "```bibtex\n"
        f"@misc{{{key},\n"
        "  author = {{Shared Tools, Different Motives contributors}},\n"
        f"  title = {{{{{module.full_title}}}}},\n"
        f"  year = {{{year}}},\n"
        f"  edition = {{{STATE.edition}}},\n"
        f"  date = {{{module.reviewed}}},\n"
        "  publisher = {Shared Tools, Different Motives},\n"
        "  note = {Licensed under CC BY 4.0},\n"
        f"  url = {{{url}}}\n"
        "}\n"
        "```\n"
    )


def render_page_citations(markdown: str, path: str, body_line: int, *, reference_list: bool) -> str:
    """Render citations; warn on unknown keys; append the page's reference list."""
    label = citations.labeller(STATE.authors, STATE.years)
    for citation in citations.find_citations(markdown):
        line, col = citations.line_col(markdown, citation.start)
        for item in citation.items:
            if item.key not in STATE.authors:
                _warn(Diagnostic(path, line + body_line - 1, col, "CIT001", f"unknown citation key '{item.key}'"))
    rendered, cited = evidence.render(markdown, label)
    known = [key for key in cited if key in STATE.authors]
    if not known or not reference_list:
        return rendered
    return rendered + "\n\n## References { #references }\n\n" + references_html(known, searchable=False) + "\n"


def references_html(keys: list[str], *, searchable: bool = True) -> str:
    """An APA reference list of `keys`, sorted, each entry with anchor `ref-<key>`.

    A page's own list is left out of the search index (the References page has them all),
    which keeps the index every visitor downloads small.
    """
    assert STATE.bib is not None
    entries = [STATE.bib.entries[k] for k in keys]
    entries.sort(key=lambda e: bibliography.sort_key(e, STATE.years[e.key]))
    items = [
        f'<p class="reference" id="ref-{e.key}">{bibliography.format_reference(e, STATE.years[e.key])}</p>'
        for e in entries
    ]
    exclude = "" if searchable else " data-search-exclude"
    return f'<div class="references"{exclude}>\n' + "\n".join(items) + "\n</div>"


def render_generated(name: str, src_uri: str) -> str:
    """Content of a generated page section, by marker name."""
    if name == "bibliography":
        return references_html(list(STATE.bib.entries)) if STATE.bib else ""
    if name == "glossary":
        return glossary.glossary_html(STATE.terms)
    if name == "catalogue":
        return render_catalogue(src_uri)
    if name == "codes":
        return render_codes()
    if name == "editions":
        return render_editions()
    if name == "downloads":
        listed = [
            (m.full_title, Path(m.src_uri).parent.name) for m in sorted(STATE.modules.values(), key=lambda m: m.number)
        ]
        offline = os.environ.get("OFFLINE", "false") == "true"
        base = STATE.site_url if offline or not STATE.downloads else ""
        return downloads.render_table(STATE.edition, listed, STATE.pdf or offline, base)
    return ""


def render_catalogue(src_uri: str) -> str:
    """Module cards: ID, title, summary, time, level and outcomes."""
    cards = []
    for module in sorted(STATE.modules.values(), key=lambda m: m.number):
        link = _relative(src_uri, module.src_uri) if src_uri.count("/") else module.src_uri
        if src_uri.startswith("modules/"):
            link = module.src_uri.removeprefix("modules/")
        outcomes = "\n".join(f"    - {o}" for o in module.outcomes)
        cards.append(
            f"-   **[{module.full_title}]({link})**\n\n"
            "    ---\n\n"
            f"    {module.summary}\n\n"
            f"    *{module.duration} minutes · {module.level}*\n\n"
            f"{outcomes}\n"
        )
    return '<div class="grid cards" markdown>\n\n' + "\n".join(cards) + "\n</div>\n"


def render_editions() -> str:
    """The list of editions, newest first, each with its dates, summary and frozen address."""
    items = []
    for edition in reversed(STATE.editions):
        until = f" to {editions.format_date(edition.superseded)}" if edition.superseded else " (current)"
        link = f"{STATE.editions_url}{edition.id}/" if STATE.editions_url else ""
        frozen = f' Frozen copy: <a href="{link}">{link}</a>' if link else ""
        items.append(
            f"- **Edition {edition.id}**, {editions.format_date(edition.published)}{until}. {edition.summary}{frozen}"
        )
    return "\n".join(items) + "\n{: .no-cite }\n"


def render_codes() -> str:
    """One section per diagnostic code, with a stable anchor (`#cit001`)."""
    sections = []
    for code, info in load_codes().items():
        sections.append(
            f"## {code}: {info['title']} {{ #{code.lower()} }}\n\n"
            f"**What it means.** {info['meaning']}\n\n**How to fix it.** {info['fix']}\n"
        )
    return "\n".join(sections)
