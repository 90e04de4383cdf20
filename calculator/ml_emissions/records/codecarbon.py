"""CodeCarbon's ``emissions.csv``, in the 2.x header and in the newer one (with
``experiment_id``, ``water_consumed`` and utilisation columns): one line per tracked run.

Each run keeps what CodeCarbon measured, its duration and its energy by component
(``cpu_energy``, ``gpu_energy``, ``ram_energy`` [kWh]), as measured average powers: the
GPUs' per device (with ``gpu_model`` and ``gpu_count`` as the catalog device, when known),
the CPU and memory together as host power. The location is the run's cloud region where
the catalog has it, else its country. The run is then estimated with this project's
intensity and PUE, and shown beside CodeCarbon's own figure (``emissions`` [kg]) with the
intensity and PUE each used (:class:`TrackerFigure`), which explain a difference.
"""

from __future__ import annotations

import math
import re

from ..catalog import Catalog
from ..errors import InputError, UnknownNameError
from ..project import ProjectJob, RowProblem, TrackerFigure
from .text import FileKindError, ImportOptions, ImportResult, rows_of

__all__ = ["is_codecarbon", "read_codecarbon"]

REQUIRED = ("duration", "emissions", "energy_consumed", "cpu_energy", "gpu_energy",
            "ram_energy")
_PROVIDERS = {"gcp": "gcp", "aws": "aws", "azure": "azure"}  # CodeCarbon's names, ours


def is_codecarbon(header: list[str]) -> bool:
    """True for the header of CodeCarbon's ``emissions.csv``."""
    return "energy_consumed" in header and "duration" in header


def _number(row: dict[str, str], column: str, *, required: bool = True) -> float | None:
    text = row.get(column, "")
    if not text and not required:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(column, text, "a number") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(column, text, "a finite number, at least 0")
    return value


def _location(row: dict[str, str], catalog: Catalog) -> dict[str, str]:
    provider = _PROVIDERS.get(row.get("cloud_provider", "").lower())
    region = row.get("cloud_region", "")
    if provider and region:
        try:
            return {"region": catalog.find_region(f"{provider}:{region}").key}
        except UnknownNameError:
            pass  # not in the catalog: its country
    country = row.get("country_name", "")
    if not country:
        raise InputError("country_name", "", "the run's country (or a cloud region), or a "
                         "location for the whole file")
    return {"zone": catalog.find_zone(country, "country_name").zone_id}


def _gpu(row: dict[str, str], catalog: Catalog) -> tuple[str | None, int]:
    """The catalog name and count of the run's GPUs, if CodeCarbon names a known model."""
    model = re.sub(r"^\s*\d+\s*x\s*", "", row.get("gpu_model", ""))
    count_text = row.get("gpu_count", "")
    count = int(float(count_text)) if re.fullmatch(r"\d+(\.0+)?", count_text) else 0
    if not model or count < 1:
        return None, count
    try:
        return catalog.find_hardware(model).name, count
    except UnknownNameError:
        return None, count


def _job(row: dict[str, str], line: int, options: ImportOptions, catalog: Catalog
         ) -> ProjectJob:
    seconds = _number(row, "duration")
    assert seconds is not None
    if seconds <= 0:
        raise InputError("duration", row["duration"], "a duration greater than 0 s")
    hours = seconds / 3600
    cpu, gpu, ram = (_number(row, c) or 0.0 for c in ("cpu_energy", "gpu_energy", "ram_energy"))
    params = dict(options.defaults)
    if not any(key in params for key in ("region", "zone", "intensity")):
        params.update(_location(row, catalog))
    device, count = _gpu(row, catalog)
    host_w = (cpu + ram) * 1000 / hours
    if gpu > 0:
        if device is not None:
            params.update(hardware=device, count=str(count))
        params["measured-watts"] = repr(gpu * 1000 / hours / max(count, 1))
        params.setdefault("count", str(max(count, 1)))
        if host_w > 0:
            params["cpu-watts"] = repr(host_w)
    elif host_w > 0:
        params["measured-watts"] = repr(host_w)
    else:
        raise InputError("energy_consumed", row.get("energy_consumed", ""),
                         "a run that used energy (cpu, gpu or ram energy above 0)")
    params["hours"] = repr(hours)
    if "facility" not in params and "region" not in params:
        params["facility"] = "workstation" if row.get("on_cloud", "N") != "Y" else "data-centre"
    emissions = _number(row, "emissions")
    energy = _number(row, "energy_consumed")
    assert emissions is not None and energy is not None
    figure = TrackerFigure(emissions, energy, emissions / energy * 1e6 if energy else None,
                           _number(row, "pue", required=False))
    label = row.get("project_name", "") + (f" {row['run_id'][:8]}" if row.get("run_id") else "")
    return ProjectJob(params, "development", label.strip(), line, "", figure)


def read_codecarbon(text: str, options: ImportOptions, catalog: Catalog) -> ImportResult:
    """The runs of a CodeCarbon ``emissions.csv``; each unreadable line a problem."""
    rows = rows_of(text, progress=options.progress)
    first = next(rows, None)
    if first is None:
        raise FileKindError("an empty file", "CodeCarbon's emissions.csv with its header")
    _, header = first
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FileKindError(f"an emissions.csv without {', '.join(missing)}",
                            "the emissions.csv that CodeCarbon 2.x or 3.x writes")
    jobs, problems, lines = [], [], 0
    for line, cells in rows:
        lines += 1
        if len(cells) != len(header):
            problems.append(RowProblem(line, "", f"{len(cells)} cells; expected "
                                       f"{len(header)}, one per column"))
            continue
        row = dict(zip(header, cells, strict=True))
        try:
            job = _job(row, line, options, catalog)
        except InputError as error:
            problems.append(RowProblem(line, row.get("run_id", ""), error.describe(error.field)))
            continue
        jobs.append(job)
    return ImportResult("CodeCarbon emissions.csv", tuple(jobs), tuple(problems), (), lines)
