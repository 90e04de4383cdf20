"""The site installable and offline (sitebuild/hooks/offline.py,
docs/javascripts/service-worker.js, calculator-worker.js's runtime cache):

* after one visit of the calculator, with the network off, every page opens, the
  calculator starts and recalculates, and an unknown address gets the 404 page;
* a visitor who never opens the calculator does not download its runtime (the site is
  served by a server of the test's own, which logs every request, the service worker's
  included);
* the site is installable: Chromium finds no installability error.

Each test serves the site on an origin of its own, so that no other test's service
worker or caches are there.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ml_emissions import web
from tests.browser.pages import Guard, expect_result, new_context, open_page, wait_ready
from tests.browser.test_site_pages import PAGES

RUNTIME = ("pyodide/", "wheels/", "snapshots/")


class _LoggingHandler(SimpleHTTPRequestHandler):
    log: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        self.log.append(self.path)
        return super().send_head()


@pytest.fixture
def origin(site_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """The built site on a new origin, and the paths its server was asked for."""
    log: list[str] = []
    handler = type("Handler", (_LoggingHandler,), {"log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", log
    server.shutdown()
    server.server_close()


def build_files(site_dir: Path) -> dict[str, Any]:
    """The build's file list, as sw.js carries it."""
    match = re.search(r"^const BUILD = (\{.*\});$", (site_dir / "sw.js").read_text(), re.M)
    assert match, "sw.js has no file list"
    files: dict[str, Any] = json.loads(match.group(1))
    return files


def cached(page: Page, cache: str) -> list[str]:
    """The addresses in one Cache Storage cache of the page's origin."""
    keys: list[str] = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)", cache)
    return keys


def offline_ready(context: BrowserContext, page: Page, site_url: str,
                  site_dir: Path) -> None:
    """Wait until the service worker controls ``page`` and has precached its build, and
    the runtime is in its cache."""
    build = build_files(site_dir)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    runtime = {site_url + address for address in build["runtime"]}
    page.wait_for_function(
        """async ([name, wanted]) => {
          const have = (await (await caches.open(name)).keys()).map((r) => r.url);
          return wanted.every((url) => have.includes(url));
        }""", arg=[build["runtimeCache"], sorted(runtime)], timeout=30_000)
    assert len(cached(page, f"mle-pages-{build['id']}")) == len(build["precache"])


def test_after_one_visit_the_site_and_the_calculator_work_offline(
        browser: Browser, site_dir: Path, origin: tuple[str, list[str]]) -> None:
    site_url, _ = origin
    context = new_context(browser, service_workers="allow")
    guard = Guard(site_url)
    page = open_page(context, guard, site_url + "calculator/")
    wait_ready(page)
    offline_ready(context, page, site_url, site_dir)
    page.close()
    context.set_offline(True)
    page = context.new_page()
    for path in PAGES:
        response = page.goto(site_url + path, wait_until="domcontentloaded")
        assert response is not None and response.status == 200, path
        expect(page.locator("h1").first).not_to_be_empty()
    page.close()
    page = open_page(context, guard, site_url + "calculator/")
    wait_ready(page)
    page.fill("#hours", "48")
    expect_result(page, {**web.DEFAULT_PARAMS, "hours": "48"})
    guard.check()
    response = page.goto(site_url + "no/such/page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    context.close()


def test_a_visitor_who_never_opens_the_calculator_downloads_no_runtime(
        browser: Browser, site_dir: Path, origin: tuple[str, list[str]]) -> None:
    site_url, log = origin
    context = new_context(browser, service_workers="allow")
    guard = Guard(site_url)
    page = open_page(context, guard, site_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    build = build_files(site_dir)
    page.wait_for_function(
        "async ([name, count]) => (await (await caches.open(name)).keys()).length === count",
        arg=[f"mle-pages-{build['id']}", len(build["precache"])], timeout=30_000)
    for path in ("methodology/", "factors/hardware/", "data/"):
        page.goto(site_url + path)
    guard.check()
    assert "sw.js" in {p.lstrip("/") for p in log}
    assert [p for p in log if p.lstrip("/").startswith(RUNTIME)] == []
    assert cached(page, build["runtimeCache"]) == []
    context.close()


def test_the_site_is_installable(browser: Browser, site_dir: Path,
                                 origin: tuple[str, list[str]]) -> None:
    site_url, _ = origin
    context = new_context(browser, service_workers="allow")
    page = context.new_page()
    page.goto(site_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    session = context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where Chromium installs no app: any other error
    # would be the site's
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == []
    parsed = json.loads(manifest["data"])
    assert parsed["name"] == "ML Emissions Calculator"
    assert {icon["sizes"] for icon in parsed["icons"]} >= {"192x192", "512x512"}
    context.close()
