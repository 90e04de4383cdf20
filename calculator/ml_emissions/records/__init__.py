"""Importers of the records researchers already have, into a project of jobs: a Slurm
accounting log (``sacct -P``), CodeCarbon's ``emissions.csv``, and a table of jobs whose
columns are named like the command-line flags; a project's own JSON report opens again as
a project. Standard library only: they run in the browser too, on a file that never
leaves it.

Each importer returns an :class:`~ml_emissions.records.text.ImportResult`: the jobs it
read, each bad line with its problem (the good lines are kept), and the jobs the file
lists that never ran. :func:`read_records` picks the importer from the file's header.
"""

from __future__ import annotations

import json

from ..catalog import Catalog, load_catalog
from ..project import PROJECT_FILE_FORMAT, ProjectJob, RowProblem
from .codecarbon import is_codecarbon, read_codecarbon
from .jobs_csv import is_jobs_table, read_jobs_table
from .slurm import SACCT_COMMAND, is_sacct, read_sacct
from .text import FileKindError, ImportOptions, ImportResult, decode, rows_of

__all__ = ["KINDS", "SACCT_COMMAND", "FileKindError", "ImportOptions", "ImportResult",
           "read_records"]

KINDS = ("auto", "sacct", "codecarbon", "jobs", "project")
"""The kinds of file :func:`read_records` reads (``auto``: from the header)."""


def _project_file(text: str) -> ImportResult:
    """The jobs of a project's JSON report (``ml-emissions project --format json``)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FileKindError("a JSON file that cannot be read", "a project's JSON report, a "
                            "sacct -P log, CodeCarbon's emissions.csv or a table of jobs"
                            ) from None
    if not isinstance(data, dict) or data.get("format") != PROJECT_FILE_FORMAT:
        raise FileKindError("a JSON file that is no project", "the JSON report of "
                            f"ml-emissions project (format {PROJECT_FILE_FORMAT})")
    jobs, problems = [], []
    for number, item in enumerate(data.get("jobs") or [], start=1):
        inputs = item.get("inputs") if isinstance(item, dict) else None
        if not isinstance(inputs, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in inputs.items()):
            problems.append(RowProblem(number, "", "inputs: expected the job's inputs as text"))
            continue
        text_of = {k: item.get(k) if isinstance(item.get(k), str) else ""
                   for k in ("label", "phase", "state")}
        jobs.append(ProjectJob(inputs, text_of["phase"] or "development", text_of["label"],
                               number, text_of["state"]))
    return ImportResult("project file", tuple(jobs), tuple(problems), (), len(jobs))


def _kind(text: str) -> str:
    if text.lstrip().startswith("{"):
        return "project"
    first = next((line for line in text.split("\n") if line.strip()), "")
    if "|" in first and is_sacct([cell.strip() for cell in first.split("|")]):
        return "sacct"
    header = next(rows_of(first), (0, []))[1]
    if is_codecarbon(header):
        return "codecarbon"
    if is_jobs_table(header):
        return "jobs"
    raise FileKindError("a file of an unknown kind (its first line is not a header this "
                        "calculator knows)", "a sacct -P log, CodeCarbon's emissions.csv or a "
                        "table of jobs with columns named like the command-line flags")


def read_records(data: bytes | str, options: ImportOptions | None = None, kind: str = "auto",
                 catalog: Catalog | None = None) -> ImportResult:
    """The jobs of a file of records, of ``kind`` (one of :data:`KINDS`). Raises
    :class:`FileKindError` for a file of another kind, an empty or a binary one."""
    text = decode(data)
    options = options or ImportOptions()
    catalog = catalog or load_catalog()
    chosen = _kind(text) if kind == "auto" else kind
    if chosen == "sacct":
        return read_sacct(text, options, catalog)
    if chosen == "codecarbon":
        return read_codecarbon(text, options, catalog)
    if chosen == "jobs":
        return read_jobs_table(text, options)
    if chosen == "project":
        return _project_file(text)
    raise FileKindError(f"the kind {kind!r}", "one of " + ", ".join(KINDS))
