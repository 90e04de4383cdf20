"""The calculator page's layout in Chromium: on a phone, the headline estimate in view
while the form is filled; on a desktop, Material's navigation beside the calculator and a
skip link to the estimate; the range and the provider's figure linked to their
Methodology sections; and the permalink of the estimate shown, with "Copy link".

Expected figures and links come from the engine in this process (``web.respond``), never
from numbers written here. One browser context and one Python start for the module: each
test reopens the page by Material's instant navigation, which keeps the running worker.
"""

from __future__ import annotations

import time
from html import escape
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from ml_emissions import web
from ml_emissions.result_html import MARKET_SECTION, METHODOLOGY, RANGE_SECTION
from tests.browser.pages import CALCULATOR, expect_result

DEFAULT = web.DEFAULT_PARAMS
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# The text of the first element of ``selector`` in an HTML fragment, as the browser
# parses it (the engine's fragments are parsed by the same rules in the page).
_TEXT_IN = """([html, selector]) => {
  const fragment = document.createElement("template");
  fragment.innerHTML = html;
  return fragment.content.querySelector(selector).textContent;
}"""

# Whether the middle of an element is on screen and shows that element (not the header
# or anything else over it).
_IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const inside = box.top >= 0 && box.bottom <= innerHeight && box.left >= 0
    && box.right <= innerWidth && box.width > 0 && box.height > 0;
  const shown = document.elementFromPoint(x, y);
  return inside && (shown === element || element.contains(shown));
}"""


def headline(page: Page, reply: dict[str, str]) -> str:
    """The CO2e figure of an engine reply's result panel."""
    return str(page.evaluate(_TEXT_IN, [reply["html"], ".mle-co2e strong"]))


def expect_in_view(locator: Locator, timeout_ms: float = 5000) -> None:
    """Wait for ``locator`` to come into view: after a click, Material's instant
    navigation changes the address, swaps the content and only then scrolls to the
    fragment, later still on a busy machine."""
    page = locator.page
    deadline = _now_ms() + timeout_ms
    while not locator.evaluate(_IN_VIEW):
        if _now_ms() > deadline:
            raise AssertionError(f"not in view: {locator.bounding_box()}")
        page.wait_for_timeout(50)


def _now_ms() -> float:
    return time.monotonic() * 1000


def test_on_a_phone_the_headline_estimate_stays_in_view(calculator: Page) -> None:
    calculator.set_viewport_size(PHONE)
    summary = calculator.locator("#mle-summary-figures strong")
    example = web.respond(DEFAULT)
    expect(summary).to_have_text(headline(calculator, example))
    expect_in_view(summary)  # in the first screen, without scrolling
    # a field far down the form: the page scrolls to it, the summary stays in view
    calculator.fill("#pue", "1.4")
    reply = expect_result(calculator, {**DEFAULT, "pue": "1.4"})
    figure = headline(calculator, reply)
    assert figure != headline(calculator, example)  # a change the summary must follow
    expect(summary).to_have_text(figure)
    expect_in_view(summary)
    # a field above, reached by the keyboard, is not hidden under the summary
    calculator.locator("#count").focus()
    assert calculator.evaluate("scrollY") > 0  # still scrolled down: the summary is held
    expect_in_view(summary)
    expect_in_view(calculator.locator("#count"))
    # the engine's summary as it is: the same words as the panel, energy too
    energy = str(calculator.evaluate(_TEXT_IN, [reply["html"], ".mle-energy strong"]))
    expect(calculator.locator("#mle-summary-figures")).to_contain_text(energy)
    # an invalid input: the summary keeps the last valid estimate and says so
    calculator.fill("#pue", "0.5")
    expect(calculator.locator("#pue-error")).to_be_visible()
    expect(calculator.locator("#mle-summary .mle-summary-stale")).to_be_visible()
    expect(calculator.locator("#mle-summary .mle-summary-current")).to_be_hidden()
    expect(summary).to_have_text(figure)
    calculator.fill("#pue", "1.4")
    expect(calculator.locator("#mle-summary .mle-summary-current")).to_be_visible()
    # beside the form, on a wide screen, the estimate itself is in view: no summary
    calculator.set_viewport_size(DESKTOP)
    expect(calculator.locator("#mle-summary")).to_be_hidden()


def test_on_a_desktop_the_navigation_and_a_skip_link_lead_on(calculator: Page) -> None:
    calculator.set_viewport_size(DESKTOP)
    navigation = calculator.locator(".md-sidebar--primary")
    other_page = navigation.get_by_role("link", name="Methodology", exact=True)
    expect(other_page).to_be_visible()  # Material's navigation, without a click
    # the inputs beside the estimate, the estimate at least as wide as the inputs
    inputs = calculator.locator(".mle-panel--inputs").bounding_box()
    output = calculator.locator(".mle-panel--output").bounding_box()
    assert inputs and output
    assert output["x"] >= inputs["x"] + inputs["width"] and output["width"] >= inputs["width"]

    # the content's first tab stop, after the navigation's last link
    navigation.get_by_role("link", name="The paper", exact=True).focus()
    calculator.keyboard.press("Tab")
    skip = calculator.get_by_role("link", name="Skip to the estimate")
    expect(skip).to_be_focused()
    expect_in_view(skip)  # visible once focused
    first = calculator.evaluate("""() => [...document.querySelectorAll(
        ".md-content a[href], .md-content button, .md-content input, .md-content select,"
        + " .md-content textarea, .md-content [tabindex]")]
      .find((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0)
      ?.textContent""")
    assert first == "Skip to the estimate"
    calculator.keyboard.press("Enter")
    expect(calculator.locator("#estimate")).to_be_focused()
    expect_in_view(calculator.locator("#mle-result .mle-co2e strong"))


def test_a_headings_permanent_link_keeps_the_estimate_shown(calculator: Page,
                                                             site_url: str) -> None:
    calculator.set_viewport_size(DESKTOP)
    calculator.evaluate("window.sameDocument = true")
    calculator.fill("#hours", "30")
    expect_result(calculator, {**DEFAULT, "hours": "30"})
    calculator.wait_for_url("**/calculator/?*hours=30*")
    query = calculator.evaluate("location.search")
    (heading_id,) = calculator.locator("h1").evaluate_all("(h) => h.map((e) => e.id)")
    calculator.hover("h1")
    calculator.click("h1 a.headerlink")
    # the heading's fragment on the address of the estimate shown, in the same document
    calculator.wait_for_url(f"{site_url}{CALCULATOR}{query}#{heading_id}")
    assert calculator.evaluate("window.sameDocument") is True
    expect(calculator.locator("#hours")).to_have_value("30")
    expect_result(calculator, {**DEFAULT, "hours": "30"})


@pytest.mark.parametrize(("selector", "section"), [(".mle-co2e a", RANGE_SECTION),
                                                   (".mle-market a", MARKET_SECTION)])
def test_the_range_and_the_providers_figure_link_to_the_methodology(
        calculator: Page, site_url: str, selector: str, section: str) -> None:
    calculator.set_viewport_size(DESKTOP)
    link = calculator.locator(f"#mle-result {selector}")
    assert link.evaluate("(a) => a.href") == f"{site_url}methodology/#{section}"
    # as the engine in the browser writes it: relative to the page, so that it works
    # under a sub-path too (Material's instant navigation makes the page's first links
    # absolute)
    calculator.fill("#hours", "30")
    expect_result(calculator, {**DEFAULT, "hours": "30"})
    expect(link).to_have_attribute("href", f"{METHODOLOGY}#{section}")
    assert link.evaluate("(a) => a.href") == f"{site_url}methodology/#{section}"
    link.click()
    calculator.wait_for_url(f"{site_url}methodology/#{section}")
    heading = calculator.locator(f"#{section}")
    expect(heading).to_have_count(1)
    assert heading.evaluate("(e) => e.tagName") in ("H2", "H3")
    expect_in_view(heading)


def test_the_permalink_of_the_estimate_shown_is_on_the_page_and_copied(
        calculator: Page, site_url: str, site_dir: Path) -> None:
    calculator.set_viewport_size(DESKTOP)
    query = web.respond(DEFAULT)["query"]
    html = (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    assert f'href="?{escape(query)}"' in html  # in the page as built, for the example
    assert calculator.evaluate("location.search") == ""  # untouched: no query in the bar
    link = calculator.locator("#mle-permalink")
    expect(link).to_have_text(f"{site_url}{CALCULATOR}?{query}")
    copy = calculator.get_by_role("button", name="Copy link")
    calculator.evaluate("navigator.clipboard.writeText('')")
    copy.click()
    expect(calculator.locator("#mle-link-status")).to_contain_text("Copied")
    assert calculator.evaluate("navigator.clipboard.readText()") == (
        f"{site_url}{CALCULATOR}?{query}")
    # another estimate: its link, as in the address bar
    calculator.fill("#hours", "48")
    reply = expect_result(calculator, {**DEFAULT, "hours": "48"})
    assert reply["query"] != query
    expect(link).to_have_text(f"{site_url}{CALCULATOR}?{reply['query']}")
    expect(calculator.locator("#mle-link-status")).to_have_text("")
    copy.click()
    expect(calculator.locator("#mle-link-status")).to_contain_text("Copied")
    assert calculator.evaluate("navigator.clipboard.readText()") == calculator.url
    assert calculator.url == f"{site_url}{CALCULATOR}?{reply['query']}"
