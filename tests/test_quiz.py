"""Knowledge checks (QIZ001, QIZ002) and the module anatomy rules (MOD001-MOD004)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from scripts import anatomy, quiz
from scripts.markdown_source import read_page


def _question(n: int, kind: str = "single") -> dict[str, object]:
    options = (
        [{"text": "True", "correct": True, "feedback": "Right: the section says so in its first paragraph."},
         {"text": "False", "correct": False, "feedback": "Wrong: the section says the opposite, with its source."}]
        if kind == "truefalse"
        else [{"text": f"Option {i}", "correct": i == 0, "feedback": f"Feedback {i}: why this is {'right' if i == 0 else 'wrong'} here."} for i in range(3)]
    )  # fmt: skip
    return {
        "id": f"m9-q{n}",
        "kind": kind,
        "prompt": f"Question number {n} about the module?",
        "section": "tor",
        "options": options,
    }


def _write(tmp_path: Path, data: object) -> Path:
    file = tmp_path / "quiz.yml"
    file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return file


GOOD: dict[str, object] = {"questions": [_question(1), _question(2, "truefalse"), *[_question(n) for n in range(3, 7)]]}


def test_valid_quiz_is_accepted(tmp_path: Path) -> None:
    loaded, problems = quiz.load_quiz(_write(tmp_path, GOOD), "quiz.yml")
    assert problems == []
    assert loaded is not None and len(loaded.questions) == 6
    assert loaded.questions[1].kind == "truefalse"
    assert quiz.check_sections(loaded, {"tor"}) == []


def _broken(mutate) -> Any:  # type: ignore[no-untyped-def]
    import copy

    data: Any = copy.deepcopy(GOOD)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"questions": [_question(n) for n in range(1, 6)]}, "is too short"),
        (_broken(lambda d: d["questions"][2]["options"][1].pop("feedback")), "'feedback' is a required property"),
        (
            _broken(lambda d: d["questions"][3]["options"][1].update(correct=True)),
            "needs exactly one right option (has 2)",
        ),
        (_broken(lambda d: d["questions"][1]["options"][0].update(text="Yes")), "exactly the options True and False"),
        (_broken(lambda d: d["questions"][4].update(id="m9-q1")), "is used twice"),
        (_broken(lambda d: d["questions"][0].update(kind="essay")), "is not one of"),
        (_broken(lambda d: d["questions"][0]["options"][0].update(feedback="Yes.")), "is too short"),
    ],
)
def test_qiz001_invalid_quizzes_are_reported_at_their_question(tmp_path: Path, data: object, message: str) -> None:
    loaded, problems = quiz.load_quiz(_write(tmp_path, data), "quiz.yml")
    assert loaded is None
    assert problems and all(p.code == "QIZ001" for p in problems)
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert all(p.line >= 1 for p in problems)


def test_qiz001_bad_yaml_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    file = tmp_path / "quiz.yml"
    file.write_text("questions:\n  - id: [unclosed\n", encoding="utf-8")
    loaded, problems = quiz.load_quiz(file, "quiz.yml")
    assert loaded is None and problems[0].code == "QIZ001" and problems[0].line == 3


def test_qiz002_a_question_pointing_to_no_section(tmp_path: Path) -> None:
    loaded, _ = quiz.load_quiz(_write(tmp_path, GOOD), "quiz.yml")
    assert loaded is not None
    problems = quiz.check_sections(loaded, {"other"})
    assert len(problems) == 6 and problems[0].code == "QIZ002" and problems[0].line == 2


def test_rendered_quiz_is_a_form_per_question_with_its_answer_key(tmp_path: Path) -> None:
    data = _broken(lambda d: d["questions"][0].update(prompt="Is <b>this</b> [@key] *safe* here?", kind="multiple"))
    loaded, _ = quiz.load_quiz(_write(tmp_path, data), "quiz.yml")
    assert loaded is not None
    html = quiz.render_quiz(loaded, {"tor": "Tor and onion services"})
    assert "<b>this</b>" not in html and "[@key]" not in html  # prompts are text, never markup
    tree = lxml.html.fragment_fromstring(html)
    assert tree.get("data-search-exclude") is not None
    forms = tree.xpath("//form")
    assert len(forms) == 6
    first = forms[0]
    assert first.xpath(".//legend")[0].text_content().startswith("Question 1. Is <b>this</b>")
    assert [i.get("type") for i in first.xpath(".//input")] == ["checkbox"] * 3
    assert [i.get("type") for i in forms[1].xpath(".//input")] == ["radio"] * 2
    labels = {label.get("for") for label in first.xpath(".//label")}
    assert labels == {i.get("id") for i in first.xpath(".//input")}
    answer = first.xpath(".//details")[0].text_content()
    assert "Right: Option 0. Feedback 0" in answer and "Wrong: Option 1." in answer
    assert first.xpath(".//details//a")[0].get("href") == "#tor"
    assert first.xpath(".//*[@role='status']")


MODULE = textwrap.dedent(
    """\
    ---
    id: M9
    title: Fixture
    duration: 60
    ---

    ## Key issues { #key-issues }

    ### Tor { #tor }

    ### Since 2016 { #since-2016 }

    ## Case study: x { #case-study }

    ### Guiding questions { #case-questions }

    ## Possible class structure { #class-structure }

    | Time | Activity | Notes |
    |---|---|---|
    | 40 min | Lecture | |
    | 20 min | Debrief: pre-class exercise | |

    ## Review questions { #review }

    ??? question "Remember: what?"
        A.

    ??? question "Analyse: why?"
        B.

    ## Student assessment { #assessment }

    ### Written assignment { #assignment }

    ### Marking rubric { #rubric }

    ### Knowledge check { #knowledge-check }

    <!-- course:quiz -->

    ## Advanced reading { #advanced-reading }

    - One [@a]: x.
    - Two [@b]: y.
    """
)


def _module(tmp_path: Path, text: str, with_quiz: bool = True) -> list[str]:
    docs = tmp_path / "docs"
    folder = docs / "modules" / "m9-fixture"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    if with_quiz:
        _write(folder, GOOD)
    page = read_page(folder / "index.md", docs, tmp_path)
    return [f"{d.code} {d.message}" for d in anatomy.check_module(page, 60, docs)]


def test_a_module_with_every_part_passes(tmp_path: Path) -> None:
    assert _module(tmp_path, MODULE) == []


@pytest.mark.parametrize("anchor", [a for a, _ in anatomy.REQUIRED])
def test_mod001_each_missing_part(tmp_path: Path, anchor: str) -> None:
    found = _module(tmp_path, MODULE.replace(f"{{ #{anchor} }}", "{ #renamed }"))
    assert any(f.startswith(f"MOD001 module has no section '#{anchor}'") for f in found), found


def test_mod001_knowledge_check_without_marker_or_quiz_file(tmp_path: Path) -> None:
    found = _module(tmp_path, MODULE.replace("<!-- course:quiz -->", ""), with_quiz=False)
    assert "MOD001 the knowledge check section lacks <!-- course:quiz -->" in found
    assert any("no quiz.yml beside the page" in f for f in found)


def test_mod002_levels(tmp_path: Path) -> None:
    found = _module(tmp_path, MODULE.replace("Analyse: why?", "Remember: why?").replace("Remember: what?", "What?"))
    assert any(f.startswith("MOD002 review question without a level") for f in found)
    assert any("0 of 2 review questions go beyond recall" in f for f in found)


def test_mod003_debrief_and_duration(tmp_path: Path) -> None:
    found = _module(
        tmp_path, MODULE.replace("Debrief: pre-class exercise", "Discussion").replace("| 40 min", "| 45 min")
    )
    assert any("never debriefs" in f for f in found)
    assert "MOD003 the class plan sums to 65 minutes; the module's duration is 60" in found


def test_mod004_one_advanced_reading(tmp_path: Path) -> None:
    found = _module(tmp_path, MODULE.replace("- Two [@b]: y.\n", ""))
    assert any(f.startswith("MOD004 1 advanced reading(s)") for f in found)
