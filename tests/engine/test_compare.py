"""Comparisons of scenarios: the same work on other hardware, counts, places, precisions."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ml_emissions import InputError, Job, estimate, load_catalog
from ml_emissions.cli import main
from ml_emissions.compare import compare, compare_jobs, compare_params_from_query
from ml_emissions.compare_reports import render_comparison

A100, H100 = "A100 80GB SXM", "H100 SXM"


def peak(name: str, precision: str = "bf16") -> float:
    catalog = load_catalog()
    value = catalog.peak(catalog.find_hardware(name), precision)
    assert value is not None
    return value.dense_tflops


def test_hours_on_one_device_carry_to_another_by_peak_ratio() -> None:
    # 8 x A100 for 24 h = 192 device-hours at 312 TFLOPS; the same work on H100 at the same
    # MFU takes 192 x 312 / peak(H100) device-hours
    comp = compare({"count": "8", "hours": "24", "zone": "FR"}, {"hardware": [A100, H100]})
    first, second = comp.scenarios
    assert first.estimate.inputs.device_hours == 192
    assert second.estimate.inputs.device_hours == pytest.approx(192 * 312 / peak(H100))
    assert "same model FLOPs utilisation" in comp.assumption
    # the H100 is credited for its speed: less energy despite 700 W against 400 W
    assert second.estimate.energy_kwh < first.estimate.energy_kwh


def test_compute_work_gives_each_device_its_own_hours() -> None:
    comp = compare({"parameters": "7B", "tokens": "2T", "count": "64", "zone": "FR"},
                   {"hardware": [A100, H100]})
    for scenario in comp.scenarios:
        alone = estimate(Job(hardware=scenario.varied["hardware"], count=64, parameters=7e9,
                             tokens=2e12, zone="FR"))
        assert scenario.estimate.co2e_kg == pytest.approx(alone.co2e_kg)
    assert comp.assumption == ""


def test_count_keeps_device_hours() -> None:
    comp = compare({"hardware": A100, "hours": "24", "zone": "FR"}, {"count": ["8", "16"]})
    a, b = comp.scenarios
    assert a.estimate.inputs.device_hours == b.estimate.inputs.device_hours == 192
    assert b.estimate.inputs.hours_per_run == 12


def test_scenarios_are_every_combination() -> None:
    comp = compare({"parameters": "7B", "tokens": "2T", "count": "64"},
                   {"hardware": [A100, H100], "zone": ["FR", "PL"], "region": ["gcp:us-central1"]})
    assert len(comp.scenarios) == 6
    labels = [s.label for s in comp.scenarios]
    # hardware first, then the locations: the regions given, then the zones
    assert len(set(labels)) == 6 and labels[0].endswith("us-central1 (Iowa)")
    assert labels[1].endswith("France (FR)") and labels[3].startswith("NVIDIA H100")


@pytest.mark.parametrize("varied", [{"hardware": [A100]},
                                    {"hardware": [A100, H100], "zone": ["FR", "DE", "PL", "SE"]}])
def test_one_or_more_than_six_scenarios_are_refused(varied: dict[str, list[str]]) -> None:
    shared = {"hours": "3"} if "zone" in varied else {"hours": "3", "zone": "FR"}
    with pytest.raises(InputError) as info:
        compare(shared, varied)
    assert info.value.field == "scenarios" and "2 to 6 scenarios" in info.value.describe("x")


def test_cli_compare_formats(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", "--hardware", A100, "--hardware", H100, "--parameters", "7B",
            "--tokens", "2T", "--count", "64", "--zone", "FR"]
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["scenario"] for r in rows] == ["NVIDIA A100 SXM4 80GB", "NVIDIA H100 SXM5 80GB"]
    assert all(r["basis"] == "life-cycle" for r in rows)
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["scenarios"]) == 2 and data["scenarios"][1]["varied"] == {"hardware": H100}
    assert main([*args, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("| Scenario | Hours per run |")
    assert main(args) == 0
    assert "comparison of 2 scenarios" in capsys.readouterr().out


def test_permalink_restores_the_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    comp = compare({"parameters": "7B", "tokens": "2T", "count": "64"},
                   {"hardware": [A100, H100], "zone": ["FR", "PL"]})
    link = "https://example.org/calculator/?" + comp.query()
    shared, varied = compare_params_from_query(link)
    again = compare(shared, varied)
    assert [s.estimate.co2e_kg for s in again.scenarios] == [
        s.estimate.co2e_kg for s in comp.scenarios]
    assert main(["compare", "--from-url", link, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["co2e_kg"] for s in data["scenarios"]] == pytest.approx(
        [s.estimate.co2e_kg for s in comp.scenarios])


def test_estimate_refuses_a_comparison_link(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["estimate", "--from-url",
                   "?hardware=V100&hours=3&zone=FR&compare-hardware=A100"])
    assert status == 2 and "ml-emissions compare" in capsys.readouterr().err


def test_compare_jobs_from_python() -> None:
    comp = compare_jobs(Job(hardware=A100, count=8, hours=24, zone="FR"), zone=["FR", "SE"])
    assert len(comp.scenarios) == 2
    assert render_comparison(comp, "text").count("\n") > 3


def test_field_both_shared_and_varied() -> None:
    with pytest.raises(InputError) as info:
        compare({"hardware": A100, "hours": "3", "zone": "FR"}, {"hardware": [A100, H100]})
    assert info.value.field == "hardware"
