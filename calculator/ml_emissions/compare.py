"""Compare the same work on 2 to 6 choices of hardware, device count, location or
precision, side by side.

The scenarios are every combination of the values given for each varied field (two
devices and three regions are six scenarios); every other input is shared. When the
work is given as compute (FLOPs, or parameters and tokens), each scenario works out its
own hours. When it is given as time on the first scenario's hardware, the others do the
same work at the same model FLOPs utilisation: their device-hours are the first's times
the ratio of the devices' peak dense throughput at the scenarios' precisions (default
BF16), so a faster device is credited for its speed. A change of device count alone
keeps the device-hours and shortens the hours.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import formatting as fmt
from .catalog import Catalog, load_catalog
from .compute import DEFAULT_PRECISION, peak_throughput
from .engine import Estimate, estimate
from .errors import InputError
from .job import PARAMETERS, Job
from .resolve import job_from_params

__all__ = ["COMPARE_KEYS", "MAX_SCENARIOS", "MIN_SCENARIOS", "SCENARIO_FIELDS", "Scenario",
           "ScenarioComparison", "compare", "compare_jobs", "compare_params_from_query",
           "split_comparison", "split_values"]

MIN_SCENARIOS, MAX_SCENARIOS = 2, 6

SCENARIO_FIELDS = ("hardware", "count", "region", "zone", "precision")
"""The fields whose values may vary between scenarios (regions and zones together make
one axis, the location)."""

_TIME_FIELDS = ("hours", "device-hours", "total-device-hours")


@dataclass(frozen=True)
class Scenario:
    """One scenario: what varies in it (field -> value as given) and its estimate."""

    varied: dict[str, str]
    estimate: Estimate

    @property
    def label(self) -> str:
        """The varied inputs in words: ``"NVIDIA H100 SXM5 80GB, France (FR)"``."""
        inp = self.estimate.inputs
        words = {"hardware": inp.hardware_name, "count": f"{fmt.exact(inp.count)} devices",
                 "region": inp.location.label, "zone": inp.location.label,
                 "precision": self.varied.get("precision", "").upper()}
        return ", ".join(words[field] for field in self.varied)


@dataclass(frozen=True)
class ScenarioComparison:
    """The scenarios in the order given, with the shared inputs and how the work was
    carried from one device to another (``assumption``; empty when it was not)."""

    shared: dict[str, str]
    scenarios: tuple[Scenario, ...]
    assumption: str

    @property
    def cleanest(self) -> Scenario:
        """The scenario of least operational CO2e (the first of equals)."""
        return min(self.scenarios, key=lambda s: s.estimate.co2e_kg)

    def query(self) -> str:
        """The calculator permalink query of the comparison: the shared inputs, the first
        scenario's own values, and the others in comparison keys (:data:`COMPARE_KEYS`)."""
        pairs = list(self.shared.items())
        first = self.scenarios[0].varied
        pairs += [(field, value) for field, value in first.items()]
        for key, field in COMPARE_KEYS.items():
            names = ("region", "zone") if field == "location" else (field,)
            values = dict.fromkeys(value for s in self.scenarios for name, value in s.varied.items()
                                   if name in names and value not in
                                   [first.get(n) for n in names])
            if values:
                pairs.append((key, f"{SEPARATOR} ".join(values)))
        return urlencode(pairs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the shared inputs, the assumption, and per scenario its
        varied inputs, label and every figure of its estimate."""
        return {
            "shared": self.shared,
            "assumption": self.assumption,
            "scenarios": [{"varied": s.varied, "label": s.label, **s.estimate.to_dict()}
                          for s in self.scenarios],
        }


def _axes(varied: Mapping[str, Sequence[str]]) -> list[list[dict[str, str]]]:
    """One axis per varied field, the region and zone values together as the location."""
    axes: list[list[dict[str, str]]] = []
    location = [{field: value} for field in ("region", "zone") for value in varied.get(field, ())]
    for field in ("hardware", "count", "location", "precision"):
        values = location if field == "location" else [{field: v} for v in varied.get(field, ())]
        if values:
            axes.append(values)
    return axes


def _check(shared: Mapping[str, str], varied: Mapping[str, Sequence[str]]) -> int:
    """The number of scenarios; an :class:`InputError` when it is not 2 to 6 or a field
    is both shared and varied."""
    for field, values in varied.items():
        if field not in SCENARIO_FIELDS:
            raise InputError("scenarios", field, "scenarios that vary "
                             + ", ".join(SCENARIO_FIELDS))
        if not isinstance(values, Sequence) or isinstance(values, str) or not all(
                isinstance(v, str) for v in values):
            raise InputError(field, values, "a list of values as text")
        if len(set(values)) != len(values):
            raise InputError(field, ", ".join(values), "each value once")
    for field in SCENARIO_FIELDS:
        location = field in ("region", "zone") and any(varied.get(f) for f in ("region", "zone"))
        if field in shared and (varied.get(field) or location):
            raise InputError(field, shared[field],
                             "a value either shared by every scenario or varied, not both")
    count = 1
    for axis in _axes(varied):
        count *= len(axis)
    if not MIN_SCENARIOS <= count <= MAX_SCENARIOS:
        plural = "" if count == 1 else "s"
        raise InputError("scenarios", f"{count} scenario{plural}",
                         f"{MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios: "
                         "give two or more values of hardware, count, region, zone or "
                         "precision, with at most six combinations")
    return count


def _same_work(shared: dict[str, str], combos: list[dict[str, str]], catalog: Catalog
               ) -> tuple[list[dict[str, str]], str]:
    """Each scenario's inputs, with the work given as time carried to its device at the
    same MFU; and the sentence that says so (empty when nothing was carried)."""
    time_field = next((f for f in _TIME_FIELDS if f in shared), None)
    if time_field is None:  # compute, or an invalid job that the estimate reports
        return [{**shared, **combo} for combo in combos], ""
    first = {k: v for k, v in {**shared, **combos[0]}.items() if k != "precision"}
    reference = job_from_params(first, catalog)
    devices = {combo.get("hardware", shared.get("hardware")) for combo in combos}
    precisions = {combo.get("precision", DEFAULT_PRECISION) for combo in combos}
    carried = len(devices) > 1 or len(precisions) > 1
    out, reference_peak = [], None
    if carried:
        if reference.hardware is None:
            raise InputError("watts", reference.watts, "a catalog device to compare "
                             "hardware by its peak throughput")
        device = catalog.find_hardware(reference.hardware)
        reference_peak = peak_throughput(catalog, device, combos[0].get("precision"))
    resolved = estimate(reference, catalog).inputs  # the count of an instance too
    per_run = resolved.hours_per_run * resolved.count
    for combo in combos:
        params = {k: v for k, v in {**shared, **combo}.items()
                  if k not in (*_TIME_FIELDS, "precision")}
        ratio = 1.0
        if reference_peak is not None:
            name = params.get("hardware", "")
            peak = peak_throughput(catalog, catalog.find_hardware(name),
                                   combo.get("precision"))
            ratio = reference_peak.dense_tflops / peak.dense_tflops
        count = combo.get("count", shared.get("count", ""))
        if ratio == 1.0 and count == first.get("count", ""):
            params[time_field] = shared[time_field]  # the work as given
        elif time_field == "total-device-hours":
            params[time_field] = repr(per_run * reference.runs * ratio)
        else:
            params["device-hours"] = repr(per_run * ratio)
        out.append(params)
    if not carried:
        return out, ""
    assert reference_peak is not None
    device = catalog.find_hardware(reference.hardware or "")
    words = f"{reference_peak.precision.upper()} peak {fmt.exact(reference_peak.dense_tflops)}"
    return out, (f"The work is {fmt.exact(per_run)} device-hours per run on {device.name} "
                 f"({words} TFLOPS); each other scenario does the same work at the same "
                 "model FLOPs utilisation, in device-hours scaled by the ratio of peak dense "
                 "throughputs.")


def compare(shared: Mapping[str, str], varied: Mapping[str, Sequence[str]],
            catalog: Catalog | None = None) -> ScenarioComparison:
    """Compare the job of string parameters ``shared`` (named like the CLI flags) in
    every combination of the ``varied`` values (``{"hardware": ["H100 SXM", "B200"]}``).

    Raises :class:`~ml_emissions.errors.InputError` for fewer than 2 or more than 6
    scenarios, a field both shared and varied, or any invalid input of a scenario.
    """
    catalog = catalog or load_catalog()
    shared = {key.replace("_", "-"): value for key, value in shared.items()}
    varied = {key.replace("-", "_") if key.replace("-", "_") in PARAMETERS else key: list(v)
              for key, v in varied.items()}
    _check(shared, varied)
    combos = [dict(item for part in combo for item in part.items())
              for combo in itertools.product(*_axes(varied))]
    params_list, assumption = _same_work(dict(shared), combos, catalog)
    scenarios = []
    for combo, params in zip(combos, params_list, strict=True):
        if "precision" in combo and not any(f in params for f in ("flops", "parameters")):
            params.pop("precision", None)  # used for the ratio only
        scenarios.append(Scenario(combo, estimate(job_from_params(params, catalog), catalog)))
    # the shared inputs as the first scenario's job reads them (defaults left out), and
    # the precision, which a job given as time does not hold
    varied_fields = {field for combo in combos for field in combo}
    clean = {k: v for k, v in scenarios[0].estimate.job.to_params().items()
             if k not in varied_fields}
    if "precision" in shared:
        clean["precision"] = shared["precision"]
    return ScenarioComparison(clean, tuple(scenarios), assumption)


def compare_jobs(base: Job, catalog: Catalog | None = None, **varied: Sequence[str]
                 ) -> ScenarioComparison:
    """:func:`compare` for a :class:`~ml_emissions.job.Job`: ``compare_jobs(job,
    hardware=["H100 SXM", "B200"])``; the job's own value of a varied field is dropped."""
    shared = {k: v for k, v in base.to_params().items()
              if k not in varied and not (k in ("region", "zone", "intensity")
                                          and ("region" in varied or "zone" in varied))}
    return compare(shared, {k: [str(v) for v in values] for k, values in varied.items()},
                   catalog)


COMPARE_KEYS = {"compare-hardware": "hardware", "compare-count": "count",
                "compare-location": "location", "compare-precision": "precision"}
"""The calculator's comparison inputs (form fields and permalink keys): the values to
compare the job's own with, separated by ``;`` (``compare-hardware=H100 SXM;B200``). A
location is a cloud region ``provider:region`` or a grid zone."""

SEPARATOR = ";"


def split_values(text: str) -> list[str]:
    """The values of a comparison field: ``"H100 SXM; B200"`` gives both names."""
    return [item.strip() for item in text.split(SEPARATOR) if item.strip()]


def split_comparison(params: Mapping[str, str]
                     ) -> tuple[dict[str, str], dict[str, list[str]]] | None:
    """``(shared, varied)`` of calculator parameters with comparison keys (each varied
    field's values: the job's own first, then those to compare it with), or None when
    they hold none. Raises :class:`~ml_emissions.errors.InputError`."""
    extra = {key: split_values(params[key]) for key in COMPARE_KEYS if params.get(key, "").strip()}
    if not extra:
        return None
    shared = {k: v for k, v in params.items() if k not in COMPARE_KEYS}
    varied: dict[str, list[str]] = {}
    for key, values in extra.items():
        field = COMPARE_KEYS[key]
        if field == "location":
            own = next(((f, shared.pop(f)) for f in ("region", "zone") if f in shared), None)
            if own is None:
                raise InputError("compare_location", params[key], "a job located in a cloud "
                                 "region or grid zone, to compare it with other locations")
            for where, value in [own, *((("region" if ":" in v else "zone"), v)
                                        for v in values)]:
                varied.setdefault(where, []).append(value)
            continue
        own_value = shared.pop(field, None)
        if own_value is None and field == "count":
            own_value = "1"
        if own_value is None and field == "precision":
            own_value = DEFAULT_PRECISION
        if own_value is None:
            raise InputError(key.replace("-", "_"), params[key],
                             f"a job with its own {field}, to compare it with others")
        varied[field] = [own_value, *values]
    return shared, varied


def compare_params_from_query(link: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """``(shared, varied)`` of a calculator permalink with comparison keys (see
    :data:`COMPARE_KEYS`). Raises :class:`~ml_emissions.errors.InputError` (field
    ``from_url``) for a link that is not one."""
    try:
        query = urlsplit(link).query if "://" in link or link.startswith("?") else link
        pairs = parse_qsl(query, keep_blank_values=True,
                          max_num_fields=len(PARAMETERS) + len(COMPARE_KEYS))
    except ValueError:
        raise InputError("from_url", link, "a calculator permalink with scenarios to "
                         "compare, such as ?parameters=7B&tokens=2T&zone=FR&hardware=H100"
                         "&compare-hardware=B200") from None
    params: dict[str, str] = {}
    for key, value in pairs:
        name = key.replace("_", "-")
        if name in params:
            raise InputError("from_url", key, "each parameter once")
        params[name] = value
    split = split_comparison(params)
    if split is None:
        raise InputError("from_url", link, "a link with scenarios to compare (a "
                         "compare-hardware, compare-count, compare-location or "
                         "compare-precision key)")
    return split
