"""Caches that live as long as the Python process: what `mkdocs serve` keeps between rebuilds.

MkDocs re-reads its configuration, re-runs the hooks file and builds a new Jinja environment
for every rebuild, so nothing survives in them. This module is imported once per process;
the template cache here lets each rebuild reuse the compiled theme templates (0.35 s of a
rebuild). Jinja checks every template's checksum, so an edited template recompiles.
A single build (`make build`) gains nothing and loses nothing.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory, by template key."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()
"""The one template cache of this process."""
