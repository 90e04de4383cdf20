"""Browser figures for ``make bench`` (not a test: nothing here asserts a time).

A cold browser context opens the calculator page of a built site served on 127.0.0.1 and
records, from the page itself: when the first estimate is in the DOM (it is prerendered,
so at first contentful paint), when the live calculator is ready, the main thread's long
tasks during start-up, the bytes transferred for the page (worker fetches included), and
the latency of 50 recalculations made on an idle page, as a visitor's keystrokes are:
input event to updated result (the page's debounce included), and to the end of the
frame that shows it.
"""

from __future__ import annotations

import functools
import http.server
import json
import socket
import statistics
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Request, sync_playwright

# Playwright's waiting functions run as page scripts, which the pages' Content-Security-
# Policy refuses: the benchmark's contexts bypass it (it changes no timing). They block
# the site's service worker, whose precache of the whole site would count as the page's
# (bench_network.py measures visits with it).
CONTEXT: dict[str, Any] = {"bypass_csp": True, "service_workers": "block"}

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

# Installed before the page's own scripts: long tasks and the moment the status turns ready.
PROBE = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({type: "longtask", buffered: true});
document.addEventListener("DOMContentLoaded", () => {
  window.__resultAtDomReady = !!document.querySelector("#mle-result .mle-headline");
  const status = document.getElementById("mle-status");
  if (!status) return;
  new MutationObserver(() => {
    if (status.dataset.state === "ready" && !window.__readyAt) window.__readyAt = performance.now();
  }).observe(status, {attributes: true});
});
"""

RECALCULATE = """
async (rounds) => {
  const count = document.getElementById("count");
  const result = document.getElementById("mle-result");
  // after the next frame has been rendered (rAF runs just before its style and layout)
  const rendered = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const times = {dom: [], painted: []};
  for (let i = 0; i < rounds; i++) {
    await rendered();
    await rendered(); // an idle page, as after a keystroke: the last result is on screen
    // a new count always changes the text of the result: watching text only keeps the
    // observer's own cost (a record per change) small
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
      observer.observe(result, {childList: true, subtree: true, characterData: true});
    });
    const start = performance.now();
    count.value = String(2 + (i % 7));
    count.dispatchEvent(new Event("input", {bubbles: true}));
    await changed;
    times.dom.push(performance.now() - start);
    await rendered();
    times.painted.push(performance.now() - start);
  }
  return times;
}
"""


# Six scenarios on the calculator page: the example job with its work as compute and five
# more devices to compare it with (the rows of the CPython benchmark's comparison).
SIX_SCENARIOS = """() => {
  const form = document.getElementById("mle-form");
  document.getElementById("choose-parameters").click();
  // count 9: the recalculations that follow set 2 to 8, so that each one changes it
  for (const [name, value] of [["count", "9"], ["parameters", "7B"], ["tokens", "2T"],
       ["compare-hardware", "H100 SXM; H200 SXM; B200; MI300X; L40S"]]) {
    const field = form.elements.namedItem(name);
    field.value = value;
    field.dispatchEvent(new Event("input", {bubbles: true}));
  }
}
"""

# A page with nothing but the calculator's worker: how long Pyodide takes to start here
# with no page around it (the floor of "live calculator ready"). Served by the benchmark
# only, never part of the site. %s: the worker's URL and settings as JSON.
BARE_PAGE = """<!doctype html><html lang="en"><head><title>bare</title></head><body><script>
const init = %s;
const name = JSON.stringify({indexURL: init.indexURL, wheelURL: init.wheelURL,
                             snapshotURL: init.snapshotURL, stallMs: init.stallMs});
const worker = new Worker(init.workerURL, {type: "module", name});
worker.onmessage = ({data}) => { if (data.type === "ready") window.__readyAt = performance.now(); };
</script></body></html>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}/"


def _project_import(browser: Browser, url: str) -> tuple[float, str]:
    """Milliseconds from picking a 100,001-line sacct log on the Project page to its
    result, and the page's summary of the import."""
    from bench.bench import sacct_log

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "sacct.txt"
        log.write_text(sacct_log(50_000))
        page = browser.new_context(**CONTEXT).new_page()
        page.goto(url + "project/")
        page.wait_for_function("document.getElementById('mle-project-status')"
                               ".dataset.state === 'ready'", timeout=120_000)
        page.fill("#location", "FR")
        page.evaluate("window.__picked = performance.now()")
        page.set_input_files("#file", str(log))
        page.wait_for_function("document.getElementById('mle-import-report').textContent"
                               ".startsWith('sacct')", timeout=300_000)
        elapsed = page.evaluate("performance.now() - window.__picked")
        summary = page.locator("#mle-import-report").text_content() or ""
        page.context.close()
    return elapsed, summary.split(":")[1].split(", ")[0].strip()


def measure(site_dir: Path) -> list[tuple[str, str, str]]:
    """The browser rows of the benchmark table for the site built in ``site_dir``."""
    server, url = _serve(site_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=LAUNCH_ARGS)
            context = browser.new_context(**CONTEXT)
            requests: list[Request] = []
            context.on("requestfinished", lambda request: requests.append(request))
            page = context.new_page()
            page.add_init_script(PROBE)
            page.goto(url + "calculator/")
            page.wait_for_function("window.__readyAt !== undefined", timeout=120_000)
            timing = page.evaluate("""() => ({
                fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
                dom: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
                ready: window.__readyAt, prerendered: window.__resultAtDomReady,
                longTasks: window.__longTasks})""")
            init = page.evaluate("""() => {
              const boot = document.querySelector("[data-pyodide]");  // calculator-boot.js's
              const url = (path) => path && new URL(path, location.origin + "/").href;
              return {workerURL: url("javascripts/calculator-worker.js"),
                      indexURL: url(boot.dataset.pyodide), wheelURL: url(boot.dataset.wheel),
                      snapshotURL: url(boot.dataset.snapshot),
                      stallMs: Number(boot.dataset.stallMs)};
            }""")
            page.wait_for_timeout(2000)  # a visitor reading the first estimate; warm-up done
            recalculations = page.evaluate(RECALCULATE, 50)
            page.evaluate(SIX_SCENARIOS)
            page.wait_for_timeout(1000)
            compared = page.evaluate(RECALCULATE, 20)
            compared_ok = page.evaluate(
                "document.querySelectorAll('#mle-result .mle-scenarios tbody tr').length")
            # the same figure on a page without the calculator: what Material costs alone
            other = browser.new_context(**CONTEXT).new_page()
            other.add_init_script(PROBE)
            other.goto(url + "learn/")
            other.wait_for_load_state("load")
            other.wait_for_timeout(1000)
            baseline_tasks = other.evaluate("window.__longTasks")
            bare_context = browser.new_context(**CONTEXT)
            bare_context.route(url + "bench-bare.html", lambda route: route.fulfill(
                content_type="text/html", body=BARE_PAGE % json.dumps(init)))
            bare = bare_context.new_page()
            bare.goto(url + "bench-bare.html")
            bare.wait_for_function("window.__readyAt !== undefined", timeout=120_000)
            bare_ready = bare.evaluate("window.__readyAt")
            project_ms, project_jobs = _project_import(browser, url)
            transferred = [sum(request.sizes()[part] for part in ("responseBodySize",
                                                                  "responseHeadersSize"))
                           for request in requests]
            browser.close()
    finally:
        server.shutdown()
    long_tasks = timing["longTasks"]
    blocking = sum(max(0.0, t - 50) for t in long_tasks)
    first = timing["fcp"] or timing["dom"]
    return [
        ("first estimate in the DOM", f"{first:.0f} ms",
         "prerendered, at first contentful paint" if timing["prerendered"] else "NOT prerendered"),
        ("live calculator ready (cold)", f"{timing['ready']:.0f} ms", "from navigation start"),
        ("  the same on a bare page", f"{bare_ready:.0f} ms",
         "a page with only the worker: Pyodide's own start, the floor"),
        ("main-thread blocking during start-up", f"{blocking:.0f} ms",
         f"{len(long_tasks)} long task(s), longest {max(long_tasks, default=0):.0f} ms"),
        ("longest task on a page without calculator", f"{max(baseline_tasks, default=0):.0f} ms",
         f"Learn page, cold: {len(baseline_tasks)} long task(s), Material's bundle"),
        ("recalculation latency, median", f"{statistics.median(recalculations['dom']):.1f} ms",
         "50 changes on an idle page 2 s after ready, input event to updated DOM"),
        ("recalculation latency, max", f"{max(recalculations['dom']):.1f} ms", ""),
        ("six-scenario comparison, median", f"{statistics.median(compared['dom']):.1f} ms",
         f"20 changes with 5 devices to compare ({compared_ok} rows shown), input to DOM"),
        ("recalculation to next frame, median",
         f"{statistics.median(recalculations['painted']):.1f} ms",
         "input event until the frame showing the result is rendered"),
        ("Project page: import a sacct log of 100,001 lines", f"{project_ms:.0f} ms",
         f"file picked to result shown, {project_jobs}; parsed and estimated in the worker"),
        ("calculator page bytes transferred", f"{sum(transferred) / 1024 / 1024:.2f} MiB",
         f"{len(transferred)} requests, worker fetches included, no compression"),
    ]
