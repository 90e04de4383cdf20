"""Network figures for ``make bench`` (not a test: nothing here asserts a time).

The built site is served as a static host serves it (:class:`StaticHost`: gzip for the
types hosts compress, ``Cache-Control: max-age=600``, ETags), and the calculator page is
opened under Chromium's network emulation (CDP ``Network.emulateNetworkConditions``) in
each :data:`PROFILES`:

* cold: a new browser profile (empty caches, no service worker), from navigation start
  until the live calculator is ready, and the bytes the host sent for it;
* repeat: the same profile once the first visit has settled (its service worker, if the
  site has one, installed and its caches filled), a new page of the calculator.

Profiles are persistent, as a visitor's browser is (Playwright's own contexts are
incognito ones, where Chromium keeps no code cache: a repeat visit there starts about
0.3 s slower).

Each figure is the median of :data:`ROUNDS` visits.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from playwright.sync_api import BrowserContext, Playwright, sync_playwright

from bench.bench_browser import CONTEXT, LAUNCH_ARGS, PROBE

Row = tuple[str, str, str]

PROFILES: tuple[tuple[str, float | None, float], ...] = (
    ("unthrottled", None, 0),
    ("50 Mbps / 20 ms", 50, 20),
    ("20 Mbps / 40 ms", 20, 40),
)
"""Name, download throughput in Mbit/s (None: no throttling) and latency in ms."""

ROUNDS = 5

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json",
                    "application/manifest+json", "application/wasm", "application/xml",
                    "image/svg+xml")
"""Content types a static host gzips (GitHub Pages, Netlify, S3 behind a CDN): not zip
or gzip files, fonts or images, which are compressed already."""


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves a directory as a compressing static host does, and counts the bytes it
    sends (headers and bodies) in ``counter``."""

    counter: list[int]
    cache: dict[Path, tuple[bytes, str]]
    extensions_map: ClassVar[dict[str, str]] = {
                      **http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript",
                      ".wasm": "application/wasm", ".webmanifest": "application/manifest+json"}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.counter[0] += sum(map(len, getattr(self, "_headers_buffer", []))) + 2
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        kind = self.guess_type(str(path))
        body, etag = self._body(path, kind)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", etag)
        if kind.startswith(COMPRESSED_TYPES):
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.counter[0] += len(body)
        self.wfile.write(body)
        return None

    def _body(self, path: Path, kind: str) -> tuple[bytes, str]:
        if path not in self.cache:
            raw = path.read_bytes()
            body = gzip.compress(raw, 6, mtime=0) if kind.startswith(COMPRESSED_TYPES) else raw
            self.cache[path] = (body, '"' + hashlib.sha1(raw).hexdigest()[:16] + '"')
        return self.cache[path]


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str, list[int]]:
    """Serve ``site_dir`` as a static host on a free port; the URL and the byte counter."""
    counter = [0]
    handler = type("Host", (StaticHost,), {"counter": counter, "cache": {}})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/", counter


def _settled(counter: list[int], quiet_s: float = 1.5, limit_s: float = 60) -> None:
    """Wait until the host has sent nothing for ``quiet_s`` (a service worker's caching
    done)."""
    end = time.monotonic() + limit_s
    last, since = counter[0], time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        if counter[0] != last:
            last, since = counter[0], time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


def _visit(context: BrowserContext, url: str, profile: tuple[str, float | None, float]) -> float:
    """Open the calculator page in ``context`` under ``profile``; milliseconds from
    navigation start until the live calculator is ready (or failed: then an error)."""
    _, mbps, latency = profile
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    if mbps is not None:
        bytes_per_s = mbps * 1e6 / 8
        session.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency, "downloadThroughput": bytes_per_s,
            "uploadThroughput": bytes_per_s})
    page.add_init_script(PROBE)
    page.goto(url + "calculator/")
    page.wait_for_function("window.__readyAt !== undefined || document.getElementById("
                           "'mle-status').dataset.state === 'failed'", timeout=180_000)
    ready: float | None = page.evaluate("window.__readyAt ?? null")
    if ready is None:
        raise RuntimeError(page.locator("#mle-status").text_content() or "failed")
    return ready


def _profile_rows(playwright: Playwright, url: str, counter: list[int],
                  profile: tuple[str, float | None, float]) -> list[Row]:
    cold, repeat, at_ready, sent, repeat_sent = [], [], [], [], []
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as folder:
            context = playwright.chromium.launch_persistent_context(
                folder, executable_path="/usr/bin/chromium", args=LAUNCH_ARGS,
                **{**CONTEXT, "service_workers": "allow"})
            for page in context.pages:  # the window a profile opens with
                page.close()
            before = counter[0]
            cold.append(_visit(context, url, profile))
            at_ready.append(counter[0] - before)
            _settled(counter)
            sent.append(counter[0] - before)
            for page in context.pages:
                page.close()
            before = counter[0]
            repeat.append(_visit(context, url, profile))
            _settled(counter)
            repeat_sent.append(counter[0] - before)
            context.close()
    name = profile[0]
    mib = 1024 * 1024
    return [
        (f"calculator ready, cold, {name}", f"{statistics.median(cold) / 1000:.2f} s",
         f"median of {ROUNDS} new profiles, from navigation start"),
        (f"calculator ready, repeat visit, {name}",
         f"{statistics.median(repeat) / 1000:.2f} s",
         f"the same profile once the first visit settled; "
         f"{statistics.median(repeat_sent) / mib:.2f} MiB sent"),
        (f"bytes on the wire until ready, cold, {name}",
         f"{statistics.median(at_ready) / mib:.2f} MiB",
         "sent by a gzip static host (headers + bodies) until the calculator is ready"),
        (f"bytes on the wire, whole cold visit, {name}",
         f"{statistics.median(sent) / mib:.2f} MiB",
         "and until the host falls quiet (the service worker's precache of the site)"),
    ]


def measure(site_dir: Path) -> list[Row]:
    """The network rows of the benchmark table for the site built in ``site_dir``."""
    server, url, counter = serve(site_dir)
    rows: list[Row] = []
    try:
        with sync_playwright() as playwright:
            for profile in PROFILES:
                rows += _profile_rows(playwright, url, counter, profile)
    finally:
        server.shutdown()
    return rows


if __name__ == "__main__":  # python -m bench.bench_network SITE_DIR: these rows only
    import sys

    from bench.bench import print_table

    print_table(measure(Path(sys.argv[1])))
