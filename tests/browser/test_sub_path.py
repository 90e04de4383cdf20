"""The site under a sub-path, as GitHub Pages serves a project site
(``https://USER.github.io/REPO/``): built for that address, served only there (every
other path is missing), the calculator runs and every request stays under the sub-path;
an address the site does not have gets its 404 page, whose links work from there."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ml_emissions import web
from tests.browser.pages import (
    Guard,
    expect_result,
    follow,
    new_context,
    open_page,
    wait_ready,
)

ROOT = Path(__file__).resolve().parents[2]
SUB_PATH = "/repo/"


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the site's directory at SUB_PATH only; a missing file gets the site's
    404.html with status 404, as static hosts do."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
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


@pytest.fixture(scope="module")
def sub_path_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("sub-path-site")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: _SubPathHandler(*a, directory=str(directory)))
    url = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(directory)],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "SITE_URL": url})
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


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
