"""The site under a sub-path, as GitHub Pages serves a project site
(``https://USER.github.io/REPO/``): built for that address, served only there (every
other path is missing), the calculator runs and every request stays under the sub-path;
an address the site does not have gets its 404 page, whose links work from there.

And a new deploy there: a second build, of a copy of the project whose engine differs,
replaces the first; the service worker of the first build keeps serving the first
build's pages and engine until none of its pages is open, then the second build's take
over, its caches replace the old ones, and the unchanged Pyodide runtime is not
downloaded again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ml_emissions import web
from tests.browser.pages import (
    Guard,
    expect_result,
    follow,
    new_context,
    open_page,
    wait_ready,
)
from tests.browser.test_offline import build_files, offline_ready

ROOT = Path(__file__).resolve().parents[2]
SUB_PATH = "/repo/"


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the deployed site's directory (``deployed[0]``) at SUB_PATH only, logging
    each path asked for; a missing file gets the site's 404.html with status 404, as
    static hosts do."""

    deployed: list[Path]
    log: list[str]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args, directory=str(self.deployed[0]))

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        self.log.append(self.path)
        path = self.path.split("?", 1)[0]
        inside = path.startswith(SUB_PATH)
        if inside:
            self.path = "/" + self.path[len(SUB_PATH):]
            local = Path(self.translate_path(self.path))
            if local.is_file() or (local / "index.html").is_file():
                return super().send_head()
        page = Path(self.directory) / "404.html"
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def _build(project: Path, site: Path, url: str) -> None:
    """``mkdocs build --strict`` of ``project`` (its hooks, its engine) into ``site``, for
    the address ``url``."""
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = {**os.environ, "SITE_URL": url}
    if project != ROOT:  # the copy's own site build and engine, before the installed ones
        env["PYTHONPATH"] = f"{project}{os.pathsep}{project / 'calculator'}"
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(site)],
                          cwd=project, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"


@dataclass
class Host:
    """The sub-path host: its URL, the deployed site's directory, the paths asked for."""

    url: str
    deployed: list[Path]
    log: list[str]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    directory = tmp_path_factory.mktemp("sub-path-site")
    deployed, log = [directory], []
    handler = type("Handler", (_SubPathHandler,), {"deployed": deployed, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    _build(ROOT, directory, url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Host(url, deployed, log)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sub_path_url(host: Host) -> str:
    return host.url


def test_the_calculator_runs_under_a_sub_path(browser: Browser, sub_path_url: str) -> None:
    context = new_context(browser)
    guard = Guard(sub_path_url)  # a request outside the sub-path is a problem
    page = open_page(context, guard, sub_path_url + "calculator/")
    wait_ready(page)
    page.fill("#hours", "48")
    expect_result(page, {**web.DEFAULT_PARAMS, "hours": "48"})
    assert any(u.startswith(sub_path_url + "pyodide/") for u in guard.requests)
    # instant navigation to another page and back keeps working under the sub-path
    follow(page, sub_path_url + "methodology/")
    expect(page).to_have_title("Methodology - ML Emissions Calculator")
    follow(page, sub_path_url + "calculator/")
    wait_ready(page)
    guard.check()
    context.close()


def test_a_missing_address_gets_the_404_page(browser: Browser, sub_path_url: str) -> None:
    context = new_context(browser)
    page = context.new_page()
    response = page.goto(sub_path_url + "no/such/page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    # its styles and scripts load from the site, at this depth
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    guard = Guard(sub_path_url)  # from here: no error, no request outside the sub-path
    guard.attach(page)
    page.click("text=Open the calculator")
    expect(page).to_have_url(sub_path_url + "calculator/")
    wait_ready(page)
    guard.check()
    context.close()


def _next_project(folder: Path) -> Path:
    """A copy of the project (its files, tracked or not ignored) whose engine differs by a
    comment, as the next commit's would: another wheel, so another engine address."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    (ROOT / ".cache").mkdir(exist_ok=True)  # what the builds reuse, by the hash of its input
    (folder / ".cache").symlink_to(ROOT / ".cache")
    engine = folder / "calculator" / "ml_emissions" / "web.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# the next deploy\n",
                      encoding="utf-8")
    return folder


def _wheel(page: Page) -> str:
    wheel: str = page.locator("[data-wheel]").first.get_attribute("data-wheel") or ""
    return wheel


def _caches(page: Page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = page.evaluate("""async () => {
      const found = {};
      for (const name of await caches.keys()) {
        found[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
      }
      return found;
    }""")
    return found


def test_a_new_deploy_replaces_the_old_build_whole(
        browser: Browser, host: Host, tmp_path_factory: pytest.TempPathFactory) -> None:
    first_site = host.deployed[0]
    first = build_files(first_site)
    next_site = tmp_path_factory.mktemp("next-site")
    _build(_next_project(tmp_path_factory.mktemp("next-project")), next_site, host.url)
    second = build_files(next_site)
    assert second["id"] != first["id"]
    context = new_context(browser, service_workers="allow")
    guard = Guard(host.url)
    calculator = host.url + "calculator/"
    params = {**web.DEFAULT_PARAMS, "hours": "48"}

    page = open_page(context, guard, calculator)  # build 1, cached for offline use
    wait_ready(page)
    offline_ready(context, page, host.url, first_site)
    first_wheel = _wheel(page)
    page.close()

    host.deployed[0] = next_site  # the deploy
    host.log.clear()
    # build 1's service worker still serves build 1's page, with build 1's engine ...
    page = open_page(context, guard, calculator)
    wait_ready(page)
    assert _wheel(page) == first_wheel
    page.fill("#hours", "48")
    expect_result(page, params)
    # ... while build 2's installs, and waits until no page of build 1 is open
    page.wait_for_function(
        "navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting)",
        timeout=60_000)
    page.close()

    for _ in range(40):  # build 2's worker activates once build 1's last page is gone
        page = open_page(context, guard, calculator)
        if _wheel(page) != first_wheel:
            break
        page.close()
        time.sleep(0.25)
    assert _wheel(page) != first_wheel
    wait_ready(page)
    page.fill("#hours", "48")
    expect_result(page, params)
    offline_ready(context, page, host.url, next_site)
    found = _caches(page)
    assert set(found) == {f"mle-pages-{second['id']}", second["runtimeCache"]}
    runtime = {host.url + a for a in second["runtime"]}
    cached = found[second["runtimeCache"]]
    # each address, or what the worker derives from it (a compressed file, decoded) ...
    assert all(any(url.startswith(address) for url in cached) for address in runtime)
    # ... and nothing else
    assert all(url.startswith(tuple(runtime)) for url in cached)
    # the new engine came from the host; the unchanged Pyodide runtime did not
    assert any(path.split("?")[0].endswith(".whl") for path in host.log)
    assert not [path for path in host.log if path.startswith(SUB_PATH + "pyodide/")]
    guard.check()
    context.close()
