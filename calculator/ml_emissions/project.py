"""A project of many jobs: every job of today's engine, each with its phase, estimated
and totalled by phase, by hardware and by location.

The paper's point (Lacoste et al. 2019, after Strubell et al. 2019) is that the final run
is a small part of a project: the development cycle around it, every failed and
cancelled job included, usually costs far more. A :class:`ProjectJob` is one job's
inputs as text (named like the command-line flags, as a permalink or a table row gives
them) with its phase and label; :func:`estimate_project` estimates each one and adds
them up. A job whose inputs are invalid is reported with its problems and left out of
the totals, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from . import formatting as fmt
from .catalog import Catalog, load_catalog
from .engine import Estimate, estimate
from .errors import InputError, each_error
from .job import read_hours
from .resolve import job_from_params

__all__ = ["PHASES", "JobFigures", "ProjectEstimate", "ProjectJob", "RowProblem", "Total",
           "TrackerFigure", "estimate_project"]

PHASES = ("development", "final", "fine-tuning")
"""The phases a job is given by default; any other label of the user's is kept as is."""

FINAL = "final"

PROJECT_FILE_FORMAT = "ml-emissions-project/1"
"""The ``format`` of a project's JSON report, by which it is read back as a project."""


@dataclass(frozen=True)
class RowProblem:
    """Why one job, or one line of a file, was not counted: its line (or job number),
    the field, the value and what is allowed, as one sentence."""

    line: int
    label: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.label})" if self.label else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TrackerFigure:
    """A tracker's own figure for a job (CodeCarbon's): its CO2e [kg], energy [kWh], the
    intensity these imply [gCO2e/kWh] and its PUE, shown beside this project's estimate."""

    co2e_kg: float
    energy_kwh: float
    intensity_g_per_kwh: float | None
    pue: float | None


@dataclass(frozen=True)
class ProjectJob:
    """One job of a project: its inputs as text (``{"hardware": "A100 80GB SXM",
    "count": "8", "hours": "24", "zone": "FR"}``), its phase, a label (a job id or
    name) and where it came from (a line of a file; 0 when typed). ``state`` is the
    scheduler's state when imported from one (``COMPLETED``, ``FAILED``, ...)."""

    params: Mapping[str, str]
    phase: str = "development"
    label: str = ""
    line: int = 0
    state: str = ""
    tracker: TrackerFigure | None = None

    @property
    def failed(self) -> bool:
        """True for a job that ended without completing (it drew power all the same)."""
        return bool(self.state) and self.state != "COMPLETED"


@dataclass(frozen=True)
class JobFigures:
    """One counted job's figures, for the whole of its development cycle: energy [kWh],
    CO2e and its range [kg], embodied CO2e [kg] (None without a figure), and
    ``profile``, the index of the estimate of its configuration in
    :attr:`ProjectEstimate.profiles` (its sources, intensity, PUE)."""

    job: ProjectJob
    profile: int
    hardware: str
    count: int
    location: str
    hours_per_run: float
    device_hours: float
    energy_kwh: float
    co2e_kg: float
    co2e_low_kg: float
    co2e_high_kg: float
    embodied_kg: float | None


@dataclass(frozen=True)
class Total:
    """Sums over some jobs: energy [kWh], CO2e and its range [kg], embodied CO2e [kg]
    (of the jobs that have a figure), device-hours, and the number of jobs."""

    jobs: int = 0
    device_hours: float = 0.0
    energy_kwh: float = 0.0
    co2e_kg: float = 0.0
    co2e_low_kg: float = 0.0
    co2e_high_kg: float = 0.0
    embodied_kg: float = 0.0

    def add(self, job: JobFigures) -> Total:
        """This total with one more job."""
        return Total(self.jobs + 1, self.device_hours + job.device_hours,
                     self.energy_kwh + job.energy_kwh, self.co2e_kg + job.co2e_kg,
                     self.co2e_low_kg + job.co2e_low_kg, self.co2e_high_kg + job.co2e_high_kg,
                     self.embodied_kg + (job.embodied_kg or 0.0))


def _totals(jobs: Iterable[JobFigures]) -> Total:
    total = Total()
    for job in jobs:
        total = total.add(job)
    return total


@dataclass(frozen=True)
class ProjectEstimate:
    """Every counted job's figures, the estimate of each distinct configuration, the
    totals, and the jobs left out with their problems. All CO2e figures are
    location-based on the project's one basis; embodied CO2e is apart."""

    jobs: tuple[JobFigures, ...]
    profiles: tuple[Estimate, ...]
    problems: tuple[RowProblem, ...]
    skipped: tuple[RowProblem, ...] = ()  # jobs a file lists that never ran
    basis: str = "life-cycle"
    by_phase: dict[str, Total] = field(default_factory=dict)
    by_hardware: dict[str, Total] = field(default_factory=dict)
    by_location: dict[str, Total] = field(default_factory=dict)
    failed: Total = Total()
    total: Total = Total()

    @property
    def final(self) -> Total:
        """The final training runs (phase ``final``)."""
        return self.by_phase.get(FINAL, Total())

    @property
    def final_share(self) -> float | None:
        """The final runs' share of the project's CO2e, or None without either. [-]"""
        total = self.total.co2e_kg
        return self.final.co2e_kg / total if total > 0 and self.final.jobs else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: totals (overall, by phase, hardware and location, failed
        jobs), each job's inputs (which :func:`ml_emissions.records.read_records` reads
        back: the file opens again as a project) and figures with the index of its
        configuration's estimate, each such estimate in full (``profiles``), and the
        problems."""
        def total(t: Total) -> dict[str, Any]:
            return {"jobs": t.jobs, "device_hours": t.device_hours, "energy_kwh": t.energy_kwh,
                    "co2e_kg": t.co2e_kg, "co2e_low_kg": t.co2e_low_kg,
                    "co2e_high_kg": t.co2e_high_kg, "embodied_co2e_kg": t.embodied_kg}

        def job(j: JobFigures) -> dict[str, Any]:
            tracker = j.job.tracker
            return {"line": j.job.line, "label": j.job.label, "phase": j.job.phase,
                    "state": j.job.state, "inputs": dict(j.job.params),
                    "profile": j.profile, "hardware": j.hardware,
                    "count": j.count, "location": j.location, "hours_per_run": j.hours_per_run,
                    "device_hours": j.device_hours, "energy_kwh": j.energy_kwh,
                    "co2e_kg": j.co2e_kg, "co2e_low_kg": j.co2e_low_kg,
                    "co2e_high_kg": j.co2e_high_kg, "embodied_co2e_kg": j.embodied_kg,
                    "tracker": None if tracker is None else asdict(tracker)}

        data: dict[str, Any] = fmt.clean({
            "format": PROJECT_FILE_FORMAT,
            "basis": self.basis,
            "total": total(self.total),
            "final_share": self.final_share,
            "by_phase": {k: total(v) for k, v in self.by_phase.items()},
            "by_hardware": {k: total(v) for k, v in self.by_hardware.items()},
            "by_location": {k: total(v) for k, v in self.by_location.items()},
            "failed_jobs": total(self.failed),
            "jobs": [job(j) for j in self.jobs],
            "profiles": [p.to_dict() for p in self.profiles],
            "problems": [str(p) for p in self.problems],
            "skipped": [str(p) for p in self.skipped],
        })
        return data


def _grouped(jobs: Iterable[JobFigures], key: Callable[[JobFigures], str]) -> dict[str, Total]:
    groups: dict[str, Total] = {}
    for job in jobs:
        name = key(job)
        groups[name] = groups.get(name, Total()).add(job)
    return groups


def _figures(job: ProjectJob, profile: int, est: Estimate, scale: float) -> JobFigures:
    """A job's figures: its configuration's estimate ``est`` scaled by ``scale``, the
    ratio of the job's hours to the estimate's (energy, CO2e and its bounds, device-hours
    and embodied CO2e are each proportional to the hours)."""
    inputs = est.inputs
    return JobFigures(job, profile, inputs.hardware_name, inputs.count, inputs.location.label,
                      inputs.hours_per_run * scale, inputs.device_hours * scale,
                      est.energy_kwh * scale, est.co2e_kg * scale, est.co2e_low_kg * scale,
                      est.co2e_high_kg * scale,
                      None if est.embodied is None else est.embodied.co2e_kg * scale)


def _configuration(params: Mapping[str, str]) -> tuple[tuple[str, str], ...] | None:
    """What a job shares with the jobs of the same configuration: every input but its
    hours; None when its figures are not proportional to its hours (a cycle given as
    development hours) or it gives no hours."""
    if "hours" not in params or "development-hours" in params:
        return None
    return tuple(sorted((k, v) for k, v in params.items() if k != "hours"))


def estimate_project(jobs: Sequence[ProjectJob], catalog: Catalog | None = None, *,
                     skipped: Sequence[RowProblem] = (),
                     problems: Sequence[RowProblem] = ()) -> ProjectEstimate:
    """Estimate every job and total them by phase, hardware and location.

    Jobs that differ only in their hours share one configuration: the engine estimates
    its first job and scales the figures to each other job's hours (the model is
    proportional to them), so that a log of 100,000 jobs takes one estimate per kind of
    job. A job whose inputs are invalid becomes a :class:`RowProblem` (each of its errors
    in one sentence) and is left out of the totals. The jobs must share one intensity
    basis (every job's ``basis``, default life-cycle): a job on another basis is a
    problem too, so that no total adds figures of two bases. ``skipped`` are jobs a file
    listed that never ran, and ``problems`` the lines of a file that could not be read,
    both carried into the result to be listed.
    """
    catalog = catalog or load_catalog()
    figures: list[JobFigures] = []
    profiles: list[Estimate] = []
    known: dict[tuple[tuple[str, str], ...], int] = {}
    found = list(problems)
    basis: str | None = None
    for number, job in enumerate(jobs, start=1):
        line = job.line or number
        params = dict(job.params)
        key = _configuration(params)
        try:
            if key is not None and key in known:
                profile = known[key]
                est = profiles[profile]
                scale = read_hours(params["hours"]) / est.inputs.hours_per_run
                figures.append(_figures(job, profile, est, scale))
                continue
            est = estimate(job_from_params(params, catalog), catalog)
        except InputError as error:
            message = "; ".join(e.describe(e.field.replace("_", "-")) for e in each_error(error))
            found.append(RowProblem(line, job.label, message))
            continue
        job_basis = est.inputs.location.basis
        if basis is not None and job_basis != basis:
            found.append(RowProblem(line, job.label, f"basis: {job_basis!r} is not valid; "
                                    f"expected the project's basis, {basis!r}"))
            continue
        basis = job_basis
        profiles.append(est)
        if key is not None:
            known[key] = len(profiles) - 1
        figures.append(_figures(job, len(profiles) - 1, est, 1.0))
    return ProjectEstimate(
        jobs=tuple(figures),
        profiles=tuple(profiles),
        problems=tuple(sorted(found, key=lambda p: p.line)),
        skipped=tuple(skipped),
        basis=basis or "life-cycle",
        by_phase=_grouped(figures, lambda j: j.job.phase),
        by_hardware=_grouped(figures, lambda j: j.hardware),
        by_location=_grouped(figures, lambda j: j.location),
        failed=_totals(j for j in figures if j.job.failed),
        total=_totals(figures),
    )
