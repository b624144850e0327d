"""Knowledge checks for learning platforms: Moodle XML and QTI 1.2, from the same `quiz.yml`.

The site renders each module's `quiz.yml` ([`scripts.quiz`][scripts.quiz]); this module writes
the same questions in the two formats platforms import:

- [`moodle_xml`][scripts.lms.moodle_xml]: Moodle's own question format, one category per
  module, each answer with its feedback and the general feedback linking to the section
  that teaches it;
- [`qti_assessment`][scripts.lms.qti_assessment]: a QTI 1.2 assessment in the profile of IMS
  Common Cartridge 1.1 (`cc.exam.v0p1`; items `cc.multiple_choice`, `cc.multiple_response`,
  `cc.true_false`), with per-option feedback, for the cartridges ([`scripts.cartridge`][scripts.cartridge]).

Both are pure functions of the questions and the address of the edition they link to, so
the same input always gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from scripts.quiz import Question, Quiz

MOODLE_FRACTIONS = (100, 50, 33.33333, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10)
"""Moodle's allowed grades for 1 to 10 right answers of a multiple-answer question."""


@dataclass(frozen=True)
class ModuleQuiz:
    """A module's knowledge check with what the exports need to name and link it.

    Attributes:
        module_id: `M3`.
        title: `M3 Anonymity`.
        page_url: Absolute address of the module page in the edition linked to.
        quiz: The questions.
        titles: Section titles by anchor.
    """

    module_id: str
    title: str
    page_url: str
    quiz: Quiz
    titles: dict[str, str]

    def section_link(self, question: Question) -> str:
        """`Read again: <a href=...>Section</a>.` as HTML."""
        title = self.titles.get(question.section, "the section")
        href = html.escape(f"{self.page_url}#{question.section}", quote=True)
        return f'<p>Read again: <a href="{href}">{html.escape(title)}</a>.</p>'


def _serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _text(parent: etree._Element, tag: str, value: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    etree.SubElement(element, "text").text = value
    return element


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def multiple_fractions(question: Question) -> list[str]:
    """Grades of a multiple-answer question's options: right ones share 100%, wrong ones
    take off as much as one right one gives (Moodle keeps a question's total at 0 or more)."""
    right = sum(option.correct for option in question.options)
    share = MOODLE_FRACTIONS[right - 1]
    return [f"{share:g}" if option.correct else f"-{share:g}" for option in question.options]


def _moodle_question(parent: etree._Element, item: ModuleQuiz, question: Question) -> None:
    kind = "truefalse" if question.kind == "truefalse" else "multichoice"
    element = etree.SubElement(parent, "question", type=kind)
    _text(element, "name", question.id)
    _text(element, "questiontext", _para(question.prompt), format="html")
    _text(element, "generalfeedback", item.section_link(question), format="html")
    etree.SubElement(element, "defaultgrade").text = "1"
    etree.SubElement(element, "penalty").text = "1" if kind == "truefalse" else "0.3333333"
    etree.SubElement(element, "hidden").text = "0"
    etree.SubElement(element, "idnumber").text = question.id
    if kind == "truefalse":
        for option in question.options:
            answer = _text(element, "answer", option.text.lower(), fraction="100" if option.correct else "0")
            answer.set("format", "moodle_auto_format")
            _text(answer, "feedback", _para(option.feedback), format="html")
        return
    etree.SubElement(element, "single").text = "true" if question.kind == "single" else "false"
    etree.SubElement(element, "shuffleanswers").text = "false"
    etree.SubElement(element, "answernumbering").text = "abc"
    etree.SubElement(element, "showstandardinstruction").text = "1"
    fractions = (
        multiple_fractions(question)
        if question.kind == "multiple"
        else ["100" if o.correct else "0" for o in question.options]
    )
    for option, fraction in zip(question.options, fractions, strict=True):
        answer = _text(element, "answer", html.escape(option.text), fraction=fraction, format="html")
        _text(answer, "feedback", _para(option.feedback), format="html")


def moodle_xml(quizzes: Sequence[ModuleQuiz], course: str, edition: str) -> bytes:
    """Moodle XML of the knowledge checks: per module a category
    (`$course$/top/<course>/<module>`), then its questions."""
    root = etree.Element("quiz")
    root.append(etree.Comment(f" {course}, edition {edition}: knowledge checks (CC BY 4.0) "))
    for item in quizzes:
        category = etree.SubElement(root, "question", type="category")
        _text(category, "category", f"$course$/top/{course}/{item.title}")
        _text(
            category,
            "info",
            _para(f"Knowledge check of {item.title}, edition {edition}: {item.page_url}"),
            format="html",
        )
        etree.SubElement(category, "idnumber").text = f"stdm-{edition}-{item.module_id.lower()}"
        for question in item.quiz.questions:
            _moodle_question(root, item, question)
    return _serialise(root)


# --- QTI 1.2, Common Cartridge 1.1 profile ------------------------------------------------------

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILES = {
    "single": "cc.multiple_choice.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "truefalse": "cc.true_false.v0p1",
}
"""The CC 1.1 QTI item profile of each question kind."""


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), attributes)
    if text is not None:
        element.text = text
    return element


def _metadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    block = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(block, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _material(parent: etree._Element, markup: str) -> None:
    _sub(_sub(parent, "material"), "mattext", markup, texttype="text/html")


def option_ident(question: Question, index: int) -> str:
    """`m3-q1-o2`: the QTI identifier of a question's option."""
    return f"{question.id}-o{index + 1}"


def _qti_item(section: etree._Element, item: ModuleQuiz, number: int, question: Question) -> None:
    element = _sub(section, "item", ident=question.id, title=f"Question {number}")
    _metadata(_sub(element, "itemmetadata"), [("cc_profile", PROFILES[question.kind]), ("cc_weighting", "1")])
    presentation = _sub(element, "presentation")
    _material(presentation, _para(question.prompt))
    cardinality = "Multiple" if question.kind == "multiple" else "Single"
    choice = _sub(_sub(presentation, "response_lid", ident="response1", rcardinality=cardinality), "render_choice")
    for index, option in enumerate(question.options):
        label = _sub(choice, "response_label", ident=option_ident(question, index))
        _sub(_sub(label, "material"), "mattext", option.text, texttype="text/plain")
    processing = _sub(element, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100")
    for index, _option in enumerate(question.options):
        condition = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(condition, "conditionvar"), "varequal", option_ident(question, index), respident="response1")
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{option_ident(question, index)}-fb")
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    test = _sub(condition, "conditionvar")
    if question.kind == "multiple":
        test = _sub(test, "and")
    for index, option in enumerate(question.options):
        if option.correct:
            _sub(test, "varequal", option_ident(question, index), respident="response1")
        elif question.kind == "multiple":
            _sub(_sub(test, "not"), "varequal", option_ident(question, index), respident="response1")
    _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    general = _sub(element, "itemfeedback", ident="general_fb")
    _material(_sub(general, "flow_mat"), item.section_link(question))
    for index, option in enumerate(question.options):
        verdict = "Right" if option.correct else "Wrong"
        feedback = _sub(element, "itemfeedback", ident=f"{option_ident(question, index)}-fb")
        _material(_sub(feedback, "flow_mat"), _para(f"{verdict}: {option.feedback}"))


def qti_assessment(item: ModuleQuiz, ident: str, edition: str) -> bytes:
    """The module's knowledge check as a QTI 1.2 assessment (CC 1.1 profile `cc.exam.v0p1`):
    unlimited attempts, feedback and solutions shown."""
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI_NS} {QTI_SCHEMA}")
    assessment = _sub(root, "assessment", ident=ident, title=f"Knowledge check: {item.title} (edition {edition})")
    _metadata(
        assessment,
        [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
            ("qmd_feedbackpermitted", "Yes"),
            ("qmd_hintspermitted", "No"),
            ("qmd_solutionspermitted", "Yes"),
            ("cc_maxattempts", "unlimited"),
        ],
    )
    section = _sub(assessment, "section", ident=f"{ident}-section")
    for number, question in enumerate(item.quiz.questions, start=1):
        _qti_item(section, item, number, question)
    return _serialise(root)
