"""--online: lychee checks each URL once against a local server; verdicts are cached with dates."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import online
from scripts.diagnostics import Severity

pytestmark = pytest.mark.skipif(online.lychee_binary() is None, reason="lychee not installed (make venv installs it)")


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}  # noqa: RUF012 - shared by the server's threads on purpose

    def do_GET(self) -> None:
        try:
            self._reply()
        except (BrokenPipeError, ConnectionResetError):
            return  # lychee hangs up on slow replies after its time-out: expected

    def _reply(self) -> None:
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        routes: dict[str, tuple[int, dict[str, str]]] = {
            "/ok": (200, {}),
            "/missing": (404, {}),
            "/gone": (410, {}),
            "/r1": (301, {"Location": "/r2"}),
            "/r2": (301, {"Location": "/ok"}),
            "/loop": (301, {"Location": "/loop"}),
            "/busy": (429, {"Retry-After": "1"}),
        }
        if self.path == "/slow":
            time.sleep(4)
        status, headers = routes.get(self.path, (200, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status == 200:
            self.wfile.write(b"<html><body>ok</body></html>")

    def log_message(self, *args: object) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hung up is part of the test


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()  # joins the request threads, closing every socket


def test_lychee_verdicts_for_each_kind_of_reply(server: str) -> None:
    paths = ["/ok", "/missing", "/gone", "/r1", "/loop", "/busy", "/slow"]
    verdicts = online.run_lychee([server + p for p in paths], timeout=2, retries=0)
    ok = {p for p in paths if verdicts[server + p].ok}
    assert ok == {"/ok", "/r1"}
    assert "404" in verdicts[server + "/missing"].detail
    assert "410" in verdicts[server + "/gone"].detail
    assert "Timeout" in verdicts[server + "/slow"].detail


def test_each_unique_url_is_checked_once_and_mapped_to_every_place(server: str, tmp_path: Path) -> None:
    url = server + "/missing"
    uses = online.collect_uses(
        [(url, "docs/a.md", 3, 5), (url, "docs/b.md", 7, 1), (server + "/ok", "docs/a.md", 9, 2)]
    )
    before = _Handler.hits.get("/missing", 0)
    found = online.check_online(uses, tmp_path / "cache.json", refresh=True)
    assert _Handler.hits.get("/missing", 0) - before == 1
    today = dt.date.today().isoformat()
    assert [d.format() for d in found] == [
        f"docs/a.md:3:5: LNK009 '{url}' failed on {today}: Rejected status code: 404 Not Found",
        f"docs/b.md:7:1: LNK009 '{url}' failed on {today}: Rejected status code: 404 Not Found",
    ]


def test_offline_run_recalls_cached_failures_as_warnings_without_network(tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    online.save_cache(
        cache, {"https://example.org/x": online.Verdict(False, "Rejected status code: 404 Not Found", "2026-01-02")}
    )
    found = online.check_online({"https://example.org/x": [("docs/a.md", 1, 1)]}, cache, refresh=False)
    assert [(d.code, d.severity) for d in found] == [("LNK009", Severity.WARNING)]
    assert "failed on 2026-01-02" in found[0].message


def test_fresh_cached_verdicts_are_not_checked_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    today = dt.date.today().isoformat()
    online.save_cache(cache, {"https://unreachable.invalid/": online.Verdict(True, "ok", today)})
    assert online.check_online({"https://unreachable.invalid/": [("docs/a.md", 1, 1)]}, cache, refresh=True) == []


def test_stale_verdicts_expire() -> None:
    today = dt.date(2026, 11, 23)
    assert online.stale(None, today)
    assert online.stale(online.Verdict(True, "ok", "2026-10-01"), today)
    assert not online.stale(online.Verdict(True, "ok", "2026-11-20"), today)
