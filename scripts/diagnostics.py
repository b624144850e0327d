"""Diagnostics: one record per problem, printed as `path:line:col: CODE message`.

Every rule of the check returns [`Diagnostic`][scripts.diagnostics.Diagnostic] records; this
module sorts them, formats them for people (one line each, then a summary) or for tools
(JSON), and decides the exit status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

import yaml

EXIT_OK = 0
"""Exit status: the check found nothing."""
EXIT_PROBLEMS = 1
"""Exit status: the check found at least one error."""
EXIT_USAGE = 2
"""Exit status: the check could not run (bad usage or configuration)."""


class Severity(StrEnum):
    """How serious a diagnostic is: errors fail the check, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found at one place.

    Attributes:
        path: File the problem is in, relative to the project root.
        line: 1-based line number (1 when the whole file is concerned).
        col: 1-based column number.
        code: Stable code such as `CIT001`, explained on the site's check-codes page.
        message: One sentence saying what is wrong and what to do.
        severity: Error or warning.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """Return the editor-friendly line `path:line:col: CODE message`."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {prefix}{self.message}"


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by path, line, column and code, dropping exact duplicates."""
    return sorted(set(diagnostics))


def summary(diagnostics: list[Diagnostic]) -> str:
    """Return the closing line, e.g. `3 errors, 1 warning in 2 files`."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.path for d in diagnostics})

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    if not diagnostics:
        return "no problems found"
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def format_text(diagnostics: list[Diagnostic]) -> str:
    """Format sorted diagnostics one per line, followed by the summary line."""
    lines = [d.format() for d in diagnostics]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic]) -> str:
    """Format diagnostics as a JSON document for tools."""
    items = [asdict(d) | {"severity": d.severity.value} for d in diagnostics]
    return json.dumps({"diagnostics": items, "summary": summary(diagnostics)}, indent=2)


def exit_status(diagnostics: list[Diagnostic]) -> int:
    """Return 1 when any diagnostic is an error, else 0."""
    has_error = any(d.severity is Severity.ERROR for d in diagnostics)
    return EXIT_PROBLEMS if has_error else EXIT_OK


def load_codes(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Load the table of diagnostic codes (title, meaning, fix) from `data/codes.yml`."""
    source = path or Path(__file__).with_name("data") / "codes.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    return {str(code): {str(k): str(v) for k, v in info.items()} for code, info in data.items()}
