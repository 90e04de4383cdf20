"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (which cannot
download its own browsers here), on the site that tests/conftest.py builds and serves.

Every page a test opens through :func:`tests.browser.pages.open_page` is watched by a
:class:`~tests.browser.pages.Guard`: a console error, an uncaught exception, a dialog or
a request to another origin fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.pages import CALCULATOR, Guard, follow, new_context, open_page, wait_ready

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_configure(config: pytest.Config) -> None:
    config.option.browser = ["chromium"]  # the only browser installed (Debian's)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


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


@pytest.fixture(scope="module")
def live(browser: Browser, site_url: str) -> Iterator[tuple[Page, Guard, BrowserContext]]:
    """The calculator page, loaded once for a test module (one Pyodide start)."""
    context = new_context(browser)
    guard = Guard(site_url)
    page = open_page(context, guard, site_url + CALCULATOR)
    wait_ready(page)
    yield page, guard, context
    context.close()


@pytest.fixture
def calculator(live: tuple[Page, Guard, BrowserContext], site_url: str) -> Iterator[Page]:
    """The untouched calculator (the example inputs, no query in the address bar),
    reopened by instant navigation (home, then the calculator), which keeps the running
    worker; its guard checked at the end of the test."""
    page, guard, _ = live
    follow(page, site_url)
    follow(page, site_url + CALCULATOR)
    wait_ready(page)
    yield page
    guard.check()
