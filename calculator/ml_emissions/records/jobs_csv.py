"""A table of jobs, one row per job, its columns named like the command-line flags
(``hardware``, ``count``, ``hours``, ``zone``, ...), with ``phase`` and ``label``. A cell
left empty takes the file's defaults (:class:`~ml_emissions.records.text.ImportOptions`),
else the engine's own."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..errors import one_of
from ..job import PARAMETERS
from ..project import PHASES, ProjectJob, RowProblem
from ..reports import csv_text
from .text import FileKindError, ImportOptions, ImportResult, rows_of

__all__ = ["COLUMNS", "is_jobs_table", "read_jobs_table", "template", "write_jobs_table"]

EXTRA_COLUMNS = ("label", "phase", "state")
COLUMNS = (*EXTRA_COLUMNS, *(name.replace("_", "-") for name in PARAMETERS))
"""Every column a table of jobs may have: the job's inputs, its phase and label."""


def _column(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def is_jobs_table(header: list[str]) -> bool:
    """True when every column of the header is one of :data:`COLUMNS`."""
    return bool(header) and all(_column(name) in COLUMNS for name in header)


def read_jobs_table(text: str, options: ImportOptions) -> ImportResult:
    """The jobs of a table of jobs; a row that is not a valid job is a problem of its
    line when estimated (:func:`~ml_emissions.project.estimate_project`)."""
    rows = rows_of(text, progress=options.progress)
    first = next(rows, None)
    if first is None:
        raise FileKindError("an empty file", "a header line and one line per job")
    _, header = first
    unknown = [name for name in header if _column(name) not in COLUMNS]
    if unknown:
        raise FileKindError(f"a table with the column(s) {', '.join(map(repr, unknown))}",
                            "a table of jobs with columns named like the command-line "
                            "flags (" + ", ".join(COLUMNS[:6]) + ", ...), a sacct -P log "
                            "or a CodeCarbon emissions.csv")
    names = [_column(name) for name in header]
    jobs, problems, lines = [], [], 0
    for line, cells in rows:
        lines += 1
        if len(cells) != len(names):
            problems.append(RowProblem(line, "", f"{len(cells)} cells; expected {len(names)}, "
                                       "one per column of the header"))
            continue
        values = {name: cell for name, cell in zip(names, cells, strict=True) if cell}
        phase = values.pop("phase", "development")
        label = values.pop("label", "")
        state = values.pop("state", "")
        params = {**options.defaults, **values}
        if not phase.strip():
            problems.append(RowProblem(line, label, "phase: empty; expected one of "
                                       + one_of(PHASES) + " or a label of your own"))
            continue
        jobs.append(ProjectJob(params, phase, label, line, state))
    return ImportResult("table of jobs", tuple(jobs), tuple(problems), (), lines)


def template() -> str:
    """A table of jobs to fill in: the header and three example rows."""
    return ("label,phase,hardware,count,hours,device-hours,zone,region,runs\n"
            "search,development,A100 80GB SXM,8,,2400,FR,,40\n"
            "ablation,development,A100 80GB SXM,4,12,,FR,,6\n"
            "final model,final,H100 SXM,64,72,,,gcp:europe-west1,1\n")


def write_jobs_table(jobs: Sequence[ProjectJob]) -> str:
    """The jobs as a table of jobs (CSV), which :func:`read_jobs_table` reads back: the
    columns any job uses, in the order of :data:`COLUMNS`. A label, phase or state that a
    spreadsheet would run as a formula (``=...``) gets a leading apostrophe."""
    used = {"label", "phase"} | {k for job in jobs for k in job.params}
    if any(job.state for job in jobs):
        used.add("state")
    header = [name for name in COLUMNS if name in used]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for job in jobs:
        values = {**job.params, "label": csv_text(job.label), "phase": csv_text(job.phase),
                  "state": csv_text(job.state)}
        writer.writerow([values.get(name, "") for name in header])
    return buffer.getvalue()
