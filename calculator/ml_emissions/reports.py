"""Reports of an estimate: plain text, JSON, CSV, LaTeX, Markdown and model-card YAML.

The command line prints these and the browser's export buttons copy them, so both give
the same bytes for the same inputs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from . import formatting as fmt
from .catalog import Source
from .citation import PAPER_BIBTEX, PAPER_URL, TOOL_NAME
from .engine import Estimate

__all__ = ["FORMATS", "describe", "render"]


def _source_text(source: Source) -> str:
    citation = source.citation.rstrip(". ")
    if not citation or citation == "given by the user":
        return "given by the user"
    return citation if str(source.year) in citation else f"{citation}, {source.year}"


def describe(est: Estimate) -> dict[str, str]:
    """Short phrases describing the estimate's inputs and results, shared by every format."""
    inp = est.inputs
    rated = f"{fmt.number(inp.rated_watts)} W" if inp.rated_watts is not None else ""
    if inp.device_watts_measured:
        power = f"{fmt.number(inp.device_watts)} W measured average per device"
    elif inp.rated_watts_basis == "measured_average":
        power = f"{rated} measured average per device"
    else:
        power = f"{rated} rated power per device"
        if inp.utilization is not None and inp.utilization != 1.0:
            power += f" at {fmt.percent(100 * inp.utilization)} utilization"
    runs_text = f"{int(inp.runs):,}" if inp.runs.is_integer() else fmt.number(inp.runs)
    runs = "" if inp.runs == 1 else f" x {runs_text} runs"
    device_hours = inp.count * inp.hours_per_run * inp.runs
    return {
        "hardware": f"{inp.count} x {inp.hardware_name}",
        "power": power,
        "duration": f"{fmt.number(inp.hours_per_run)} h per run{runs}",
        "device_hours": f"{fmt.number(device_hours)} device-hours",
        "location": inp.location.label,
        "intensity": f"{fmt.number(inp.location.intensity_g_per_kwh)} gCO2e/kWh",
        "intensity_source": f"{inp.location.intensity_basis}; "
                            f"{_source_text(inp.location.intensity_source)}",
        "pue": fmt.number(inp.pue),
        "pue_source": _source_text(inp.pue_source),
        "energy": fmt.energy(est.energy_kwh),
        "co2e": fmt.mass(est.co2e_kg),
        "co2e_range": f"{fmt.mass(est.co2e_low_kg)} to {fmt.mass(est.co2e_high_kg)}",
    }


def _text(est: Estimate) -> str:
    d = describe(est)
    b = est.breakdown
    lines = [
        f"{TOOL_NAME}: estimate",
        f"  Hardware      {d['hardware']} ({d['power']})",
        f"  Duration      {d['duration']} ({d['device_hours']})",
        f"  Location      {d['location']}",
        f"  Intensity     {d['intensity']} ({d['intensity_source']})",
        f"  PUE           {d['pue']} ({d['pue_source']})",
        "",
        f"  Energy        {d['energy']} (after PUE)",
        f"  CO2e          {d['co2e']} location-based (range {d['co2e_range']})",
    ]
    if est.market_co2e_kg is not None and est.inputs.location.cfe_pct is not None:
        lines.append(f"  Market-based  {fmt.mass(est.market_co2e_kg)} (approximate: "
                     f"{fmt.percent(est.inputs.location.cfe_pct)} carbon-free energy "
                     "published by the provider)")
    if est.inputs.runs != 1:
        lines.append(f"  Per run       {fmt.energy(est.energy_kwh_per_run)}, "
                     f"{fmt.mass(est.co2e_kg_per_run)}")
    lines += [
        "",
        "  Breakdown     accelerators " + fmt.energy(b.accelerators_kwh)
        + ", host CPU " + fmt.energy(b.host_cpu_kwh)
        + ", memory " + fmt.energy(b.memory_kwh)
        + ", PUE overhead " + fmt.energy(b.pue_overhead_kwh),
        "  Equivalent to",
    ]
    lines += [f"    {fmt.number(eq.value)} {eq.label}" for eq in est.equivalents]
    for alt in (est.cleanest_same_provider, est.cleanest_zone):
        if alt is None:
            continue
        where = "same provider" if alt.kind == "same_provider" else "any grid"
        if alt.saving_kg > 0:
            change = f"{fmt.percent(alt.saving_pct)} less"
        else:
            change = "already the cleanest" if alt.saving_kg == 0 else "more"
        lines.append(f"  Cleanest ({where}): {alt.label}, {fmt.mass(alt.co2e_kg)} ({change})")
    return "\n".join(lines) + "\n"


def _latex_escape(text: str) -> str:
    replacements = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$",
                    "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                    "^": r"\textasciicircum{}"}
    return "".join(replacements.get(ch, ch) for ch in text)


def _paragraph(est: Estimate, escape: Callable[[str], str], co2: str) -> str:
    d = {key: escape(value) for key, value in describe(est).items()}
    runs = "" if est.inputs.runs == 1 else " (the whole development cycle)"
    return (
        f"Training used {d['hardware']} ({d['power']}) for {d['duration']}, "
        f"{d['device_hours']} in total{runs}, in {d['location']}. "
        f"The electricity there has a carbon intensity of {d['intensity']} "
        f"({d['intensity_source']}), and the data centre a power usage effectiveness "
        f"(PUE) of {d['pue']} ({d['pue_source']}). "
        f"This amounts to about {d['energy']} of electricity and {d['co2e']} {co2} "
        f"(range {d['co2e_range']})"
    )


def _latex(est: Estimate) -> str:
    body = _paragraph(est, _latex_escape, "CO$_2$e").replace("CO2e", "CO$_2$e")
    return (
        "\\paragraph{Carbon emissions.} "
        + body
        + f", estimated with the {TOOL_NAME} \\cite{{lacoste2019quantifying}}.\n\n"
        + PAPER_BIBTEX + "\n"
    )


def _markdown_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in text)


def _markdown(est: Estimate) -> str:
    body = _paragraph(est, _markdown_escape, "CO2e")
    return (
        "### Carbon emissions\n\n"
        + body
        + f", estimated with the {TOOL_NAME} ([Lacoste et al., 2019]({PAPER_URL})).\n"
    )


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _model_card(est: Estimate) -> str:
    grams = est.co2e_kg * 1000.0
    emissions = f"{grams:.2f}" if grams < 10 else f"{round(grams):d}"
    d = describe(est)
    return (
        "co2_eq_emissions:\n"
        f"  emissions: {emissions}\n"
        f"  source: {_yaml_string(f'{TOOL_NAME} (Lacoste et al. 2019, arXiv:1910.09700)')}\n"
        f"  training_type: {_yaml_string(est.job.training_type)}\n"
        f"  geographical_location: {_yaml_string(d['location'])}\n"
        f"  hardware_used: {_yaml_string(d['hardware'])}\n"
    )


def _json(est: Estimate) -> str:
    return json.dumps(est.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(f"{prefix}.{index}", item, out)
    else:
        out.append((prefix, "" if value is None else str(value)))


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


def render(est: Estimate, format_name: str = "text") -> str:
    """Render ``est`` in one of :data:`FORMATS`."""
    return FORMATS[format_name](est)
