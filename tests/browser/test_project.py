"""The Project page in Chromium: import a file (picked), edit the jobs, reload, export
(byte-identical to ``ml-emissions project`` on the downloaded jobs), a bad file.

Expected figures come from the engine in this process (``web.project``) or from the
command line, never from numbers written here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from ml_emissions import web
from tests.browser.pages import Guard, axe_violations, new_context, open_page

PROJECT = "project/"
RECORDS = Path(__file__).parents[1] / "engine" / "records"
ML_EMISSIONS = str(Path(sys.executable).with_name("ml-emissions"))
READY = "document.getElementById('mle-project-status').dataset.state === 'ready'"


def engine_html(table: str) -> str:
    reply = json.loads(web.project(json.dumps({"table": table})))
    assert reply["ok"], reply
    return str(reply["html"])


def expect_project(page: Page, table: str) -> None:
    """The page shows the engine's result for the jobs ``table``."""
    html = engine_html(table)
    page.wait_for_function("""(html) => {
      const expected = document.createElement("template");
      expected.innerHTML = html;
      return document.getElementById("mle-project-result").innerHTML === expected.innerHTML;
    }""", arg=html, timeout=10_000)


def open_project(browser: Browser, site_url: str, guard: Guard) -> tuple[Page, object]:
    context = new_context(browser)
    page = open_page(context, guard, site_url + PROJECT)
    page.wait_for_function(READY, timeout=120_000)
    return page, context


def test_import_edit_reload_and_export(browser: Browser, site_url: str, guard: Guard,
                                       tmp_path: Path) -> None:
    page, context = open_project(browser, site_url, guard)
    page.fill("#location", "FR")
    page.fill("#gpu-map", "a100=A100 80GB SXM")
    page.fill("#partition-map", "gpu=A100 80GB SXM")
    page.fill("#final", "1005")
    page.set_input_files("#file", str(RECORDS / "sacct_mixed.txt"))
    expect(page.locator("#mle-import-report")).to_contain_text(
        "sacct log: 4 jobs read, 3 line(s) with problems, 1 job(s) skipped")
    table = page.locator("#table").input_value()
    assert table.count("\n") == 5  # header and the log's 4 jobs: the example replaced
    expect_project(page, table)

    # edit: duplicate the final job's line, then remove the first job
    lines = table.splitlines()
    edited = "\n".join([lines[0], *lines[2:], lines[-1]]) + "\n"
    page.fill("#table", edited)
    expect_project(page, edited)

    # the jobs survive a reload
    page.reload()
    page.wait_for_function(READY, timeout=120_000)
    expect(page.locator("#table")).to_have_value(edited)
    expect_project(page, edited)

    # the downloaded jobs give, on the command line, the page's JSON byte for byte
    with page.expect_download() as jobs_download:
        page.click("button[data-export=jobs]")
    jobs = tmp_path / "jobs.csv"
    jobs_download.value.save_as(jobs)
    with page.expect_download() as json_download:
        page.click("button[data-export=json]")
    exported = tmp_path / "project.json"
    json_download.value.save_as(exported)
    done = subprocess.run([ML_EMISSIONS, "project", str(jobs), "--format", "json"],
                          capture_output=True, check=True)
    assert exported.read_bytes() == done.stdout
    assert axe_violations(page) == []
    context.close()  # type: ignore[attr-defined]


def test_a_bad_file_is_one_message_and_the_jobs_stay(browser: Browser, site_url: str,
                                                     guard: Guard, tmp_path: Path) -> None:
    page, context = open_project(browser, site_url, guard)
    before = page.locator("#table").input_value()
    bad = tmp_path / "people.csv"
    bad.write_text("name,age\nada,36\n")
    page.set_input_files("#file", str(bad))
    expect(page.locator("#file-error")).to_contain_text("a file of an unknown kind")
    expect(page.locator("#table")).to_have_value(before)
    expect_project(page, before)
    context.close()  # type: ignore[attr-defined]


def test_a_small_project_fits_in_a_link(browser: Browser, site_url: str, guard: Guard) -> None:
    page, context = open_project(browser, site_url, guard)
    table = "label,phase,hardware,count,hours,zone\nrun,final,V100 SXM2 32GB,4,10,FR\n"
    page.fill("#table", table)
    expect_project(page, table)
    page.click("button[data-export=link]")
    link = page.evaluate("navigator.clipboard.readText()")
    opened = open_page(context, guard, link)  # type: ignore[arg-type]
    opened.wait_for_function(READY, timeout=120_000)
    expect(opened.locator("#table")).to_have_value(table)
    expect_project(opened, table)
    context.close()  # type: ignore[attr-defined]


def test_a_long_file_tells_its_progress(browser: Browser, site_url: str, guard: Guard,
                                        tmp_path: Path) -> None:
    # the worker says how far it is while it reads; the page shows it, then the summary
    page, context = open_project(browser, site_url, guard)
    page.evaluate("""() => {
      window.shownReports = [];
      const report = document.getElementById("mle-import-report");
      new MutationObserver(() => window.shownReports.push(report.textContent))
        .observe(report, { childList: true, characterData: true, subtree: true });
    }""")
    long_table = tmp_path / "jobs.csv"
    long_table.write_text("hardware,hours,zone\n" + "V100,1,FR\n" * 25_000, "utf-8")
    page.set_input_files("#file", str(long_table))
    expect(page.locator("#mle-import-report")).to_contain_text(
        "table of jobs: 25,000 jobs read", timeout=60_000)
    shown = page.evaluate("window.shownReports")
    assert "Reading the file: line 20,000 of 25,001…" in shown
    assert shown.index("Estimating 25,000 jobs…") < len(shown) - 1
    context.close()  # type: ignore[attr-defined]


def test_a_job_is_duplicated_and_removed_with_its_buttons(browser: Browser, site_url: str,
                                                          guard: Guard) -> None:
    page, context = open_project(browser, site_url, guard)
    lines = page.locator("#table").input_value().splitlines()
    assert len(lines) >= 3  # the example: a header and at least two jobs
    page.click('#mle-project-result button[data-job-action="duplicate"][data-line="2"]')
    duplicated = "\n".join([lines[0], lines[1], lines[1], *lines[2:]]) + "\n"
    expect(page.locator("#table")).to_have_value(duplicated)
    expect_project(page, duplicated)
    page.click('#mle-project-result button[data-job-action="remove"][data-line="4"]')
    removed = "\n".join([lines[0], lines[1], lines[1], *lines[3:]]) + "\n"
    expect(page.locator("#table")).to_have_value(removed)
    expect_project(page, removed)
    page.reload()  # kept, like a typed edit
    page.wait_for_function(READY, timeout=120_000)
    expect(page.locator("#table")).to_have_value(removed)
    context.close()  # type: ignore[attr-defined]
