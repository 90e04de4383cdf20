"""The inputs of an estimate: one training job and its development cycle.

A :class:`Job` holds exactly what the user gave; :func:`ml_emissions.estimate`
resolves it against the catalog. The same field names, with ``-`` for ``_``, are the
command-line flags (``--device-hours``) and the keys of a permalink query
(``?device-hours=...``); :meth:`Job.from_params` and :meth:`Job.to_params` convert.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .compute import PRECISIONS
from .errors import (
    ConflictingInputError,
    ErrorCollector,
    InputError,
    InputErrors,
    MissingInputError,
    RequiredWithError,
    UnknownParameterError,
    each_error,
    one_of,
)
from .formatting import exact, scientific

__all__ = ["BASES", "COUNT_FIELDS", "DURATION_FIELDS", "DURATION_UNITS", "FACILITIES",
           "PARAMETERS", "TRAINING_TYPES", "WORK_FIELDS", "Job", "as_written", "check_number",
           "params_from_query", "parse_count", "parse_duration", "parse_number", "read_hours"]

TRAINING_TYPES = ("pre-training", "fine-tuning")

BASES = ("life-cycle", "direct", "provider")
"""Bases of a carbon intensity (``Job.basis``): Electricity Maps' life-cycle or direct
(combustion) figure of the grid zone, or the provider's own published figure."""

FACILITIES = ("cloud", "data-centre", "hpc", "workstation")
"""Kinds of facility (``Job.facility``); each has its PUE rule (see :mod:`.resolve`)."""

DURATION_UNITS: dict[str, float] = {
    "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60,
    "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
    "d": 24.0, "day": 24.0, "days": 24.0,
    "w": 168.0, "wk": 168.0, "wks": 168.0, "week": 168.0, "weeks": 168.0,
}
"""Units a duration may be typed in, in hours each (``"90 min"``, ``"14 d"``)."""

# Plausibility limits on user input. They only catch unit mistakes and hostile
# values; catalog-dependent limits (PUE, intensity) live in data/constants.csv.
_MAX_COUNT = 10_000_000  # devices
_MAX_RUNS = 100_000_000
_MAX_HOURS = 10_000_000.0  # wall-clock hours per run (> 1,000 years)
_MAX_DEVICE_HOURS = 10_000_000_000.0
_MAX_WATTS = 1_000_000.0  # per device; a whole node can be entered as one device
_MAX_MEMORY_GB = 100_000_000.0
_MIN_HOURS_PER_RUN = 1 / 3600  # one second: shorter runs are unit mistakes
_MAX_EMBODIED_KG = 1_000_000.0  # per device or per device's share of its host
_MAX_LIFETIME_YEARS = 100.0

WORK_FIELDS = ("hours", "device_hours", "total_device_hours", "flops", "parameters")
"""The ways to give a run's work: exactly one of them (``parameters`` with ``tokens``)."""

COMPUTE_FIELDS = ("flops", "parameters")
"""The ways of :data:`WORK_FIELDS` that give compute rather than time."""

COUNT_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12, "p": 1e15}
"""Suffixes a large count may be typed with (``"7B"`` parameters, ``"2T"`` tokens)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 3,000 or 1,234.5
_COUNT = re.compile(r"(?P<number>[+-]?[0-9.,]+(?:[eE][+-]?[0-9]+)?)\s*(?P<suffix>[a-zA-Z])?")
_BOOLEANS = {"yes": True, "true": True, "on": True, "1": True,
             "no": False, "false": False, "off": False, "0": False}
_DURATION = re.compile(r"(?P<number>[+-]?[0-9.,]+(?:[eE][+-]?[0-9]+)?)\s*(?P<unit>[a-zA-Z]+)?")


def parse_number(text: str) -> float:
    """A number typed by a person: ``"300"``, ``"1.5e3"``, ``"3,000"`` (commas only
    between groups of three digits). Raises ``ValueError`` for anything else, such as
    ``"1,5"``, ``"1_000"``, ``"nan"`` or digits of other scripts."""
    text = text.strip()
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return float(text)


def parse_duration(text: str) -> float:
    """A duration typed by a person, in hours: a number of hours (``"36"``), or a
    number and a unit of :data:`DURATION_UNITS` (``"90 min"`` is 1.5, ``"14 d"`` 336,
    ``"2 w"`` 336). Raises ``ValueError`` otherwise."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    unit = (match.group("unit") or "h").lower()
    if unit not in DURATION_UNITS:
        raise ValueError(text)
    return parse_number(match.group("number")) * DURATION_UNITS[unit]


def parse_count(text: str) -> float:
    """A large count typed by a person: a number (``"7e9"``, ``"3.14e23"``) or a number
    and a suffix of :data:`COUNT_SUFFIXES`, case ignored (``"7B"`` is 7e9, ``"2T"``
    2e12). Raises ``ValueError`` otherwise."""
    match = _COUNT.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    suffix = (match.group("suffix") or "").lower()
    if suffix and suffix not in COUNT_SUFFIXES:
        raise ValueError(text)
    return parse_number(match.group("number")) * COUNT_SUFFIXES.get(suffix, 1.0)


def read_hours(text: str, field: str = "hours") -> float:
    """The hours of one run typed as ``text`` (:func:`parse_duration`), checked as a
    :class:`Job` checks them: from one second to :data:`_MAX_HOURS`. Raises
    :class:`~ml_emissions.errors.InputError`."""
    try:
        hours = parse_duration(text)
    except ValueError:
        raise InputError(field, text, "a number of hours, or a number and a unit (min, h, "
                         "d or w), e.g. '14 d'") from None
    hours = check_number(field, hours, minimum=0, maximum=_MAX_HOURS)
    if hours < _MIN_HOURS_PER_RUN:
        raise InputError(field, text, "a duration of at least one second per run")
    return hours


def check_number(field: str, value: object, *, minimum: float, maximum: float,
                  allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a finite number in range, else raise."""
    lower = "at least" if allow_zero else "greater than"
    allowed = f"a number {lower} {exact(minimum)}"
    if math.isfinite(maximum):
        allowed += f" and at most {exact(maximum)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, allowed)
    try:
        number = float(value)
    except OverflowError:  # an int beyond the range of floats
        raise InputError(field, value, allowed) from None
    if not math.isfinite(number) or number > maximum:
        raise InputError(field, value, allowed)
    if number < minimum or (number == minimum and not allow_zero):
        raise InputError(field, value, allowed)
    return number


def _check_integer(field: str, value: object, *, maximum: int) -> int:
    allowed = f"a whole number from 1 to {maximum:,}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, allowed)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InputError(field, value, allowed)
    if not 1 <= value <= maximum:
        raise InputError(field, value, allowed)
    return int(value)


def _check_choice(field: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError(field, value, "one of " + one_of(choices))


def _exactly_one(given: dict[str, object], *, required: bool = True) -> None:
    """Raise unless exactly one (or, if not ``required``, at most one) of the fields
    ``given`` (name -> value) has a value."""
    present = [name for name, value in given.items() if value is not None]
    if len(present) > 1:
        raise ConflictingInputError(present[1], present, list(given))
    if required and not present:
        raise MissingInputError(next(iter(given)), list(given))


@dataclass(frozen=True)
class Job:
    """One training job, repeated over a development cycle.

    Parameters
    ----------
    hardware
        Catalog name or alias of the device (case-insensitive), e.g. ``"A100 80GB SXM"``.
    watts
        Custom rated power per device instead of ``hardware``. [W]
    instance
        Cloud instance type ``"provider:type"`` (``"aws:p4d.24xlarge"``): its
        accelerator, their count, its host vCPUs' share of the host CPU's power and its
        host memory, each unless given here (``hardware``, ``count``, ``cpu_watts``,
        ``memory_gb``).
    count
        Number of devices working in parallel; default 1, or the instance's. [-]
    hours
        Wall-clock duration of one run. [h]
    device_hours
        Total device time of one run, instead of ``hours``; then
        ``hours = device_hours / count``. [device-h]
    total_device_hours
        Device time of the whole project, all runs together (a cluster's or a bill's
        total), instead of ``hours``; then ``hours = total_device_hours / (count x
        runs)``, and ``runs`` only splits the total into runs. [device-h]
    flops
        Training FLOPs of one run, instead of ``hours``: the hours follow from the
        device's peak throughput at ``precision`` and the ``mfu`` (see
        :mod:`.compute`). [FLOP]
    parameters
        Parameters of the model, with ``tokens``, instead of ``hours``: one run does
        ``6 x parameters x tokens`` FLOPs (Kaplan et al. 2020). [-]
    active_parameters
        Parameters active per token of a mixture-of-experts model, with
        ``parameters``; the FLOPs then count these. [-]
    tokens
        Training tokens of one run, with ``parameters``. [-]
    precision
        Training precision, one of :data:`~ml_emissions.compute.PRECISIONS` (default
        ``"bf16"``), with ``flops`` or ``parameters``: picks the device's peak dense
        throughput.
    mfu
        Model FLOPs utilisation, in (0, 1], with ``flops`` or ``parameters``; default
        ``default_mfu`` of ``data/constants.csv`` with its low-high range. [-]
    utilization
        Fraction of the rated power drawn on average, in (0, 1]; default from
        ``data/constants.csv`` (1.0, the rated power, as in Lacoste et al. 2019). [-]
    measured_watts
        Measured average power per device, instead of ``utilization``. [W]
    cpu_watts
        Power of the host CPUs, for the whole job (not per device); default 0, or the
        instance's vCPUs' share. [W]
    memory_gb
        Host memory allocated, for the whole job; default 0, or the instance's. [GB]
    pue
        Power usage effectiveness of the facility; default: the facility's (see
        ``facility``). [-]
    facility
        Where the job runs, one of :data:`FACILITIES`: ``"cloud"`` (the provider's PUE;
        the default with a ``region``), ``"data-centre"`` (operator unknown: the
        documented default PUE), ``"hpc"`` (an on-premises HPC or university centre),
        ``"workstation"`` (PUE 1.0). Without a region the default follows the device:
        workstation devices (desktop GPUs, SoCs) ``"workstation"``, others
        ``"data-centre"``.
    region
        Cloud region ``"provider:region_id"``, e.g. ``"gcp:us-central1"``.
    zone
        Electricity Maps grid zone: its id, its name or its country's name, accents and
        case ignored (``"FR"``, ``"CA-QC"``, ``"Quebec"``, ``"France"``); or
        ``"GLOBAL"`` (also ``"World"``), the world average, when the location is unknown.
    intensity
        Custom carbon intensity of the electricity, taken to be on ``basis``.
        [gCO2e/kWh]
    basis
        Basis of every carbon intensity of the estimate and its comparisons, one of
        :data:`BASES`: ``"life-cycle"`` (default) or ``"direct"`` (Electricity Maps'
        figures of the grid zone), or ``"provider"`` (the provider's own published
        figure; cloud regions of providers that publish one only).
    runs
        Number of runs in the development cycle (e.g. 4,789 jobs of a
        hyper-parameter search); 1 = the final run only. [-]
    development_hours
        Total wall-clock hours of the whole development cycle on the same devices,
        instead of ``runs``; must be at least ``hours``. [h]
    training_type
        ``"pre-training"`` or ``"fine-tuning"`` (reported in the model card).
    embodied
        Whether to estimate the devices' embodied (manufacturing) emissions, reported
        apart from the operational figure (default True; see :mod:`.embodied`).
    embodied_kg_per_device
        Manufacturing emissions of one device, instead of the catalog's. [kgCO2e]
    embodied_host_kg_per_device
        The host server's manufacturing emissions per device it holds (e.g. 2,500 kg
        for an 8-GPU server: 312.5); counted only when given. [kgCO2e]
    lifetime_years
        Service life of the hardware; default ``embodied_lifetime_years``. [years]
    use_rate
        Share of its life the hardware runs jobs, in (0, 1]; default
        ``embodied_use_rate``. [-]

    Exactly one of ``hardware``/``watts`` (unless ``measured_watts`` is given), one of
    :data:`WORK_FIELDS` (``parameters`` with ``tokens``) and one of
    ``region``/``zone``/``intensity`` must be given. Invalid values raise
    :class:`~ml_emissions.errors.InputError` (an
    :class:`~ml_emissions.errors.InputErrors` when several fields are invalid).
    """

    hardware: str | None = None
    watts: float | None = None
    instance: str | None = None
    count: int | None = None
    hours: float | None = None
    device_hours: float | None = None
    total_device_hours: float | None = None
    flops: float | None = None
    parameters: float | None = None
    active_parameters: float | None = None
    tokens: float | None = None
    precision: str | None = None
    mfu: float | None = None
    utilization: float | None = None
    measured_watts: float | None = None
    cpu_watts: float | None = None
    memory_gb: float | None = None
    pue: float | None = None
    facility: str | None = None
    region: str | None = None
    zone: str | None = None
    intensity: float | None = None
    basis: str = "life-cycle"
    runs: int = 1
    development_hours: float | None = None
    training_type: str = "pre-training"
    embodied: bool = True
    embodied_kg_per_device: float | None = None
    embodied_host_kg_per_device: float | None = None
    lifetime_years: float | None = None
    use_rate: float | None = None

    def __post_init__(self) -> None:
        errors = ErrorCollector()
        for name in ("hardware", "instance", "region", "zone"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                with errors.check():
                    raise InputError(name, value, "a non-empty name")
        with errors.check():
            _exactly_one({"hardware": self.hardware, "watts": self.watts},
                         required=self.measured_watts is None and self.instance is None)
        with errors.check():
            _exactly_one({name: getattr(self, name) for name in WORK_FIELDS})
        for error in self._compute_rules():
            with errors.check():
                raise error
        with errors.check():
            _exactly_one({"utilization": self.utilization,
                          "measured_watts": self.measured_watts}, required=False)
        with errors.check():
            _exactly_one({"region": self.region, "zone": self.zone,
                          "intensity": self.intensity})
        with errors.check():
            if self.development_hours is not None and self.runs != 1:
                raise ConflictingInputError("development_hours", ["runs", "development_hours"],
                                            ["runs", "development_hours"])
        with errors.check():
            if self.development_hours is not None and self.total_device_hours is not None:
                raise ConflictingInputError(
                    "development_hours", ["total_device_hours", "development_hours"],
                    ["total_device_hours", "development_hours"])
        for name, choices in (("training_type", TRAINING_TYPES), ("basis", BASES)):
            with errors.check():
                _check_choice(name, getattr(self, name), choices)
        if self.precision is not None:
            with errors.check():
                _check_choice("precision", self.precision, PRECISIONS)
        with errors.check():
            if not isinstance(self.embodied, bool):
                raise InputError("embodied", self.embodied, "yes or no")
        if self.facility is not None:
            with errors.check():
                _check_choice("facility", self.facility, FACILITIES)
            with errors.check():
                if self.region is not None and self.facility != "cloud":
                    raise InputError("facility", self.facility,
                                     "'cloud' with a cloud region (for another facility, "
                                     "give the region's grid zone instead)")
                if self.region is None and self.facility == "cloud":
                    raise InputError("facility", self.facility,
                                     "data-centre, hpc or workstation without a cloud "
                                     "region ('cloud' takes its PUE from the region's "
                                     "provider)")

        set_ = object.__setattr__  # frozen: normalize numbers once, here

        def normalize(name: str, check: Callable[..., object], **limits: Any) -> None:
            with errors.check():
                set_(self, name, check(name, getattr(self, name), **limits))

        if self.count is not None:
            normalize("count", _check_integer, maximum=_MAX_COUNT)
        normalize("runs", _check_integer, maximum=_MAX_RUNS)
        optional_positive = {
            "watts": _MAX_WATTS,
            "measured_watts": _MAX_WATTS,
            "hours": _MAX_HOURS,
            "device_hours": _MAX_DEVICE_HOURS,
            "total_device_hours": _MAX_DEVICE_HOURS,
            "development_hours": _MAX_HOURS * _MAX_RUNS,
            # the upper bounds of compute are the catalog's (max_flops, ...)
            "flops": math.inf,
            "parameters": math.inf,
            "active_parameters": math.inf,
            "tokens": math.inf,
            "lifetime_years": _MAX_LIFETIME_YEARS,
        }
        for name, maximum in optional_positive.items():
            if getattr(self, name) is not None:
                normalize(name, check_number, minimum=0, maximum=maximum)
        for name in ("utilization", "mfu", "use_rate"):
            if getattr(self, name) is not None:
                normalize(name, check_number, minimum=0, maximum=1)
        for name in ("embodied_kg_per_device", "embodied_host_kg_per_device"):
            if getattr(self, name) is not None:
                normalize(name, check_number, minimum=0, maximum=_MAX_EMBODIED_KG,
                          allow_zero=True)
        if self.cpu_watts is not None:
            normalize("cpu_watts", check_number, minimum=0, maximum=_MAX_WATTS,
                      allow_zero=True)
        if self.memory_gb is not None:
            normalize("memory_gb", check_number, minimum=0, maximum=_MAX_MEMORY_GB,
                  allow_zero=True)
        # the lower bounds only: the upper ones are the catalog's (max_pue and
        # max_intensity_g_per_kwh of data/constants.csv), which resolve() checks
        if self.pue is not None:
            normalize("pue", check_number, minimum=1, maximum=math.inf, allow_zero=True)
        if self.intensity is not None:
            normalize("intensity", check_number, minimum=0, maximum=math.inf,
                      allow_zero=True)
        if not errors.errors and self.hours_per_run is not None:
            with errors.check():
                self.check_cycle(self.hours_per_run)
        with errors.check():
            if (self.active_parameters is not None and self.parameters is not None
                    and "active_parameters" not in errors.fields()
                    and "parameters" not in errors.fields()
                    and self.active_parameters > self.parameters):
                raise InputError("active_parameters", self.active_parameters,
                                 f"at most the parameters ({exact(self.parameters)})")
        errors.raise_any()

    def _compute_rules(self) -> list[InputError]:
        """What compute-to-time needs: tokens with parameters and only then, active
        parameters only with parameters, a precision and an MFU only with compute, and
        the embodied inputs only with embodied emissions on."""
        problems: list[InputError] = []
        if self.parameters is not None and self.tokens is None:
            problems.append(RequiredWithError("tokens", "parameters"))
        compute = "with parameters (the FLOPs are 6 x parameters x tokens)"
        for name in ("tokens", "active_parameters"):
            if getattr(self, name) is not None and self.parameters is None:
                problems.append(InputError(name, getattr(self, name), f"only {compute}"))
        for name in ("precision", "mfu"):
            value = getattr(self, name)
            if value is not None and self.flops is None and self.parameters is None:
                problems.append(InputError(
                    name, value, "only with flops or parameters and tokens, which it turns "
                    "into hours; with hours given, leave it out"))
        if self.embodied is False:
            for name in ("embodied_kg_per_device", "embodied_host_kg_per_device",
                         "lifetime_years", "use_rate"):
                if getattr(self, name) is not None:
                    problems.append(InputError(name, getattr(self, name),
                                               "no value with embodied emissions off"))
        return problems

    @property
    def work_given(self) -> str:
        """The field of :data:`WORK_FIELDS` the work is given by."""
        return next(f for f in WORK_FIELDS if getattr(self, f) is not None)

    def check_cycle(self, hours: float) -> None:
        """One run of ``hours`` must last at least :data:`_MIN_HOURS_PER_RUN` (so that
        every figure stays finite), and the development cycle at least one run."""
        if hours < _MIN_HOURS_PER_RUN:
            field = self.work_given
            per = "" if field == "hours" else " and device"
            raise InputError(field, getattr(self, field),
                             f"a duration of at least one second per run{per}")
        if (self.development_hours is not None
                and self.development_hours < hours * (1 - 1e-12)):
            raise InputError("development_hours", self.development_hours,
                             f"at least the hours of one run ({exact(hours)})")

    @property
    def hours_per_run(self) -> float | None:
        """Wall-clock hours of one run; None when they depend on the catalog: the work
        given as compute (see :mod:`.compute`), or device-hours on an instance whose
        device count is the catalog's. [h]"""
        if self.hours is not None:
            return self.hours
        if self.count is None and self.instance is not None:
            return None
        return self.hours_for(self.count or 1)

    def hours_for(self, count: int) -> float | None:
        """Wall-clock hours of one run on ``count`` devices; None for compute. [h]"""
        if self.hours is not None:
            return self.hours
        if self.device_hours is not None:
            return self.device_hours / count
        if self.total_device_hours is not None:
            return self.total_device_hours / (count * self.runs)
        return None

    def run_multiplier(self, hours_per_run: float) -> float:
        """How many runs' worth of time the development cycle takes, for runs of
        ``hours_per_run``. [-]"""
        if self.development_hours is not None:
            return self.development_hours / hours_per_run
        return float(self.runs)

    # -- permalink and command-line parameters -----------------------------------

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Job:
        """Build a job from string parameters named like the CLI flags, without the
        dashes (``{"hardware": "V100", "device-hours": "120", "zone": "FR"}``).

        Numbers are read by :func:`parse_number`, durations (the fields of
        :data:`DURATION_FIELDS`) by :func:`parse_duration` (``"14 d"``). Unknown keys
        and unreadable values raise :class:`~ml_emissions.errors.InputError`, every
        invalid field at once (:class:`~ml_emissions.errors.InputErrors`), each with
        the value as the user wrote it; values are never evaluated.
        """
        errors = ErrorCollector()
        values: dict[str, object] = {}
        for key, text in params.items():
            with errors.check():
                name, value = _parse_param(key, text)
                if name in values:  # "device-hours" and "device_hours" are one parameter
                    raise InputError(name, text, "each parameter once")
                values[name] = value
        unreadable = errors.fields()
        try:
            job = cls(**values)  # type: ignore[arg-type]
        except InputError as error:
            for single in each_error(error):
                # a missing or conflicting group that holds an unreadable field says
                # nothing more than that field's own error
                group = getattr(single, "alternatives", ())
                if group and unreadable.intersection(group):
                    continue
                errors.errors.append(_as_written(single, params))
            errors.errors.sort(key=lambda e: _FIELD_ORDER.get(e.field, -1))  # unknown keys first
            errors.raise_any()
            raise  # not reached: raise_any raised
        errors.raise_any()
        return job

    def to_params(self) -> dict[str, str]:
        """The job as string parameters, the inverse of :meth:`from_params`.

        Defaults are left out, so the result is the shortest equivalent query.
        """
        out: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None or value == field.default:
                continue
            if isinstance(value, bool):
                out[field.name.replace("_", "-")] = "yes" if value else "no"
                continue
            if field.name in COUNT_FIELDS and isinstance(value, float) and value >= 1e6:
                value = _short_count(value)
            elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                value = int(value)
            out[field.name.replace("_", "-")] = value if isinstance(value, str) else repr(value)
        return out


PARAMETERS: dict[str, type] = {
    "hardware": str,
    "watts": float,
    "instance": str,
    "count": int,
    "hours": float,
    "device_hours": float,
    "total_device_hours": float,
    "flops": float,
    "parameters": float,
    "active_parameters": float,
    "tokens": float,
    "precision": str,
    "mfu": float,
    "utilization": float,
    "measured_watts": float,
    "cpu_watts": float,
    "memory_gb": float,
    "pue": float,
    "facility": str,
    "region": str,
    "zone": str,
    "intensity": float,
    "basis": str,
    "runs": int,
    "development_hours": float,
    "training_type": str,
    "embodied": bool,
    "embodied_kg_per_device": float,
    "embodied_host_kg_per_device": float,
    "lifetime_years": float,
    "use_rate": float,
}
"""Every input field and its type: the CLI flags and permalink keys are these names
with ``-`` for ``_``."""

DURATION_FIELDS = frozenset({"hours", "device_hours", "total_device_hours",
                             "development_hours"})
"""Fields read as durations: hours, or a number with a unit (``"90 min"``, ``"14 d"``)."""

COUNT_FIELDS = frozenset({"flops", "parameters", "active_parameters", "tokens"})
"""Fields read as large counts: a number, or one with a suffix (``"7B"``, ``"2T"``)."""

_FIELD_ORDER = {name: index for index, name in enumerate(PARAMETERS)}


def _short_count(value: float) -> str:
    """A large count in the fewest scientific digits that read back exactly: ``"7e9"``."""
    for digits in range(1, 18):
        text = scientific(value, digits)
        if float(text) == value:
            return text
    return repr(value)


def _parse_param(key: str, text: object) -> tuple[str, object]:
    """``(field name, value)`` of one string parameter; raises :class:`InputError`."""
    name = key.replace("-", "_")
    kind = PARAMETERS.get(name)
    if kind is None:
        raise UnknownParameterError(key, [n.replace("_", "-") for n in PARAMETERS])
    if not isinstance(text, str):
        raise InputError(name, text, "a text value")
    if kind is str:
        return name, text
    if kind is bool:
        value = _BOOLEANS.get(text.strip().lower())
        if value is None:
            raise InputError(name, text, "yes or no")
        return name, value
    try:
        if name in DURATION_FIELDS:
            return name, parse_duration(text)
        if name in COUNT_FIELDS:
            return name, parse_count(text)
        return name, parse_number(text)
    except ValueError:
        if name in COUNT_FIELDS:
            allowed = "a number, e.g. 7e9, or one with a suffix K, M, B or T, e.g. 7B"
        elif name in DURATION_FIELDS:
            units = "min, h, d or w"
            allowed = f"a number of hours, or a number and a unit ({units}), e.g. '14 d'"
        else:
            allowed = "a whole number" if kind is int else "a number, e.g. 1.5 or 3,000"
        raise InputError(name, text, allowed) from None


def as_written(error: InputError, params: Mapping[str, str]) -> InputError:
    """``error`` with the value as the user wrote it (``"14 d"``, not ``336.0``); for an
    :class:`~ml_emissions.errors.InputErrors`, each of its errors."""
    if isinstance(error, InputErrors):
        return InputErrors([as_written(single, params) for single in error.errors])
    return _as_written(error, params)


def _as_written(error: InputError, params: Mapping[str, str]) -> InputError:
    """``error`` with the value as the user wrote it (``"14 d"``, not ``336.0``)."""
    given = params.get(error.field.replace("_", "-"), params.get(error.field))
    if given is None or isinstance(error, ConflictingInputError | MissingInputError):
        return error
    return type(error)(error.field, given, error.allowed, error.suggestions, error.hint)


def params_from_query(link: str, extra_keys: int = 0) -> dict[str, str]:
    """The job parameters of a calculator permalink: a URL, or its query string with or
    without the ``?``. Values stay text (see :meth:`Job.from_params`).

    Raises :class:`~ml_emissions.errors.InputError` (field ``from_url``) for a repeated
    key or more keys than there are parameters (and ``extra_keys`` others, such as the
    calculator's comparison keys).
    """
    try:
        query = urlsplit(link).query if "://" in link or link.startswith("?") else link
    except ValueError:  # e.g. "http://[::1": not an address at all
        raise InputError("from_url", link, "a calculator permalink: its address, or its "
                         "query such as ?hardware=V100&hours=10&zone=FR") from None
    try:
        most = len(PARAMETERS) + extra_keys
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=most)
    except ValueError:
        raise InputError("from_url", f"{query.count('&') + 1} parameters",
                         f"at most {most} parameters") from None
    params: dict[str, str] = {}
    seen: set[str] = set()
    for key, value in pairs:
        name = key.replace("_", "-")  # device_hours and device-hours are one parameter
        if name in seen:
            raise InputError("from_url", key, "each parameter once")
        seen.add(name)
        params[key] = value
    return params
