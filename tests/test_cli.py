"""The command line: exit status 0 clean / 1 problems / 2 could not run, one sorted
`path:line:col: CODE message` line per problem, a summary line, JSON output, --no-build, and
`publish` swapping a new build into site/ only when everything is clean.

Source-only runs call `scripts.cli.main` in-process (fast); runs that need the exit status of a
real process or a MkDocs build go through `python -m scripts` (tests.conftest.run_cli).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import cli, publish
from scripts.diagnostics import Diagnostic, Severity, exit_status, sort_diagnostics, summary
from tests.conftest import run_cli, write_site

CLEAN = {
    "index.md": "# Home\n\nSee [About](about.md) [@known2016].\n",
    "about.md": "# About\n\nBack [home](index.md).\n",
}


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(args)
    out, err = capsys.readouterr()
    return status, out, err


def _check(config: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    return _main(["-f", str(config), "check", "--no-build", *extra], capsys)


def _d(path: str, line: int, col: int, code: str, message: str) -> str:
    return Diagnostic(path, line, col, code, message).format()


# --- Exit status 0 and 1, exact lines, order, summary -------------------------------------------------


def test_clean_sources_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(write_site(tmp_path, CLEAN), capsys) == (0, "no problems found\n", "")


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n\nNothing is cited.\n"})
    warning = Diagnostic(
        "docs/references.bib", 1, 1, "BIB007", "entry 'known2016' is not cited by any page", Severity.WARNING
    )
    assert _check(config, capsys) == (0, f"{warning.format()}\n0 errors, 1 warning in 1 file\n", "")


def test_one_error_exit_1_in_a_real_process(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": "# Home\n\nA claim [@nokey] and [@known2016].\n"})
    result = run_cli(["check", "--no-build"], tmp_path)
    assert result.returncode == 1
    line = _d("docs/index.md", 3, 9, "CIT001", "unknown citation key 'nokey'")
    assert result.stdout == f"{line}\n1 error, 0 warnings in 1 file\n"


def test_output_sorted_by_path_then_numeric_line_and_column_without_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = "\n".join(["# A", "", "", "", "", "", "", "", "[@zz] [@yy]", "[@xx; @xx]", ""])
    config = write_site(tmp_path, {"b.md": "# B\n\nX [@nokey] [@known2016].\n", "a.md": a})
    status, out, err = _check(config, capsys)
    assert status == 1
    assert err == ""
    assert out.splitlines() == [
        _d("docs/a.md", 9, 1, "CIT001", "unknown citation key 'zz'"),
        _d("docs/a.md", 9, 7, "CIT001", "unknown citation key 'yy'"),
        # line 10 after line 9 (numbers, not text); [@xx; @xx] is one problem at one place
        _d("docs/a.md", 10, 1, "CIT001", "unknown citation key 'xx'"),
        _d("docs/b.md", 3, 3, "CIT001", "unknown citation key 'nokey'"),
        "4 errors, 0 warnings in 2 files",
    ]


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_site(tmp_path, {"index.md": "# Home\n\nA [@nokey].\n"})
    status, out, _ = _check(config, capsys, "--format", "json")
    assert status == 1
    assert json.loads(out) == {
        "diagnostics": [
            {
                "path": "docs/index.md",
                "line": 3,
                "col": 3,
                "code": "CIT001",
                "message": "unknown citation key 'nokey'",
                "severity": "error",
            },
            {
                "path": "docs/references.bib",
                "line": 1,
                "col": 1,
                "code": "BIB007",
                "message": "entry 'known2016' is not cited by any page",
                "severity": "warning",
            },
        ],
        "summary": "1 error, 1 warning in 2 files",
    }


def test_json_format_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _check(write_site(tmp_path, CLEAN), capsys, "--format", "json")
    assert (status, json.loads(out)) == (0, {"diagnostics": [], "summary": "no problems found"})


# --- --no-build and BLD001 --------------------------------------------------------------------------

BROKEN_LINK = {"index.md": "# Home\n\nText [gone](missing.md) here [@known2016].\n"}


def test_no_build_skips_the_build_and_the_site_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A broken Markdown link (BLD001) and a removed locked page (URL001) both need the build.
    config = write_site(tmp_path, BROKEN_LINK)
    (tmp_path / "urls.lock").write_text("gone/\n", encoding="utf-8")
    assert _check(config, capsys) == (0, "no problems found\n", "")
    assert not list(tmp_path.glob(".site-*"))


@pytest.mark.build
def test_bld001_mkdocs_warning_placed_at_the_link(tmp_path: Path) -> None:
    write_site(tmp_path, BROKEN_LINK)
    result = run_cli(["check"], tmp_path)
    assert result.returncode == 1, result.stderr
    # MkDocs' own message, at the link target: line 3, after 'Text [gone](' (12 characters).
    line = _d(
        "docs/index.md",
        3,
        13,
        "BLD001",
        "Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files.",
    )
    assert result.stdout == f"{line}\n1 error, 0 warnings in 1 file\n"
    assert not list(tmp_path.glob(".site-*")), "the temporary build folder is removed"


@pytest.mark.build
def test_bld001_broken_mkdocs_yml(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN, {"theme": {"name": "nosuchtheme"}})
    result = run_cli(["check"], tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("mkdocs.yml:1:1: BLD001 Config value 'theme': Unrecognised theme name: 'nosuchtheme'.")
    assert lines[1] == "1 error, 0 warnings in 1 file"


@pytest.mark.build
def test_clean_site_with_build_exit_0(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    result = run_cli(["check"], tmp_path)
    assert (result.returncode, result.stdout) == (0, "no problems found\n"), result.stderr


# --- Exit status 2: CFG001 and usage ------------------------------------------------------------------


def test_cfg001_missing_config_exit_2_in_a_real_process(tmp_path: Path) -> None:
    result = run_cli(["check"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == _d("mkdocs.yml", 1, 1, "CFG001", "configuration file not found") + "\n"


def test_cfg001_unreadable_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [unclosed\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    status, out, err = _check(config, capsys)
    assert (status, out) == (2, "")
    assert err.startswith(_d(str(config), 1, 1, "CFG001", "cannot read configuration: "))


def test_cfg001_config_not_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("- just\n- a list\n", encoding="utf-8")
    assert _check(config, capsys) == (2, "", _d(str(config), 1, 1, "CFG001", "configuration must be a mapping") + "\n")


def test_cfg001_docs_folder_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\n", encoding="utf-8")
    expected = _d(str(config), 1, 1, "CFG001", f"docs_dir '{tmp_path / 'docs'}' is not a folder")
    assert _check(config, capsys) == (2, "", expected + "\n")


@pytest.mark.parametrize("args", [[], ["check", "--format", "xml"], ["nosuchcommand"], ["check", "--bogus"]])
def test_bad_usage_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _main(args, capsys)
    assert status == 2
    assert out == ""
    assert "usage:" in err


def test_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _main(["check", "--help"], capsys)
    assert status == 0
    assert "--no-build" in out


# --- publish ------------------------------------------------------------------------------------------


def _old_site(root: Path) -> Path:
    site = root / "site"
    site.mkdir()
    (site / "marker.txt").write_text("last good build\n", encoding="utf-8")
    return site


@pytest.mark.build
def test_publish_failure_leaves_site_untouched(tmp_path: Path) -> None:
    # The build itself succeeds (MkDocs does not mind an http link); the check's LNK003 must still
    # stop the publication.
    write_site(tmp_path, {"index.md": "# Home\n\nSee [old](http://example.org/a) [@known2016].\n"})
    site = _old_site(tmp_path)
    result = run_cli(["publish"], tmp_path)
    assert result.returncode == 1
    line = _d("docs/index.md", 3, 11, "LNK003", "'http://example.org/a' is not https: use the https address")
    assert result.stdout == f"{line}\n1 error, 0 warnings in 1 file\n"
    assert "not published: site/ is unchanged" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["marker.txt"]
    assert (site / "marker.txt").read_text(encoding="utf-8") == "last good build\n"
    assert not list(tmp_path.glob(".site-*")), "the rejected build is discarded"


@pytest.mark.build
def test_a_problem_the_hooks_also_report_is_reported_once(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": "# Home\n\nA [@nokey] and [@known2016].\n"})
    result = run_cli(["check"], tmp_path)
    assert result.returncode == 1
    line = _d("docs/index.md", 3, 3, "CIT001", "unknown citation key 'nokey'")
    assert result.stdout == f"{line}\n1 error, 0 warnings in 1 file\n"


@pytest.mark.build
def test_publish_success_swaps_the_new_build_in(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    site = _old_site(tmp_path)
    result = run_cli(["publish"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "no problems found\npublished to site/\n"
    assert (site / "index.html").is_file()
    assert (site / "about" / "index.html").is_file()
    assert not (site / "marker.txt").exists()
    assert not list(tmp_path.glob(".site-*")), "no new or old build folder is left behind"


def test_swap_into_place_restores_the_old_site_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _old_site(tmp_path)
    new = publish.new_site_dir(tmp_path)
    (new / "index.html").write_text("new", encoding="utf-8")
    real_rename = Path.rename

    def rename(self: Path, to: str | Path) -> Path:
        if self == new:
            raise OSError("simulated failure")
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="simulated failure"):
        publish.swap_into_place(new, target)
    assert (target / "marker.txt").read_text(encoding="utf-8") == "last good build\n"
    assert (new / "index.html").exists()


def test_swap_into_place_without_a_previous_site(tmp_path: Path) -> None:
    new = publish.new_site_dir(tmp_path)
    (new / "index.html").write_text("new", encoding="utf-8")
    publish.swap_into_place(new, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- The report helpers ---------------------------------------------------------------------------------


def test_summary_wording() -> None:
    e = Diagnostic("a", 1, 1, "CIT001", "m")
    w = Diagnostic("b", 1, 1, "LNK008", "m", Severity.WARNING)
    assert summary([]) == "no problems found"
    assert summary([e]) == "1 error, 0 warnings in 1 file"
    assert summary([e, Diagnostic("a", 2, 1, "CIT001", "m"), w]) == "2 errors, 1 warning in 2 files"
    assert summary([w, Diagnostic("b", 2, 1, "LNK008", "m", Severity.WARNING)]) == "0 errors, 2 warnings in 1 file"


def test_exit_status_and_sorting() -> None:
    w = Diagnostic("b", 1, 1, "LNK008", "m", Severity.WARNING)
    e = Diagnostic("a", 10, 1, "CIT001", "m")
    assert exit_status([]) == 0
    assert exit_status([w]) == 0
    assert exit_status([w, e]) == 1
    early = Diagnostic("a", 9, 2, "CIT001", "m")
    same_place = Diagnostic("a", 9, 2, "BIB001", "m")
    assert sort_diagnostics([w, e, early, same_place, e]) == [same_place, early, e, w]
