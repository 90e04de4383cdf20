"""Helpers of the browser tests: a guard on every page, opening pages, waiting for the
live calculator, axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ml_emissions import web

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CALCULATOR = "calculator/"  # the calculator page's address, relative to the site's
READY_TIMEOUT_MS = 60_000  # Pyodide's cold start takes 5-10 s on a 2-core machine


class Guard:
    """What must never happen on a page: console errors, uncaught exceptions, dialogs
    (``alert``) and requests to another origin."""

    def __init__(self, site_url: str) -> None:
        self.origin = site_url.rstrip("/")
        self.problems: list[str] = []
        self.requests: list[str] = []

    def attach(self, page: Page) -> Page:
        page.on("console", lambda message: message.type == "error" and self.problems.append(
            f"console error on {page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error.stack}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda request: self._request(request.url))
        return page

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, url: str) -> None:
        self.requests.append(url)
        local = (url.startswith(self.origin + "/") or url.startswith("data:")
                 or url.startswith(f"blob:{self.origin}/"))
        if not local:
            self.problems.append(f"request to another origin: {url}")

    def check(self) -> None:
        """Fail if anything was recorded since the last check."""
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)


def open_page(context: BrowserContext, guard: Guard, url: str) -> Page:
    """A new page of ``context``, watched by ``guard``, at ``url``."""
    page = guard.attach(context.new_page())
    page.goto(url)
    return page


def wait_ready(page: Page) -> None:
    """Wait until the live calculator is ready (or failed: then fail with its status)."""
    page.wait_for_function(
        "['ready', 'failed'].includes(document.getElementById('mle-status')?.dataset.state)",
        timeout=READY_TIMEOUT_MS)
    status = page.locator("#mle-status")
    assert status.get_attribute("data-state") == "ready", status.text_content()


def new_context(browser: Browser, **kwargs: Any) -> BrowserContext:
    """A browser context that may use the clipboard and download files.

    Unless ``kwargs`` say otherwise, it bypasses the pages' Content-Security-Policy
    (Playwright's waiting functions and axe-core run as page scripts) and blocks the
    site's service worker (so that a test's routes see every request and no test is
    answered from another's caches): test_security_policy.py tests the policy and
    test_offline.py the service worker, each in contexts of their own."""
    options = {"accept_downloads": True, "viewport": {"width": 1280, "height": 900},
               "bypass_csp": True, "service_workers": "block", **kwargs}
    context = browser.new_context(**options)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


POLICY_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  `${event.violatedDirective}: ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`));
"""
"""An init script that records every Content-Security-Policy violation of a page (read
them with :func:`policy_violations`)."""


def policy_violations(page: Page) -> list[str]:
    """The violations of the page's Content-Security-Policy since it loaded."""
    found: list[str] = page.evaluate("window.__violations")
    return found


AXE_CONTEXT = {"include": [["html"]], "exclude": [[".mle-data-table tbody tr:nth-child(n+11)"]]}
"""What axe-core checks: the whole page, but of the Data page's tables (some 20,000 cells,
row after row of the same markup and style) the first ten rows of each."""


def axe_violations(page: Page, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on ``page`` (of ``rules`` only, if
    given). axe is evaluated by the browser's devtools protocol, not added as a script
    of the page, which the page's Content-Security-Policy would refuse."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = page.evaluate("([context, options]) => axe.run(context, options)",
                            [AXE_CONTEXT, options])
    return [f"{v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


# Material makes every link of a page it loads absolute (the prerendered panel's too),
# where the engine's HTML has relative ones: links compare by the address they lead to.
_SHOWS = """({html, search}) => {
  const resolved = (markup) => {  // parsed inert (a template), its links made absolute
    const template = document.createElement("template");
    template.innerHTML = markup;
    for (const link of template.content.querySelectorAll("a[href]")) {
      link.setAttribute("href", new URL(link.getAttribute("href"), location.href).href);
    }
    return template.innerHTML;
  };
  const result = document.getElementById("mle-result");
  const same = !!result && resolved(result.innerHTML) === resolved(html);
  return same && (search === null || location.search === search);
}"""


def expect_html(page: Page, html: str, search: str | None = None,
                timeout_ms: int = 10_000) -> None:
    """Wait until the result panel shows ``html`` (as the browser parses it) and, unless
    ``search`` is None, the address bar has the query ``search``."""
    try:
        page.wait_for_function(_SHOWS, arg={"html": html, "search": search}, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        shown = page.locator("#mle-result .mle-headline").inner_text()
        raise AssertionError(f"the page shows {shown!r} at {page.url}") from None


def expect_result(page: Page, params: dict[str, str]) -> dict[str, Any]:
    """Wait until the page shows the estimate of ``params`` as the engine computes it
    here (``web.respond``), with its permalink in the address bar; return the reply."""
    reply = web.respond(params)
    assert reply["ok"], reply
    expect_html(page, reply["html"], "?" + reply["query"])
    return reply


def follow(page: Page, url: str) -> None:
    """Follow a link to ``url`` as a visitor would (Material's instant navigation) and
    wait for the new page's content."""
    page.evaluate("""(href) => {
      document.querySelector("[data-md-component=container]").dataset.left = "yes";
      const link = document.createElement("a");
      link.href = href;
      link.textContent = "test link";
      document.querySelector(".md-content").append(link);
      link.click();
    }""", url)
    page.wait_for_function(
        "!document.querySelector('[data-md-component=container]').dataset.left")
