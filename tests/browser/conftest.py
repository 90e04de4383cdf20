"""Fixtures of the browser tests: the site built once with ``mkdocs build --strict``,
served on 127.0.0.1, and Debian's Chromium driven by Playwright (which cannot download
its own browsers here).

Every page a test opens through :func:`tests.browser.pages.open_page` is watched by a
:class:`~tests.browser.pages.Guard`: a console error, an uncaught exception, a dialog or
a request to another origin fails the test.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.pages import ROOT, Guard, new_context

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_configure(config: pytest.Config) -> None:
    config.option.browser = ["chromium"]  # the only browser installed (Debian's)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """An http.server on a free port of 127.0.0.1 and the directory it serves."""
    directory = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield directory, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_dir(_server: tuple[Path, str]) -> Path:
    """The site, built by ``mkdocs build --strict`` for the URL it is served at (Material's
    instant navigation needs ``site_url`` to match the origin)."""
    directory, url = _server
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(directory)],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "SITE_URL": url})
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return directory


@pytest.fixture(scope="session")
def site_url(site_dir: Path, _server: tuple[Path, str]) -> str:
    """The root URL of the built site."""
    return _server[1]


@pytest.fixture
def guard(site_url: str) -> Iterator[Guard]:
    """A guard for the pages of one test, checked at its end."""
    watch = Guard(site_url)
    yield watch
    watch.check()


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser context for the tests that can share it (and its HTTP cache)."""
    context = new_context(browser)
    yield context
    context.close()
