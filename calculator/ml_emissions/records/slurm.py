"""A Slurm accounting log, as ``sacct`` prints it with ``--parsable2`` (``-P``): one
header line, then one line per job and per job step, cells separated by ``|``.

Run on the cluster::

    sacct -a -X -P -S 2025-01-01 -E now \\
      --format=JobID,JobName,Partition,State,Elapsed,ElapsedRaw,AllocTRES,NCPUS,Start,End

(``-X`` lists jobs without their steps; without it the steps ``.batch``, ``.extern`` and
``.0`` fold into their job.) The GPU count and type come from ``AllocTRES``
(``gres/gpu=2``, ``gres/gpu:a100=4``), host memory from its ``mem=``; a GPU type or a
partition without a model maps to a catalog device through the options. Failed,
cancelled and timed-out jobs are counted (they drew power) and marked; pending jobs and
jobs that never ran are skipped and listed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .. import formatting as fmt
from ..catalog import Catalog
from ..errors import InputError, UnknownNameError
from ..project import FINAL, ProjectJob, RowProblem
from .text import FileKindError, ImportOptions, ImportResult, rows_of

__all__ = ["SACCT_COMMAND", "is_sacct", "read_sacct"]

SACCT_COMMAND = ("sacct -a -X -P -S 2025-01-01 -E now --format=JobID,JobName,Partition,"
                 "State,Elapsed,ElapsedRaw,AllocTRES,NCPUS,Start,End")
"""The command that writes the log this importer reads (set the dates)."""

REQUIRED = ("JobID", "State", "AllocTRES")
NEVER_RAN = ("PENDING", "REQUEUED", "RESIZING", "REVOKED")
_ELAPSED = re.compile(r"(?:(?P<days>\d+)-)?(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d+(?:\.\d+)?)")
_MEMORY_UNITS = {"K": 1e-6, "M": 1e-3, "G": 1.0, "T": 1e3, "P": 1e6}  # to GB


def is_sacct(header: list[str]) -> bool:
    """True for the header line of ``sacct -P``."""
    return "JobID" in header and "State" in header


def _hours(row: dict[str, str]) -> float | None:
    """The elapsed time of a row in hours, from ElapsedRaw (seconds) or Elapsed
    (``[D-]HH:MM:SS``); None when the row gives neither readably."""
    raw = row.get("ElapsedRaw", "")
    if raw.isdigit():
        return int(raw) / 3600
    match = _ELAPSED.fullmatch(row.get("Elapsed", ""))
    if match is None:
        return None
    days, hours = int(match["days"] or 0), int(match["h"] or 0)
    return days * 24 + hours + int(match["m"]) / 60 + float(match["s"]) / 3600


def _tres(text: str) -> dict[str, str]:
    """``AllocTRES`` as ``{name: value}``: ``gres/gpu:a100=4,mem=64G`` gives
    ``{"gres/gpu:a100": "4", "mem": "64G"}``."""
    items = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if sep:
            items[name.strip()] = value.strip()
    return items


def _gpus(tres: dict[str, str]) -> tuple[int, str | None]:
    """``(GPU count, GPU type or None)`` of a job; raises InputError for a count that is
    not a whole number."""
    typed = [(name.split(":", 1)[1], value) for name, value in tres.items()
             if name.startswith("gres/gpu:")]
    kind, count = typed[0] if typed else (None, tres.get("gres/gpu", "0"))
    if not count.isdigit():
        raise InputError("AllocTRES", f"gres/gpu={count}", "a whole number of GPUs")
    return int(count), kind


def _memory_gb(tres: dict[str, str]) -> float | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGTP]?)", tres.get("mem", ""))
    if match is None:
        return None
    return float(match[1]) * _MEMORY_UNITS.get(match[2] or "M", 1.0)


def _device(kind: str | None, partition: str, options: ImportOptions, catalog: Catalog
            ) -> str:
    """The catalog device name for a GPU type (mapped, else the catalog's name for it)
    and, when the log names no type or one the catalog does not know, for the partition;
    raises InputError."""
    if kind is not None and kind in options.gpu_map:
        return options.gpu_map[kind]
    if kind is not None:
        try:
            return catalog.find_hardware(kind).name
        except UnknownNameError:
            if partition not in options.partition_map:
                raise
    if partition in options.partition_map:
        return options.partition_map[partition]
    raise InputError("hardware", f"partition {partition!r}", "a GPU model: the log names "
                     "none for this partition; map it to a device (partition map)")


def _job(row: dict[str, str], line: int, options: ImportOptions,
         devices: Callable[[str | None, str], str]) -> ProjectJob:
    """The job of one sacct line; raises InputError for what it lacks."""
    hours = _hours(row)
    if hours is None:
        raise InputError("Elapsed", row.get("Elapsed", ""), "a time such as 1-02:03:04 or "
                         "an ElapsedRaw in seconds")
    tres = _tres(row.get("AllocTRES", ""))
    count, kind = _gpus(tres)
    state = row["State"].split()[0] if row["State"].strip() else ""
    params = dict(options.defaults)
    params.setdefault("facility", "hpc")
    cpus = row.get("NCPUS", "") or tres.get("cpu", "")
    if count:
        params.update(hardware=devices(kind, row.get("Partition", "")), count=str(count))
        if options.cpu_watts_per_cpu is not None and cpus.isdigit():
            params["cpu-watts"] = repr(options.cpu_watts_per_cpu * int(cpus))
    elif options.cpu_watts_per_cpu is not None and cpus.isdigit():
        params.update(watts=repr(options.cpu_watts_per_cpu * int(cpus)))
    else:
        raise InputError("AllocTRES", row.get("AllocTRES", ""), "a GPU job (gres/gpu), or "
                         "the power per CPU for a CPU-only job")
    memory = _memory_gb(tres)
    if memory:
        params["memory-gb"] = repr(memory)
    params["hours"] = repr(hours)
    jobid = row["JobID"]
    name = row.get("JobName", "")
    label = f"{jobid} {name}".strip()
    phase = FINAL if jobid in options.final or name in options.final else "development"
    return ProjectJob(params, phase, label, line, state)


def read_sacct(text: str, options: ImportOptions, catalog: Catalog) -> ImportResult:
    """The jobs of a ``sacct -P`` log: steps folded into their job, jobs that never ran
    skipped, each unreadable line a problem (the others kept)."""
    rows = rows_of(text, "|", quoted=False, progress=options.progress)
    first = next(rows, None)
    if first is None:
        raise FileKindError("an empty file", "a sacct -P log with its header line")
    _, header = first
    missing = [name for name in REQUIRED if name not in header]
    if missing or not ({"Elapsed", "ElapsedRaw"} & set(header)):
        need = missing + ([] if {"Elapsed", "ElapsedRaw"} & set(header) else ["Elapsed"])
        raise FileKindError(f"a sacct log without {', '.join(need)}",
                            f"a log written by: {SACCT_COMMAND}")
    jobs: dict[str, tuple[int, dict[str, str]]] = {}
    jobid_column = header.index("JobID")
    problems, lines = [], 0
    for line, cells in rows:
        lines += 1
        if len(cells) != len(header):
            problems.append(RowProblem(line, cells[0] if cells else "", f"{len(cells)} cells; "
                                       f"expected {len(header)}, one per column"))
            continue
        base, _, step = cells[jobid_column].partition(".")
        if step and base in jobs:
            continue  # a step of a job already read: its time is the job's
        row = dict(zip(header, cells, strict=True))
        if not base:
            problems.append(RowProblem(line, "", "JobID: empty; expected a job id"))
            continue
        if not step or base not in jobs:
            jobs[base] = (line, {**row, "JobID": base})
    out, skipped = [], []

    @functools.cache
    def devices(kind: str | None, partition: str) -> str:  # one look-up per type
        return _device(kind, partition, options, catalog)

    for jobid, (line, row) in jobs.items():
        state = row["State"].split()[0] if row["State"].strip() else ""
        hours = _hours(row)
        if state in NEVER_RAN or hours == 0:
            skipped.append(RowProblem(line, jobid, f"{state or 'no state'}, "
                                      f"{fmt.exact(hours or 0)} h: never ran"))
            continue
        try:
            out.append(_job(row, line, options, devices))
        except InputError as error:
            problems.append(RowProblem(line, jobid, error.describe(error.field)))
    problems.sort(key=lambda p: p.line)
    return ImportResult("sacct log", tuple(out), tuple(problems), tuple(skipped), lines)
