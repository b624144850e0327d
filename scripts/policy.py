"""The machine-checkable rules of the content policy.

The policy itself (`CONTENT-POLICY.md`) is binding for authors; this module checks the
parts a program can check: forbidden hosts (data in `data/denylist.yml`), `.onion`
addresses, direct quotations over 25 words, and the content note on module pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.diagnostics import Diagnostic

MAX_QUOTE_WORDS = 25
"""The longest direct quotation the policy allows, in words."""

_QUOTE = re.compile(r"\"([^\"\n]+(?:\n[^\"\n]+)*)\"|“([^”]+)”")
_ADMONITION_TITLE = re.compile(r"^\s*(?:!!!|\?\?\?\+?)")


@dataclass(frozen=True)
class Denylist:
    """Hosts that must never be linked, by the reason they are forbidden.

    Attributes:
        hosts: Mapping from a bare host name (`docslib.org`) to the reason
            (`document-copy site`). Sub-domains are matched too.
    """

    hosts: dict[str, str]

    def reason(self, host: str) -> str | None:
        """Return why `host` (or a parent domain of it) is forbidden, or `None`."""
        host = host.lower().rstrip(".")
        if host.endswith(".onion"):
            return "Tor onion address"
        labels = host.split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:])
            if candidate in self.hosts:
                return self.hosts[candidate]
        return None


_REASONS = {
    "document_copy_hosts": "document-copy site",
    "forum_repost_hosts": "forum repost",
    "other_hosts": "denylisted host",
}


def load_denylist(path: Path | None = None) -> Denylist:
    """Load `data/denylist.yml` (lists of hosts under `document_copy_hosts`, ...)."""
    source = path or Path(__file__).with_name("data") / "denylist.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    hosts: dict[str, str] = {}
    for group, reason in _REASONS.items():
        for host in data.get(group) or []:
            hosts[str(host).lower()] = reason
    return Denylist(hosts)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def check_quotes(masked_body: str, path: str, first_line: int) -> list[Diagnostic]:
    """Flag quotations of more than 25 words (POL001).

    Args:
        masked_body: Page body with code masked out (see
            [`mask_code`][scripts.markdown_source.mask_code]).
        path: Page path for diagnostics.
        first_line: Line number of the body's first line in the file.
    """
    found = []
    for match in _QUOTE.finditer(masked_body):
        line_start = masked_body.rfind("\n", 0, match.start()) + 1
        line_end = masked_body.find("\n", match.start())
        if _ADMONITION_TITLE.match(masked_body[line_start : line_end if line_end >= 0 else None]):
            continue
        quoted = match.group(1) or match.group(2) or ""
        words = len(quoted.split())
        if words > MAX_QUOTE_WORDS:
            line, col = _line_col(masked_body, match.start())
            found.append(
                Diagnostic(
                    path,
                    line + first_line - 1,
                    col,
                    "POL001",
                    f"direct quotation of {words} words (at most {MAX_QUOTE_WORDS}): shorten or paraphrase",
                )
            )
    return found


def check_content_note(meta: dict[str, object], path: str) -> list[Diagnostic]:
    """Module pages must set `content_note: true` (POL002)."""
    if meta.get("content_note") is True:
        return []
    return [Diagnostic(path, 1, 1, "POL002", "module page lacks 'content_note: true' in its front matter")]
