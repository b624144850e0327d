"""Knowledge checks: questions kept as data beside each module, rendered by the build.

Each module folder holds a `quiz.yml` (schema: `scripts/data/quiz.schema.json`): 6 to 10
questions, each with its kind (`single`, `multiple`, `truefalse`), the anchor of the section
that teaches it, and options that each carry feedback saying why they are right or wrong.
[`load_quiz`][scripts.quiz.load_quiz] validates a file (QIZ001) and
[`check_sections`][scripts.quiz.check_sections] its anchors against the page (QIZ002);
[`render_quiz`][scripts.quiz.render_quiz] writes the HTML that `javascripts/course.js`
makes answerable in the browser. Without JavaScript, and on paper, each question keeps its
answer and explanations in a closed `<details>` block, which printing opens: the answer key.
The learning-platform exports read the same data.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from scripts.diagnostics import Diagnostic
from scripts.markdown_source import literal_html

SCHEMA = Path(__file__).parent / "data" / "quiz.schema.json"
FILE_NAME = "quiz.yml"
MARKER = "<!-- course:quiz -->"
"""Where a module page shows its knowledge check."""


@dataclass(frozen=True)
class Option:
    """One answer to choose."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """One question of a knowledge check."""

    id: str
    kind: str
    prompt: str
    section: str
    options: tuple[Option, ...]
    line: int = 1


@dataclass(frozen=True)
class Quiz:
    """A module's knowledge check."""

    path: str
    questions: tuple[Question, ...]


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _question_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.split("\n"), start=1) if re.match(r"^\s*-\s+id:", line)]


def load_quiz(file: Path, display: str) -> tuple[Quiz | None, list[Diagnostic]]:
    """Read and validate a `quiz.yml`; every problem is a QIZ001 diagnostic, never an exception."""
    try:
        text = file.read_text(encoding="utf-8")
        data: Any = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as error:
        return None, [Diagnostic(display, 1, 1, "QIZ001", f"cannot read the knowledge check: {error}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Diagnostic(display, line, 1, "QIZ001", f"invalid YAML: {getattr(error, 'problem', error)}")]
    lines = _question_lines(text)

    def at(index: int | None) -> int:
        return lines[index] if index is not None and index < len(lines) else 1

    problems = []
    for invalid in sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(invalid.absolute_path)
        index = path[1] if len(path) > 1 and path[0] == "questions" and isinstance(path[1], int) else None
        where = "/".join(str(p) for p in path) or "the file"
        problems.append(Diagnostic(display, at(index), 1, "QIZ001", f"{where}: {invalid.message}"))
    if problems:
        return None, problems
    questions = []
    seen: set[str] = set()
    for index, raw in enumerate(data["questions"]):
        options = tuple(Option(o["text"].strip(), o["correct"], o["feedback"].strip()) for o in raw["options"])
        question = Question(raw["id"], raw["kind"], raw["prompt"].strip(), raw["section"], options, at(index))
        problems.extend(Diagnostic(display, question.line, 1, "QIZ001", m) for m in _semantics(question, seen))
        seen.add(question.id)
        questions.append(question)
    return (None if problems else Quiz(display, tuple(questions))), problems


def _semantics(question: Question, seen: set[str]) -> list[str]:
    found = []
    right = sum(option.correct for option in question.options)
    if question.id in seen:
        found.append(f"question id '{question.id}' is used twice: number the questions")
    if question.kind in {"single", "truefalse"} and right != 1:
        found.append(f"{question.id}: a {question.kind} question needs exactly one right option (has {right})")
    if question.kind == "multiple" and right < 1:
        found.append(f"{question.id}: a multiple question needs at least one right option")
    if question.kind == "truefalse" and [o.text for o in question.options] != ["True", "False"]:
        found.append(f"{question.id}: a truefalse question has exactly the options True and False, in that order")
    if len({o.text for o in question.options}) != len(question.options):
        found.append(f"{question.id}: two options have the same text")
    return found


def check_sections(quiz: Quiz, anchors: set[str]) -> list[Diagnostic]:
    """QIZ002: every question names a section that its page has."""
    return [
        Diagnostic(
            quiz.path,
            question.line,
            1,
            "QIZ002",
            f"{question.id}: the page has no section '#{question.section}': name the anchor of the heading that teaches it",
        )
        for question in quiz.questions
        if question.section not in anchors
    ]


# --- Rendering ----------------------------------------------------------------------------

KIND_HELP = {
    "single": "Choose one answer.",
    "multiple": "Choose every answer that applies.",
    "truefalse": "True or false?",
}


def render_quiz(quiz: Quiz, titles: dict[str, str]) -> str:
    """The knowledge check as HTML: one fieldset per question, its answer key in `<details>`.

    Args:
        quiz: The questions.
        titles: Section titles by anchor, for the "Read again" links.
    """
    out = ['<section class="quiz" data-search-exclude>']
    for number, question in enumerate(quiz.questions, start=1):
        kind = "checkbox" if question.kind == "multiple" else "radio"
        name = html.escape(question.id)
        out.append(f'<form class="quiz-question" data-kind="{question.kind}" id="{name}" novalidate>')
        out.append(
            f"<fieldset><legend><strong>Question {number}.</strong> {literal_html(question.prompt)} "
            f"<em>{KIND_HELP[question.kind]}</em></legend>"
        )
        for index, option in enumerate(question.options):
            ident = f"{name}-{index}"
            correct = "true" if option.correct else "false"
            out.append(
                f'<div class="quiz-option"><input type="{kind}" name="{name}" id="{ident}" value="{index}" '
                f'data-correct="{correct}"><label for="{ident}">{literal_html(option.text)}</label></div>'
            )
        out.append("</fieldset>")
        section = html.escape(question.section)
        title = literal_html(titles.get(question.section, "the section"))
        out.append(
            '<p class="quiz-actions"><button type="button" class="md-button quiz-check">Check my answer</button></p>'
            '<div class="quiz-result" role="status" aria-live="polite"></div>'
        )
        out.append('<details class="quiz-answer"><summary>Answer and explanations</summary><ul>')
        for option in question.options:
            verdict = "Right" if option.correct else "Wrong"
            out.append(
                f'<li data-verdict="{verdict.lower()}"><strong>{verdict}:</strong> {literal_html(option.text)}. '
                f"{literal_html(option.feedback)}</li>"
            )
        out.append(f'</ul><p>Read again: <a href="#{section}">{title}</a>.</p></details></form>')
    out.append("</section>")  # no <section> inside: Material's search parser would end the exclusion
    return "\n".join(out)


_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*\{[^}]*#(?P<anchor>[A-Za-z][\w-]*)[^}]*\}\s*$", re.M)


def section_titles(markdown: str) -> dict[str, str]:
    """Titles of the page's headings that have explicit anchors, by anchor."""
    return {m.group("anchor"): m.group("title").strip() for m in _HEADING.finditer(markdown)}
