"""Reports of a comparison of scenarios: a text table, Markdown, CSV and JSON.

Each scenario's figures are those of its own estimate, in the words of
:func:`ml_emissions.reports.describe`; the basis of every CO2e figure is stated once,
since the scenarios share it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from . import formatting as fmt
from ._version import __version__
from .citation import TOOL_NAME
from .compare import ScenarioComparison
from .location import basis_words
from .reports import csv_text, markdown_escape, markdown_table, pick_format, text_table

__all__ = ["COMPARISON_FORMATS", "COMPARISON_HEADER", "comparison_notes", "comparison_rows",
           "render_comparison"]

COMPARISON_HEADER = ("Scenario", "Hours per run", "Device-hours", "Energy", "CO2e", "CO2e range",
           "Embodied CO2e", "Operational + embodied")


def comparison_rows(comp: ScenarioComparison) -> list[tuple[str, ...]]:
    """One row of text cells per scenario, in the order of the header of every format."""
    rows: list[tuple[str, ...]] = []
    for scenario in comp.scenarios:
        est = scenario.estimate
        total = est.operational_and_embodied_kg
        rows.append((
            scenario.label,
            fmt.number(est.inputs.hours_per_run),
            fmt.number(est.inputs.device_hours),
            fmt.energy(est.energy_kwh),
            fmt.mass(est.co2e_kg),
            f"{fmt.mass(est.co2e_low_kg)} to {fmt.mass(est.co2e_high_kg)}",
            "-" if est.embodied is None else fmt.mass(est.embodied.co2e_kg),
            "-" if total is None else fmt.mass(total),
        ))
    return rows


def comparison_notes(comp: ScenarioComparison) -> list[str]:
    """What every figure rests on: the basis, the shared inputs, the carried work."""
    est = comp.scenarios[0].estimate
    shared = ", ".join(f"{k}={v}" for k, v in comp.shared.items())
    notes = [f"CO2e is location-based, {basis_words(est.inputs.location.basis)}, for the "
             "whole development cycle; embodied CO2e (manufacturing) is apart from it.",
             f"Shared inputs: {shared or 'none'}."]
    if comp.assumption:
        notes.append(comp.assumption)
    notes.append(f"Lowest CO2e: {comp.cleanest.label}.")
    return notes


def _text(comp: ScenarioComparison) -> str:
    lines = [f"{TOOL_NAME} {__version__}: comparison of {len(comp.scenarios)} scenarios",
             *text_table(COMPARISON_HEADER, comparison_rows(comp), "  ")]
    lines += ["", *(f"  {note}" for note in comparison_notes(comp))]
    return "\n".join(lines) + "\n"


def _markdown(comp: ScenarioComparison) -> str:
    lines = markdown_table(COMPARISON_HEADER, comparison_rows(comp))
    notes = "\n".join(f"- {markdown_escape(note)}" for note in comparison_notes(comp))
    return "\n".join(lines) + "\n\n" + notes + "\n"


def _csv(comp: ScenarioComparison) -> str:
    """One row per scenario, figures as plain numbers in the units of the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("scenario", "basis", "hours_per_run", "device_hours", "energy_kwh",
                     "co2e_kg", "co2e_low_kg", "co2e_high_kg", "embodied_co2e_kg",
                     "operational_and_embodied_co2e_kg"))
    for scenario in comp.scenarios:
        est = scenario.estimate
        data = fmt.clean([est.inputs.hours_per_run, est.inputs.device_hours, est.energy_kwh,
                          est.co2e_kg, est.co2e_low_kg, est.co2e_high_kg,
                          None if est.embodied is None else est.embodied.co2e_kg,
                          est.operational_and_embodied_kg])
        writer.writerow([csv_text(scenario.label), est.inputs.location.basis,
                         *("" if v is None else repr(v) for v in data)])
    return buffer.getvalue()


def _json(comp: ScenarioComparison) -> str:
    return json.dumps(fmt.clean(comp.to_dict()), indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


COMPARISON_FORMATS: dict[str, Callable[[ScenarioComparison], str]] = {
    "text": _text,
    "markdown": _markdown,
    "csv": _csv,
    "json": _json,
}
"""Formats of ``ml-emissions compare --format``."""


def render_comparison(comp: ScenarioComparison, format_name: str = "text") -> str:
    """Render ``comp`` in one of :data:`COMPARISON_FORMATS`."""
    return pick_format(COMPARISON_FORMATS, format_name)(comp)
