"""Every invalid input raises the documented error, naming the field and what is allowed."""

from __future__ import annotations

import math

import pytest

from ml_emissions import (
    ConflictingInputError,
    InputError,
    Job,
    MissingInputError,
    UnknownNameError,
    estimate,
)

BASE = {"watts": 300.0, "hours": 10.0, "zone": "FR"}


def job(**changes: object) -> Job:
    values = {**BASE, **changes}
    return Job(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": -1.0}, "hours", r"hours: -1\.0 is not valid; expected a number greater than 0"),
        ({"hours": 0.0}, "hours", "greater than 0"),
        ({"hours": math.nan}, "hours", "nan"),
        ({"hours": math.inf}, "hours", "inf"),
        ({"hours": "10"}, "hours", "'10'"),
        ({"hours": True}, "hours", "True"),
        ({"count": 0}, "count", "a whole number from 1"),
        ({"count": -3}, "count", "a whole number from 1"),
        ({"count": 2.5}, "count", "a whole number"),
        ({"runs": 0}, "runs", "a whole number from 1"),
        ({"watts": 0.0}, "watts", "greater than 0"),
        ({"utilization": 0.0}, "utilization", r"greater than 0 and at most 1"),
        ({"utilization": 1.2}, "utilization", r"at most 1"),
        ({"pue": 0.9}, "pue", r"at least 1"),
        ({"intensity": -5.0, "zone": None}, "intensity", "at least 0"),
        ({"cpu_watts": -1.0}, "cpu_watts", "at least 0"),
        ({"memory_gb": math.nan}, "memory_gb", "nan"),
        ({"training_type": "inference"}, "training_type", "pre-training or fine-tuning"),
        ({"development_hours": 5.0}, "development_hours", r"at least the hours of one run"),
        ({"zone": "  "}, "zone", "a non-empty name"),
    ],
)
def test_invalid_values(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        job(**changes)
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # the catalog's limits, max_pue and max_intensity_g_per_kwh of data/constants.csv,
        # checked with the catalog in hand (the Job alone knows no catalog)
        ({"pue": 12.0}, "pue", r"at least 1 and at most 3"),
        ({"intensity": 5000.0, "zone": None}, "intensity", "at least 0 and at most 1,500"),
    ],
)
def test_inputs_beyond_the_catalogs_limits(changes: dict[str, object], field: str,
                                           message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        estimate(job(**changes))
    assert info.value.field == field


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"region": "gcp:us-central1"}, ConflictingInputError, "region and zone given together"),
        ({"intensity": 100.0}, ConflictingInputError, "only one of region, zone or intensity"),
        ({"zone": None}, MissingInputError, "missing; expected one of region, zone or intensity"),
        ({"hours": None}, MissingInputError,
         "missing; expected one of hours, device_hours, total_device_hours, flops or "
         "parameters"),
        ({"device_hours": 5.0}, ConflictingInputError,
         "only one of hours, device_hours, total_device_hours, flops or parameters"),
        ({"watts": None}, MissingInputError, "one of hardware or watts"),
        ({"hardware": "V100"}, ConflictingInputError, "one of hardware or watts"),
        ({"utilization": 0.5, "measured_watts": 100.0}, ConflictingInputError,
         "only one of utilization or measured_watts"),
        ({"runs": 3, "development_hours": 100.0}, ConflictingInputError,
         "only one of runs or development_hours"),
    ],
)
def test_missing_and_conflicting_inputs(changes: dict[str, object], error: type[InputError],
                                        message: str) -> None:
    with pytest.raises(error, match=message):
        job(**changes)


@pytest.mark.parametrize(
    ("changes", "field", "suggestion"),
    [
        ({"watts": None, "hardware": "A100 80GB SMX"}, "hardware", "A100"),
        ({"zone": "US-CAL-CISOO"}, "zone", "US-CAL-CISO"),
        ({"zone": "Frence"}, "zone", "FR"),
        ({"zone": None, "region": "gcp:us-centrl1"}, "region", "gcp:us-central1"),
        ({"zone": None, "region": "gpc:us-central1"}, "region", "gcp:us-central1"),
    ],
)
def test_unknown_names_suggest_close_ones(changes: dict[str, object], field: str,
                                          suggestion: str) -> None:
    with pytest.raises(UnknownNameError, match="did you mean") as info:
        estimate(job(**changes))
    assert info.value.field == field
    assert 1 <= len(info.value.suggestions) <= 3
    assert any(suggestion in s for s in info.value.suggestions)


def test_unknown_name_without_close_match_says_what_is_allowed() -> None:
    with pytest.raises(UnknownNameError, match="expected a device name from the catalog"):
        estimate(job(watts=None, hardware="zzzzzzzz"))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"hours": "ten", "watts": "1", "zone": "FR"}, "hours",
         "'ten' is not valid; expected a number"),
        ({"hours": "1", "watts": "1", "zone": "FR", "colour": "red"}, "parameter",
         "'colour' is not a parameter; expected one of the parameters"),
        ({"hours": "1e400", "watts": "1", "zone": "FR"}, "hours", "at most"),
        ({"hours": "1", "watts": "1", "zone": "FR", "count": "1e9"}, "count", "from 1 to"),
        ({"hours": "1", "watts": "1", "zone": "<script>alert(1)</script>"}, "zone", "zone id"),
    ],
)
def test_from_params_rejects_bad_values(params: dict[str, str], field: str,
                                        message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        estimate(Job.from_params(params))
    assert info.value.field == field


def test_params_round_trip() -> None:
    original = Job(hardware="A100 80GB SXM", count=8, device_hours=960, zone="CA-QC",
                   runs=12, cpu_watts=120, pue=1.2)
    assert Job.from_params(original.to_params()) == original
