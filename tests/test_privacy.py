"""The built site loads nothing from any other origin."""

from __future__ import annotations

from pathlib import Path

from scripts.privacy import css_urls, scan_html, scan_site


def test_built_site_references_no_third_party_asset(built_site: Path) -> None:
    assert scan_site(built_site) == []


def test_scan_site_reports_google_fonts_and_cdn_scripts(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="https://unpkg.com/mermaid@11"></script></head>'
        '<body><a href="https://example.org/">a link loads nothing</a><img src="img/local.png"></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "site.css").write_text(
        '@import url("https://cdn.example/x.css"); body{background:url(//t.example/p.gif)}', encoding="utf-8"
    )
    found = {(a.file, a.url) for a in scan_site(tmp_path)}
    assert found == {
        ("index.html", "https://fonts.googleapis.com/css?family=Roboto"),
        ("index.html", "https://unpkg.com/mermaid@11"),
        ("site.css", "https://cdn.example/x.css"),
        ("site.css", "//t.example/p.gif"),
    }


def test_inline_styles_and_srcset_are_scanned() -> None:
    html = b'<html><body><div style="background:url(https://x.example/a.png)"></div><img srcset="https://y.example/b.png 2x, c.png 1x"></body></html>'
    assert {a.url for a in scan_html(html, "p.html")} == {"https://x.example/a.png", "https://y.example/b.png"}


def test_canonical_and_licence_links_are_not_loads() -> None:
    html = b'<html><head><link rel="canonical" href="https://example.org/c/"><link rel="license" href="https://creativecommons.org/licenses/by/4.0/"></head></html>'
    assert scan_html(html, "p.html") == []


def test_local_and_data_urls_are_allowed() -> None:
    assert css_urls("a{b:url(data:image/png;base64,xx)}") == ["data:image/png;base64,xx"]
    assert (
        scan_html(
            b'<html><script src="http://127.0.0.1:8000/x.js"></script><img src="data:image/gif;base64,R0"></html>',
            "p.html",
        )
        == []
    )
