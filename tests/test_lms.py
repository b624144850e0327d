"""Learning-platform exports: Moodle XML and QTI match quiz.yml; cartridges keep the package
rules and, where vendored, validate against the IMS Common Cartridge 1.1 schemas."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from scripts import cartridge, downloads, lms
from scripts.quiz import Option, Question, Quiz, load_quiz

ROOT = Path(__file__).resolve().parent.parent
QUIZ_FILES = sorted((ROOT / "docs" / "modules").glob("*/quiz.yml"))
SCHEMAS = ROOT / "tests" / "data" / "imscc-1.1"


def _quiz(file: Path) -> Quiz:
    loaded, problems = load_quiz(file, file.name)
    assert loaded is not None, problems
    return loaded


def _item(quiz: Quiz, module_id: str = "M3") -> lms.ModuleQuiz:
    return lms.ModuleQuiz(
        module_id, f"{module_id} Title", "https://example.org/editions/2026.12/m/", quiz, {"tor": "Tor"}
    )


SAMPLE = Quiz(
    "sample.yml",
    (
        Question(
            "m9-q1",
            "multiple",
            "Which are right?",
            "tor",
            (Option("A & B", True, "Right: A."), Option("C", False, "No: C."), Option("D", True, "Right: D.")),
        ),
        Question(
            "m9-q2", "truefalse", "True?", "tor", (Option("True", False, "No: false."), Option("False", True, "Right."))
        ),
    ),
)


# --- Moodle XML -----------------------------------------------------------------------------------


@pytest.mark.parametrize("file", QUIZ_FILES, ids=lambda f: f.parent.name)
def test_the_moodle_export_of_every_module_says_what_its_quiz_yml_says(file: Path) -> None:
    quiz = _quiz(file)
    data = lms.moodle_xml([_item(quiz)], "Course", "2026.12")
    assert downloads.moodle_problems(data, [quiz]) == []
    root = etree.fromstring(data)
    assert root.find("question[@type='category']/category/text").text == "$course$/top/Course/M3 Title"
    assert len(root.findall("question")) == len(quiz.questions) + 1


def test_a_multiple_answer_question_grades_right_answers_to_100_and_wrong_ones_below_zero() -> None:
    assert lms.multiple_fractions(SAMPLE.questions[0]) == ["50", "-50", "50"]
    data = lms.moodle_xml([_item(SAMPLE)], "Course", "2026.12")
    answers = etree.fromstring(data).findall("question[@type='multichoice']/answer")
    assert sum(float(a.get("fraction", "0")) for a in answers if float(a.get("fraction", "0")) > 0) == 100
    assert answers[0].findtext("text") == "A &amp; B"  # HTML text, escaped once


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("No: C.", "No: changed.", "feedback of 'C' differs"),
        ('fraction="-50"', 'fraction="50"', "is graded 50"),
        ("<p>Which are right?</p>", "<p>Which is?</p>", "prompt differs"),
        ("<text>true</text>", "<text>yes</text>", "answer 'yes' differs"),
    ],
)
def test_a_moodle_export_that_differs_from_the_yaml_is_reported(old: str, new: str, expected: str) -> None:
    data = lms.moodle_xml([_item(SAMPLE)], "Course", "2026.12").decode()
    escaped = html.escape(old) if old.startswith("<p>") else old
    assert escaped in data, escaped
    problems = downloads.moodle_problems(
        data.replace(escaped, html.escape(new) if new.startswith("<p>") else new).encode(), [SAMPLE]
    )
    assert any(expected in p for p in problems), problems


def test_a_moodle_export_missing_a_question_or_broken_is_reported() -> None:
    data = lms.moodle_xml([_item(SAMPLE)], "Course", "2026.12")
    root = etree.fromstring(data)
    root.remove(root.findall("question")[-1])
    assert downloads.moodle_problems(etree.tostring(root), [SAMPLE]) == ["question 'm9-q2' of quiz.yml is missing"]
    assert downloads.moodle_problems(b"<quiz>", [SAMPLE])[0].startswith("does not parse")


# --- QTI ------------------------------------------------------------------------------------------


def _qti_text(element: etree._Element) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", "".join(element.itertext()))).strip()


@pytest.mark.parametrize("file", QUIZ_FILES, ids=lambda f: f.parent.name)
def test_the_qti_assessment_carries_every_option_and_its_feedback(file: Path) -> None:
    quiz = _quiz(file)
    root = etree.fromstring(lms.qti_assessment(_item(quiz), "iquiz", "2026.12"))
    ns = {"q": lms.QTI_NS}
    items = root.findall(".//q:item", ns)
    assert [i.get("ident") for i in items] == [q.id for q in quiz.questions]
    for element, question in zip(items, quiz.questions, strict=True):
        profile = element.find(".//q:qtimetadatafield/q:fieldentry", ns)
        assert profile is not None and profile.text == lms.PROFILES[question.kind]
        labels = element.findall(".//q:response_label", ns)
        assert [_qti_text(label) for label in labels] == [o.text for o in question.options]
        for index, option in enumerate(question.options):
            feedback = element.find(f"q:itemfeedback[@ident='{lms.option_ident(question, index)}-fb']", ns)
            assert feedback is not None and option.feedback in _qti_text(feedback)
        right = {lms.option_ident(question, i) for i, o in enumerate(question.options) if o.correct}
        scored = element.find("q:resprocessing/q:respcondition[q:setvar]", ns)
        assert scored is not None
        tested = {
            v.text
            for v in scored.findall("q:conditionvar//q:varequal", ns)
            if v.getparent().tag != f"{{{lms.QTI_NS}}}not"
        }
        assert tested == right


# --- Cartridges -----------------------------------------------------------------------------------


def _spec(pdf: bytes | None = b"%PDF-1.4 test") -> cartridge.CartridgeSpec:
    sections = (
        cartridge.Section("Learning outcomes", "outcomes"),
        cartridge.Section("Key issues", "key-issues", (cartridge.Section("Tor", "tor"),)),
        cartridge.Section(
            "Student assessment", "assessment", (cartridge.Section("Knowledge check", "knowledge-check"),)
        ),
    )
    module = cartridge.ModulePackage(
        "M9",
        "M9 Test",
        "m9-test",
        "https://example.org/editions/2026.12/modules/m9-test/",
        sections,
        _item(SAMPLE, "M9"),
        pdf,
    )
    return cartridge.CartridgeSpec("stdm-test", "Test course", "A test.", "2026.12", "en", (module,), ("kw",))


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    files = cartridge.read_package(data)
    for name, content in change.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_cartridge_is_the_same_bytes_every_time_and_keeps_the_package_rules() -> None:
    first, second = cartridge.build(_spec()), cartridge.build(_spec())
    assert first == second
    assert cartridge.package_problems(first) == []
    manifest = etree.fromstring(cartridge.read_package(first)["imsmanifest.xml"])
    titles = [t.text for t in manifest.iter(f"{{{cartridge.CP}}}title")]
    assert titles[:4] == ["M9 Test", "M9 Test: PDF handout", "Learning outcomes", "Key issues"]
    assert "Knowledge check: M9 Test (quiz)" in titles
    assert "Test course" in etree.tostring(manifest).decode()


def _manifest_edit(data: bytes, old: str, new: str) -> bytes:
    text = cartridge.read_package(data)["imsmanifest.xml"].decode()
    assert old in text, old
    return _rezip(data, {"imsmanifest.xml": text.replace(old, new, 1).encode()})


def test_a_broken_cartridge_is_rejected_with_a_reason() -> None:
    good = cartridge.build(_spec())
    files = cartridge.read_package(good)
    link = next(n for n in files if n.endswith("/links/tor.xml"))
    cases = {
        "no imsmanifest.xml": _rezip(good, {"imsmanifest.xml": None}),
        "which is not in the package": _rezip(good, {link: None}),
        "is not https": _rezip(good, {link: files[link].replace(b"https://", b"http://")}),
        "no resource lists it": _rezip(good, {"extra.txt": b"x"}),
        "is empty": _rezip(good, {link: b""}),
        "which does not exist": _manifest_edit(good, 'identifierref="i', 'identifierref="x'),
        "is used 2 times": _manifest_edit(good, 'identifier="iorg"', 'identifier="iroot"'),
        "not a zip file": b"not a zip",
    }
    for reason, data in cases.items():
        problems = cartridge.package_problems(data)
        assert any(reason in p for p in problems), (reason, problems)


def _schemas() -> list[tuple[str, etree.XMLSchema]]:
    if not (SCHEMAS / "ccv1p1_imscp_v1p2_v1p0.xsd").exists():
        pytest.fail("the IMS CC 1.1 schemas are missing from tests/data/imscc-1.1/")
    pairs = {
        cartridge.CP: "ccv1p1_imscp_v1p2_v1p0.xsd",
        cartridge.WL: "ccv1p1_imswl_v1p1.xsd",
        lms.QTI_NS: "ccv1p1_qtiasiv1p2p1_v1p0.xsd",
    }
    return [(ns, etree.XMLSchema(etree.parse(str(SCHEMAS / name)))) for ns, name in pairs.items()]


def test_the_ims_schemas_reject_an_invalid_manifest_and_accept_a_valid_one() -> None:
    schemas = _schemas()
    good = cartridge.build(_spec())
    assert cartridge.schema_problems(good, schemas) == []
    bad = _manifest_edit(good, "<schemaversion>1.1.0</schemaversion>", "<schemaversion>1.1.0</schemaversion><unknown/>")
    assert cartridge.schema_problems(bad, schemas)


def test_every_built_cartridge_validates_against_the_ims_schemas(built_site: Path) -> None:
    schemas = _schemas()
    built = sorted((built_site / downloads.FOLDER).glob("*.imscc"))
    assert len(built) == 9  # the course and eight modules
    for file in built:
        data = file.read_bytes()
        assert cartridge.package_problems(data) == [], file.name
        assert cartridge.schema_problems(data, schemas) == [], file.name
        links = [n for n in cartridge.read_package(data) if "/links/" in n]
        assert links, file.name


# --- The check over a built site's downloads ------------------------------------------------------


def _quizzes() -> dict[str, Quiz]:
    return {file.parent.name: _quiz(file) for file in QUIZ_FILES}


def test_the_check_accepts_the_built_downloads_and_rejects_missing_broken_or_stale_ones(
    built_site: Path, tmp_path: Path
) -> None:
    assert downloads.check_downloads(built_site, "docs/downloads.md", _quizzes()) == []
    site = tmp_path / "site"
    shutil.copytree(built_site / downloads.FOLDER, site / downloads.FOLDER)
    shutil.copy(built_site / "modules.json", site / "modules.json")
    for folder in (built_site / "modules").iterdir():
        if folder.is_dir():
            (site / "modules" / folder.name).mkdir(parents=True)
            for pdf in folder.glob("*.pdf"):
                shutil.copy(pdf, site / "modules" / folder.name / pdf.name)
    assert downloads.check_downloads(site, "docs/downloads.md", _quizzes()) == []
    (site / downloads.FOLDER / downloads.OFFLINE_ZIP).unlink()
    (site / downloads.FOLDER / "stdm-2026.12-m3-anonymity.imscc").write_bytes(b"broken")
    moodle = site / downloads.FOLDER / "stdm-2026.12-m4-communication-channels.moodle.xml"
    moodle.write_text(moodle.read_text(encoding="utf-8").replace('fraction="100"', 'fraction="0"', 1), encoding="utf-8")
    found = downloads.check_downloads(site, "docs/downloads.md", _quizzes())
    assert {d.code for d in found} == {"DLD001", "DLD002", "DLD003"}, found
    assert any(downloads.OFFLINE_ZIP in d.message and "missing" in d.message for d in found)


def test_the_downloads_page_lists_every_file_with_its_size(built_site: Path) -> None:
    page = (built_site / downloads.FOLDER / "index.html").read_text(encoding="utf-8")
    listed = downloads.listed_files(page)
    assert len([f for f in listed if f.endswith(".imscc")]) == 9
    assert len([f for f in listed if f.endswith(".moodle.xml")]) == 9
    assert f"{downloads.FOLDER}/{downloads.OFFLINE_ZIP}" in listed and "modules.json" in listed
    assert "(not built)" not in page and "(size set when built)" not in page
    assert re.search(r'data-file="downloads/stdm-2026\.12\.imscc">\(\d+(\.\d)? (KB|MB)\)', page)


def test_a_change_in_quiz_yml_changes_the_site_the_qti_and_the_moodle_xml_together(tmp_path: Path) -> None:
    project = tmp_path / "course"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "overrides", project / "overrides")
    for name in ("mkdocs.yml", "editions.yml"):
        shutil.copy(ROOT / name, project / name)
    quiz_file = project / "docs" / "modules" / "m3-anonymity" / "quiz.yml"
    quiz = _quiz(quiz_file)
    old = quiz.questions[0].options[1].feedback
    new = "Changed feedback for the export test: each place shows this sentence."
    text = quiz_file.read_text(encoding="utf-8")
    assert old in text
    quiz_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    site = tmp_path / "site"
    env = os.environ | {
        "PYTHONPATH": str(project),
        "COURSE_PDF": "0",
        "COURSE_API": "false",
        "COURSE_GIT_DATES": "false",
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert new in (site / "modules" / "m3-anonymity" / "index.html").read_text(encoding="utf-8")
    assert new.encode() in (site / downloads.FOLDER / "stdm-2026.12-m3-anonymity.moodle.xml").read_bytes()
    for name in ("stdm-2026.12-m3-anonymity.imscc", "stdm-2026.12.imscc"):
        files = cartridge.read_package((site / downloads.FOLDER / name).read_bytes())
        assert new.encode() in files["m3-anonymity/knowledge-check/assessment.xml"]
        assert old.encode() not in files["m3-anonymity/knowledge-check/assessment.xml"]
