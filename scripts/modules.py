"""Course modules: front matter validation, the module registry and the catalogue.

A module is a page `docs/modules/<folder>/index.md` whose front matter follows
`data/module.schema.json`. The registry built here feeds the module headers, the catalogue
page, `modules.json` and "Cite this module".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from scripts.diagnostics import Diagnostic

DATA = Path(__file__).with_name("data")
_MODULE_URI = re.compile(r"^modules/([^/]+)/index\.md$")


@dataclass(frozen=True)
class Module:
    """The front matter of one module page, validated.

    Attributes:
        id: Stable ID (`M3`).
        title: Title without the ID.
        summary: One or two sentences.
        duration: Minutes of class time.
        level: `introductory`, `intermediate` or `advanced`.
        outcomes: Learning outcomes, each starting with a verb.
        prerequisites: IDs of modules to take first.
        reviewed: ISO date of the last review.
        src_uri: Page path relative to `docs/`.
    """

    id: str
    title: str
    summary: str
    duration: int
    level: str
    outcomes: tuple[str, ...]
    prerequisites: tuple[str, ...]
    reviewed: str
    src_uri: str

    @property
    def full_title(self) -> str:
        """`M3 Anonymity`."""
        return f"{self.id} {self.title}"

    @property
    def url(self) -> str:
        """Directory URL relative to the site root: `modules/m3-anonymity/`."""
        return self.src_uri.removesuffix("index.md")

    @property
    def number(self) -> int:
        """The numeric part of the ID, for sorting."""
        return int(self.id[1:])


def is_module_page(src_uri: str) -> bool:
    """True for `modules/<folder>/index.md`."""
    return bool(_MODULE_URI.match(src_uri))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of module front matter."""
    data: dict[str, Any] = json.loads((DATA / "module.schema.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def outcome_verbs() -> frozenset[str]:
    """Verbs a learning outcome may start with (`data/outcome-verbs.yml`)."""
    return frozenset(yaml.safe_load((DATA / "outcome-verbs.yml").read_text(encoding="utf-8")))


def normalise(meta: dict[str, Any]) -> dict[str, Any]:
    """YAML reads `2026-11-23` as a date: turn dates back into ISO strings."""
    return {str(k): v.isoformat() if isinstance(v, dt.date) else v for k, v in meta.items()}


def _key_line(raw: str, key: object) -> int:
    spelling = re.escape(str(key))
    if str(key) in {"True", "False"}:  # YAML 1.1 reads yes/no/on/off keys as booleans
        spelling = "(?i:yes|no|on|off|true|false|y|n)"
    match = re.search(rf"^{spelling}\s*:", raw, re.M)
    return raw.count("\n", 0, match.start()) + 1 if match else 1


def validate_front_matter(meta: dict[str, Any], path: str, raw: str = "") -> list[Diagnostic]:
    """Validate a module's front matter against the schema (FM002) and verb list (FM003).

    Args:
        meta: The parsed front matter.
        path: Page path for diagnostics.
        raw: The page text, to point each diagnostic at the offending key's line.
    """
    data = normalise(meta)
    found: list[Diagnostic] = []
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        key = str(error.path[0]) if error.path else ""
        if error.validator == "additionalProperties":
            extra = sorted(set(data) - set(schema()["properties"]))
            key = extra[0] if extra else key
            message = f"unknown key '{key}': allowed keys are {', '.join(schema()['required'])}"
        elif error.validator == "required":
            message = f"missing key: {error.message.split(' is a required')[0]}"
        else:
            where = ".".join(str(p) for p in error.path) or "front matter"
            message = f"'{where}': {error.message}"
        found.append(Diagnostic(path, _key_line(raw, key) if key else 1, 1, "FM002", message))
    verbs = outcome_verbs()
    outcomes = data.get("outcomes")
    if isinstance(outcomes, list):
        for outcome in outcomes:
            first = str(outcome).split(" ", 1)[0]
            if first not in verbs:
                found.append(
                    Diagnostic(
                        path,
                        _key_line(raw, "outcomes"),
                        1,
                        "FM003",
                        f"outcome '{str(outcome)[:40]}' should start with a verb such as "
                        f"Explain, Compare or Assess (see scripts/data/outcome-verbs.yml)",
                    )
                )
    return found


def to_module(meta: dict[str, Any], src_uri: str) -> Module:
    """Build a [`Module`][scripts.modules.Module] from front matter already validated."""
    data = normalise(meta)
    return Module(
        id=str(data["id"]),
        title=str(data["title"]),
        summary=" ".join(str(data["summary"]).split()),
        duration=int(data["duration"]),
        level=str(data["level"]),
        outcomes=tuple(str(o) for o in data["outcomes"]),
        prerequisites=tuple(str(p) for p in data["prerequisites"]),
        reviewed=str(data["reviewed"]),
        src_uri=src_uri,
    )


def check_registry(modules: list[Module], paths: dict[str, str]) -> list[Diagnostic]:
    """Module IDs are unique and prerequisites name existing modules (FM004)."""
    found: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for module in modules:
        path = paths[module.src_uri]
        if module.id in seen:
            found.append(Diagnostic(path, 1, 1, "FM004", f"module ID {module.id} is also used by {seen[module.id]}"))
        seen.setdefault(module.id, path)
    for module in modules:
        for prerequisite in module.prerequisites:
            if prerequisite not in seen or prerequisite == module.id:
                found.append(
                    Diagnostic(
                        paths[module.src_uri], 1, 1, "FM004", f"prerequisite {prerequisite} is not another module"
                    )
                )
    return found


def catalogue(modules: list[Module], site_url: str, edition: str) -> dict[str, Any]:
    """The machine-readable catalogue published as `modules.json`."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    return {
        "$schema": f"{base}modules.schema.json",
        "course": "Shared Tools, Different Motives",
        "edition": edition,
        "licence": "CC-BY-4.0",
        "modules": [
            {
                "id": m.id,
                "title": m.title,
                "url": f"{base}{m.url}",
                "path": m.url,
                "summary": m.summary,
                "duration_minutes": m.duration,
                "level": m.level,
                "outcomes": list(m.outcomes),
                "prerequisites": list(m.prerequisites),
                "reviewed": m.reviewed,
            }
            for m in sorted(modules, key=lambda m: m.number)
        ],
    }


def format_date(iso: str) -> str:
    """`2026-11-23` -> `23 November 2026`."""
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{date.day} {date:%B %Y}"
