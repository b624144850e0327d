"""Tooling for the course *Shared Tools, Different Motives*.

The package has one job per module:

- [`scripts.check`][scripts.check] runs the pre-publish check: extract -> resolve -> report.
- [`scripts.diagnostics`][scripts.diagnostics] holds the diagnostic record and its formats.
- [`scripts.bibliography`][scripts.bibliography] parses `docs/references.bib` and formats entries.
- [`scripts.citations`][scripts.citations] finds and renders Pandoc-style citations.
- [`scripts.markdown_source`][scripts.markdown_source] reads pages, front matter and blocks.
- [`scripts.modules`][scripts.modules] validates module front matter and builds the catalogue.
- [`scripts.glossary`][scripts.glossary] turns the glossary into hover definitions.
- [`scripts.links`][scripts.links] checks internal and external links.
- [`scripts.policy`][scripts.policy] checks the machine-checkable content policy.
- [`scripts.urllock`][scripts.urllock] keeps published URLs and anchors stable.
- [`scripts.online`][scripts.online] checks external links with lychee and caches verdicts.
- [`scripts.privacy`][scripts.privacy] finds assets a built page would load from another origin.
- [`scripts.publish`][scripts.publish] checks, builds and swaps the new site into place.
- [`scripts.hooks`][scripts.hooks] plugs the above into MkDocs.
- [`scripts.pdf`][scripts.pdf] prints module handouts with headless Chromium.
- [`scripts.offline`][scripts.offline] builds the offline zip.
- [`scripts.bench`][scripts.bench] and [`scripts.bench_web`][scripts.bench_web] measure the check and the pages.
- [`scripts.cli`][scripts.cli] is the command line: `python -m scripts --help`.
"""
