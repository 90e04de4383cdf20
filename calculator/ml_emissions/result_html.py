"""An estimate as an HTML fragment, for the calculator page.

The site build writes it into the page (the estimate visible at first paint) and the
browser's Web Worker returns the same fragment after each change, so both always agree.
Every text that can come from the user or the data is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from . import formatting as fmt
from .catalog import USER_SOURCE, Catalog, Source
from .charts import Bar, horizontal_bars
from .compare import ScenarioComparison
from .compare_reports import COMPARISON_HEADER, comparison_notes, comparison_rows
from .engine import Estimate
from .facility import PUE_TYPE_WORDS
from .location import basis_words
from .reports import describe, describe_comparison, fitting_equivalents, provider_figure_text

__all__ = ["METHODOLOGY", "SAFE_URL", "comparison_html", "estimate_html", "is_safe_url",
           "scroll_table", "summary_html"]


SAFE_URL = re.compile(r"https?://[^\s<>\"'\\]+")
"""An address a page may link to: http(s), without spaces, quotes, angle brackets or
backslashes (the site build's renderers use the same rule)."""


METHODOLOGY = "../methodology/"
"""The Methodology page as the calculator page (``calculator/``, the page that shows
this HTML) links to it: relative, so that the links work wherever the site is served,
at the root of a domain or under a sub-path (the site build checks it)."""

RANGE_SECTION = "the-range"
"""The anchor of the Methodology page's section on the range of an estimate."""

MARKET_SECTION = "market-based-approximation"
"""The anchor of the Methodology page's section on the provider's own figure and its
market-based approximation."""


def is_safe_url(url: str) -> bool:
    """True for an address a page may link to (:data:`SAFE_URL`)."""
    return bool(SAFE_URL.fullmatch(url))


def _source_link(source: Source) -> str:
    """A source's citation, linked to its URL when that is a safe http(s) address."""
    citation = escape(source.citation.rstrip(". ") or USER_SOURCE.citation)
    if is_safe_url(source.url):
        return f'<a href="{escape(source.url)}" rel="noopener">{citation}</a>'
    return citation


def _comparisons(est: Estimate) -> str:
    items = "".join(
        f'<li class="{"mle-cleaner" if c.alternative else "mle-none-cleaner"}">'
        f"{escape(describe_comparison(c))}</li>"
        for c in est.comparisons)
    return f'<ul class="mle-alternatives">{items}</ul>' if items else ""


def _breakdown(est: Estimate) -> str:
    b = est.breakdown
    rows = [("Accelerators", b.accelerators_kwh), ("Host CPU", b.host_cpu_kwh),
            ("Memory", b.memory_kwh), ("Data-centre overhead (PUE)", b.pue_overhead_kwh)]
    body = "".join(
        f"<tr><td>{name}</td><td>{escape(fmt.energy(kwh))}</td>"
        f"<td>{escape(fmt.percent(100 * kwh / est.energy_kwh) if est.energy_kwh else '0%')}</td>"
        "</tr>"
        for name, kwh in rows if kwh > 0
    )
    return ('<table class="mle-breakdown"><caption>Energy by component</caption>'
            '<thead><tr><th scope="col">Component</th><th scope="col">Energy</th>'
            f'<th scope="col">Share</th></tr></thead><tbody>{body}</tbody></table>')


def _equivalents(est: Estimate) -> str:
    items = "".join(
        f'<li><strong>{escape(fmt.number(eq.value))}</strong> {escape(eq.label)} '
        f'<small>({_source_link(eq.source)})</small></li>'
        for eq in fitting_equivalents(est)
    )
    if not items:
        return '<p class="mle-note">Too little for an everyday equivalent.</p>'
    return f'<ul class="mle-equivalents">{items}</ul>'


def _region_chart(est: Estimate, catalog: Catalog) -> str:
    provider = est.inputs.location.provider
    if provider is None:
        return ('<p class="mle-note">Choose a cloud region to compare this job across the '
                "regions of its provider.</p>")
    options = est.provider_regions
    name = catalog.provider(provider).name
    # The title names the provider: each bar gives the region only.
    bars = [Bar(option.label.removeprefix(f"{name} "), option.co2e_kg,
                fmt.mass(option.co2e_kg), option.key == est.inputs.location.key)
            for option in options]
    basis = est.inputs.location.basis
    title = (f"CO2e of this job in each {name} region with a {basis_words(basis)} figure, "
             "cleanest first; the chosen region is highlighted")
    source = ("the provider's own published figures" if basis == "provider" else
              f"Electricity Maps {est.inputs.location.intensity_source.year} "
              f"{basis_words(basis)} yearly averages of each region's grid zone")
    return (f"<h3>This job in every {escape(name)} region</h3>"
            f"<figure>{horizontal_bars(bars, title)}"
            f"<figcaption>{escape(title)}. Intensities: {escape(source)}."
            "</figcaption></figure>")


def _inputs(est: Estimate, d: dict[str, str]) -> str:
    inp = est.inputs
    facility = inp.facility
    pue_text = f"{d['pue']} ({PUE_TYPE_WORDS[facility.pue_type]})"
    if facility.pue_note:
        pue_text += f"; {facility.pue_note}"
    rows = [
        ("Hardware", f"{d['hardware']} ({d['power']})", inp.rated_watts_source),
        *([("Instance", d["instance"], inp.instance.source)] if inp.instance else []),
        ("Duration", f"{d['duration']} ({d['duration_detail']})", None),
    ]
    plan = inp.compute
    if plan is not None:
        rows += [
            ("Work", d["work"], None if plan.rule == "given" else plan.flops_rule_source),
            ("Peak throughput", f"{fmt.exact(plan.peak_tflops)} TFLOPS dense "
             f"{plan.precision.upper()} per device", plan.peak.source),
            ("Model FLOPs utilisation", d["compute_assumptions"].partition(", ")[2]
             + (f"; hours {d['hours_range']}" if d["hours_range"] else ""), plan.mfu_source),
        ]
    rows += [
        ("Location", d["location"], None),
        ("Carbon intensity", f"{d['intensity']} ({inp.location.intensity_basis})",
         inp.location.intensity_source),
        ("Facility", d["facility"], None),
        ("PUE", pue_text, facility.pue_source),
    ]
    emb = est.embodied
    if emb is not None:
        rows.append(("Embodied, per device", d["embodied_basis"],
                     emb.source))
        if emb.model_source is not None:
            rows.append(("Die-area model", "Green Algorithms' gCO2e per cm2 of die plus a "
                         "base per device", emb.model_source))
    if inp.memory_gb:
        rows.append(("Memory power", f"{fmt.number(inp.memory_watts)} W for "
                     f"{fmt.number(inp.memory_gb)} GB", inp.memory_w_per_gb_source))
    items = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value)}"
        + (f" <small>(source: {_source_link(source)})</small>" if source else "")
        + "</dd>"
        for label, value, source in rows
    )
    return f'<dl class="mle-inputs">{items}</dl>'


def estimate_html(est: Estimate, catalog: Catalog,
                  described: dict[str, str] | None = None, *,
                  methodology: str = METHODOLOGY) -> str:
    """The whole result panel of the calculator page for ``est`` (``described``: its
    :func:`~ml_emissions.reports.describe`, if the caller has it already). The range and
    the provider's figure link to their sections of the Methodology page, at
    ``methodology`` (an address relative to the page that shows the panel)."""
    methodology = escape(methodology)
    d = described or describe(est)
    lines = [
        '<div class="mle-headline">',
        f'<p class="mle-co2e"><strong>{escape(d["co2e"])} CO2e</strong> '
        f'<span>location-based, {escape(d["basis"])}; '
        f'<a href="{methodology}#{RANGE_SECTION}">range {escape(d["co2e_range"])}</a>'
        "</span></p>",
        f'<p class="mle-energy"><strong>{escape(d["energy"])}</strong> of electricity, '
        f'PUE {escape(d["pue"])} included</p>',
    ]
    provider = provider_figure_text(est)
    if provider:
        lines.append(f'<p class="mle-market"><a href="{methodology}#{MARKET_SECTION}">'
                     f"Provider's figure</a>: {escape(provider)}</p>")
    if d["per_run"]:
        lines.append(f'<p class="mle-per-run">Per run: {escape(d["per_run"])}</p>')
    if d["work"]:
        lines.append(f'<p class="mle-hours">Hours from compute: {escape(d["duration"])}, '
                     f'{escape(d["device_hours"])} (range {escape(d["hours_range"] or "none")})'
                     "</p>")
    lines.append(f'<p class="mle-embodied">Embodied (manufacturing), apart from the '
                 f'figure above: {escape(d["embodied"])}'
                 + (f'; {escape(d["operational_and_embodied"])}'
                    if d["operational_and_embodied"] else "") + "</p>")
    lines.append("</div>")
    lines += [
        "<h3>Breakdown</h3>", _breakdown(est),
        "<h3>Equivalent to</h3>", _equivalents(est),
        f"<h3>Cleaner places ({escape(d['basis'])})</h3>", _comparisons(est),
        _region_chart(est, catalog),
        "<h3>Inputs and sources</h3>", _inputs(est, d),
    ]
    return "\n".join(lines)


def summary_html(described: dict[str, str]) -> str:
    """The headline figures of an estimate (its :func:`~ml_emissions.reports.describe`),
    CO2e and energy, as the calculator page's compact summary shows them on a narrow
    screen, where the result panel is below the form: the same words as the panel's."""
    return (f'<p class="mle-summary-figures"><strong>{escape(described["co2e"])} CO2e'
            f'</strong> <span>{escape(described["energy"])} of electricity</span></p>')


def scroll_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]],
                 actions: tuple[str, Sequence[str]] | None = None) -> str:
    """A table of text cells, its first column row headers, in a region that scrolls
    sideways and takes the keyboard focus on a narrow screen. ``actions``: the header
    and, per row, the markup (made by the engine, never from input) of a last column of
    controls."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    tails = [""] * len(rows)
    if actions is not None:
        head += f'<th scope="col">{escape(actions[0])}</th>'
        tails = [f"<td>{cell}</td>" for cell in actions[1]]
    body = "".join("<tr>" + f'<th scope="row">{escape(row[0])}</th>'
                   + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:]) + tail + "</tr>"
                   for row, tail in zip(rows, tails, strict=True))
    return (f'<div class="mle-table-scroll" role="region" tabindex="0" '
            f'aria-label="{escape(caption)}"><table class="mle-scenarios"><caption>'
            f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}"
            "</tbody></table></div>")


def comparison_html(comp: ScenarioComparison, *, on_calculator: bool = True) -> str:
    """The scenarios side by side: a table of every figure (in a region that scrolls
    sideways and takes the keyboard focus on a narrow screen) and a chart of the CO2e,
    the lowest highlighted. On the calculator page, the estimate below it is the first
    scenario's, and a note says so."""
    cleanest = comp.cleanest
    bars = [Bar(s.label, s.estimate.co2e_kg, fmt.mass(s.estimate.co2e_kg), s is cleanest)
            for s in comp.scenarios]
    basis = basis_words(comp.scenarios[0].estimate.inputs.location.basis)
    title = (f"Operational CO2e of each scenario, location-based, {basis}; the lowest is "
             "highlighted")
    notes = "".join(f"<li>{escape(note)}</li>" for note in comparison_notes(comp))
    caption = f"{len(comp.scenarios)} scenarios: the same work in each"
    first = ('<p class="mle-note">The estimate below is the first scenario\'s.</p>'
             if on_calculator else "")
    return ('<section class="mle-comparison">'
            + (f"<h3>{len(comp.scenarios)} scenarios compared</h3>" if on_calculator else "")
            + scroll_table(caption, COMPARISON_HEADER, comparison_rows(comp))
            + f"<figure>{horizontal_bars(bars, title)}<figcaption>"
            f'{escape(title)}.</figcaption></figure><ul class="mle-notes">{notes}</ul>'
            f"{first}</section>")
