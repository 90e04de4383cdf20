"""The layout of the pages with long text and wide tables, as Chromium lays them out: the
Act page's LaTeX example is the command's output as it is (no maths typeset in it, and
copied as printed); the Data page's tables keep ids on one line, rows of one height, and
scroll inside their own box under a caption that stays above it; the Validation page's
tables fit a 1280 px window; the Methodology page's constants keep their names on one
line."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Locator, Page

from ml_emissions.cli import main
from tests.browser.pages import Guard, open_page

LATEX = ["estimate", "--hardware", "V100", "--count", "4", "--device-hours", "500",
         "--zone", "FR", "--format", "latex"]  # the LaTeX tab of docs/act.md


def _lines(elements: Locator) -> set[int]:
    """The numbers of lines the text of ``elements`` takes (one number per element)."""
    return set(elements.evaluate_all("""(elements) => elements.map((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    })"""))


def _fits(page: Page) -> dict[str, object]:
    """The page's and its tables' widths: what overflows the window or its own box."""
    return page.evaluate("""() => ({
        document: document.documentElement.scrollWidth,
        window: window.innerWidth,
        wider: [...document.querySelectorAll("article *")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((e) => `${e.tagName}.${e.className}`).slice(0, 5),
        tables: [...document.querySelectorAll("article .md-typeset__scrollwrap")]
            .map((e) => [e.scrollWidth, e.clientWidth]),
    })""")


def test_the_latex_example_is_the_commands_output_verbatim(
        shared_context: BrowserContext, guard: Guard, site_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(LATEX) == 0
    printed = capsys.readouterr().out
    assert "$\\times$" in printed and "CO$_2$e" in printed  # what arithmatex would take
    page = open_page(shared_context, guard, site_url + "act/")
    page.wait_for_load_state("load")
    tab = page.locator(".tabbed-set").first
    tab.get_by_text("LaTeX", exact=True).click()
    block = tab.locator("pre", has_text="\\paragraph{Carbon emissions.}")
    assert block.count() == 1
    assert block.locator(".arithmatex, .katex").count() == 0  # no maths typeset in it
    assert page.locator("article .arithmatex").count() == 0  # nor anywhere on the page
    code = block.locator("code")
    assert code.inner_text() == printed  # shown as printed
    # selected by the reader, and copied by the block's copy button (the browser's
    # selection and Material's copy leave out the output's final newline)
    selected = code.evaluate("""(element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return getSelection().toString();
    }""")
    assert selected == printed.removesuffix("\n")
    block.hover()
    block.locator("button[data-md-type=copy], button.md-clipboard").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == printed.removesuffix("\n")
    page.close()


def test_the_data_tables_keep_ids_whole_rows_even_and_scroll_in_their_box(
        shared_context: BrowserContext, guard: Guard, site_url: str) -> None:
    page = open_page(shared_context, guard, site_url + "data/")
    page.wait_for_load_state("load")
    try:
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            box = page.locator('.mle-data-table[data-table="table-hardware"]')
            ids = box.locator("tbody td:first-child")
            h100 = ids.filter(has_text="nvidia-h100-sxm5-80gb").first
            assert h100.inner_text() == "nvidia-h100-sxm5-80gb"
            # every id on one line, not broken at its hyphens nor anywhere else
            assert _lines(ids) == {1}
            # every row of every table as high as the others (measured with every box laid
            # out: the page lays out a box off screen only when it nears the viewport)
            heights = page.eval_on_selector_all(".mle-data-table", """(boxes) => boxes.map(
                (b) => {
                  b.querySelector(".mle-scroll").style.contentVisibility = "visible";
                  return [...b.querySelectorAll("tbody tr")].map(
                    (r) => r.getBoundingClientRect().height);
                })""")
            for rows in heights:
                assert rows and max(rows) - min(rows) < 0.5, (width, min(rows), max(rows))
            one_line, cell = box.locator("tbody tr").first.bounding_box(), h100.bounding_box()
            assert one_line and cell
            assert cell["height"] == pytest.approx(one_line["height"], abs=0.5)
            # the table scrolls inside its box, both ways; the page does not; the caption
            # stays above the box, where it was, and the header at the top of the box
            scroll = box.locator(".mle-scroll")
            caption = box.locator(".mle-caption")
            caption_before = caption.bounding_box()
            sizes = scroll.evaluate("""(s) => {
                s.scrollTo(120, 200);
                return {width: s.scrollWidth, client: s.clientWidth, height: s.scrollHeight,
                        clientHeight: s.clientHeight, left: s.scrollLeft, top: s.scrollTop,
                        pageLeft: window.scrollX, document: document.documentElement.scrollWidth,
                        window: window.innerWidth};
            }""")
            assert sizes["width"] > sizes["client"] and sizes["height"] > sizes["clientHeight"]
            assert sizes["left"] == 120 and sizes["top"] == 200 and sizes["pageLeft"] == 0
            assert sizes["document"] <= sizes["window"], sizes
            caption_box, scroll_box = caption.bounding_box(), scroll.bounding_box()
            header = box.locator("thead th").first.bounding_box()
            assert caption_box and scroll_box and header
            assert caption_box == caption_before
            assert caption_box["y"] + caption_box["height"] <= scroll_box["y"] + 0.5
            assert header["y"] == pytest.approx(scroll_box["y"], abs=2)
            # the caption names the table
            labelled = box.locator("table").get_attribute("aria-labelledby")
            assert labelled and caption.get_attribute("id") == labelled
            assert caption.inner_text() == "hardware.csv"
            scroll.evaluate("(s) => s.scrollTo(0, 0)")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.close()


def test_the_validation_tables_fit_a_1280_px_window(
        shared_context: BrowserContext, guard: Guard, site_url: str) -> None:
    page = open_page(shared_context, guard, site_url + "validation/")
    page.wait_for_load_state("load")
    page.wait_for_selector("article .md-typeset__scrollwrap table")  # Material's wrapper
    assert page.viewport_size == {"width": 1280, "height": 900}
    fits = _fits(page)
    assert fits["document"] <= fits["window"], fits
    assert fits["wider"] == [], fits
    tables = fits["tables"]
    assert isinstance(tables, list) and len(tables) >= 2
    assert all(width <= client for width, client in tables), tables  # no table scrolls
    page.close()


def test_the_methodology_constants_keep_their_names_on_one_line(
        shared_context: BrowserContext, guard: Guard, site_url: str) -> None:
    page = open_page(shared_context, guard, site_url + "methodology/")
    page.wait_for_load_state("load")
    table = page.locator("article table", has=page.locator("th", has_text="Constant"))
    names = table.locator("tbody td:first-child code")
    assert names.count() > 10
    assert "embodied_gpu_g_per_cm2" in names.all_inner_texts()
    assert _lines(table.locator("tbody td code")) == {1}
    fits = _fits(page)
    assert fits["document"] <= fits["window"], fits
    page.close()
