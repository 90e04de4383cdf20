"""Every page of the site in Chromium, in both colour schemes, under its
Content-Security-Policy: no console error, no request to another origin, no violation of
the policy, no serious or critical axe-core violation (all rules in the light scheme, the
colour rules in the dark one); and the calculator through Material's instant navigation,
to it and away from it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from ml_emissions import web
from ml_emissions.citation import tool_bibtex
from tests.browser.pages import (
    POLICY_VIOLATIONS,
    ROOT,
    Guard,
    axe_violations,
    expect_result,
    new_context,
    open_page,
    policy_violations,
    wait_ready,
)


def _page_url(source: str) -> str:
    """The site path of the page built from ``docs/<source>`` (directory URLs)."""
    path = source.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


PAGES = [*sorted(_page_url(p.relative_to(ROOT / "docs").as_posix())
                 for p in (ROOT / "docs").rglob("*.md")), "404.html"]


COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="module")
def light_context(browser: Browser) -> Iterator[BrowserContext]:
    """A context that applies the pages' policy (the test waits with locators only)."""
    context = new_context(browser, color_scheme="light", bypass_csp=False)
    context.add_init_script(POLICY_VIOLATIONS)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_is_local_clean_and_accessible(light_context: BrowserContext, guard: Guard,
                                            site_url: str, path: str) -> None:
    page = open_page(light_context, guard, site_url + path)
    page.wait_for_load_state("load")
    assert axe_violations(page) == []
    page.click('label[title="Switch to dark mode"]')  # the palette toggle of the header
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert axe_violations(page, COLOUR_RULES) == []
    page.click('label[title="Switch to light mode"]')  # as it was, for the next page
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert policy_violations(page) == []
    page.close()


def test_the_guard_sees_dialogs_and_other_origins(shared_context: BrowserContext,
                                                  site_url: str) -> None:
    guard = Guard(site_url)
    page = open_page(shared_context, guard, site_url)
    page.evaluate("alert('hello')")
    with page.expect_request("http://example.invalid/x"):
        page.evaluate("fetch('http://example.invalid/x').catch(() => {})")
    page.close()
    assert any(p.startswith("dialog alert: hello") for p in guard.problems)
    assert any("another origin: http://example.invalid/x" in p for p in guard.problems)


def test_instant_navigation_to_and_from_the_calculator(shared_context: BrowserContext,
                                                       guard: Guard, site_url: str) -> None:
    page = open_page(shared_context, guard, site_url)
    page.evaluate("window.sameDocument = true")  # gone if a link reloads the page
    page.get_by_role("link", name="Open the calculator").click()  # the home page's button
    page.wait_for_url(site_url + "calculator/")
    wait_ready(page)
    page.fill("#hours", "48")
    expect_result(page, {**web.DEFAULT_PARAMS, "hours": "48"})

    page.click(".md-header__button.md-logo")  # home, and back to the calculator
    page.wait_for_url(site_url)
    expect(page.locator("#mle-form")).to_have_count(0)
    page.go_back()
    page.wait_for_url("**/calculator/?*")
    wait_ready(page)
    expect_result(page, {**web.DEFAULT_PARAMS, "hours": "48"})  # reopened from the URL
    expect(page.locator("#hours")).to_have_value("48")
    page.fill("#count", "2")
    expect_result(page, {**web.DEFAULT_PARAMS, "hours": "48", "count": "2"})

    # one document, one worker, one Python start for the whole visit
    assert page.evaluate("window.sameDocument") is True
    assert sum(u.endswith("/javascripts/calculator-worker.js") for u in guard.requests) == 1
    assert sum(u.endswith("/pyodide.asm.wasm.brotli") for u in guard.requests) == 1
    page.close()


def test_maths_is_rendered_and_katex_loads_only_where_there_is_maths(
        shared_context: BrowserContext, guard: Guard, site_url: str) -> None:
    guard.requests.clear()
    page = open_page(shared_context, guard, site_url + "calculator/")
    page.wait_for_load_state("load")
    assert not any(u.endswith("/katex.min.js") for u in guard.requests)

    page.goto(site_url + "methodology/")
    formulas = page.locator(".arithmatex")
    expect(formulas.first.locator(".katex")).to_be_visible()
    count = formulas.count()
    assert count > 5
    # every formula typeset: KaTeX's markup inside, no raw TeX delimiters left
    assert page.locator(".arithmatex .katex").count() == count
    assert "\\(" not in page.locator("article").inner_text()
    assert sum(u.endswith("/katex.min.js") for u in guard.requests) == 1
    page.close()


def test_a_published_estimate_opens_in_the_calculator(shared_context: BrowserContext,
                                                      guard: Guard, site_url: str) -> None:
    page = open_page(shared_context, guard, site_url + "validation/")
    link = page.get_by_role("link", name="Open Transformer (big)", exact=True)
    href = link.get_attribute("href") or ""
    params = dict(parse_qsl(urlsplit(href).query))
    assert params["hours"] == "84" and params["pue"] == "1.58"  # Strubell et al. 2019
    link.click()
    page.wait_for_url("**/calculator/?*")
    wait_ready(page)
    expect_result(page, params)
    page.close()


# -- the cite box ---------------------------------------------------------------------------

def _reader_date(page: Page) -> str:
    return str(page.evaluate("""() => { const d = new Date();
        const p = (n) => String(n).padStart(2, "0");
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }"""))


def test_the_cite_box_gives_the_deployed_address_and_the_readers_date(
        light_context: BrowserContext, guard: Guard, site_url: str) -> None:
    # the tests build the site with SITE_URL, as a deploy does: that address is cited
    page = open_page(light_context, guard, site_url + "factors/location/")
    box = page.locator(".mle-cite pre").first
    expect(box).to_contain_text(f"\\url{{{site_url}factors/location/}}")
    expect(box).to_contain_text(f"; accessed {_reader_date(page)}}}")
    tool = page.locator(".mle-cite pre").nth(1).inner_text()
    assert tool == tool_bibtex()  # the same entry as `ml-emissions cite`
    page.close()


def test_without_a_deployed_address_the_cite_box_gives_the_readers(
        light_context: BrowserContext, guard: Guard, site_url: str) -> None:
    # the same page as a build without SITE_URL writes it (sitebuild/renderers/cite.py): the
    # path only, which the page's script completes with the address the reader sees
    page = guard.attach(light_context.new_page())

    def as_undeployed(route: Route) -> None:
        html = route.fetch().text()
        html = html.replace('data-url="deployed"', 'data-url="reader"').replace(
            f'<span class="mle-cite-url">{site_url}methodology/', '<span class="mle-cite-url">'
            "/methodology/")
        route.fulfill(body=html, content_type="text/html")

    page.route(site_url + "methodology/", as_undeployed)
    page.goto(site_url + "methodology/")
    box = page.locator(".mle-cite pre").first
    expect(box).to_contain_text(f"\\url{{{site_url}methodology/}}")
    expect(box).to_contain_text(f"; accessed {_reader_date(page)}}}")
    page.close()
