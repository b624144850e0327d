"""`make bench`: the check against `mkdocs build --strict` and lychee on synthetic sites.

For each size (100, 1,000 and 10,000 pages by default) it generates a site under `.bench/`
(modules with citations, headings with explicit anchors, about ten internal links per page
with anchors, some in raw HTML), then times in one run:

- `mkdocs build --strict` alone;
- our source stage, and our link-and-anchor pass over the built site;
- `lychee --offline --include-fragments` over the same built site.

It prints seconds and the ratios the targets are stated in: link pass against lychee, the
check's addition to a strict build, and time per page (linear growth keeps it flat).

First it times the edit loop on the real course: `mkdocs serve` as `make serve` runs it,
then a one-line edit of a module page, until the preview has rebuilt (target: 2 s).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from scripts import check, links, online

SECTION = 100
"""Pages per navigation section in a synthetic site."""


def generate(root: Path, pages: int) -> Path:
    """Write a synthetic course site of `pages` pages under `root`; return its mkdocs.yml."""
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    bib = "".join(
        f"@online{{src{i},\n  author = {{{{Org {i}}}}},\n  title = {{Source {i}}},\n  year = {{2016}},\n"
        f"  publisher = {{Org {i}}},\n  url = {{https://example.org/{i}}},\n}}\n\n"
        for i in range(50)
    )
    (docs / "references.bib").write_text(bib, encoding="utf-8")
    nav: list[dict[str, list[str]]] = []
    for index in range(pages):
        section, name = divmod(index, SECTION)
        src = f"s{section:03d}/p{name:03d}.md"
        if name == 0:
            nav.append({f"Section {section}": []})
        nav[-1][f"Section {section}"].append(src)
        links_md = []
        for k in range(1, 10):
            target = (index + k * 37) % pages
            tsec, tname = divmod(target, SECTION)
            rel = f"../s{tsec:03d}/p{tname:03d}.md" if tsec != section else f"p{tname:03d}.md"
            links_md.append(f"- [Page {target}]({rel}#part-{k % 3})")
        raw_target = (index + 1) % pages
        rsec, rname = divmod(raw_target, SECTION)
        raw_href = f"../../s{rsec:03d}/p{rname:03d}/#part-1"
        body = (
            f"# Page {index}\n\nIntro paragraph with a claim about services [@src{index % 50}].\n\n"
            + "".join(
                f"## Part {p} {{ #part-{p} }}\n\nText of part {p} citing a source [@src{(index + p) % 50}, p. {p}].\n\n"
                for p in range(3)
            )
            + "## Links { #links }\n\n"
            + "\n".join(links_md)
            + f'\n\n<p>Raw <a href="{raw_href}">link</a>.</p>\n'
        )
        (docs / src).parent.mkdir(exist_ok=True)
        (docs / src).write_text(body, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\n[First](s000/p000.md)\n", encoding="utf-8")
    config = {
        "site_name": f"Bench {pages}",
        "site_url": "https://example.org/bench/",
        "theme": {"name": "material", "font": False, "features": ["navigation.prune"]},
        "hooks": [str(Path(__file__).with_name("hooks.py"))],
        "markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": True}}],
        "plugins": ["search"],
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
        "nav": [{"Home": "index.md"}, *nav],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _timed(command: list[str], cwd: Path) -> tuple[float, int]:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result.returncode


def measure(pages: int, root: Path) -> dict[str, float]:
    """Generate, build and time one synthetic site."""
    config = generate((root / f"site-{pages}").resolve(), pages)
    site = config.parent / "site"
    build_s, code = _timed(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)], config.parent
    )
    if code != 0:
        raise RuntimeError(f"synthetic build of {pages} pages failed")
    project = check.load_project(config)
    start = time.perf_counter()
    found, sources = check.source_stage(project)
    source_s = time.perf_counter() - start
    start = time.perf_counter()
    site_found, _ = check.site_stage(project, sources, site)
    links_s = time.perf_counter() - start
    errors = [d for d in found + site_found if d.severity.value == "error"]
    if errors:
        raise RuntimeError(f"synthetic site has {len(errors)} errors, e.g. {errors[0].format()}")
    lychee = online.lychee_binary()
    lychee_s = float("nan")
    if lychee:
        lychee_s, _ = _timed(
            [lychee, "--offline", "--include-fragments", "--no-progress", "--root-dir", str(site), "--index-files", "index.html",
             "--exclude-path", "404.html", f"{site}/**/*.html"],
            config.parent,
        )  # fmt: skip
    return {"pages": pages, "build": build_s, "source": source_s, "links": links_s, "lychee": lychee_s,
            "links_checked": sum(len(p.links) for p in links.read_site(site).values())}  # fmt: skip


PREVIEW_ENV = {"COURSE_API": "false", "COURSE_GIT_DATES": "false", "COURSE_PDF": "0"}
"""What `make serve` sets for its preview (see the Makefile)."""
_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


def measure_rebuild(config: Path, page: Path, edits: int = 3, timeout: float = 120.0) -> tuple[float, list[float]]:
    """Seconds from saving `page` to the preview having rebuilt, under `mkdocs serve`.

    Returns the first build's seconds and each rebuild's wall time (save to rebuilt).
    The page is restored byte for byte afterwards.
    """
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"} | PREVIEW_ENV
    env["SITE_URL"] = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    original = page.read_bytes()
    server = subprocess.Popen(
        command, cwd=config.parent, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    built: queue.Queue[float] = queue.Queue()
    serving = threading.Event()

    def read() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            match = _BUILT.search(line)
            if match:
                built.put(float(match.group(1)))
            elif "Serving on" in line:
                serving.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        first = built.get(timeout=timeout)
        if not serving.wait(timeout):
            raise RuntimeError("mkdocs serve did not start")
        times = []
        for n in range(edits):
            time.sleep(1.5)  # the file watcher starts after the server, and debounces
            start = time.perf_counter()
            page.write_bytes(original + f"\nEdit {n}.\n{{: .no-cite }}\n".encode())
            built.get(timeout=timeout)
            times.append(time.perf_counter() - start)
        return first, times
    finally:
        page.write_bytes(original)
        server.terminate()
        server.wait(timeout=30)


def main(sizes: list[int]) -> int:
    """Time the edit loop, then run the benchmark for each size and print one table."""
    page = Path("docs/modules/m3-anonymity/index.md")
    if page.exists():
        print("measuring make serve's rebuild after a one-page edit...", file=sys.stderr, flush=True)
        first, times = measure_rebuild(Path("mkdocs.yml").resolve(), page.resolve())
        print(
            f"make serve: first build {first:.2f} s; rebuild after editing {page.as_posix()}: "
            + ", ".join(f"{t:.2f}" for t in times)
            + f" s (median {sorted(times)[len(times) // 2]:.2f} s; target <= 2 s)"
        )
    root = Path(".bench")
    rows = []
    for size in sizes:
        print(f"measuring {size:,} pages...", file=sys.stderr, flush=True)
        rows.append(measure(size, root))
    header = f"{'pages':>7} {'build s':>8} {'source s':>9} {'links s':>8} {'lychee s':>9} {'lychee/links':>13} {'check/build':>12} {'ms/page':>8}"
    print(header)
    for r in rows:
        check_s = r["source"] + r["links"]
        print(
            f"{int(r['pages']):>7,} {r['build']:>8.2f} {r['source']:>9.2f} {r['links']:>8.2f} {r['lychee']:>9.2f} "
            f"{r['lychee'] / r['links']:>12.1f}x {check_s / r['build']:>11.0%} {1000 * check_s / r['pages']:>8.2f}"
        )
    print("targets: lychee/links >= 2x; check/build <= 25%; 10,000 pages <= 10 s beyond the build; ms/page flat")
    return 0
