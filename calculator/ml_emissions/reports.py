"""Reports of an estimate: plain text, JSON, CSV, LaTeX, Markdown and model-card YAML.

The command line prints these and the browser's export buttons copy them, so both give
the same bytes for the same inputs. The phrases shared by every format (the inputs in
words, each comparison, the equivalents that fit) are made here once.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from . import formatting as fmt
from ._version import __version__
from .catalog import USER_SOURCE, Source
from .citation import PAPER_KEY, TOOL_KEY, TOOL_NAME
from .compute import ComputePlan
from .engine import Comparison, EquivalentValue, Estimate
from .errors import InputError, one_of
from .facility import PUE_TYPE_WORDS
from .location import basis_words
from .references import latex_escape, references, short_label

__all__ = ["FORMATS", "csv_text", "describe", "describe_comparison", "fitting_equivalents",
           "markdown_escape", "markdown_table", "pick_format", "provider_figure_text", "render",
           "text_table"]

T = TypeVar("T")

# An equivalent "fits" when it reads as a count a person can picture: from 1 to under
# 10,000 of its unit; the page shows at most this many, those nearest to ~30 units.
_EQUIVALENT_RANGE = (1.0, 10_000.0)
_EQUIVALENTS_SHOWN = 3
_EQUIVALENT_SWEET_SPOT = 1.5  # log10 of ~30

_POWER_WORDS = {
    "tdp": "rated power per device",
    "system_wall": "whole-computer wall power, power supply and system losses included",
    "measured_average": "measured average per device",
    "custom": "rated power per device",
}

_FACILITY_WORDS = {
    "cloud": "the cloud data centre",
    "data-centre": "a data centre of unknown operator",
    "hpc": "an HPC centre",
    "workstation": "a workstation",
}


def _on(basis: str) -> str:
    """``"on life-cycle figures"``: the basis as a comparison states it."""
    return {"life-cycle": "on life-cycle figures",
            "direct": "on direct (combustion-only) figures",
            "provider": "on the provider's own figures"}[basis]


def _power(est: Estimate) -> str:
    inp = est.inputs
    if inp.device_watts_measured:
        return f"{fmt.exact(inp.device_watts)} W measured average per device"
    assert inp.rated_watts is not None
    power = f"{fmt.exact(inp.rated_watts)} W {_POWER_WORDS[inp.rated_watts_basis]}"
    if inp.utilization is not None and inp.utilization != 1.0:
        power += f" at {fmt.exact(100 * inp.utilization)}% utilization"
    return power


def _duration(est: Estimate) -> str:
    """What was given for the duration, in the user's own terms; hours worked out from
    compute, to three figures."""
    job, inp = est.job, est.inputs
    runs = f"{fmt.exact(job.runs)} runs"
    if inp.compute is not None:
        per_run = f"{fmt.number(inp.hours_per_run)} h per run"
        if job.development_hours is not None:
            return f"{per_run}, {fmt.exact(job.development_hours)} h of development in all"
        return per_run if job.runs == 1 else f"{per_run} x {runs}"
    if job.total_device_hours is not None:
        over = "" if job.runs == 1 else f", over {runs}"
        return f"{fmt.exact(job.total_device_hours)} device-hours in total{over}"
    if job.device_hours is not None:
        per_run = f"{fmt.exact(job.device_hours)} device-hours per run"
    else:
        per_run = f"{fmt.exact(inp.hours_per_run)} h per run"
    if job.development_hours is not None:
        return f"{per_run}, {fmt.exact(job.development_hours)} h of development in all"
    return per_run if job.runs == 1 else f"{per_run} x {runs}"


def _duration_detail(est: Estimate) -> str:
    """What the given duration means: the device-hours of the whole cycle, or, when
    device-hours were given, the hours of one run they make."""
    inp = est.inputs
    if inp.compute is not None:
        return f"{fmt.number(inp.device_hours)} device-hours, estimated from compute"
    if inp.duration_given == "hours":
        return f"{fmt.exact(inp.device_hours)} device-hours"
    devices = "device" if inp.count == 1 else "devices"
    per_run = f"{fmt.exact(inp.hours_per_run)} h per run on {fmt.exact(inp.count)} {devices}"
    if inp.duration_given == "device_hours" and inp.runs != 1:
        return f"{per_run}; {fmt.exact(inp.device_hours)} device-hours in all"
    return per_run


def _work(est: Estimate) -> str:
    """The work of one run, when given as compute: its FLOPs and how they were found."""
    plan = est.inputs.compute
    if plan is None:
        return ""
    flops = f"{fmt.scientific(plan.flops)} FLOPs per run"
    if plan.rule == "given":
        return f"{flops} (given)"
    assert plan.parameters is not None and plan.tokens is not None
    model = f"{fmt.count(plan.parameters)} parameters"
    if plan.active_parameters is not None:
        model = f"{fmt.count(plan.active_parameters)} active of {model}"
    return (f"{flops} ({fmt.exact(plan.flops_per_parameter_token)} x {model} x "
            f"{fmt.count(plan.tokens)} tokens)")


def _compute_assumptions(est: Estimate) -> str:
    """The peak and MFU that turned the compute into hours, and the hours' range."""
    plan = est.inputs.compute
    if plan is None:
        return ""
    mfu = f"MFU {_share(plan.mfu)} ({_mfu_range(plan)})"
    return (f"dense {plan.precision.upper()} peak {fmt.exact(plan.peak_tflops)} TFLOPS per "
            f"device, {mfu}")


def _share(fraction: float) -> str:
    """A share given or assumed, as a percentage exactly: ``0.552`` is ``55.2%``."""
    return f"{fmt.exact(100 * fraction)}%"


def _mfu_range(plan: ComputePlan) -> str:
    return ("given" if plan.mfu_given
            else f"range {_share(plan.mfu_low)} to {_share(plan.mfu_high)}")


def _hours_range(est: Estimate) -> str:
    low, high = est.inputs.hours_bounds
    if est.inputs.compute is None or low == high:
        return ""
    return f"{fmt.number(low)} h to {fmt.number(high)} h per run"


_EMBODIED_METHOD_WORDS = {"published": "published figure", "die-area": "die-area model",
                          "given": "given"}


def _embodied(est: Estimate) -> str:
    """The embodied CO2e in words, with what it rests on; or why there is none."""
    emb = est.embodied
    if emb is None:
        if not est.job.embodied:
            return "not estimated (turned off)"
        return (f"not estimated: no manufacturing figure for {est.inputs.hardware_name}; "
                "give the manufacturing emissions per device")
    return f"{fmt.mass(emb.co2e_kg)} CO2e ({_embodied_basis(est)})"


def _embodied_basis(est: Estimate) -> str:
    """What the embodied CO2e rests on: the figure per device, the life and use rate."""
    emb = est.embodied
    if emb is None:
        return ""
    basis = f"{fmt.number(emb.kg_per_device)} kg per device, "
    basis += _EMBODIED_METHOD_WORDS[emb.method]
    if emb.die_area_mm2 is not None:
        basis += f" of a {fmt.exact(emb.die_area_mm2)} mm2 die"
    if emb.host_kg_per_device is not None:
        basis += f", host share {fmt.exact(emb.host_kg_per_device)} kg per device"
    return f"{basis}; {fmt.exact(emb.lifetime_years)}-year life at {_share(emb.use_rate)} use"


_FROM_INSTANCE_WORDS = {"hardware": "the accelerator", "count": "their count",
                        "cpu_watts": "the host CPU share", "memory_gb": "the host memory"}


def _instance(est: Estimate) -> str:
    """The cloud instance and what it gave the estimate; empty without one."""
    inp = est.inputs
    if inp.instance is None:
        return ""
    gave = [_FROM_INSTANCE_WORDS[name] for name in inp.from_instance]
    host = []
    if "cpu_watts" in inp.from_instance:
        cores = " (physical cores)" if inp.instance.threads_per_vcpu == 2 else ""
        host.append(f"{fmt.number(inp.cpu_watts)} W host CPU share of "
                    f"{fmt.exact(inp.instance.vcpus or 0)} vCPUs{cores}")
    if "memory_gb" in inp.from_instance:
        host.append(f"{fmt.exact(inp.memory_gb)} GB host memory")
    if "cpu_watts" not in inp.from_instance and est.job.cpu_watts is None:
        host.append("its host CPU's power is not in the catalog, so none is counted: give "
                    "the host CPU power")
    detail = f"; {', '.join(host)}" if host else ""
    listed = gave[0] if len(gave) == 1 else ", ".join(gave[:-1]) + " and " + gave[-1]
    what = f"gave {listed}" if gave else "every input given"
    return f"{inp.instance.key} ({what}{detail})"


def describe(est: Estimate) -> dict[str, str]:
    """Short phrases describing the estimate's inputs and results, shared by every format."""
    inp = est.inputs
    location = inp.location
    facility = inp.facility
    pue_type = PUE_TYPE_WORDS[facility.pue_type]
    reason = "given" if facility.reason == "given" else facility.reason
    return {
        "hardware": f"{fmt.exact(inp.count)} x {inp.hardware_name}",
        "instance": _instance(est),
        "power": _power(est),
        "duration": _duration(est),
        "duration_detail": _duration_detail(est),
        "device_hours": f"{(fmt.number if inp.compute else fmt.exact)(inp.device_hours)} "
                        "device-hours",
        "location": location.label,
        "basis": basis_words(location.basis),
        "intensity": f"{_intensity(location.intensity_g_per_kwh, location.kind)} gCO2e/kWh",
        # a custom figure has no source, and the provider's names its provider and year
        "intensity_source": location.intensity_basis
        if location.kind == "intensity" or location.basis == "provider"
        else f"{location.intensity_basis}; {_source_text(location.intensity_source)}",
        "facility": f"{facility.kind} ({reason})",
        "pue": fmt.number(facility.pue),
        "pue_type": pue_type,
        "pue_source": _source_text(facility.pue_source)
                      + (f"; {facility.pue_note}" if facility.pue_note else ""),
        "energy": fmt.energy(est.energy_kwh),
        "co2e": fmt.mass(est.co2e_kg),
        "co2e_range": f"{fmt.mass(est.co2e_low_kg)} to {fmt.mass(est.co2e_high_kg)}",
        # the figures of one run, for a project of several (else empty)
        "per_run": "" if inp.runs == 1 else
        f"{fmt.energy(est.energy_kwh_per_run)}, {fmt.mass(est.co2e_kg_per_run)} CO2e",
        # compute to time (else empty): the work, its assumptions, the hours' range
        "work": _work(est),
        "compute_assumptions": _compute_assumptions(est),
        "hours_range": _hours_range(est),
        # the manufacturing share, always apart from the operational figure
        "embodied": _embodied(est),
        "embodied_basis": _embodied_basis(est),
        "operational_and_embodied": "" if est.operational_and_embodied_kg is None
        else f"{fmt.mass(est.operational_and_embodied_kg)} CO2e operational + embodied",
    }


def _intensity(value: float, kind: str) -> str:
    """An intensity: the user's own exactly, a data figure to three significant figures."""
    return fmt.exact(value) if kind == "intensity" else fmt.number(value)


def _source_text(source: Source) -> str:
    if not source.citation or source.given_by_user:
        return USER_SOURCE.citation
    return short_label(source)


def describe_comparison(comparison: Comparison) -> str:
    """One comparison in words, the same in every report and on the page: the
    cleanest place of its scope when it is cleaner than the job's location, else that
    none is."""
    alt = comparison.alternative
    if alt is None:
        return f"No {comparison.scope} is cleaner than this location {_on(comparison.basis)}."
    return (f"Cleanest {comparison.scope}: {alt.label}, "
            f"{fmt.number(alt.intensity_g_per_kwh)} gCO2e/kWh ({basis_words(comparison.basis)}), "
            f"PUE {fmt.number(alt.pue)}: {fmt.mass(alt.co2e_kg)} CO2e, "
            f"{fmt.percent(alt.saving_pct)} less ({fmt.mass(alt.saving_kg)} saved).")


def fitting_equivalents(est: Estimate) -> list[EquivalentValue]:
    """The everyday equivalents that read naturally for this estimate: at most three,
    each from 1 to under 10,000 of its unit (none for a very small job), in catalog
    order. JSON keeps them all."""
    low, high = _EQUIVALENT_RANGE
    fitting = [eq for eq in est.equivalents if low <= eq.value < high]
    fitting.sort(key=lambda eq: abs(math.log10(eq.value) - _EQUIVALENT_SWEET_SPOT))
    chosen = {eq.equivalent_id for eq in fitting[:_EQUIVALENTS_SHOWN]}
    return [eq for eq in est.equivalents if eq.equivalent_id in chosen]


def provider_figure_text(est: Estimate) -> str | None:
    """The provider's own figure for the region and its market-based approximation,
    in words, or None when the provider publishes none."""
    figure = est.provider_figure
    if figure is None:
        return None
    own = ""
    if est.inputs.location.basis != "provider":
        own = (f"{fmt.number(figure.intensity_g_per_kwh)} gCO2e/kWh, {figure.description}: "
               f"{fmt.mass(figure.co2e_kg)} CO2e on that basis")
    if figure.market_co2e_kg is None or figure.cfe_pct is None:
        return own or None
    market = (f"market-based about {fmt.mass(figure.market_co2e_kg)} CO2e (approximate: "
              f"{fmt.percent(figure.cfe_pct)} carbon-free energy published by the provider)")
    return f"{own}; {market}" if own else market[0].upper() + market[1:]


def _text(est: Estimate) -> str:
    d = describe(est)
    b = est.breakdown
    lines = [
        f"{TOOL_NAME} {__version__}: estimate",
        f"  Hardware      {d['hardware']} ({d['power']})",
        *([f"  Instance      {d['instance']}"] if d["instance"] else []),
        f"  Duration      {d['duration']} ({d['duration_detail']})",
    ]
    if d["work"]:
        lines += [f"  Work          {d['work']}",
                  f"  Compute       {d['compute_assumptions']}"
                  + (f"; hours {d['hours_range']}" if d["hours_range"] else "")]
    lines += [
        f"  Location      {d['location']}",
        f"  Intensity     {d['intensity']} ({d['intensity_source']})",
        f"  Facility      {d['facility']}",
        f"  PUE           {d['pue']} ({d['pue_type']}; {d['pue_source']})",
        "",
        f"  Energy        {d['energy']} (after PUE)",
        f"  CO2e          {d['co2e']} location-based, {d['basis']} "
        f"(range {d['co2e_range']})",
    ]
    provider = provider_figure_text(est)
    if provider:
        lines.append(f"  Provider      {provider}")
    if d["per_run"]:
        lines.append(f"  Per run       {d['per_run']}")
    apart = ", apart from the CO2e above" if est.embodied is not None else ""
    lines.append(f"  Embodied      {d['embodied']}{apart}")
    if d["operational_and_embodied"]:
        lines.append(f"  Total         {d['operational_and_embodied']}")
    lines += [
        "",
        "  Breakdown     accelerators " + fmt.energy(b.accelerators_kwh)
        + ", host CPU " + fmt.energy(b.host_cpu_kwh)
        + ", memory " + fmt.energy(b.memory_kwh)
        + ", PUE overhead " + fmt.energy(b.pue_overhead_kwh),
    ]
    fitting = fitting_equivalents(est)
    if fitting:
        lines.append("  Equivalent to")
        lines += [f"    {fmt.number(eq.value)} {eq.label}" for eq in fitting]
    else:
        lines.append("  Equivalent to  too little for an everyday equivalent")
    lines.append("  Cleaner places")
    lines += [f"    {describe_comparison(c)}" for c in est.comparisons]
    _, refs = references(est)
    lines.append("  References")
    lines += [f"    [{n}] {ref.text}" for n, ref in enumerate(refs, start=1)]
    return "\n".join(lines) + "\n"


def _paragraph(est: Estimate, escape: Callable[[str], str], cite: Callable[[Source], str],
               times: str) -> str:
    """The paper paragraph, in plain "CO2e": ``escape`` makes text safe for the format,
    ``cite`` cites a data source (an empty string for a value the user gave), ``times``
    is the format's multiplication sign."""
    d = {key: escape(value) for key, value in describe(est).items()}
    inp = est.inputs
    power_cite = cite(inp.rated_watts_source) if not inp.device_watts_measured else ""
    facility = inp.facility
    where = (f"the {facility.operator} data centre" if facility.operator
             else f"the facility ({_FACILITY_WORDS[facility.kind]})")
    whole = "" if est.inputs.runs == 1 else " (the whole development cycle)"
    host = []
    if inp.cpu_watts:
        host.append(f"{fmt.exact(inp.cpu_watts)} W of host CPUs")
    if inp.memory_gb:
        host.append(f"{fmt.exact(inp.memory_gb)} GB of host memory "
                    f"({fmt.number(inp.memory_watts)} W{cite(inp.memory_w_per_gb_source)})")
    with_host = f", with {' and '.join(host)}," if host else ""
    if inp.instance is not None:
        with_host = (f" on {escape(inp.instance.key)} instances{cite(inp.instance.source)}"
                     f"{with_host}")
        if not with_host.endswith(","):
            with_host += ","
    total = "" if inp.duration_given == "total_device_hours" else f", {d['device_hours']} in total"
    if inp.compute is not None:
        total = f", {d['device_hours']} in total"
    return (
        f"Training used {d['hardware'].replace(' x ', times, 1)} ({d['power']}{power_cite})"
        f"{with_host} for {d['duration'].replace(' x ', times)}{total}{whole}"
        f"{_compute_sentence(est, escape, cite, times)}, in {d['location']}. "
        f"The electricity there has a carbon intensity of {d['intensity']} "
        f"({escape(est.inputs.location.intensity_basis)}"
        f"{cite(est.inputs.location.intensity_source)}), and {escape(where)} a power usage "
        f"effectiveness (PUE) of {d['pue']} ({d['pue_type']}"
        f"{cite(facility.pue_source)}). "
        f"This amounts to about {d['energy']} of electricity and {d['co2e']} CO2e "
        f"(location-based, {d['basis']}; range {d['co2e_range']})"
        f"{_embodied_sentence(est, d, cite)}"
    )


def _cites(cite: Callable[[Source], str], *sources: Source | None) -> str:
    """Each distinct source cited once, in order."""
    unique = dict.fromkeys(s for s in sources if s is not None)
    return "".join(cite(source) for source in unique)


def _compute_sentence(est: Estimate, escape: Callable[[str], str],
                      cite: Callable[[Source], str], times: str) -> str:
    """How the hours were worked out from compute, cited, for the paper paragraph."""
    plan = est.inputs.compute
    if plan is None:
        return ""
    rule_cite = "" if plan.rule == "given" else cite(plan.flops_rule_source)
    work = escape(_work(est)).replace(" x ", times)
    peak = escape(f"{plan.precision.upper()} peak of {fmt.exact(plan.peak_tflops)} TFLOPS")
    mfu = escape(f"{_share(plan.mfu)} ({_mfu_range(plan)}")
    return (f", estimated from {work}{rule_cite} at a dense {peak} per "
            f"device{cite(plan.peak.source)} and a model FLOPs utilisation of "
            f"{mfu}{cite(plan.mfu_source)})")


def _embodied_sentence(est: Estimate, d: dict[str, str], cite: Callable[[Source], str]
                       ) -> str:
    """The manufacturing share, cited, as a sentence apart from the operational one."""
    emb = est.embodied
    if emb is None:
        return ""
    sources = _cites(cite, emb.source, emb.model_source, emb.lifetime_source,
                     emb.use_rate_source)
    return (f". Manufacturing the hardware accounts for a further {d['embodied']}"
            f"{sources}, not included above; {d['operational_and_embodied']}")


def _latex(est: Estimate) -> str:
    by_source, refs = references(est)

    def cite(source: Source) -> str:
        ref = by_source.get(source)
        return f"~\\cite{{{ref.key}}}" if ref else ""

    body = _paragraph(est, latex_escape, cite, r" $\times$ ").replace("CO2e", "CO$_2$e")
    return (
        "\\paragraph{Carbon emissions.} " + body
        + f", estimated with the {TOOL_NAME}~\\cite{{{TOOL_KEY}}}, following "
        f"\\cite{{{PAPER_KEY}}}.\n\n"
        "% BibTeX entries of the references above (\\url needs \\usepackage{url}):\n\n"
        + "\n\n".join(ref.bibtex for ref in refs) + "\n"
    )


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = ""
               ) -> list[str]:
    """The lines of a plain-text table: columns left-aligned, two spaces apart."""
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    return [indent + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in (header, *rows)]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a Markdown pipe table, every cell escaped."""
    return ["| " + " | ".join(markdown_escape(h) for h in header) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(markdown_escape(c) for c in row) + " |" for row in rows)]


def markdown_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in text
                   if ch.isprintable())


def _markdown(est: Estimate) -> str:
    by_source, refs = references(est)
    number = {ref.key: n for n, ref in enumerate(refs, start=1)}

    def cite(source: Source) -> str:
        ref = by_source.get(source)
        return f" [{number[ref.key]}]" if ref else ""

    body = _paragraph(est, markdown_escape, cite, " x ")
    listing = "\n".join(f"{n}. {markdown_escape(ref.text)}"
                        for n, ref in enumerate(refs, start=1))
    return (
        "### Carbon emissions\n\n" + body
        + f", estimated with the {TOOL_NAME} [{number[TOOL_KEY]}], following Lacoste et al. "
        f"[{number[PAPER_KEY]}].\n\n#### References\n\n{listing}\n"
    )


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _yaml_number(value: float) -> str:
    """A number for YAML: whole numbers without a decimal point, others to ten
    significant digits."""
    cleaned = fmt.clean(value)
    return str(int(cleaned)) if float(cleaned).is_integer() else repr(cleaned)


def _comment(text: str) -> str:
    """A YAML comment line: one line, whatever the text holds."""
    return "".join(ch if ch.isprintable() else " " for ch in text) + "\n"


def _model_card(est: Estimate) -> str:
    """Hugging Face's ``co2_eq_emissions`` model-card metadata (emissions in grams)."""
    grams = est.co2e_kg * 1000.0
    d = describe(est)
    comments = ""
    if d["work"]:  # the hours behind the figure, when they come from compute
        hours = f"{d['duration']} ({d['duration_detail']}) from {d['work']}, "
        comments += _comment(f"# training time {hours}{d['compute_assumptions']}")
    if est.embodied is not None:  # not part of Hugging Face's operational "emissions"
        comments += _comment(f"# embodied (manufacturing) emissions, not included in "
                             f"emissions: {d['embodied']}; {d['operational_and_embodied']}")
    source = (f"{TOOL_NAME} {__version__} (Lacoste et al. 2019, arXiv:1910.09700); "
              f"location-based, {d['basis']} carbon intensity")
    return (
        "co2_eq_emissions:\n"
        f"  emissions: {_yaml_number(grams)}\n"
        f"  source: {_yaml_string(source)}\n"
        f"  training_type: {_yaml_string(est.job.training_type)}\n"
        f"  geographical_location: {_yaml_string(d['location'])}\n"
        f"  hardware_used: {_yaml_string(d['hardware'])}\n"
        + comments
    )


def _json(est: Estimate) -> str:
    return json.dumps(est.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(f"{prefix}.{index}", item, out)
    elif isinstance(value, str):
        out.append((prefix, csv_text(value)))
    else:
        out.append((prefix, "" if value is None else json.dumps(value)))


def csv_text(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(est: Estimate) -> str:
    rows: list[tuple[str, str]] = []
    _flatten("", est.to_dict(), rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("key", "value"))
    writer.writerows(rows)
    return buffer.getvalue()


FORMATS: dict[str, Callable[[Estimate], str]] = {
    "text": _text,
    "json": _json,
    "csv": _csv,
    "latex": _latex,
    "markdown": _markdown,
    "model-card": _model_card,
}
"""Report formats by name (the values of ``--format``)."""


def pick_format(formats: Mapping[str, Callable[[T], str]], format_name: object
                ) -> Callable[[T], str]:
    """The report of ``formats`` called ``format_name``; an :class:`InputError` (field
    ``format``) names the formats for any other name."""
    report = formats.get(format_name) if isinstance(format_name, str) else None
    if report is None:
        raise InputError("format", format_name, "one of " + one_of(list(formats)))
    return report


def render(est: Estimate, format_name: str = "text") -> str:
    """Render ``est`` in one of :data:`FORMATS`; an :class:`InputError` (field
    ``format``) names the formats for any other name."""
    return pick_format(FORMATS, format_name)(est)

