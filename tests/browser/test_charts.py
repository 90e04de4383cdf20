"""The site's charts in Chromium, as a reader sees them: text of 12 px or more on a phone
(390 x 844) and not huge on a desktop (1280 x 900), no text outside its chart, the dark
palette when the reader switches to the dark scheme (colours that differ from the light
ones, with enough contrast on the page, and no white card), the PUE chart's rows named
as in the data with the workstation's bar drawn, and the history chart's legend off its
lines. One browser context, each chart page opened once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import Guard, follow, new_context, open_page
from tests.conftest import ROOT, data_rows

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_PX, MAX_PX = 12.0, 16.5

# page -> the charts on it (data-chart of each <figure>)
CHARTS = {"factors/location/": ("zones", "regions", "history"),
          "factors/duration/": ("cycle",), "factors/hardware/": ("efficiency",),
          "factors/pue/": ("pue",)}


@pytest.fixture(scope="module")
def charts(browser: Browser, site_url: str) -> Iterator[tuple[dict[str, Page], Guard]]:
    """Every chart page, open at phone size in the light scheme, and their guard."""
    context = new_context(browser, color_scheme="light")
    context.set_default_timeout(10_000)
    guard = Guard(site_url)
    pages = {}
    for path in CHARTS:
        page = open_page(context, guard, site_url + path)
        page.set_viewport_size(PHONE)
        page.wait_for_load_state("load")
        pages[path] = page
    yield pages, guard
    context.close()


_TEXTS = """(name) => {
  const svg = document.querySelector(`figure[data-chart="${name}"] svg`);
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map((text) => {
    const matrix = text.getScreenCTM();  // user units -> CSS px, rotation included
    const rect = text.getBoundingClientRect();
    return {
      text: text.textContent,
      px: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b),
      inside: rect.left >= box.left - 1 && rect.right <= box.right + 1
              && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1,
    };
  });
}"""


def _texts(page: Page, name: str) -> list[dict[str, Any]]:
    texts: list[dict[str, Any]] = page.evaluate(_TEXTS, name)
    assert len(texts) > 5, f"{name}: no chart text"
    return texts


def test_every_chart_is_an_inline_svg_with_alt_text_and_a_caption(
        charts: tuple[dict[str, Page], Guard]) -> None:
    pages, guard = charts
    for path, names in CHARTS.items():
        page = pages[path]
        assert page.locator("figure.mle-figure img").count() == 0
        assert [f.get_attribute("data-chart") for f in
                page.locator("figure.mle-figure").all()] == list(names)
        for name in names:
            svg = page.locator(f'figure[data-chart="{name}"] svg')
            expect(svg).to_have_attribute("role", "img")
            assert len(svg.get_attribute("aria-label") or "") > 40  # a summary of the data
            caption = page.locator(f'figure[data-chart="{name}"] figcaption').inner_text()
            assert re.search(r"Source|computed by the engine", caption), caption
    guard.check()


def test_a_chart_page_opens_through_instant_navigation(
        charts: tuple[dict[str, Page], Guard], site_url: str) -> None:
    """Material rewrites the links of the page it loads; the charts' references to their
    own markers and clip paths must survive it (and throw nothing)."""
    pages, guard = charts
    page = open_page(pages["factors/pue/"].context, guard, site_url)
    follow(page, site_url + "factors/pue/")
    expect(page.locator('figure[data-chart="pue"] svg')).to_be_visible()
    page.close()
    guard.check()


def test_chart_text_is_12_px_or_more_on_a_phone_and_not_huge_on_a_desktop(
        charts: tuple[dict[str, Page], Guard]) -> None:
    pages, guard = charts
    for viewport, low, high in ((PHONE, MIN_PX, MAX_PX), (DESKTOP, MIN_PX, MAX_PX)):
        for path, names in CHARTS.items():
            page = pages[path]
            page.set_viewport_size(viewport)
            for name in names:
                texts = _texts(page, name)
                small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < low]
                large = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] > high]
                outside = [t["text"] for t in texts if not t["inside"]]
                where = f"{name} at {viewport['width']} px"
                assert not small, f"{where}: text below {low} px: {small}"
                assert not large, f"{where}: text above {high} px: {large}"
                assert not outside, f"{where}: text outside the chart: {outside}"
    for page in pages.values():
        page.set_viewport_size(PHONE)
    guard.check()


_COLOURS = """(name) => {
  const svg = document.querySelector(`figure[data-chart="${name}"] svg`);
  const figure = svg.closest("figure");
  const marks = [];
  const seen = new Set();  // one element of each kind: the same classes paint the same
  for (const element of svg.querySelectorAll("[class]")) {
    const kind = ["class", "fill-opacity", "stroke-opacity", "opacity"]
      .map((name) => element.getAttribute(name)).join("|") + element.tagName;
    if (seen.has(kind)) continue;
    seen.add(kind);
    const style = getComputedStyle(element);
    const mark = {tag: element.tagName};
    for (const name of element.classList) {
      const found = name.match(/^mle-([fs])-([a-z]+)$/);
      if (!found) continue;
      const fill = found[1] === "f";
      mark[fill ? "fill" : "stroke"] = {
        role: found[2], colour: fill ? style.fill : style.stroke,
        opacity: parseFloat(fill ? style.fillOpacity : style.strokeOpacity)
                 * parseFloat(style.opacity)};
    }
    marks.push(mark);
  }
  return {marks, body: getComputedStyle(document.body).backgroundColor,
          cards: [svg, figure].map((e) => [getComputedStyle(e).backgroundColor,
                                           getComputedStyle(e).paddingTop])};
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of ``colour`` (its alpha composited) on ``background``."""
    r, g, b, a = _rgba(colour)
    br, bg, bb, _ = _rgba(background)
    mixed = (r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a))
    lighter, darker = sorted((_luminance(mixed), _luminance((br, bg, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _palette(page: Page, names: tuple[str, ...], scheme: str) -> dict[str, set[str]]:
    """Each role's colours on ``page``, after checking their contrast on the page."""
    colours: dict[str, set[str]] = {}
    for name in names:
        found = page.evaluate(_COLOURS, name)
        body = found["body"]
        for background, padding in found["cards"]:
            assert _rgba(background)[3] == 0 and padding == "0px", \
                f"{name} ({scheme}): a card behind the chart: {background}, padding {padding}"
        for mark in found["marks"]:
            paints = [p for p in (mark.get("fill"), mark.get("stroke")) if p]
            for paint in paints:
                colours.setdefault(paint["role"], set()).add(paint["colour"])
            if any(p["role"] == "grid" for p in paints):
                continue  # grid lines are faint on purpose: nothing reads from them
            # the opaque paint draws the mark's edge (a translucent fill has a stroke)
            opaque = [p for p in paints if p["opacity"] >= 1 and p["colour"] != "none"]
            assert opaque, f"{name} ({scheme}): a {mark['tag']} with no opaque paint"
            need = 4.5 if mark["tag"] == "text" else 3.0
            for paint in opaque:
                ratio = contrast(paint["colour"], body)
                assert ratio >= need, (f"{name} ({scheme}): {paint['role']} {mark['tag']} "
                                       f"{paint['colour']} on {body}: {ratio:.2f}:1")
    return colours


def test_in_the_dark_scheme_the_charts_take_the_dark_palette(
        charts: tuple[dict[str, Page], Guard]) -> None:
    pages, guard = charts
    for path, names in CHARTS.items():
        page = pages[path]
        light = _palette(page, names, "light")
        page.click('label[title="Switch to dark mode"]')  # the palette toggle of the header
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        dark = _palette(page, names, "dark")
        page.click('label[title="Switch to light mode"]')
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
        assert light.keys() == dark.keys()
        for role in light:
            assert light[role].isdisjoint(dark[role]), f"{path} {role}: same in both schemes"
    guard.check()


_PUE = """() => {
  const svg = document.querySelector('figure[data-chart="pue"] svg');
  const rect = (e) => { const r = e.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const bars = [...svg.querySelectorAll("path.mle-f-accent, path.mle-f-muted")].map(rect)
    .sort((a, b) => a.top - b.top);
  const left = Math.min(...bars.map((b) => b.left));
  const labels = [...svg.querySelectorAll("text")].map((t) => ({text: t.textContent, ...rect(t)}))
    .filter((t) => t.right <= left + 1).sort((a, b) => a.top - b.top);
  const names = bars.map(() => []);
  for (const label of labels) {  // each line of a label beside its bar
    const middle = (label.top + label.bottom) / 2;
    const distances = bars.map((b) => Math.abs((b.top + b.bottom) / 2 - middle));
    names[distances.indexOf(Math.min(...distances))].push(label.text);
  }
  return bars.map((bar, i) => ({name: names[i].join(" "), width: bar.right - bar.left,
                                height: bar.bottom - bar.top}));
}"""


def test_the_pue_chart_names_its_rows_and_draws_the_workstation_bar(
        charts: tuple[dict[str, Page], Guard]) -> None:
    pages, guard = charts
    bars = pages["factors/pue/"].evaluate(_PUE)
    rows = sorted(data_rows("pue.csv"), key=lambda row: (float(row["pue"]), row["pue_id"]))
    providers = {row["provider_id"]: row["name"] for row in data_rows("providers.csv")}
    assert len(bars) == len(rows)
    longest = max(bar["width"] for bar in bars)
    for row, bar in zip(rows, bars, strict=True):
        # the row's name: its own, or for a provider row (whose name pue.csv leaves
        # empty, to store it once) its provider's in providers.csv
        expected_name = row["name"] if row["scope"] == "default" else providers[row["pue_id"]]
        assert row["name"] == ("" if row["scope"] == "provider" else expected_name)
        assert bar["name"] == expected_name, row["pue_id"]
        assert bar["width"] > 0 and bar["height"] > 0, row["pue_id"]
        # bars start at 0: a bar's length is its PUE
        expected = float(row["pue"]) / max(float(r["pue"]) for r in rows)
        assert bar["width"] / longest == pytest.approx(expected, rel=0.01), row["pue_id"]
    (workstation,) = [bar for row, bar in zip(rows, bars, strict=True)
                      if row["pue_id"] == "workstation"]
    assert workstation["width"] > 50  # at phone size: as long as the IT energy, not 0
    guard.check()


_LEGEND = """(regions) => {
  const svg = document.querySelector('figure[data-chart="history"] svg');
  const rect = (e) => e.getBoundingClientRect();
  const marks = [...svg.querySelectorAll("[clip-path]")].map(rect);  // lines and markers
  const legend = [...svg.querySelectorAll("text")]
    .filter((t) => regions.some((r) => t.textContent.startsWith(r + " ")));
  return {legend: legend.length, crossing: legend.filter((t) => marks.some((m) => {
    const r = rect(t);
    return r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom;
  })).map((t) => t.textContent)};
}"""


def test_the_history_legend_is_off_the_lines(charts: tuple[dict[str, Page], Guard]) -> None:
    pages, guard = charts
    marker = (ROOT / "docs" / "factors" / "location.md").read_text(encoding="utf-8")
    regions = re.search(r'data:chart-history regions="([^"]+)"', marker).group(1).split(",")
    for viewport in (PHONE, DESKTOP):
        page = pages["factors/location/"]
        page.set_viewport_size(viewport)
        found = page.evaluate(_LEGEND, regions)
        assert found["legend"] == len(regions)
        assert found["crossing"] == [], f"legend over the lines at {viewport['width']} px"
    pages["factors/location/"].set_viewport_size(PHONE)
    guard.check()
