"""The calculator page's result panel links to the Methodology (the range, the provider's
figure) by addresses relative to the page, and its summary gives the panel's headline
figures."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ml_emissions import Job, estimate, web
from ml_emissions.reports import describe
from ml_emissions.result_html import (
    MARKET_SECTION,
    METHODOLOGY,
    RANGE_SECTION,
    estimate_html,
    summary_html,
)

ROOT = Path(__file__).resolve().parents[2]


class _Links(HTMLParser):
    """The links of an HTML fragment: (href, text)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def _links(html: str) -> dict[str, str]:
    """The page-relative links of a fragment (not the sources' http(s) ones): href -> text."""
    return {href: text for href, text in _Links(html).links if not href.startswith("http")}


def test_the_range_and_the_providers_figure_link_to_their_methodology_sections() -> None:
    reply = web.respond(web.DEFAULT_PARAMS)  # a Google Cloud region: the provider's figure
    d = describe(estimate(Job.from_params(web.DEFAULT_PARAMS)))
    assert _links(reply["html"]) == {
        f"../methodology/#{RANGE_SECTION}": f"range {d['co2e_range']}",
        f"../methodology/#{MARKET_SECTION}": "Provider's figure",
    }
    assert METHODOLOGY == "../methodology/"  # from calculator/, wherever the site is served


def test_without_a_providers_figure_only_the_range_links() -> None:
    html = web.respond({"watts": "300", "hours": "2", "zone": "FR"})["html"]
    assert list(_links(html)) == [f"{METHODOLOGY}#{RANGE_SECTION}"]
    assert "mle-market" not in html


def test_the_methodology_address_is_escaped() -> None:
    est = estimate(Job(watts=300, hours=2, zone="FR"))
    html = estimate_html(est, web.load_catalog(), methodology='x"><script>/')
    assert "<script>" not in html
    assert f'href="x&quot;&gt;&lt;script&gt;/#{RANGE_SECTION}"' in html


def _slug(title: str) -> str:
    """Python-Markdown's default anchor of a heading (toc's slugify)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", title).strip().lower())


@pytest.mark.parametrize("section", [RANGE_SECTION, MARKET_SECTION])
def test_the_linked_sections_are_headings_of_the_methodology(section: str) -> None:
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    titles = re.findall(r"^#{2,3} (.+?)\s*$", text, flags=re.M)
    assert section in [_slug(title) for title in titles]


@pytest.mark.parametrize("params", [
    web.DEFAULT_PARAMS,
    {"watts": "300", "hours": "2", "zone": "FR"},
    {"hardware": "H100 SXM", "count": "64", "parameters": "7B", "tokens": "2T", "zone": "FR",
     "compare-hardware": "B200"},
])
def test_the_summary_gives_the_headline_figures_of_the_panel(params: dict[str, str]) -> None:
    reply = web.respond(params)
    assert _Links(reply["summary"]).links == []  # figures only: the page links to the panel
    figures = re.findall(r"<strong>([^<]*)</strong>", reply["summary"])
    co2e = re.search(r'<p class="mle-co2e"><strong>([^<]*)</strong>', reply["html"])
    energy = re.search(r'<p class="mle-energy"><strong>([^<]*)</strong>', reply["html"])
    assert co2e and energy
    assert figures == [co2e.group(1)]
    assert f"{energy.group(1)} of electricity" in reply["summary"]


def test_the_summary_escapes_its_words() -> None:
    hostile = {"co2e": "<b>1 kg</b>", "energy": "2 kWh & <i>more</i>"}
    html = summary_html(hostile)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;1 kg&lt;/b&gt; CO2e" in html and "2 kWh &amp; &lt;i&gt;more&lt;/i&gt;" in html
