"""APA 7 formatting fixes (issue 12, review section 5), each from the APA manual's own examples
where one exists: in-text order and merging (8.12), n.d.-a (8.19/9.47), a publisher named inside
the author's name, and report numbers and descriptions (10.4)."""

from __future__ import annotations

import re
import textwrap

import pytest

from scripts.bibliography import format_reference, parse_bibliography, report_label, year_labels
from scripts.citations import labeller, render_citations


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")


LABEL = labeller(
    {
        "westinghouse": "Westinghouse",
        "adams": "Adams et al.",
        "shumway": "Shumway & Shulman",
        "va1": "Department of Veterans Affairs",
        "va2": "Department of Veterans Affairs",
        "zhou2000": "Zhou",
        "zhou2011": "Zhou",
    },
    {
        "westinghouse": "2017",
        "adams": "2019",
        "shumway": "2015",
        "va1": "n.d.-a",
        "va2": "n.d.-b",
        "zhou2000": "2000",
        "zhou2011": "2011",
    },
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # APA 7, 8.12: works in one parenthesis in reference-list order.
        ("[@westinghouse; @adams; @shumway]", "(Adams et al., 2019; Shumway & Shulman, 2015; Westinghouse, 2017)"),
        # APA 7, 8.12: one author's works share the name, in date order.
        ("[@zhou2011; @zhou2000]", "(Zhou, 2000, 2011)"),
        ("[@va2; @va1]", "(Department of Veterans Affairs, n.d.-a, n.d.-b)"),
        # A prefix and a locator stay with their work.
        ("[see @westinghouse, p. 4; @adams]", "(Adams et al., 2019; see Westinghouse, 2017, p. 4)"),
        ("[@zhou2000, p. 3; @zhou2011]", "(Zhou, 2000, p. 3; Zhou, 2011)"),
    ],
)
def test_in_text_groups_follow_apa(source: str, expected: str) -> None:
    html, _ = render_citations(source, LABEL)
    assert _text(html) == expected


BIB = textwrap.dedent(
    """\
    @online{va1, author = {{Department of Veterans Affairs}}, title = {B}, year = {n.d.}, publisher = {VA}, url = {https://example.org/b}}
    @online{va2, author = {{Department of Veterans Affairs}}, title = {A}, year = {n.d.}, publisher = {VA}, url = {https://example.org/a}}
    @online{unodc, author = {{United Nations Office on Drugs and Crime}}, title = {Module 1}, year = {2018}, publisher = {United Nations}, url = {https://example.org/m}}
    @online{same, author = {{BBC News}}, title = {Story}, year = {2016}, publisher = {BBC News}, url = {https://example.org/s}}
    """
)


def test_undated_works_of_one_author_are_n_d_hyphen_letter() -> None:
    labels = year_labels(parse_bibliography(BIB, "refs.bib").entries)
    assert (labels["va2"], labels["va1"]) == ("n.d.-a", "n.d.-b")  # ordered by title


def test_a_publisher_named_inside_the_author_is_kept_and_an_identical_one_dropped() -> None:
    entries = parse_bibliography(BIB, "refs.bib").entries
    assert "<em>United Nations</em>." in format_reference(entries["unodc"], "2018")
    assert "<em>BBC News</em>" not in format_reference(entries["same"], "2016")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "Inquiry \\& Analysis Series", "number": "1291"}, " (Inquiry & Analysis Series No. 1291)"),
        ({"number": "8"}, " (No. 8)"),
        ({"type": "TrendLabs research paper"}, " [TrendLabs research paper]"),
        ({}, ""),
    ],
)
def test_report_numbers_series_and_descriptions(fields: dict[str, str], expected: str) -> None:
    assert report_label(fields) == expected


def test_a_report_prints_its_description_after_the_title() -> None:
    bib = parse_bibliography(
        "@report{r, author = {{Trend Micro}}, title = {Dark Motives Online}, institution = {Trend Micro Inc.},"
        " type = {TrendLabs research paper}, year = {2016}, url = {https://example.org/r}}",
        "refs.bib",
    )
    assert _text(format_reference(bib.entries["r"], "2016")).startswith(
        "Trend Micro. (2016). Dark Motives Online [TrendLabs research paper]. Trend Micro Inc."
    )
