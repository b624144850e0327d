"""The command line: `python -m scripts <command>` (run through `make`).

Commands:

- `check`: the pre-publish check. Exit 0 clean, 1 problems found, 2 could not run.
- `publish`: check, build into a temporary folder, swap it into `site/` on success.
- `lock-urls`: accept the current page URLs and anchors as published (`urls.lock`).
- `offline`: build the offline copy (a zip that works from `file://`) into `dist/`.
- `bench-web`: page weight per page and Lighthouse scores.
- `bench`: time the check against `mkdocs build --strict` and lychee.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scripts import check, publish
from scripts.diagnostics import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Diagnostic,
    exit_status,
    format_json,
    format_text,
    sort_diagnostics,
)


def _progress() -> Callable[[str], None] | None:
    if not sys.stderr.isatty():
        return None
    count = [0]

    def show(path: str) -> None:
        count[0] += 1
        sys.stderr.write(f"\r\x1b[2Kchecking {count[0]:>5} pages  {path[-60:]}")
        sys.stderr.flush()

    return show


def _report(diagnostics: list[Diagnostic], fmt: str) -> int:
    ordered = sort_diagnostics(diagnostics)
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[2K")
    print(format_json(ordered) if fmt == "json" else format_text(ordered))
    return exit_status(ordered)


def cmd_check(args: argparse.Namespace) -> int:
    """Run the pre-publish check over docs/, the bibliography and mkdocs.yml."""
    project = check.load_project(Path(args.config))
    result = check.run_check(project, build_site=not args.no_build, progress=_progress())
    found = result.diagnostics
    from scripts import online

    uses = online.collect_uses(result.sources.external)
    try:
        found = found + online.check_online(uses, project.root / args.cache, refresh=args.online)
    except FileNotFoundError as error:
        print(f"{args.cache}:1:1: CFG001 {error}", file=sys.stderr)
        return EXIT_USAGE
    return _report(found, args.format)


def cmd_publish(args: argparse.Namespace) -> int:
    """Check and build into a fresh folder; swap it into site/ only if all is clean."""
    project = check.load_project(Path(args.config))
    new = publish.new_site_dir(project.root)
    try:
        result = check.run_check(project, new, progress=_progress())
        status = _report(result.diagnostics, "text")
        if status != EXIT_OK or not result.built:
            print(f"not published: {project.display(project.root / 'site')}/ is unchanged", file=sys.stderr)
            publish.discard(new)
            return EXIT_PROBLEMS
        problems = publish.build_editions(project, new)
        if problems:
            _report(problems, "text")
            print(f"not published: {project.display(project.root / 'site')}/ is unchanged", file=sys.stderr)
            publish.discard(new)
            return EXIT_PROBLEMS
        publish.swap_into_place(new, project.root / "site")
        print(f"published to {project.display(project.root / 'site')}/")
        return EXIT_OK
    except BaseException:
        publish.discard(new)
        raise


def cmd_lock_urls(args: argparse.Namespace) -> int:
    """Rewrite urls.lock from the current build."""
    from scripts import urllock

    project = check.load_project(Path(args.config))
    new = publish.new_site_dir(project.root)
    try:
        _, sources = check.source_stage(project)
        problems = check.build(project, new)
        if problems:
            return _report(problems, "text")
        _, pages = check.site_stage(project, sources, new)
        entries = check.lock_entries(sources, pages)
        urllock.write_lock(project.lock_file, entries)
        print(f"{project.display(project.lock_file)}: {len(entries)} URLs and anchors locked")
        return EXIT_OK
    finally:
        publish.discard(new)


def cmd_offline(args: argparse.Namespace) -> int:
    """Build the offline copy (a zip that works from file://) into dist/."""
    from scripts import offline

    return offline.build_offline(check.load_project(Path(args.config)))


def cmd_evidence(args: argparse.Namespace) -> int:
    """Print every citation with the source's words recorded beside it (the fact-check record)."""
    from scripts import evidence
    from scripts.markdown_source import read_page

    project = check.load_project(Path(args.config))
    files = [Path(f) for f in args.files] or sorted(project.docs_dir.rglob("*.md"))
    rows: list[evidence.Row] = []
    problems: list[Diagnostic] = []
    for file in files:
        if not file.is_file():
            print(f"{file}:1:1: CFG001 no such page", file=sys.stderr)
            return EXIT_USAGE
        page = read_page(file.resolve(), project.docs_dir.resolve(), project.root.resolve())
        rows.extend(evidence.record(page.body, page.path, page.body_line))
        problems.extend(evidence.check_evidence(page.body, page.path, page.body_line))
    print("\t".join(["place", "section", "key", "locator", "source's words", "read at", "claim"]))
    for row in rows:
        for passage in row.passages or (None,):
            cells = [f"{row.path}:{row.line}", row.section, row.key]
            cells += [passage.locator, passage.quote, passage.read] if passage else ["", "(none)", ""]
            print("\t".join([*cells, row.claim[:300]]))
    if problems:
        print(format_text(sort_diagnostics(problems)), file=sys.stderr)
    return exit_status(problems)


def cmd_bench_web(args: argparse.Namespace) -> int:
    """Page weight per page (first and repeat visit), and Lighthouse when installed."""
    from scripts import bench_web

    return bench_web.main()


def cmd_bench(args: argparse.Namespace) -> int:
    """Time the check against mkdocs build --strict and lychee on synthetic sites."""
    from scripts import bench

    return bench.main(args.sizes)


def parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per verb."""
    top = argparse.ArgumentParser(prog="python -m scripts", description=__doc__.split("\n\n")[0])
    top.add_argument("-f", "--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help=cmd_check.__doc__)
    p.add_argument("--online", action="store_true", help="also check external URLs with lychee (results cached)")
    p.add_argument(
        "--cache", default="links.cache.json", help="external-link verdicts, committed (default: %(default)s)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-build", action="store_true", help="source rules only (fast, for editors)")
    p.set_defaults(func=cmd_check)
    sub.add_parser("publish", help=cmd_publish.__doc__).set_defaults(func=cmd_publish)
    sub.add_parser("lock-urls", help=cmd_lock_urls.__doc__).set_defaults(func=cmd_lock_urls)
    sub.add_parser("offline", help=cmd_offline.__doc__).set_defaults(func=cmd_offline)
    p = sub.add_parser("evidence", help=cmd_evidence.__doc__)
    p.add_argument("files", nargs="*", help="pages to list (default: every page under docs/)")
    p.set_defaults(func=cmd_evidence)
    sub.add_parser("bench-web", help=cmd_bench_web.__doc__).set_defaults(func=cmd_bench_web)
    p = sub.add_parser("bench", help=cmd_bench.__doc__)
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    p.set_defaults(func=cmd_bench)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; never let a traceback reach the user for bad input."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        status: int = args.func(args)
    except check.ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return status
