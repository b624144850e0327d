"""`make bench-web` helpers that need no browser: Lighthouse report summaries and page lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.bench_web import page_urls, summarise


def _report(**audit_scores: float | None) -> dict[str, Any]:
    """A Lighthouse JSON report with one category whose audits score as given."""
    refs = [{"id": name.replace("_", "-"), "weight": 1} for name in audit_scores]
    refs.append({"id": "manual-check", "weight": 0})
    audits = {
        name.replace("_", "-"): {"score": score, "title": f"title of {name}"} for name, score in audit_scores.items()
    }
    audits["manual-check"] = {"score": 0, "title": "weight 0: never costs points"}
    scored = [s for s in audit_scores.values() if s is not None]
    return {
        "categories": {"accessibility": {"score": sum(scored) / len(scored), "auditRefs": refs}},
        "audits": audits,
    }


def test_summarise_accepts_a_perfect_report() -> None:
    summary = summarise(_report(image_alt=1, color_contrast=1, not_applicable=None))
    assert summary.scores == {"accessibility": 100}
    assert summary.failing == []


def test_summarise_names_each_audit_that_costs_points() -> None:
    summary = summarise(_report(image_alt=0, color_contrast=0.5, label=1))
    assert summary.scores == {"accessibility": 50}
    assert summary.failing == [
        "accessibility: image-alt (title of image_alt)",
        "accessibility: color-contrast (title of color_contrast)",
    ]


def test_summarise_reads_a_null_category_score_as_zero() -> None:
    report = _report(image_alt=0)
    report["categories"]["accessibility"]["score"] = None
    assert summarise(report).scores == {"accessibility": 0}


def test_page_urls_skip_redirect_stubs(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>" + "x" * 5000 + "</html>")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<html>" + "x" * 5000 + "</html>")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "index.html").write_text('<meta http-equiv="refresh" content="0; url=../a/">')
    assert page_urls(tmp_path) == ["", "a/"]
