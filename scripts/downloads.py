"""Downloads for trainers: cartridges, quiz exports, the offline zip, written by every build.

After the pages (and the PDF handouts) are written, [`write_downloads`][scripts.downloads.write_downloads]
puts into `site/downloads/`:

- `stdm-<edition>.imscc`, the course cartridge, and `stdm-<edition>-<module>.imscc`, one per
  module ([`scripts.cartridge`][scripts.cartridge]);
- `stdm-<edition>-<module>.moodle.xml` and `stdm-<edition>-knowledge-checks.moodle.xml`
  ([`scripts.lms`][scripts.lms]);
- the offline zip (a second, offline build of the same sources).

The Downloads page (`docs/downloads.md`) lists them through the `<!-- course:downloads -->`
marker; [`fill_sizes`][scripts.downloads.fill_sizes] writes each file's size into the built
page. [`check_downloads`][scripts.downloads.check_downloads] is the check's rule over a built
site: every file listed is present and non-empty (DLD001), every cartridge keeps the package
rules (DLD002), every Moodle XML file parses and says what the `quiz.yml` says (DLD003).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from scripts import cartridge, lms
from scripts.diagnostics import Diagnostic
from scripts.quiz import Quiz

MARKER = "<!-- course:downloads -->"
FOLDER = "downloads"
OFFLINE_ZIP = "shared-tools-different-motives-offline.zip"


def _text(markup: str) -> str:
    """The text of an HTML fragment, as a reader sees it."""
    return str(lxml_html.fragment_fromstring(markup, create_parent="div").text_content()) if markup else ""


_SIZE = re.compile(r'(<span class="download-size" data-file="(?P<file>[^"]+)">)[^<]*(</span>)')


@dataclass(frozen=True)
class Download:
    """One file of the Downloads page.

    Attributes:
        path: Site-relative path (`downloads/stdm-2026.12.imscc`).
        label: What it is, for the table.
        kind: `cartridge`, `pdf`, `moodle`, `zip` or `json`.
    """

    path: str
    label: str
    kind: str


def course_files(edition: str) -> list[Download]:
    """The course-wide downloads."""
    return [
        Download(f"{FOLDER}/stdm-{edition}.imscc", "Course cartridge (IMS Common Cartridge 1.1)", "cartridge"),
        Download(f"{FOLDER}/stdm-{edition}-knowledge-checks.moodle.xml", "All knowledge checks (Moodle XML)", "moodle"),
        Download(f"{FOLDER}/{OFFLINE_ZIP}", "Offline copy of the whole site (zip)", "zip"),
        Download("modules.json", "Module catalogue (JSON)", "json"),
    ]


def module_files(edition: str, folder: str, pdf: bool) -> list[Download]:
    """A module's downloads (the handout only where PDFs are printed)."""
    files = [Download(f"{FOLDER}/stdm-{edition}-{folder}.imscc", "Cartridge", "cartridge")]
    if pdf:
        files.append(Download(f"modules/{folder}/{folder}.pdf", "PDF handout", "pdf"))
    files.append(Download(f"{FOLDER}/stdm-{edition}-{folder}.moodle.xml", "Knowledge check (Moodle XML)", "moodle"))
    return files


def href(download: Download, base: str) -> str:
    """The link to a download: `base` + its path, or relative to the page `downloads/`."""
    if base:
        return base + download.path
    inside = download.path.startswith(f"{FOLDER}/")
    return download.path.removeprefix(f"{FOLDER}/") if inside else "../" + download.path


def _cell(download: Download, base: str) -> str:
    link = html.escape(href(download, base))
    return (
        f'<a href="{link}" download>{html.escape(download.label)}</a> '
        f'<span class="download-size" data-file="{html.escape(download.path)}">(size set when built)</span>'
    )


def render_table(edition: str, modules: Sequence[tuple[str, str]], pdf: bool, base: str = "") -> str:
    """The Downloads page's tables as HTML.

    Args:
        edition: The edition the files are built from.
        modules: `(full title, folder)` of each module, in order.
        pdf: Whether PDF handouts are printed by this build.
        base: Prefix of each link (empty: relative to the page `downloads/`).
    """
    rows = [f"<tr><td>{_cell(d, base)}</td><td>{html.escape(edition)}</td></tr>" for d in course_files(edition)]
    course = (
        '<table class="downloads" id="course-files"><thead><tr><th>File</th><th>Edition</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    module_rows = []
    for title, folder in modules:
        cells = "<br>".join(_cell(d, base) for d in module_files(edition, folder, pdf))
        module_rows.append(
            f'<tr id="{html.escape(folder)}"><td>{html.escape(title)}</td><td>{cells}</td><td>{html.escape(edition)}</td></tr>'
        )
    per_module = (
        '<table class="downloads" id="module-files"><thead><tr><th>Module</th><th>Files</th><th>Edition</th></tr></thead>'
        f"<tbody>{''.join(module_rows)}</tbody></table>"
    )
    return f"{course}\n\n## Per module {{ #per-module }}\n\n{per_module}\n"


def human_size(size: int) -> str:
    """`12.3 KB`, `1.4 MB` (decimal units, as browsers show downloads)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def fill_sizes(page: Path, site_dir: Path) -> list[str]:
    """Write each listed file's size into the built Downloads page; return the files missing."""
    text = page.read_text(encoding="utf-8")
    missing: list[str] = []

    def size(match: re.Match[str]) -> str:
        file = site_dir / html.unescape(match.group("file"))
        if not file.is_file():
            missing.append(match.group("file"))
            return f"{match.group(1)}(not built){match.group(3)}"
        return f"{match.group(1)}({human_size(file.stat().st_size)}){match.group(3)}"

    page.write_text(_SIZE.sub(size, text), encoding="utf-8")
    return missing


def listed_files(page_html: str) -> list[str]:
    """The files a built Downloads page lists."""
    return [html.unescape(m.group("file")) for m in _SIZE.finditer(page_html)]


# --- Writing -------------------------------------------------------------------------------------


def write_downloads(
    site_dir: Path,
    edition: str,
    course: cartridge.CartridgeSpec,
    quizzes: Sequence[lms.ModuleQuiz],
    course_name: str,
) -> list[Path]:
    """Write the cartridges and Moodle XML files into `site_dir/downloads/`."""
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    target = folder / f"stdm-{edition}.imscc"
    target.write_bytes(cartridge.build(course))
    written.append(target)
    for module in course.modules:
        spec = cartridge.CartridgeSpec(
            identifier=f"stdm-{edition}-{module.folder}",
            title=f"{module.title} (Shared Tools, Different Motives, edition {edition})",
            description=f"{module.title}: one module of the open course Shared Tools, Different Motives.",
            edition=edition,
            language=course.language,
            modules=(module,),
            keywords=course.keywords,
        )
        target = folder / f"stdm-{edition}-{module.folder}.imscc"
        target.write_bytes(cartridge.build(spec))
        written.append(target)
    for item in quizzes:
        folder_name = next(m.folder for m in course.modules if m.module_id == item.module_id)
        target = folder / f"stdm-{edition}-{folder_name}.moodle.xml"
        target.write_bytes(lms.moodle_xml([item], course_name, edition))
        written.append(target)
    target = folder / f"stdm-{edition}-knowledge-checks.moodle.xml"
    target.write_bytes(lms.moodle_xml(quizzes, course_name, edition))
    written.append(target)
    return written


# --- Checking ------------------------------------------------------------------------------------


def moodle_problems(data: bytes, quizzes: Sequence[Quiz]) -> list[str]:
    """Does a Moodle XML export say what the quiz.yml files say? It holds every question of
    `quizzes`, and each matches its YAML question: prompt, options, right answers, feedback."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"does not parse: {error}"]
    by_id = {q.id: q for quiz in quizzes for q in quiz.questions}
    found: list[str] = []
    seen: set[str] = set()
    for element in root.iter("question"):
        if element.get("type") == "category":
            continue
        ident = element.findtext("name/text") or ""
        question = by_id.get(ident)
        if question is None:
            found.append(f"question '{ident}' is in no quiz.yml")
            continue
        seen.add(ident)
        if _text(element.findtext("questiontext/text") or "") != question.prompt:
            found.append(f"{ident}: the prompt differs from quiz.yml")
        answers = element.findall("answer")
        if len(answers) != len(question.options):
            found.append(f"{ident}: {len(answers)} answers, quiz.yml has {len(question.options)}")
            continue
        for answer, option in zip(answers, question.options, strict=True):
            text = (
                _text(answer.findtext("text") or "") if question.kind != "truefalse" else answer.findtext("text") or ""
            )
            expected = option.text.lower() if question.kind == "truefalse" else option.text
            if text != expected:
                found.append(f"{ident}: answer '{text}' differs from quiz.yml's '{expected}'")
            if (float(answer.get("fraction", "0")) > 0) != option.correct:
                found.append(
                    f"{ident}: answer '{text}' is graded {answer.get('fraction')}, quiz.yml says correct: {option.correct}"
                )
            feedback = _text(answer.findtext("feedback/text") or "")
            if feedback != option.feedback:
                found.append(f"{ident}: the feedback of '{text}' differs from quiz.yml")
    found.extend(f"question '{ident}' of quiz.yml is missing" for ident in by_id if ident not in seen)
    return found


def check_downloads(
    site_dir: Path, page: str, quizzes: dict[str, Quiz], *, expected: Sequence[str] = ()
) -> list[Diagnostic]:
    """The check's rules over the downloads of a built site (DLD001-DLD003).

    Args:
        site_dir: The built site.
        page: Display path of `docs/downloads.md`, where problems are reported.
        quizzes: The knowledge checks by module folder (`m3-anonymity`), from `quiz.yml`.
        expected: Files that must be listed, beyond those the built page lists.
    """
    built = site_dir / FOLDER / "index.html"
    if not built.exists():
        return [
            Diagnostic(page, 1, 1, "DLD001", "the Downloads page was not built: keep docs/downloads.md and its marker")
        ]
    listed = listed_files(built.read_text(encoding="utf-8"))
    found = []
    for name in sorted({*listed, *expected}):
        file = site_dir / name
        if not file.is_file() or file.stat().st_size == 0:
            state = "missing" if not file.is_file() else "empty"
            found.append(Diagnostic(page, 1, 1, "DLD001", f"download '{name}' is {state} in the built site"))
            continue
        if name.endswith(".imscc"):
            found.extend(
                Diagnostic(page, 1, 1, "DLD002", f"{name}: {problem}")
                for problem in cartridge.package_problems(file.read_bytes())
            )
        if name.endswith(".moodle.xml"):
            wanted = [q for folder, q in quizzes.items() if name.endswith(f"-{folder}.moodle.xml")] or list(
                quizzes.values()
            )
            found.extend(
                Diagnostic(page, 1, 1, "DLD003", f"{name}: {p}") for p in moodle_problems(file.read_bytes(), wanted)
            )
    return found
