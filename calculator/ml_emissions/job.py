"""The inputs of an estimate: one training job and its development cycle.

A :class:`Job` holds exactly what the user gave; :func:`ml_emissions.estimate`
resolves it against the catalog. The same field names, with ``-`` for ``_``, are the
command-line flags (``--device-hours``) and the keys of a permalink query
(``?device-hours=...``); :meth:`Job.from_params` and :meth:`Job.to_params` convert.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import parse_qsl, urlsplit

from .catalog import load_catalog
from .errors import ConflictingInputError, InputError, MissingInputError

__all__ = ["PARAMETERS", "TRAINING_TYPES", "Job", "params_from_query"]

TRAINING_TYPES = ("pre-training", "fine-tuning")

# Plausibility limits on user input. They only catch unit mistakes and hostile
# values; catalog-dependent limits (PUE, intensity) live in data/constants.csv.
_MAX_COUNT = 10_000_000  # devices
_MAX_RUNS = 100_000_000
_MAX_HOURS = 10_000_000.0  # wall-clock hours per run (> 1,000 years)
_MAX_DEVICE_HOURS = 10_000_000_000.0
_MAX_WATTS = 1_000_000.0  # per device; a whole node can be entered as one device
_MAX_MEMORY_GB = 100_000_000.0


def _plain(number: float) -> str:
    """``1e7`` as ``10,000,000``: limits read better without exponents."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def _check_number(field: str, value: object, *, minimum: float, maximum: float,
                  allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a finite number in range, else raise."""
    lower = "at least" if allow_zero else "greater than"
    allowed = f"a number {lower} {_plain(minimum)} and at most {_plain(maximum)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, allowed)
    number = float(value)
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
    count
        Number of devices working in parallel. [-]
    hours
        Wall-clock duration of one run. [h]
    device_hours
        Total device time of one run, instead of ``hours``; then
        ``hours = device_hours / count``. [device-h]
    utilization
        Fraction of the rated power drawn on average, in (0, 1]; default from
        ``data/constants.csv`` (1.0, the rated power, as in Lacoste et al. 2019). [-]
    measured_watts
        Measured average power per device, instead of ``utilization``. [W]
    cpu_watts
        Power of the host CPUs, for the whole job (not per device). [W]
    memory_gb
        Host memory allocated, for the whole job. [GB]
    pue
        Power usage effectiveness of the facility; default: the region's or
        provider's published value, else the documented default. [-]
    region
        Cloud region ``"provider:region_id"``, e.g. ``"gcp:us-central1"``.
    zone
        Electricity Maps grid zone id or country name, e.g. ``"FR"``, ``"CA-QC"``; or
        ``"GLOBAL"`` (also ``"World"``), the world average, when the location is unknown.
    intensity
        Custom carbon intensity of the electricity. [gCO2e/kWh]
    runs
        Number of runs in the development cycle (e.g. 4,789 jobs of a
        hyper-parameter search); 1 = the final run only. [-]
    development_hours
        Total wall-clock hours of the whole development cycle on the same devices,
        instead of ``runs``; must be at least ``hours``. [h]
    training_type
        ``"pre-training"`` or ``"fine-tuning"`` (reported in the model card).

    Exactly one of ``hardware``/``watts`` (unless ``measured_watts`` is given),
    one of ``hours``/``device_hours`` and one of ``region``/``zone``/``intensity``
    must be given. Invalid values raise :class:`~ml_emissions.errors.InputError`.
    """

    hardware: str | None = None
    watts: float | None = None
    count: int = 1
    hours: float | None = None
    device_hours: float | None = None
    utilization: float | None = None
    measured_watts: float | None = None
    cpu_watts: float = 0.0
    memory_gb: float = 0.0
    pue: float | None = None
    region: str | None = None
    zone: str | None = None
    intensity: float | None = None
    runs: int = 1
    development_hours: float | None = None
    training_type: str = "pre-training"

    def __post_init__(self) -> None:
        for name in ("hardware", "region", "zone"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise InputError(name, value, "a non-empty name")
        _exactly_one({"hardware": self.hardware, "watts": self.watts},
                     required=self.measured_watts is None)
        _exactly_one({"hours": self.hours, "device_hours": self.device_hours})
        _exactly_one({"utilization": self.utilization, "measured_watts": self.measured_watts},
                     required=False)
        _exactly_one({"region": self.region, "zone": self.zone, "intensity": self.intensity})
        if self.development_hours is not None and self.runs != 1:
            raise ConflictingInputError("development_hours", ["runs", "development_hours"],
                                        ["runs", "development_hours"])
        if self.training_type not in TRAINING_TYPES:
            raise InputError("training_type", self.training_type,
                             "one of " + ", ".join(TRAINING_TYPES))

        set_ = object.__setattr__  # frozen: normalize numbers once, here
        set_(self, "count", _check_integer("count", self.count, maximum=_MAX_COUNT))
        set_(self, "runs", _check_integer("runs", self.runs, maximum=_MAX_RUNS))
        optional_positive = {
            "watts": _MAX_WATTS,
            "measured_watts": _MAX_WATTS,
            "hours": _MAX_HOURS,
            "device_hours": _MAX_DEVICE_HOURS,
            "development_hours": _MAX_HOURS * _MAX_RUNS,
        }
        for name, maximum in optional_positive.items():
            if getattr(self, name) is not None:
                set_(self, name, _check_number(name, getattr(self, name),
                                               minimum=0, maximum=maximum))
        if self.utilization is not None:
            set_(self, "utilization", _check_number("utilization", self.utilization,
                                                    minimum=0, maximum=1))
        set_(self, "cpu_watts", _check_number("cpu_watts", self.cpu_watts, minimum=0,
                                              maximum=_MAX_WATTS, allow_zero=True))
        set_(self, "memory_gb", _check_number("memory_gb", self.memory_gb, minimum=0,
                                              maximum=_MAX_MEMORY_GB, allow_zero=True))
        constants = load_catalog()
        if self.pue is not None:
            max_pue = constants.constant("max_pue").value
            set_(self, "pue", _check_number("pue", self.pue, minimum=1, maximum=max_pue,
                                            allow_zero=True))
        if self.intensity is not None:
            max_intensity = constants.constant("max_intensity_g_per_kwh").value
            set_(self, "intensity", _check_number("intensity", self.intensity, minimum=0,
                                                  maximum=max_intensity, allow_zero=True))
        if (self.development_hours is not None
                and self.development_hours < self.hours_per_run * (1 - 1e-12)):
            raise InputError("development_hours", self.development_hours,
                             f"at least the hours of one run ({self.hours_per_run:g})")

    @property
    def hours_per_run(self) -> float:
        """Wall-clock hours of one run. [h]"""
        if self.hours is not None:
            return self.hours
        assert self.device_hours is not None
        return self.device_hours / self.count

    @property
    def run_multiplier(self) -> float:
        """How many runs' worth of time the development cycle takes. [-]"""
        if self.development_hours is not None:
            return self.development_hours / self.hours_per_run
        return float(self.runs)

    # -- permalink and command-line parameters -----------------------------------

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Job:
        """Build a job from string parameters named like the CLI flags, without the
        dashes (``{"hardware": "V100", "device-hours": "120", "zone": "FR"}``).

        Unknown keys and unparsable values raise
        :class:`~ml_emissions.errors.InputError`; values are never evaluated.
        """
        values: dict[str, object] = {}
        for key, text in params.items():
            name = key.replace("-", "_")
            kind = PARAMETERS.get(name)
            if kind is None:
                raise InputError(key, text, "one of the parameters "
                                 + ", ".join(n.replace("_", "-") for n in PARAMETERS))
            if not isinstance(text, str):
                raise InputError(name, text, "a text value")
            if kind is str:
                values[name] = text
                continue
            try:
                number = float(text.strip())
            except ValueError:
                allowed = "a whole number" if kind is int else "a number"
                raise InputError(name, text, allowed) from None
            values[name] = number
        try:
            return cls(**values)  # type: ignore[arg-type]
        except InputError as error:  # report the value as the user wrote it
            given = params.get(error.field.replace("_", "-")) or params.get(error.field)
            if given is None or isinstance(error, ConflictingInputError | MissingInputError):
                raise
            raise type(error)(error.field, given, error.allowed, error.suggestions,
                              error.hint) from None

    def to_params(self) -> dict[str, str]:
        """The job as string parameters, the inverse of :meth:`from_params`.

        Defaults are left out, so the result is the shortest equivalent query.
        """
        out: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None or value == field.default:
                continue
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                value = int(value)
            out[field.name.replace("_", "-")] = value if isinstance(value, str) else repr(value)
        return out


PARAMETERS: dict[str, type] = {
    "hardware": str,
    "watts": float,
    "count": int,
    "hours": float,
    "device_hours": float,
    "utilization": float,
    "measured_watts": float,
    "cpu_watts": float,
    "memory_gb": float,
    "pue": float,
    "region": str,
    "zone": str,
    "intensity": float,
    "runs": int,
    "development_hours": float,
    "training_type": str,
}
"""Every input field and its type: the CLI flags and permalink keys are these names
with ``-`` for ``_``."""


def params_from_query(link: str) -> dict[str, str]:
    """The job parameters of a calculator permalink: a URL, or its query string with or
    without the ``?``. Values stay text (see :meth:`Job.from_params`).

    Raises :class:`~ml_emissions.errors.InputError` (field ``from_url``) for a repeated
    key or more keys than there are parameters.
    """
    query = urlsplit(link).query if "://" in link or link.startswith("?") else link
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=len(PARAMETERS))
    except ValueError:
        raise InputError("from_url", f"{query.count('&') + 1} parameters",
                         f"at most {len(PARAMETERS)} parameters") from None
    params: dict[str, str] = {}
    for key, value in pairs:
        if key in params:
            raise InputError("from_url", key, "each parameter once")
        params[key] = value
    return params
