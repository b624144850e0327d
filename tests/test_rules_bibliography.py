"""Bibliography rules BIB001-BIB007 (and FIL001 for the .bib file), from codes.yml and authoring.md.

Every entry needs title, author (organisations in double braces), a four-digit year, one of
journal/publisher/institution, a known entry type, and an https url, a doi or a nolink reason;
no link may point at a denylisted host. Expected lines are counted in the fixture text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scripts import check
from scripts.bibliography import Bibliography, check_bibliography, load_bibliography, parse_bibliography
from scripts.diagnostics import Diagnostic, Severity
from scripts.policy import load_denylist
from tests.conftest import write_site

BIB = "docs/references.bib"
DENYLIST = load_denylist()


def _bib(text: str) -> Bibliography:
    return parse_bibliography(textwrap.dedent(text), BIB)


def _lines(text: str) -> list[str]:
    """Every diagnostic of the bibliography rules, formatted, in file order."""
    return [d.format() for d in sorted(check_bibliography(_bib(text), DENYLIST))]


def _err(line: int, code: str, message: str) -> str:
    return Diagnostic(BIB, line, 1, code, message).format()


# --- Accepted entries -----------------------------------------------------------------------


def test_complete_entries_of_each_documented_kind_pass() -> None:
    text = """\
        @article{weimann2016,
          author = {Weimann, Gabriel and Vellante, Alexander},
          title = {The dead drops of online terrorism},
          journal = {Perspectives on Terrorism},
          year = {2016},
          doi = {10.1234/pot.2016.1},
        }
        @book{smith2019,
          author = {Smith, Jane},
          title = {A book},
          publisher = {Example Press},
          year = {2019},
          url = {https://example.org/book},
        }
        @report{europol2021,
          author = {{Europol}},
          title = {TE-SAT 2021},
          institution = {Europol},
          year = {2021},
          url = {https://www.europol.europa.eu/te-sat},
        }
        @online{trendmicro2016blog,
          author = {{Trend Micro}},
          title = {A blog post},
          publisher = {Trend Micro},
          year = {2016},
          date = {2016-05-03},
          nolink = {read only in a forum repost},
        }
        """
    bib = _bib(text)
    assert bib.problems == ()
    assert sorted(bib.entries) == ["europol2021", "smith2019", "trendmicro2016blog", "weimann2016"]
    assert check_bibliography(bib, DENYLIST) == []


def test_a_host_that_only_ends_like_a_denylisted_one_is_allowed() -> None:
    # Sub-domains of a denylisted host match; a different domain that merely ends in the
    # same letters does not (notscribd.com is not scribd.com).
    text = """\
        @online{a2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {https://notscribd.com/a},
        }
        """
    assert _lines(text) == []


# --- BIB001 -----------------------------------------------------------------------------------


def test_bib001_malformed_entry_is_reported_and_the_next_entry_still_parses() -> None:
    text = """\
        @online{good2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {https://example.org/a},
        }
        @online{nocomma2016
          title = {x},
        }
        @online{after2017,
          author = {{B}},
          title = {U},
          year = {2017},
          publisher = {P},
          url = {https://example.org/b},
        }
        """
    bib = _bib(text)
    assert [d.format() for d in bib.problems] == [
        _err(8, "BIB001", "malformed entry '@online{nocomma2016': check braces and commas")
    ]
    assert sorted(bib.entries) == ["after2017", "good2016"]


def test_bib001_unbalanced_braces() -> None:
    text = """\
        @article{d2016,
          author = {Smith, John},
          title = {T {,
          year = {2016},
        }
        """
    assert [d.format() for d in _bib(text).problems] == [
        _err(1, "BIB001", "malformed entry '@article{d2016,': check braces and commas")
    ]


_REPEATED_FIELD = """\
    @online{first2016,
      author = {{A}},
      title = {T},
      year = {2016},
      publisher = {P},
      url = {https://example.org/a},
    }
    @online{twice2016,
      author = {{A}},
      title = {B},
      title = {C},
      year = {2016},
      publisher = {P},
      url = {https://example.org/b},
    }
    """


def test_bib001_repeated_field_is_reported_at_the_entry() -> None:
    bib = _bib(_REPEATED_FIELD)
    assert [(d.path, d.line, d.col, d.code) for d in bib.problems] == [(BIB, 8, 1, "BIB001")]
    assert "repeats a field" in bib.problems[0].message


def test_bib001_repeated_field_message_names_the_entry() -> None:
    assert [d.format() for d in _bib(_REPEATED_FIELD).problems] == [
        _err(8, "BIB001", "entry 'twice2016' repeats a field: keep one")
    ]


def test_bib001_missing_file(tmp_path: Path) -> None:
    bib = load_bibliography(tmp_path / "references.bib", BIB)
    assert [d.format() for d in bib.problems] == [_err(1, "BIB001", "bibliography file is missing")]


def test_fil001_bibliography_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_bytes(b"@online{a,\n  title = {caf\xe9},\n}\n")
    bib = load_bibliography(path, BIB)
    # The reason is the codec's own: 0xe9 followed by '}' is an invalid continuation byte.
    assert [d.format() for d in bib.problems] == [_err(1, "FIL001", "not UTF-8 (invalid continuation byte)")]
    assert bib.entries == {}


def test_existing_utf8_file_loads_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_text(
        "@online{a2016,\n  author = {{Café Org}},\n  title = {Über},\n  year = {2016},\n"
        "  publisher = {P},\n  url = {https://example.org/a},\n}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path, BIB)
    assert bib.problems == ()
    assert bib.entries["a2016"].fields["title"] == "Über"
    assert check_bibliography(bib, DENYLIST) == []


# --- BIB002 -----------------------------------------------------------------------------------


def test_bib002_duplicate_key_reported_at_the_second_entry() -> None:
    text = """\
        @online{same2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {https://example.org/a},
        }

        @online{same2016,
          author = {{B}},
          title = {U},
          year = {2016},
          publisher = {P},
          url = {https://example.org/b},
        }
        """
    assert _lines(text) == [_err(9, "BIB002", "duplicate key 'same2016': rename one entry")]


def test_distinct_keys_are_not_duplicates() -> None:
    text = """\
        @online{same2016a,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {https://example.org/a},
        }
        @online{same2016b,
          author = {{A}},
          title = {U},
          year = {2016},
          publisher = {P},
          url = {https://example.org/b},
        }
        """
    assert _lines(text) == []


# --- BIB003 -----------------------------------------------------------------------------------


def test_bib003_unknown_entry_type() -> None:
    text = """\
        @thesis{t2016,
          author = {Doe, Jane},
          title = {T},
          year = {2016},
          institution = {Uni},
          url = {https://example.org/t},
        }
        """
    assert _lines(text) == [
        _err(
            1,
            "BIB003",
            "entry 't2016': unknown entry type '@thesis': use one of "
            "article, book, incollection, misc, online, report, techreport",
        )
    ]


def test_bib003_missing_title_and_author_reported_at_the_entry() -> None:
    text = """\
        % a comment line first, so the entry starts on line 2
        @online{anon2016,
          year = {2016},
          publisher = {P},
          url = {https://example.org/a},
        }
        """
    assert _lines(text) == [
        _err(2, "BIB003", "entry 'anon2016': missing 'author' (organisations in double braces: {{Europol}})"),
        _err(2, "BIB003", "entry 'anon2016': missing 'title'"),
    ]


@pytest.mark.parametrize("year", ["16", "2016a", "circa 2016"])
def test_bib003_malformed_year_reported_at_the_year_field(year: str) -> None:
    text = f"""\
        @online{{y2016,
          author = {{{{A}}}},
          title = {{T}},
          publisher = {{P}},
          year = {{{year}}},
          url = {{https://example.org/a}},
        }}
        """
    assert _lines(text) == [
        _err(5, "BIB003", "entry 'y2016': missing or malformed 'year' (four digits, or n.d. for an undated page)")
    ]


def test_bib003_missing_year_reported_at_the_entry() -> None:
    text = """\
        @online{y,
          author = {{A}},
          title = {T},
          publisher = {P},
          url = {https://example.org/a},
        }
        """
    assert _lines(text) == [
        _err(1, "BIB003", "entry 'y': missing or malformed 'year' (four digits, or n.d. for an undated page)")
    ]


def test_bib003_missing_container() -> None:
    text = """\
        @misc{c2016,
          author = {{A}},
          title = {T},
          year = {2016},
          url = {https://example.org/a},
        }
        """
    assert _lines(text) == [_err(1, "BIB003", "entry 'c2016': missing 'journal', 'publisher' or 'institution'")]


@pytest.mark.parametrize("container", ["journal", "publisher", "institution"])
def test_any_one_container_field_is_enough(container: str) -> None:
    text = f"""\
        @misc{{c2016,
          author = {{{{A}}}},
          title = {{T}},
          year = {{2016}},
          {container} = {{Somewhere}},
          url = {{https://example.org/a}},
        }}
        """
    assert _lines(text) == []


# --- BIB004 -----------------------------------------------------------------------------------


def test_bib004_http_url_reported_at_the_url_field() -> None:
    text = """\
        @online{h2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},

          url = {http://example.org/a},
        }
        """
    assert _lines(text) == [_err(7, "BIB004", "entry 'h2016': 'http://example.org/a' uses http: use https")]


def test_bib004_url_without_scheme_is_not_an_https_url() -> None:
    text = """\
        @online{h2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {www.example.org/a},
        }
        """
    assert _lines(text) == [_err(6, "BIB004", "entry 'h2016': 'www.example.org/a' is not an https URL")]


def test_bib004_unparseable_url_is_a_diagnostic_not_a_crash() -> None:
    text = """\
        @online{v6,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          url = {https://[::1},
        }
        """
    found = check_bibliography(_bib(text), DENYLIST)
    assert [(d.line, d.code) for d in found] == [(6, "BIB004")]


# --- BIB005 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("www.scribd.com", "document-copy site"),
        ("docslib.org", "document-copy site"),
        ("pastebin.com", "forum repost"),
        ("probsee.com", "denylisted host"),
    ],
)
def test_bib005_forbidden_host(host: str, reason: str) -> None:
    text = f"""\
        @online{{f2016,
          author = {{{{A}}}},
          title = {{T}},
          year = {{2016}},
          publisher = {{P}},
          url = {{https://{host}/doc/1}},
        }}
        """
    assert _lines(text) == [_err(6, "BIB005", f"entry 'f2016': '{host}' is a {reason}: cite the original publisher")]


def test_bib005_nolink_instead_of_a_copy_site_is_accepted() -> None:
    text = """\
        @online{f2016,
          author = {{A}},
          title = {T},
          year = {2016},
          publisher = {P},
          nolink = {we read it only on a document-copy site},
        }
        """
    assert _lines(text) == []


# --- BIB006 -----------------------------------------------------------------------------------


def test_bib006_entry_without_url_doi_or_nolink() -> None:
    text = """\
        @article{n2016,
          author = {Doe, Jane},
          title = {T},
          journal = {J},
          year = {2016},
        }
        """
    assert _lines(text) == [
        _err(1, "BIB006", "entry 'n2016': no 'url', 'doi' or 'nolink = {reason}': link the publisher's page")
    ]


def test_a_doi_alone_is_a_link() -> None:
    text = """\
        @article{n2016,
          author = {Doe, Jane},
          title = {T},
          journal = {J},
          year = {2016},
          doi = {10.1000/xyz},
        }
        """
    assert _lines(text) == []


# --- BIB007 (needs the pages: source stage, no build) -------------------------------------------

_TWO_ENTRIES = """\
@online{known2016,
  author = {{Example Org}},
  title = {A known source},
  year = {2016},
  publisher = {Example Org},
  url = {https://example.org/known},
}
@online{other2017,
  author = {{Other Org}},
  title = {Another source},
  year = {2017},
  publisher = {Other Org},
  url = {https://example.org/other},
}
"""


def test_bib007_uncited_entry_is_a_warning(tmp_path: Path) -> None:
    # other2017 appears only inside code, which is not a citation.
    pages = {"index.md": "# Home\n\nA claim [@known2016]. Write `[@other2017]` to cite.\n"}
    project = check.load_project(write_site(tmp_path, pages, bib=_TWO_ENTRIES))
    found, _ = check.source_stage(project)
    expected = Diagnostic(BIB, 8, 1, "BIB007", "entry 'other2017' is not cited by any page", Severity.WARNING)
    assert [d.format() for d in sorted(found)] == [expected.format()]
    assert expected.format() == "docs/references.bib:8:1: BIB007 warning: entry 'other2017' is not cited by any page"


def test_bib007_every_entry_cited(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n\nA claim [@known2016].\n", "about.md": "# About\n\nMore [see @other2017, p. 3].\n"}
    project = check.load_project(write_site(tmp_path, pages, bib=_TWO_ENTRIES))
    found, _ = check.source_stage(project)
    assert found == []
