"""Reports of a project: plain text, Markdown, CSV and JSON per job and in total, a paper
paragraph (LaTeX) and Hugging Face model-card metadata for the final model.

Every CO2e is location-based on the project's one basis; embodied CO2e is apart from it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from . import formatting as fmt
from ._version import __version__
from .citation import PAPER_BIBTEX, PAPER_KEY, TOOL_KEY, TOOL_NAME, tool_bibtex
from .location import basis_words
from .project import JobFigures, ProjectEstimate, Total
from .references import latex_escape
from .reports import csv_text, markdown_escape, markdown_table, pick_format, text_table

__all__ = ["JOB_HEADER", "PROJECT_FORMATS", "TOTAL_HEADER", "headline", "job_rows",
           "render_project", "total_rows"]

JOB_HEADER = ("Line", "Job", "Phase", "State", "Hardware", "Location", "Device-hours",
              "Energy", "CO2e", "Embodied CO2e", "Tracker's CO2e")
TOTAL_HEADER = ("Group", "Jobs", "Device-hours", "Energy", "CO2e", "CO2e range",
                "Embodied CO2e")


def _tracker(item: JobFigures, project: ProjectEstimate) -> str:
    """A tracker's own figure beside ours, with the intensity and PUE each used."""
    figure = item.job.tracker
    if figure is None:
        return ""
    est = project.profiles[item.profile]
    theirs = [] if figure.intensity_g_per_kwh is None else [
        f"{fmt.number(figure.intensity_g_per_kwh)} g/kWh"]
    if figure.pue is not None:
        theirs.append(f"PUE {fmt.number(figure.pue)}")
    ours = (f"{fmt.number(est.inputs.location.intensity_g_per_kwh)} g/kWh, "
            f"PUE {fmt.number(est.inputs.pue)}")
    return f"{fmt.mass(figure.co2e_kg)} ({', '.join(theirs)}; here {ours})"


def job_rows(project: ProjectEstimate, limit: int | None = None) -> list[tuple[str, ...]]:
    """One row of text per counted job (the first ``limit`` ones), in the order of
    :data:`JOB_HEADER`."""
    return [(str(item.job.line), item.job.label, item.job.phase, item.job.state or "-",
             f"{fmt.exact(item.count)} x {item.hardware}", item.location,
             fmt.number(item.device_hours), fmt.energy(item.energy_kwh), fmt.mass(item.co2e_kg),
             "-" if item.embodied_kg is None else fmt.mass(item.embodied_kg),
             _tracker(item, project) or "-")
            for item in project.jobs[:limit]]


def _total_row(name: str, total: Total) -> tuple[str, ...]:
    return (name, fmt.exact(total.jobs), fmt.number(total.device_hours) if total.jobs else "0",
            fmt.energy(total.energy_kwh), fmt.mass(total.co2e_kg),
            f"{fmt.mass(total.co2e_low_kg)} to {fmt.mass(total.co2e_high_kg)}",
            fmt.mass(total.embodied_kg))


def total_rows(project: ProjectEstimate) -> list[tuple[str, ...]]:
    """The totals: the whole project, each phase, hardware and location, failed jobs."""
    rows = [_total_row("Whole project", project.total)]
    rows += [_total_row(f"Phase: {k}", v) for k, v in project.by_phase.items()]
    rows += [_total_row(f"Hardware: {k}", v) for k, v in project.by_hardware.items()]
    rows += [_total_row(f"Location: {k}", v) for k, v in project.by_location.items()]
    if project.failed.jobs:
        rows.append(_total_row("Failed, cancelled or timed out", project.failed))
    return rows


def headline(project: ProjectEstimate) -> list[str]:
    total = project.total
    jobs = "job" if total.jobs == 1 else "jobs"
    lines = [f"{fmt.exact(total.jobs)} {jobs}: {fmt.mass(total.co2e_kg)} CO2e location-based, "
             f"{basis_words(project.basis)} (range {fmt.mass(total.co2e_low_kg)} to "
             f"{fmt.mass(total.co2e_high_kg)}), {fmt.energy(total.energy_kwh)}, "
             f"{fmt.number(total.device_hours) if total.jobs else '0'} device-hours; embodied "
             f"{fmt.mass(total.embodied_kg)} CO2e apart."]
    share = project.final_share
    if share is not None:
        lines.append(f"The final run(s): {fmt.mass(project.final.co2e_kg)} CO2e, "
                     f"{fmt.percent(100 * share)} of the project; the development cycle "
                     f"around them: {fmt.percent(100 * (1 - share))}.")
    else:
        lines.append("No job is marked final: the whole project is shown as development.")
    return lines


def _problems(project: ProjectEstimate) -> list[str]:
    lines = []
    if project.problems:
        lines.append(f"Not counted ({len(project.problems)}):")
        lines += [f"  {p}" for p in project.problems]
    if project.skipped:
        lines.append(f"Skipped, never ran ({len(project.skipped)}):")
        lines += [f"  {p}" for p in project.skipped]
    return lines


def _text(project: ProjectEstimate) -> str:
    lines = [f"{TOOL_NAME} {__version__}: project", *(f"  {h}" for h in headline(project)), ""]
    lines += [*text_table(TOTAL_HEADER, total_rows(project), "  "), ""]
    lines += text_table(JOB_HEADER, job_rows(project), "  ")
    problems = _problems(project)
    if problems:
        lines += ["", *problems]
    return "\n".join(lines) + "\n"


def _markdown(project: ProjectEstimate) -> str:
    lines = ["### Carbon emissions of the project", "",
             *(markdown_escape(h) for h in headline(project)), ""]
    lines += [*markdown_table(TOTAL_HEADER, total_rows(project)), ""]
    lines += markdown_table(JOB_HEADER, job_rows(project))
    problems = _problems(project)
    if problems:
        lines += ["", *(f"- {markdown_escape(p.strip())}" for p in problems)]
    return "\n".join(lines) + "\n"


def _csv(project: ProjectEstimate) -> str:
    """One row per job and one per total, figures as plain numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("row", "line", "label", "phase", "state", "hardware", "count",
                     "location", "basis", "device_hours", "energy_kwh", "co2e_kg",
                     "co2e_low_kg", "co2e_high_kg", "embodied_co2e_kg", "tracker_co2e_kg"))
    for item in project.jobs:
        job = item.job
        numbers = fmt.clean([item.device_hours, item.energy_kwh, item.co2e_kg,
                             item.co2e_low_kg, item.co2e_high_kg, item.embodied_kg,
                             job.tracker.co2e_kg if job.tracker else None])
        writer.writerow(["job", job.line, csv_text(job.label), csv_text(job.phase),
                         csv_text(job.state), csv_text(item.hardware), item.count,
                         csv_text(item.location), project.basis,
                         *("" if v is None else repr(v) for v in numbers)])
    groups = [("total", "whole project", project.total),
              *(("phase", k, v) for k, v in project.by_phase.items())]
    for row, name, total in groups:
        numbers = fmt.clean([total.device_hours, total.energy_kwh, total.co2e_kg,
                             total.co2e_low_kg, total.co2e_high_kg, total.embodied_kg])
        writer.writerow([row, "", csv_text(name), "", "", "", total.jobs, "", project.basis,
                         *(repr(v) for v in numbers), ""])
    return buffer.getvalue()


def _json(project: ProjectEstimate) -> str:
    return json.dumps(project.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _latex(project: ProjectEstimate) -> str:
    total = project.total
    share = project.final_share
    final = "" if share is None else (
        f" The final training run(s) account for {latex_escape(fmt.mass(project.final.co2e_kg))} "
        f"CO$_2$e, {latex_escape(fmt.percent(100 * share))} of the project.")
    body = (f"The project ran {fmt.exact(total.jobs)} jobs, "
            f"{latex_escape(fmt.number(total.device_hours) if total.jobs else '0')} "
            f"device-hours in all, using about {latex_escape(fmt.energy(total.energy_kwh))} of "
            f"electricity and emitting {latex_escape(fmt.mass(total.co2e_kg))} CO$_2$e "
            f"(location-based, {latex_escape(basis_words(project.basis))}; range "
            f"{latex_escape(fmt.mass(total.co2e_low_kg))} to "
            f"{latex_escape(fmt.mass(total.co2e_high_kg))}).{final} Manufacturing the "
            f"hardware adds an estimated {latex_escape(fmt.mass(total.embodied_kg))} CO$_2$e, "
            "not included above.")
    return ("\\paragraph{Carbon emissions.} " + body
            + f" Estimated with the {TOOL_NAME}~\\cite{{{TOOL_KEY}}}, following "
            f"\\cite{{{PAPER_KEY}}}.\n\n% BibTeX entries:\n\n{PAPER_BIBTEX}\n\n{tool_bibtex()}\n")


def _model_card(project: ProjectEstimate) -> str:
    """The final model's training as Hugging Face's ``co2_eq_emissions`` (grams,
    operational); the whole project in a comment."""
    final = project.final if project.final.jobs else project.total
    which = "the final run(s)" if project.final.jobs else "every job (none is marked final)"
    hardware = sorted({j.hardware for j in project.jobs
                       if not project.final.jobs or j.job.phase == "final"})
    total = project.total
    source = (f"{TOOL_NAME} {__version__} (Lacoste et al. 2019, arXiv:1910.09700); "
              f"location-based, {basis_words(project.basis)} carbon intensity; {which}")
    return (
        "co2_eq_emissions:\n"
        f"  emissions: {fmt.clean(final.co2e_kg * 1000.0)!r}\n"
        f"  source: {json.dumps(source, ensure_ascii=False)}\n"
        f"  training_type: \"pre-training\"\n"
        f"  hardware_used: {json.dumps(', '.join(hardware), ensure_ascii=False)}\n"
        f"# the whole project: {fmt.exact(total.jobs)} jobs, {fmt.mass(total.co2e_kg)} CO2e "
        f"operational; embodied {fmt.mass(total.embodied_kg)} CO2e, not included\n"
    )


PROJECT_FORMATS: dict[str, Callable[[ProjectEstimate], str]] = {
    "text": _text,
    "markdown": _markdown,
    "csv": _csv,
    "json": _json,
    "latex": _latex,
    "model-card": _model_card,
}
"""Formats of ``ml-emissions project --format``."""


def render_project(project: ProjectEstimate, format_name: str = "text") -> str:
    """Render ``project`` in one of :data:`PROJECT_FORMATS`."""
    return pick_format(PROJECT_FORMATS, format_name)(project)
