"""The Content-Security-Policy (sitebuild/hooks/content_security.py) as a visitor's
browser applies it, beyond what every page's test checks (test_site_pages.py opens each
page under the policy): the live calculator starts and recalculates, the Project page
starts, instant navigation runs the next page's scripts, with no violation; and a script
or an inline style the site did not ship is refused.

These contexts do not bypass the policy, so the tests wait with locators (Playwright's
waiting functions run as page scripts, which the policy refuses)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser.pages import (
    POLICY_VIOLATIONS,
    READY_TIMEOUT_MS,
    Guard,
    open_page,
    policy_violations,
)


def test_the_calculator_and_the_project_run_under_the_policy(
        browser: Browser, guard: Guard, site_url: str) -> None:
    context = browser.new_context(service_workers="block")
    context.add_init_script(POLICY_VIOLATIONS)
    page = open_page(context, guard, site_url + "calculator/")
    status = page.locator("#mle-status")
    expect(status).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT_MS)
    page.fill("#hours", "48")  # a recalculation in the worker
    expect(page.locator("#mle-result .mle-headline")).to_contain_text("CO2e")
    expect(page).to_have_url(re.compile(r"[?&]hours=48(&|$)"))
    # instant navigation to another page, and to the Project page
    page.locator('.md-nav--primary a[href$="/methodology/"]').first.click()
    expect(page).to_have_title("Methodology - ML Emissions Calculator")
    page.locator('.md-nav--primary a[href$="/project/"]').first.click()
    expect(page.locator("#mle-project-status")).to_have_attribute(
        "data-state", "ready", timeout=READY_TIMEOUT_MS)
    assert policy_violations(page) == []
    guard.check()  # no console error (a violation logs one) and no other origin
    context.close()


def test_a_script_or_style_the_site_did_not_ship_is_refused(browser: Browser,
                                                           site_url: str) -> None:
    context = browser.new_context(service_workers="block")
    context.add_init_script(POLICY_VIOLATIONS)
    page = context.new_page()
    page.goto(site_url)
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.head.append(script);
      const styled = document.createElement("div");
      styled.setAttribute("style", "color: red");
      document.body.append(styled);
    }""")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert page.evaluate("window.__ran === undefined")
    violations = policy_violations(page)
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    context.close()
