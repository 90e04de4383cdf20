"""Property-based tests (hypothesis): linearity, CO2e = energy x intensity, no negative
or non-finite result for valid input, and the documented error for invalid input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_emissions import InputError, Job, UnpublishedPowerError, estimate, load_catalog

positive = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=1, max_value=10_000)
pues = st.floats(min_value=1.0, max_value=3.0)
intensities = st.floats(min_value=0.0, max_value=1500.0)
factors = st.integers(min_value=2, max_value=1000)
CATALOG = load_catalog()
device_names = st.sampled_from([d.name for d in CATALOG.hardware])
locations = st.one_of(
    st.sampled_from([{"zone": z.zone_id} for z in CATALOG.zones]),
    st.sampled_from([{"region": r.key} for r in CATALOG.regions]),
    intensities.map(lambda i: {"intensity": i}),
)


@settings(max_examples=200, deadline=None)
@given(watts=positive, count=counts, hours=positive, pue=pues, intensity=intensities,
       factor=factors)
def test_energy_is_linear_in_hours_count_and_runs(watts: float, count: int, hours: float,
                                                  pue: float, intensity: float,
                                                  factor: int) -> None:
    base = estimate(Job(watts=watts, count=count, hours=hours, pue=pue, intensity=intensity))
    longer = estimate(Job(watts=watts, count=count, hours=hours * factor, pue=pue,
                          intensity=intensity))
    wider = estimate(Job(watts=watts, count=count * factor, hours=hours, pue=pue,
                         intensity=intensity))
    repeated = estimate(Job(watts=watts, count=count, hours=hours, pue=pue,
                            intensity=intensity, runs=factor))
    for scaled in (longer, wider, repeated):
        assert scaled.energy_kwh == pytest.approx(factor * base.energy_kwh, rel=1e-9)
        assert scaled.co2e_kg == pytest.approx(factor * base.co2e_kg, rel=1e-9, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(device=device_names, count=counts, hours=positive, location=locations,
       utilization=st.floats(min_value=0.01, max_value=1.0),
       cpu=st.floats(min_value=0, max_value=2000), memory=st.floats(min_value=0, max_value=4096),
       runs=st.integers(min_value=1, max_value=10_000),
       basis=st.sampled_from(["life-cycle", "direct", "provider"]),
       facility=st.sampled_from([None, "data-centre", "hpc", "workstation"]))
def test_valid_inputs_give_finite_non_negative_results(
        device: str, count: int, hours: float, location: dict[str, object], utilization: float,
        cpu: float, memory: float, runs: int, basis: str, facility: str | None) -> None:
    hardware = CATALOG.find_hardware(device)
    # a device whose vendor publishes no power needs a measured power instead
    power = ({"utilization": utilization} if hardware.tdp_w is not None
             else {"measured_watts": 1000 * utilization})
    # a whole-computer wall power already holds the host's CPU and memory
    host = {} if hardware.power_basis == "system_wall" else {"cpu_watts": cpu,
                                                            "memory_gb": memory}
    where = {"facility": facility} if "region" not in location else {}
    job = Job(hardware=device, count=count, hours=hours, runs=runs, basis=basis, **power,
              **host, **where, **location)  # type: ignore[arg-type]
    try:
        result = estimate(job)
    except InputError as error:  # a place without a figure on this basis
        assert error.field == "basis" and basis != "life-cycle"
        return
    assert result.inputs.location.basis == basis
    assert all(c.basis == basis for c in result.comparisons)  # one basis throughout
    assert all(r.basis == basis for r in result.provider_regions)
    intensity = result.inputs.location.intensity_g_per_kwh
    assert result.co2e_kg == pytest.approx(result.energy_kwh * intensity / 1000, rel=1e-12)
    numbers = [result.energy_kwh, result.co2e_kg, result.it_energy_kwh, result.co2e_low_kg,
               result.co2e_high_kg, result.energy_low_kwh, result.energy_high_kwh,
               *(eq.value for eq in result.equivalents)]
    assert all(math.isfinite(x) and x >= 0 for x in numbers)
    assert result.co2e_low_kg <= result.co2e_kg * (1 + 1e-12)
    assert result.co2e_kg <= result.co2e_high_kg * (1 + 1e-12)
    assert result.energy_kwh >= result.it_energy_kwh * (1 - 1e-12)


bad_numbers = st.one_of(
    st.floats(max_value=0.0, allow_infinity=False, allow_nan=False),
    st.just(math.nan), st.just(math.inf), st.just(-math.inf),
    st.text(max_size=5), st.booleans(), st.none().map(lambda _: [1]),
)


@settings(max_examples=200, deadline=None)
@given(field=st.sampled_from(["hours", "watts", "device_hours", "measured_watts"]),
       value=bad_numbers)
def test_invalid_positive_numbers_raise_input_error(field: str, value: object) -> None:
    values: dict[str, object] = {"watts": 100.0, "hours": 1.0, "zone": "FR"}
    if field == "device_hours":
        del values["hours"]
    values[field] = value
    with pytest.raises(InputError) as info:
        Job(**values)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.floats(max_value=0.999, allow_nan=False),
                       st.floats(min_value=3.0001, allow_nan=False), st.just(math.nan)))
def test_invalid_pue_raises_input_error(value: float) -> None:
    # below 1 or not a number: the Job refuses it; above the catalog's max_pue (3): the
    # estimate does, with the catalog in hand
    with pytest.raises(InputError) as info:
        estimate(Job(watts=100, hours=1, zone="FR", pue=value))
    assert info.value.field == "pue"


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=30))
def test_any_text_as_a_name_gives_a_result_or_unknown_name(name: str) -> None:
    for job_kwargs in ({"hardware": name, "zone": "FR"}, {"watts": 1.0, "zone": name},
                       {"watts": 1.0, "region": name}):
        try:
            result = estimate(Job(hours=1.0, **job_kwargs))  # type: ignore[arg-type]
        except UnpublishedPowerError as error:  # a device without a published power
            assert "hardware" in job_kwargs and error.field == "measured_watts"
        except InputError as error:
            assert error.field in job_kwargs
        else:
            assert math.isfinite(result.co2e_kg)
