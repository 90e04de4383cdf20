"""The calculator page in Chromium: the live estimate for every kind of input, errors,
exports, permalinks (good and hostile), keyboard use, and the page when Python cannot
load.

Expected values always come from the engine in this process (``web.respond``) or from
the command line (``ml-emissions estimate``), never from numbers written here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from ml_emissions import formatting as fmt
from ml_emissions import web
from sitebuild import brotli_files
from tests.browser.pages import (
    CALCULATOR,
    ROOT,
    Guard,
    axe_violations,
    expect_html,
    expect_result,
    follow,
    new_context,
    open_page,
    wait_ready,
)
from tests.conftest import data_rows

ML_EMISSIONS = str(Path(sys.executable).with_name("ml-emissions"))
DEFAULT = web.DEFAULT_PARAMS
AWS_REGION = next(r["key"] for p in web.form_options()["providers"] if p["id"] == "aws"
                  for r in p["regions"][1:])


def cli(params: dict[str, str], fmt: str) -> str:
    """What ``ml-emissions estimate`` prints for ``params`` in format ``fmt``."""
    flags = [arg for name, value in params.items() for arg in (f"--{name}", value)]
    done = subprocess.run([ML_EMISSIONS, "estimate", *flags, "--format", fmt],
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def changed(**changes: str | None) -> dict[str, str]:
    """The default inputs with ``changes`` (None removes an input)."""
    params = dict(DEFAULT)
    for key, value in changes.items():
        name = key.replace("_", "-")
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return params


def act(page: Page, actions: list[tuple[str, str, str]]) -> None:
    """Do what a visitor does: ("fill", id, text), ("select", id, value), ("mode", param, "")
    (choose the alternative that gives ``param``)."""
    for action, target, value in actions:
        if action == "fill":
            page.fill(f"#{target}", value)
        elif action == "select":
            page.select_option(f"#{target}", value)
        else:
            page.click(f'label[for="choose-{target}"]')


# -- each kind of input --------------------------------------------------------------------

INPUT_CASES = [
    ("hardware", [("fill", "hardware", "V100")], changed(hardware="V100")),
    ("hardware-alias", [("fill", "hardware", "rtx 4090")], changed(hardware="rtx 4090")),
    ("custom-watts", [("mode", "watts", ""), ("fill", "watts", "300")],
     changed(hardware=None, watts="300")),
    ("count", [("fill", "count", "3")], changed(count="3")),
    ("cloud-instance", [("mode", "instance", ""), ("select", "instance-provider", "azure"),
                        ("select", "instance", "azure:Standard_ND96isr_H100_v5"),
                        ("fill", "count", "")],
     changed(hardware=None, instance="azure:Standard_ND96isr_H100_v5", count=None)),
    ("count-left-empty", [("fill", "count", "")], changed(count=None)),
    ("hours", [("fill", "hours", "100.5")], changed(hours="100.5")),
    ("device-hours", [("mode", "device-hours", ""), ("fill", "device-hours", "500")],
     changed(hours=None, device_hours="500")),
    ("utilization", [("fill", "utilization", "0.6")], changed(utilization="0.6")),
    ("measured-watts", [("mode", "measured-watts", ""), ("fill", "measured-watts", "250")],
     changed(measured_watts="250")),
    ("cpu-and-memory", [("fill", "cpu-watts", "150"), ("fill", "memory-gb", "256")],
     changed(cpu_watts="150", memory_gb="256")),
    ("region-of-another-provider", [("select", "provider", "aws"),
                                    ("select", "region", AWS_REGION)],
     changed(region=AWS_REGION)),
    ("zone", [("mode", "zone", ""), ("fill", "zone", "FR")], changed(region=None, zone="FR")),
    ("country-name", [("mode", "zone", ""), ("fill", "zone", "Canada")],
     changed(region=None, zone="Canada")),
    ("intensity", [("mode", "intensity", ""), ("fill", "intensity", "250")],
     changed(region=None, intensity="250")),
    ("pue", [("fill", "pue", "1.4")], changed(pue="1.4")),
    ("runs", [("fill", "runs", "20")], changed(runs="20")),
    ("development-hours", [("mode", "development-hours", ""),
                           ("fill", "development-hours", "1000")],
     changed(development_hours="1000")),
    ("training-type", [("select", "training-type", "fine-tuning")],
     changed(training_type="fine-tuning")),
    ("hours-with-a-unit", [("fill", "hours", "14 d")], changed(hours="14 d")),
    ("total-device-hours", [("mode", "total-device-hours", ""),
                            ("fill", "total-device-hours", "3,000"), ("fill", "runs", "500")],
     changed(hours=None, total_device_hours="3,000", runs="500")),
    ("zone-by-its-name", [("mode", "zone", ""), ("fill", "zone", "Quebec")],
     changed(region=None, zone="Quebec")),
    ("basis", [("select", "basis", "direct")], changed(basis="direct")),
    ("provider-basis", [("select", "basis", "provider")], changed(basis="provider")),
    ("facility", [("mode", "zone", ""), ("fill", "zone", "FR"), ("select", "facility", "hpc")],
     changed(region=None, zone="FR", facility="hpc")),
    ("parameters-and-tokens", [("mode", "parameters", ""), ("fill", "parameters", "7B"),
                               ("fill", "tokens", "2T")],
     changed(hours=None, parameters="7B", tokens="2T")),
    ("flops-precision-and-mfu", [("mode", "flops", ""), ("fill", "flops", "1e21"),
                                 ("select", "precision", "tf32"), ("fill", "mfu", "0.5")],
     changed(hours=None, flops="1e21", precision="tf32", mfu="0.5")),
    ("embodied-off", [("select", "embodied", "no")], changed(embodied="no")),
    ("embodied-inputs", [("fill", "embodied-host-kg-per-device", "312.5"),
                         ("fill", "lifetime-years", "4"), ("fill", "use-rate", "0.6")],
     changed(embodied_host_kg_per_device="312.5", lifetime_years="4", use_rate="0.6")),
    ("compare-hardware", [("fill", "compare-hardware", "H100 SXM; B200")],
     changed(compare_hardware="H100 SXM; B200")),
    ("compare-locations-and-counts", [("fill", "compare-location", "gcp:europe-west1; SE-SE1"),
                                      ("fill", "compare-count", "16")],
     changed(compare_location="gcp:europe-west1; SE-SE1", compare_count="16")),
]


@pytest.mark.parametrize(("actions", "params"), [c[1:] for c in INPUT_CASES],
                         ids=[c[0] for c in INPUT_CASES])
def test_each_input_updates_the_estimate(calculator: Page, actions: list[tuple[str, str, str]],
                                         params: dict[str, str]) -> None:
    act(calculator, actions)
    reply = expect_result(calculator, params)
    expect(calculator.locator("#pue")).to_have_attribute("placeholder", reply["pue"]["value"])


SLOW_REPLY = """
    const reply = { id, result: JSON.parse(methods[method](argument, progress)) };
    // test only: the reply for 111 hours comes late, after the next request's
    if (argument.includes('"hours":"111"')) setTimeout(() => postMessage(reply), 1500);
    else postMessage(reply);"""


def test_screen_readers_hear_the_new_estimate_once_typing_pauses(calculator: Page) -> None:
    announcer = calculator.locator("#mle-announce")
    expect(announcer).to_have_attribute("aria-live", "polite")
    calculator.fill("#hours", "30")
    calculator.fill("#hours", "31")
    reply = expect_result(calculator, changed(hours="31"))
    expect(announcer).to_have_text(reply["announcement"])
    assert "Estimate updated:" in reply["announcement"]


def test_a_late_reply_to_an_older_request_is_dropped(browser: Browser, site_url: str) -> None:
    context = new_context(browser)
    worker = (ROOT / "docs" / "javascripts" / "calculator-worker.js").read_text()
    line = "    postMessage({ id, result: JSON.parse(methods[method](argument, progress)) });"
    assert worker.count(line) == 1, "the worker's reply line changed: update this test"

    def slow_worker(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript",
                      body=route.fetch().text().replace(line, SLOW_REPLY))

    context.route("**/javascripts/calculator-worker.js", slow_worker)
    # the page's own record of the worker's replies, to know when the late one is in
    context.add_init_script("""(() => {
      const Native = window.Worker;
      window.__replies = [];
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener("message", ({ data }) => window.__replies.push(data));
        }
      };
    })()""")
    guard = Guard(site_url)
    page = open_page(context, guard, site_url + CALCULATOR)
    wait_ready(page)
    page.fill("#hours", "111")  # sent at once; its reply is held back 1.5 s
    page.fill("#hours", "222")  # sent while the first is pending; answered first
    expect_result(page, changed(hours="222"))
    page.wait_for_function("window.__replies.some((reply) => "
                           "reply.result?.query?.includes('hours=111'))")  # the late one
    expect_result(page, changed(hours="222"))
    expect(page.locator("#hours")).to_have_value("222")
    guard.check()
    context.close()


def test_a_recalculation_updates_the_result_in_place(calculator: Page) -> None:
    # Only what changed is rewritten: the elements of the panel stay (with focus), and
    # the browser restyles no new panel. A JS property marks the nodes to follow.
    calculator.evaluate("""() => {
      document.querySelector("#mle-result .mle-co2e").probe = "kept";
      document.querySelector("#mle-result svg").probe = "kept";
    }""")
    calculator.fill("#hours", "37")
    expect_result(calculator, changed(hours="37"))
    assert calculator.evaluate("""() => [".mle-co2e", "svg"].map(
      (selector) => document.querySelector(`#mle-result ${selector}`).probe)""") == ["kept"] * 2


def test_the_region_list_follows_the_provider(calculator: Page) -> None:
    calculator.select_option("#provider", "aws")
    regions = calculator.eval_on_selector_all("#region option", "els => els.map(e => e.value)")
    expected = next(p for p in web.form_options()["providers"] if p["id"] == "aws")["regions"]
    assert regions == [r["key"] for r in expected]
    expect_result(calculator, changed(region=expected[0]["key"]))


def test_the_instance_list_follows_its_provider(
        calculator: Page, live: tuple[Page, Guard, BrowserContext]) -> None:
    act(calculator, [("mode", "instance", ""), ("select", "instance-provider", "gcp")])
    shown = calculator.eval_on_selector_all("#instance option", "els => els.map(e => e.value)")
    # every Google Cloud machine type and TPU slice of the table, in its order, no other
    expected = [f"gcp:{row['instance_type']}" for row in data_rows("instances.csv")
                if row["provider"] == "gcp"]
    assert shown == expected
    reply = expect_result(calculator, changed(hardware=None, instance=expected[0]))
    assert "a2-highgpu-1g" in reply["html"]
    # the same name in the permalink opens the same instance, under its provider
    _, guard, context = live
    opened = open_page(context, guard, calculator.url)
    wait_ready(opened)
    expect(opened.locator("#instance-provider")).to_have_value("gcp")
    expect(opened.locator("#instance")).to_have_value(expected[0])
    expect(opened.locator("#choose-instance")).to_be_checked()
    opened.close()


def test_the_form_works_with_the_keyboard(calculator: Page) -> None:
    calculator.focus("#choose-hours")
    calculator.keyboard.press("ArrowRight")
    expect(calculator.locator("#choose-device-hours")).to_be_checked()
    outline = calculator.eval_on_selector('label[for="choose-device-hours"]',
                                          "e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # the focused choice is visibly marked
    calculator.keyboard.press("Tab")
    assert calculator.evaluate("document.activeElement.id") == "device-hours"
    assert calculator.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    calculator.keyboard.type("500")
    expect_result(calculator, changed(hours=None, device_hours="500"))


# -- errors --------------------------------------------------------------------------------

# (field, what the visitor does, the inputs then): each from the example with 12 hours
ERROR_CASES = [
    ("hours", [("fill", "hours", "-2")], {"hours": "-2"}),
    ("hours", [("fill", "hours", "abc")], {"hours": "abc"}),
    ("count", [("fill", "count", "1.5")], {"count": "1.5"}),
    ("count", [("fill", "count", "1e999")], {"count": "1e999"}),
    ("hardware", [("fill", "hardware", "A100-80G-SMX")], {"hardware": "A100-80G-SMX"}),
    ("hardware", [("fill", "hardware", "Google TPU v5e")], {"hardware": "Google TPU v5e"}),
    ("zone", [("mode", "zone", ""), ("fill", "zone", "Frence")],
     {"region": None, "zone": "Frence"}),
    ("pue", [("fill", "pue", "0.5")], {"pue": "0.5"}),
    ("utilization", [("fill", "utilization", "2")], {"utilization": "2"}),
    ("compare-hardware", [("fill", "compare-hardware", "H100 SXM; H1OO")],
     {"compare-hardware": "H100 SXM; H1OO"}),
    ("compare-count", [("fill", "compare-count", "2; 3; 4; 5; 6; 7")],
     {"compare-count": "2; 3; 4; 5; 6; 7"}),
]


@pytest.mark.parametrize(("field", "actions", "changes"), ERROR_CASES,
                         ids=[f"{c[0]}={c[1][-1][2]}" for c in ERROR_CASES])
def test_a_bad_input_is_explained_next_to_it_and_the_last_estimate_stays(
        calculator: Page, field: str, actions: list[tuple[str, str, str]],
        changes: dict[str, str | None]) -> None:
    calculator.fill("#hours", "12")
    expect_result(calculator, changed(hours="12"))
    act(calculator, actions)
    bad = web.respond(changed(**{"hours": "12", **changes}))
    assert not bad["ok"]
    (error,) = bad["errors"]
    assert error["field"] == field
    expect(calculator.locator(f"#{field}-error")).to_have_text(error["message"])
    expect(calculator.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(calculator.locator("#mle-stale")).to_be_visible()
    expect(calculator.locator("#form-error")).to_be_hidden()
    expect_result(calculator, changed(hours="12"))  # the last good estimate and permalink


def test_a_device_without_published_power_takes_a_measured_power(calculator: Page) -> None:
    calculator.fill("#hardware", "Google TPU v6e (Trillium)")
    expect(calculator.locator("#hardware-error")).to_contain_text("Google publishes no power")
    act(calculator, [("mode", "measured-watts", ""), ("fill", "measured-watts", "150")])
    expect_result(calculator, changed(hardware="Google TPU v6e (Trillium)", utilization=None,
                                      measured_watts="150"))
    expect(calculator.locator("#hardware-error")).to_be_hidden()


def test_fixing_the_input_clears_the_error(calculator: Page) -> None:
    calculator.fill("#hours", "-2")
    expect(calculator.locator("#hours-error")).to_be_visible()
    calculator.fill("#hours", "5")
    expect_result(calculator, changed(hours="5"))
    expect(calculator.locator("#hours-error")).to_be_hidden()
    expect(calculator.locator("#hours")).not_to_have_attribute("aria-invalid", "true")
    expect(calculator.locator("#mle-stale")).to_be_hidden()


def test_the_page_with_results_and_errors_has_no_serious_accessibility_violation(
        calculator: Page) -> None:
    calculator.fill("#hours", "-2")
    expect(calculator.locator("#hours-error")).to_be_visible()
    assert axe_violations(calculator) == []


# -- exports -------------------------------------------------------------------------------

EXPORT_PARAMS = {"hardware": "V100", "count": "4", "device-hours": "500", "zone": "FR",
                 "runs": "20", "training-type": "fine-tuning"}


def test_every_export_equals_the_command_line(calculator: Page) -> None:
    act(calculator, [("fill", "hardware", "V100"), ("fill", "count", "4"),
                     ("mode", "device-hours", ""), ("fill", "device-hours", "500"),
                     ("mode", "zone", ""), ("fill", "zone", "FR"), ("fill", "runs", "20"),
                     ("select", "training-type", "fine-tuning")])
    expect_result(calculator, EXPORT_PARAMS)
    copies = calculator.locator('button[data-action="copy"]')
    assert copies.count() == 5
    for index in range(copies.count()):
        button = copies.nth(index)
        fmt = button.get_attribute("data-export") or ""
        calculator.evaluate("navigator.clipboard.writeText('')")
        button.click()
        expect(calculator.locator("#mle-export-status")).to_contain_text("Copied")
        assert calculator.evaluate("navigator.clipboard.readText()") == cli(EXPORT_PARAMS, fmt)
    for fmt in ("json", "csv"):
        with calculator.expect_download() as download:
            calculator.click(f'button[data-action="download"][data-export="{fmt}"]')
        assert download.value.suggested_filename == f"ml-emissions-estimate.{fmt}"
        saved = Path(download.value.path()).read_bytes()
        assert saved == cli(EXPORT_PARAMS, fmt).encode("utf-8")


# -- permalinks ----------------------------------------------------------------------------

def test_a_permalink_reopens_the_inputs_and_the_command_line_reads_it(
        calculator: Page, live: tuple[Page, Guard, BrowserContext]) -> None:
    act(calculator, [("fill", "hardware", "V100"), ("fill", "count", "4"),
                     ("mode", "device-hours", ""), ("fill", "device-hours", "500"),
                     ("select", "provider", "aws"), ("select", "region", AWS_REGION),
                     ("mode", "measured-watts", ""), ("fill", "measured-watts", "210"),
                     ("fill", "pue", "1.2"), ("mode", "development-hours", ""),
                     ("fill", "development-hours", "1000")])
    params = {"hardware": "V100", "count": "4", "device-hours": "500", "region": AWS_REGION,
              "measured-watts": "210", "pue": "1.2", "development-hours": "1000"}
    reply = expect_result(calculator, params)
    url = calculator.url
    done = subprocess.run([ML_EMISSIONS, "estimate", "--from-url", url, "--format", "json"],
                          capture_output=True, text=True, check=True)
    assert done.stdout == reply["exports"]["json"]

    _, guard, context = live
    opened = open_page(context, guard, url)  # a new visit: Python starts again
    wait_ready(opened)
    expect_result(opened, params)
    for name, value in params.items():
        expect(opened.locator(f"#{name}")).to_have_value(value)
        expect(opened.locator(f"#{name}")).to_be_enabled()
    for choice in ("device-hours", "measured-watts", "development-hours", "region"):
        expect(opened.locator(f"#choose-{choice}")).to_be_checked()
    expect(opened.locator("#provider")).to_have_value("aws")
    expect(opened.locator("#count")).to_have_value("4")
    expect(opened.locator("#utilization")).to_be_disabled()
    opened.close()


def test_a_comparison_link_reopens_its_scenarios_and_the_command_line_reads_it(
        calculator: Page, live: tuple[Page, Guard, BrowserContext]) -> None:
    act(calculator, [("mode", "parameters", ""), ("fill", "parameters", "7B"),
                     ("fill", "tokens", "2T"), ("fill", "compare-hardware", "H100 SXM; B200")])
    params = changed(hours=None, parameters="7B", tokens="2T",
                     compare_hardware="H100 SXM; B200")
    expect_result(calculator, params)
    expect(calculator.locator("#mle-result .mle-scenarios tbody tr")).to_have_count(3)
    url = calculator.url
    done = subprocess.run([ML_EMISSIONS, "compare", "--from-url", url, "--format", "json"],
                          capture_output=True, text=True, check=True)
    scenarios = json.loads(done.stdout)["scenarios"]
    cells = calculator.locator("#mle-result .mle-scenarios tbody tr td:nth-child(5)")
    expect(cells).to_have_text([fmt.mass(s["co2e_kg"]) for s in scenarios])

    _, guard, context = live
    opened = open_page(context, guard, url)
    wait_ready(opened)
    expect_result(opened, params)
    expect(opened.locator("#compare-hardware")).to_have_value("H100 SXM; B200")
    expect(opened.locator("#choose-parameters")).to_be_checked()
    opened.close()


HOSTILE_LINKS = [
    "?hardware=V100&hours=1&zone=<img src=x onerror=alert(1)>",
    "?zone=<img src=x onerror=alert(1)>",
    "?hardware=<script>alert(1)</script>&hours=1&zone=FR",
    "?hardware=V100&count=1e999&hours=1&zone=FR",
    "?evil=1",
    "?hardware=V100&hours=abc&zone=FR",
    "?hardware=V100&hours=1&hours=2&zone=FR",
    "?hardware=V100&hours=1&zone=FR&" + "&".join(f"x{i}=1" for i in range(40)),
    "?hardware=A100-80G-SMX&count=4&hours=abc&zone=Quebec&basis=direct",
]


@pytest.mark.parametrize("query", HOSTILE_LINKS)
def test_a_bad_or_hostile_permalink_keeps_its_valid_fields_and_marks_each_bad_one(
        calculator: Page, site_url: str, query: str) -> None:
    follow(calculator, site_url)
    follow(calculator, site_url + CALCULATOR + query)
    reply = json.loads(web.calculate_query(query))
    assert reply["ok"] is False
    for error in reply["errors"]:  # every error at once, each where it belongs
        if error["field"] == "form":
            expect(calculator.locator("#form-error")).to_contain_text(
                f"This link could not be opened: {error['message']}.")
        else:
            expect(calculator.locator(f"#{error['field']}-error")).to_have_text(
                error["message"])
            expect(calculator.locator(f"#{error['field']}")).to_have_attribute(
                "aria-invalid", "true")
    shown = reply.get("params", DEFAULT)  # the link's fields as given, or the example's
    for name, value in shown.items():
        if name != "region":  # a region list holds only the catalog's keys
            expect(calculator.locator(f"#{name}")).to_have_value(value)
    expect(calculator.locator("#mle-stale")).to_contain_text("this link")
    expect_html(calculator, web.respond(DEFAULT)["html"], search=None)  # the example's
    assert calculator.locator("img[src=x], #mle-form script, #form-error *").count() == 0
    expect(calculator.locator("#mle-status")).to_have_attribute("data-state", "ready")
    # the address bar keeps the link until the visitor changes something
    assert calculator.evaluate("decodeURIComponent(location.search)") == query


def test_a_permalink_with_one_bad_field_keeps_the_others_until_corrected(
        calculator: Page, site_url: str) -> None:
    query = "?hardware=A100-80G-SMX&count=4&hours=14%20d&zone=Quebec"
    follow(calculator, site_url)
    follow(calculator, site_url + CALCULATOR + query)
    expect(calculator.locator("#hardware-error")).to_contain_text("did you mean")
    for name, value in (("count", "4"), ("hours", "14 d"), ("zone", "Quebec")):
        expect(calculator.locator(f"#{name}")).to_have_value(value)
    expect(calculator.locator("#choose-zone")).to_be_checked()
    calculator.fill("#hardware", "A100 80GB SXM")  # the visitor corrects the bad field
    expect_result(calculator, {"hardware": "A100 80GB SXM", "count": "4", "hours": "14 d",
                               "zone": "Quebec"})
    expect(calculator.locator("#mle-stale")).to_be_hidden()


def test_a_hostile_permalink_opened_directly(live: tuple[Page, Guard, BrowserContext],
                                             site_url: str) -> None:
    _, guard, context = live
    query = "?hardware=V100&hours=1&zone=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    page = open_page(context, guard, site_url + CALCULATOR + query)
    wait_ready(page)
    expect(page.locator("#zone-error")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("#zone")).to_have_value("<img src=x onerror=alert(1)>")
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("location.search") == query
    page.close()
    guard.check()


# -- without Python, without JavaScript ----------------------------------------------------

def test_without_webassembly_the_first_estimate_and_its_exports_stay(
        browser: Browser, site_url: str) -> None:
    context = new_context(browser)
    guard = Guard(site_url)
    page = guard.attach(context.new_page())
    page.route("**/*.wasm", lambda route: route.abort())
    page.goto(site_url + CALCULATOR)
    page.wait_for_function("document.getElementById('mle-status').dataset.state === 'failed'",
                           timeout=60_000)
    expect(page.locator("#mle-status")).to_contain_text("could not start")
    expect(page.locator("#mle-status")).to_contain_text("starting the Python runtime")
    expect_html(page, web.respond(DEFAULT)["html"])
    page.click('button[data-export="json"][data-action="copy"]')
    expect(page.locator("#mle-export-status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == cli(DEFAULT, "json")
    context.close()
    guard.check()


def _failing(browser: Browser, site_url: str, pattern: str,
             handler: object, fast: bool = False) -> tuple[BrowserContext, Page, Guard]:
    """The calculator page with the requests matching ``pattern`` answered by ``handler``
    (and, with ``fast``, its waiting limits set to 2 s and 8 s), once its start failed."""
    context = new_context(browser)
    guard = Guard(site_url)
    page = guard.attach(context.new_page())
    page.route(pattern, handler)  # type: ignore[arg-type]
    if fast:
        def limits(route: Route) -> None:
            html = route.fetch().text()
            html = html.replace('data-stall-ms="30000"', 'data-stall-ms="2000"').replace(
                'data-start-ms="180000"', 'data-start-ms="8000"')
            route.fulfill(body=html, content_type="text/html")
        page.route(site_url + CALCULATOR, limits)
    page.goto(site_url + CALCULATOR)
    page.wait_for_function("document.getElementById('mle-status').dataset.state === 'failed'",
                           timeout=60_000)
    return context, page, guard


GARBAGE = b"<html>not what you asked for</html>" * 50


@pytest.mark.parametrize(("pattern", "body", "stage", "says"), [
    ("**/pyodide.asm.wasm.brotli", GARBAGE, "starting the Python runtime",
     "pyodide.asm.wasm.brotli: damaged (not Brotli data"),
    ("**/pyodide.asm.wasm.brotli", brotli_files.compress(GARBAGE),  # whole, but not wasm
     "starting the Python runtime", "pyodide.asm.wasm.brotli: not WebAssembly"),
    ("**/pyodide.asm.wasm.brotli", brotli_files.compress(GARBAGE)[:-40],  # cut short
     "starting the Python runtime", "pyodide.asm.wasm.brotli: damaged (it ends early)"),
    ("**/snapshots/**", GARBAGE, "downloading the calculator's snapshot",
     ".pyodide-snapshot.brotli: damaged (not Brotli data"),
    ("**/wheels/*.whl*", GARBAGE, "installing the calculator", ""),
])
def test_a_damaged_runtime_file_gives_one_line_and_the_example_stays(
        browser: Browser, site_url: str, pattern: str, body: bytes, stage: str,
        says: str) -> None:
    def garbage(route: Route) -> None:  # HTTP 200, and bytes of no use
        route.fulfill(status=200, body=body, content_type="application/octet-stream")

    context, page, guard = _failing(browser, site_url, pattern, garbage)
    status = page.locator("#mle-status").inner_text()
    assert stage in status and says in status
    assert "\n" not in status and "Traceback" not in status
    expect_html(page, web.respond(DEFAULT)["html"])
    # the runtime may log its own failure; nothing else may happen
    assert not [p for p in guard.problems if not p.startswith("console error")]
    context.close()


def test_a_download_that_never_answers_fails_within_its_limit(
        browser: Browser, site_url: str) -> None:
    context, page, guard = _failing(browser, site_url, "**/snapshots/**",
                                    lambda route: None, fast=True)  # never answered
    status = page.locator("#mle-status").inner_text()
    assert "could not start" in status
    assert "no answer for 2 s" in status or "did not start within 8 s" in status
    # the visitor's own inputs get no report of the example in their place
    page.fill("#hours", "5")
    page.click('button[data-export="json"][data-action="copy"]')
    expect(page.locator("#mle-export-status")).to_contain_text(
        "No export: the live calculator is unavailable")
    assert not [p for p in guard.problems if not p.startswith("console error")]
    context.close()


def test_without_javascript_the_first_estimate_is_in_the_page(
        browser: Browser, site_url: str, site_dir: Path) -> None:
    html = (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    reply = web.respond(DEFAULT)
    assert reply["html"] in html
    context = browser.new_context(java_script_enabled=False)
    guard = Guard(site_url)
    page = open_page(context, guard, site_url + CALCULATOR)
    expect(page.locator("#mle-result .mle-co2e")).to_be_visible()
    expect(page.locator("#mle-status")).to_have_attribute("data-state", "static")
    for name, value in DEFAULT.items():
        expect(page.locator(f"#{name}")).to_have_value(value)
    context.close()
    guard.check()
