"""The site's charts as the build writes them (sitebuild/renderers/charts.py and
inline_svg.py): inline SVG with no ``style`` (the pages' CSP has no 'unsafe-inline'),
every mark coloured through a class that docs/stylesheets/charts.css paints, ids unique
on a page, the same bytes on every build, and no label clipped or overlapping."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pytest

from sitebuild.renderers import charts
from sitebuild.renderers.inline_svg import inline_svg
from sitebuild.renderers.markers import MARKER, Context, MarkerError, render_markers
from tests.conftest import ROOT, data_rows

CSS = (ROOT / "docs" / "stylesheets" / "charts.css").read_text(encoding="utf-8")
CHART_PAGES = sorted(p for p in (ROOT / "docs").rglob("*.md")
                     if "data:chart-" in p.read_text(encoding="utf-8"))


class _Tags(HTMLParser):
    """Every start tag of an HTML text with its attributes, and the text of each
    ``<text>`` element."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[tuple[dict[str, str], str]] = []
        self._in_text: dict[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "text":
            self._in_text = attributes

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        if self._in_text is not None:
            self.texts.append((self._in_text, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "text":
            self._in_text = None


@cache
def rendered(page: str) -> str:
    """The charts of ``docs/<page>``, each marker rendered as the build renders it."""
    markdown = (ROOT / "docs" / page).read_text(encoding="utf-8")
    markers = [m.group(0) for m in MARKER.finditer(markdown) if "data:chart-" in m.group(0)]
    return "".join(render_markers(marker, Context()) for marker in markers)


def _page_ids() -> list[str]:
    return [p.relative_to(ROOT / "docs").as_posix() for p in CHART_PAGES]


def test_every_chart_is_on_a_page() -> None:
    found = {name for page in _page_ids()
             for name in re.findall(r'data-chart="([a-z]+)"', rendered(page))}
    assert found == {name.removeprefix("chart-") for name in charts.CHARTS}


@pytest.mark.parametrize("page", _page_ids())
def test_charts_are_inline_svg_without_style_and_coloured_by_the_stylesheet(page: str) -> None:
    html = rendered(page)
    tags = _Tags(html)
    assert tags.tags, page
    assert not any(tag in ("style", "script", "img") for tag, _ in tags.tags)
    assert not any("style" in attributes for _, attributes in tags.tags)
    # Material's instant navigation sets el.href = el.href on every [href]: read-only on
    # an SVG <use>, so references are xlink:href, which [href] does not match
    assert not any("href" in attributes for tag, attributes in tags.tags if tag != "a")
    for figure in re.findall(r"<figure.*?</figure>", html, flags=re.S):
        assert "\n" not in figure  # a blank line would end Markdown's raw HTML block
    for svg in [a for t, a in tags.tags if t == "svg"]:
        assert svg["role"] == "img" and len(svg["aria-label"]) > 40
        assert "data-search-exclude" in svg
    classes = {c for _, a in tags.tags for c in a.get("class", "").split()}
    for name in classes - {"mle-figure", "mle-plot"}:
        assert re.fullmatch(r"mle-[fs]-[a-z]+", name), name
        assert f".mle-plot .{name} {{" in CSS, f"charts.css has no rule for .{name}"
    # every text has a colour of the palette and a size
    for attributes, text in tags.texts:
        assert "mle-f-text" in attributes.get("class", ""), text
        assert float(attributes["font-size"]) == charts.FONT_SIZE, text


@pytest.mark.parametrize("page", _page_ids())
def test_ids_are_unique_on_the_page_and_every_reference_resolves(page: str) -> None:
    tags = _Tags(rendered(page))
    ids = [a["id"] for _, a in tags.tags if "id" in a]
    assert len(ids) == len(set(ids))
    references = {a["xlink:href"][1:] for _, a in tags.tags if "xlink:href" in a}
    assert references
    references |= {m for _, a in tags.tags
                   for m in re.findall(r"url\(#([^)]+)\)", a.get("clip-path", ""))}
    assert references <= set(ids)


def test_every_role_has_its_colour_variable_and_rules() -> None:
    for role in charts.ROLES:
        assert f"--mle-plot-{role}: var(--" in CSS, role  # a colour of the site, by name
        assert (f".mle-plot .mle-f-{role} {{" in CSS or f".mle-plot .mle-s-{role} {{" in CSS)
    assert "#" not in re.sub(r"/\*.*?\*/", "", CSS, flags=re.S), "no hex colour in charts.css"


def test_the_charts_are_the_same_bytes_on_every_build() -> None:
    page = "factors/location.md"  # three charts, and every kind of mark
    first = rendered(page)
    rendered.cache_clear()
    assert rendered(page) == first


def test_the_pue_chart_names_its_rows() -> None:
    """Labels are the rows' names (the name column of pue.csv; providers.csv for a
    provider, whose name pue.csv leaves empty), lowest PUE first; no id."""
    tags = _Tags(rendered("factors/pue.md"))
    lines = [text for a, text in tags.texts if a.get("text-anchor") == "end"]
    labels = " ".join(lines)
    providers = {row["provider_id"]: row["name"] for row in data_rows("providers.csv")}
    rows = sorted(data_rows("pue.csv"), key=lambda row: (float(row["pue"]), row["pue_id"]))
    names = [row["name"] or providers[row["pue_id"]] for row in rows]
    for row in rows:
        assert row["pue_id"] not in lines
    positions = [labels.index(name) for name in names]
    assert positions == sorted(positions)


def test_inline_svg_turns_styles_into_attributes_and_classes() -> None:
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50">'
           b'<metadata>x</metadata><defs><style>*{stroke-linejoin: round}</style>'
           b'<path id="m1" d="M 0.123456 -0.001\nL 1 1" '
           b'style="stroke: #000002; stroke-width: 0.8"/></defs>'
           b'<g id="axes_1"><g clip-path="url(#p1)"><use xlink:href="#m1" x="3" y="4" '
           b'style="fill: #000001; fill-opacity: 0.3; stroke: none"/></g>'
           b'<text style="font-size: 13px; font-family: \'DejaVu Sans\'; text-anchor: end; '
           b'fill: #000001" x="1" y="2" transform="rotate(-0 1 2)">a &lt; b</text></g>'
           b'<clipPath id="p1"><rect x="0" y="0" width="9" height="9"/></clipPath></svg>')
    html = inline_svg(svg, prefix="mle-t", label="A chart", colours={"#000001": "one",
                                                                      "#000002": "two"})
    assert html == (
        '<svg class="mle-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" '
        'width="100" height="50" role="img" aria-label="A chart" data-search-exclude '
        'stroke-linejoin="round" stroke-linecap="butt">'
        '<defs><path class="mle-s-two" id="mle-t-m1" d="M 0.12 0 L 1 1" stroke-width="0.8"/>'
        '</defs><g clip-path="url(#mle-t-p1)"><use class="mle-f-one" xlink:href="#mle-t-m1" '
        'x="3" y="4" fill-opacity="0.3" stroke="none"/></g>'
        '<text class="mle-f-one" font-size="13" text-anchor="end" x="1" y="2">a &lt; b</text>'
        '<clipPath id="mle-t-p1"><rect x="0" y="0" width="9" height="9"/></clipPath></svg>')


@pytest.mark.parametrize("bad", [
    b'<path d="M 0 0" style="fill: #ff0000"/>',  # not a chart colour
    b'<path d="M 0 0" style="filter: blur(1px)"/>',  # an unknown property
    b'<text x="0" y="0">black</text>',  # text without a colour: black on the dark scheme
    b'<image href="x.png"/>',  # an unknown element
])
def test_inline_svg_refuses_what_it_cannot_colour(bad: bytes) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">' + bad + b"</svg>"
    with pytest.raises(ValueError):
        inline_svg(svg, prefix="p", label="x", colours={"#000001": "one"})


def test_the_layout_check_finds_clipped_and_overlapping_labels() -> None:
    figure, axes = charts.new_figure(200)
    axes.plot([0, 1], [0, 1], color=charts.ACCENT)
    figure.text(0.8, 0.5, "a label that runs off the right edge", color=charts.TEXT)
    with pytest.raises(MarkerError, match="is clipped"):
        charts.check_layout(figure)
    plt.close(figure)
    figure, axes = charts.new_figure(200)
    axes.set_xticks([0, 0.01], ["first label", "second label"])
    with pytest.raises(MarkerError, match="overlaps"):
        charts.check_layout(figure)
    plt.close(figure)
    figure, axes = charts.new_figure(200)
    axes.plot([0, 1], [0, 1], marker="o", color=charts.ACCENT)
    axes.annotate("on a point", (0.5, 0.5), color=charts.TEXT)
    axes.plot([0.55], [0.5], marker="o", color=charts.ACCENT)
    with pytest.raises(MarkerError, match="covers the data"):
        charts.check_layout(figure)
    plt.close(figure)
