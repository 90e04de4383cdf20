"""Compute to time (FLOPs -> device-hours), embodied emissions, and their inputs.

Expected values are worked out by hand beside each test from the formulas of
``ml_emissions.compute`` and ``ml_emissions.embodied`` and the datasheet figures cited.
"""

from __future__ import annotations

import pytest

from ml_emissions import InputError, Job, estimate, load_catalog, render
from ml_emissions.cli import main

A100 = "A100 80GB SXM"  # BF16 dense 312 TFLOPS (NVIDIA datasheet: 624 with sparsity)


def test_six_n_d_gives_flops_and_device_hours() -> None:
    # 6 x 7e9 x 2e12 = 8.4e22 FLOPs; at 312e12 FLOP/s x 0.4 MFU:
    # 8.4e22 / (312e12 x 0.4 x 3600) = 186,965.81 device-hours; on 64 GPUs 2,921.34 h
    est = estimate(Job(hardware=A100, count=64, parameters=7e9, tokens=2e12, mfu=0.4,
                       zone="FR"))
    plan = est.inputs.compute
    assert plan is not None and plan.rule == "6ND"
    assert plan.flops == pytest.approx(8.4e22)
    assert plan.peak_tflops == 312
    assert est.inputs.device_hours == pytest.approx(186_965.81, rel=1e-7)
    assert est.inputs.hours_per_run == pytest.approx(2_921.34, rel=1e-6)


def test_active_parameters_count_for_mixture_of_experts() -> None:
    # 6 x 37e9 active x 14.8e12 tokens = 3.2856e24 FLOPs (DeepSeek-V3's sizes)
    est = estimate(Job(hardware="H100 SXM", count=2048, parameters=671e9,
                       active_parameters=37e9, tokens=14.8e12, zone="FR"))
    assert est.inputs.compute is not None
    assert est.inputs.compute.flops == pytest.approx(3.2856e24)


def test_default_mfu_range_widens_the_co2e_range() -> None:
    catalog = load_catalog()
    low, mid, high = (catalog.constant(c).value for c in ("mfu_low", "default_mfu", "mfu_high"))
    assert low < mid < high <= 1
    given = estimate(Job(hardware=A100, count=8, flops=1e21, mfu=mid, zone="FR"))
    default = estimate(Job(hardware=A100, count=8, flops=1e21, zone="FR"))
    assert default.co2e_kg == pytest.approx(given.co2e_kg)
    # the high bound runs at the lowest MFU: hours x mid / low more than the given MFU's
    assert default.co2e_high_kg == pytest.approx(given.co2e_high_kg * mid / low)
    assert default.co2e_low_kg == pytest.approx(given.co2e_low_kg * mid / high)


def test_flops_and_hours_agree() -> None:
    # 1e21 FLOPs at 312e12 x 0.5: 1e21 / 1.56e14 / 3600 = 1,780.63 device-hours
    by_flops = estimate(Job(hardware=A100, count=8, flops=1e21, mfu=0.5, zone="FR"))
    by_hours = estimate(Job(hardware=A100, count=8, device_hours=1e21 / 1.56e14 / 3600,
                            zone="FR"))
    assert by_flops.co2e_kg == pytest.approx(by_hours.co2e_kg)


def test_precision_picks_the_peak() -> None:
    # H100 SXM: FP8 dense 1,979 TFLOPS, BF16 dense 989.5 (datasheet 3,958 and 1,979
    # with sparsity): FP8 takes half the hours of BF16
    bf16 = estimate(Job(hardware="H100 SXM", flops=1e21, zone="FR"))
    fp8 = estimate(Job(hardware="H100 SXM", flops=1e21, precision="fp8", zone="FR"))
    assert bf16.inputs.hours_per_run / fp8.inputs.hours_per_run == pytest.approx(2, rel=0.01)


def test_missing_precision_names_the_device_and_its_precisions() -> None:
    with pytest.raises(InputError) as info:
        estimate(Job(hardware="V100 SXM2 32GB", flops=1e21, zone="FR"))  # no BF16
    message = info.value.describe("precision")
    assert "NVIDIA V100 SXM2 32GB" in message and "fp16" in message
    assert "bf16 is the default" in message


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"flops": 1e21, "parameters": 7e9, "tokens": 1e12}, "parameters", "so drop one"),
    ({"flops": 1e21, "hours": 3}, "flops", "so drop one"),
    ({"parameters": 7e9}, "tokens", "needed with parameters"),
    ({"hours": 3, "tokens": 1e12}, "tokens", "only with parameters"),
    ({"hours": 3, "mfu": 0.4}, "mfu", "only with flops"),
    ({"flops": 1e21, "mfu": 1.5}, "mfu", "at most 1"),
    ({"flops": 1e21, "mfu": 0}, "mfu", "greater than 0"),
    ({"parameters": 7e9, "active_parameters": 8e9, "tokens": 1e12}, "active_parameters",
     "at most the parameters"),
    ({"flops": 1e21, "precision": "int4"}, "precision", "bf16"),
])
def test_bad_compute_inputs(kwargs: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        estimate(Job(hardware=A100, zone="FR", **kwargs))  # type: ignore[arg-type]
    errors = getattr(info.value, "errors", (info.value,))
    error = next(e for e in errors if e.field == field)
    assert words in error.describe(field)


@pytest.mark.parametrize(("flag", "value"), [("--flops", "1e31"), ("--parameters", "2e15"),
                                             ("--tokens", "1e18")])
def test_compute_bounds_from_the_catalog(flag: str, value: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--tokens", "1T"] if flag == "--parameters" else []
    extra = ["--parameters", "7B"] if flag == "--tokens" else extra
    status = main(["estimate", "--hardware", A100, flag, value, *extra, "--zone", "FR"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and f"error: {flag}: '{value}'" in err
    assert "at most" in err


def test_counts_take_suffixes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate", "--hardware", A100, "--parameters", "7B", "--tokens", "2T",
                 "--zone", "FR", "--format", "json"]) == 0
    import json
    data = json.loads(capsys.readouterr().out)
    assert data["inputs"]["compute"]["flops"] == pytest.approx(8.4e22)


def test_reports_state_the_derived_hours_and_assumptions() -> None:
    est = estimate(Job(hardware=A100, count=64, parameters=7e9, tokens=2e12, zone="FR"))
    text = render(est, "text")
    assert "8.4e22 FLOPs per run (6 x 7B parameters x 2T tokens)" in text
    assert "dense BF16 peak 312 TFLOPS per device" in text
    latex = render(est, "latex")
    assert "model FLOPs utilisation of 40\\%" in latex and "estimated from" in latex


# -- embodied -------------------------------------------------------------------------


def test_bloom_embodied_from_the_papers_inputs() -> None:
    # Luccioni, Viguier and Ligozat 2023, section 4.1: 150 kg per A100, 2,500 kg per
    # 8-GPU server, 6-year life, 85% use, 1,082,990 GPU-hours: 3.64 t for the GPUs,
    # 7.57 t for the servers, 11.2 t in all (the servers' 2,500 x 135,374 node-hours /
    # 44,676 h = 7,575 kg: the paper rounds it down).
    est = estimate(Job(hardware=A100, device_hours=1_082_990, zone="FR",
                       embodied_kg_per_device=150, embodied_host_kg_per_device=2500 / 8,
                       lifetime_years=6, use_rate=0.85))
    assert est.embodied is not None
    assert est.embodied.devices_co2e_kg / 1000 == pytest.approx(3.64, abs=0.005)
    assert est.embodied.host_co2e_kg / 1000 == pytest.approx(7.57, abs=0.01)
    assert est.embodied.co2e_kg / 1000 == pytest.approx(11.2, abs=0.05)


def test_embodied_defaults_are_the_bloom_papers() -> None:
    catalog = load_catalog()
    assert catalog.constant("embodied_lifetime_years").value == 6
    assert catalog.constant("embodied_use_rate").value == 0.85
    # the A100's published figure, Luccioni et al. 2023: 150 kg
    device = catalog.find_hardware(A100)
    figure = catalog.embodied_figure(device)
    assert figure is not None and figure.method == "published"
    assert figure.kg_co2e_per_device == 150


def test_embodied_is_apart_from_the_operational_figure() -> None:
    job = Job(hardware=A100, count=8, hours=24, zone="FR")
    with_embodied = estimate(job)
    without = estimate(Job(hardware=A100, count=8, hours=24, zone="FR", embodied=False))
    assert with_embodied.co2e_kg == without.co2e_kg
    assert without.embodied is None and with_embodied.embodied is not None
    # 150 kg x 192 device-hours / (8,760 h x 6 x 0.85) = 0.6445 kg
    assert with_embodied.embodied.co2e_kg == pytest.approx(150 * 192 / (8760 * 6 * 0.85))
    assert with_embodied.operational_and_embodied_kg == pytest.approx(
        with_embodied.co2e_kg + with_embodied.embodied.co2e_kg)
    text = render(with_embodied, "text")
    assert "apart from the CO2e above" in text and "operational + embodied" in text
    card = render(with_embodied, "model-card")
    grams = card.split("emissions: ")[1].split("\n")[0]
    assert float(grams) == pytest.approx(with_embodied.co2e_kg * 1000)  # operational only
    assert "# embodied (manufacturing) emissions, not included" in card


def test_die_area_model() -> None:
    catalog = load_catalog()
    device = catalog.find_hardware("H100 SXM")
    figure = catalog.embodied_figure(device)
    assert figure is not None and figure.method == "die-area"
    assert figure.die_area_mm2 is not None
    # Green Algorithms v3.1: 1,970 g per cm2 of die plus 26,970 g per card
    expected = (26_970 + 1_970 * figure.die_area_mm2 / 100) / 1000
    est = estimate(Job(hardware="H100 SXM", device_hours=8760 * 6 * 0.85, zone="FR"))
    assert est.embodied is not None and est.embodied.method == "die-area"
    assert est.embodied.co2e_kg == pytest.approx(expected)  # a whole life: the whole card


def test_custom_device_has_no_embodied_unless_given() -> None:
    est = estimate(Job(watts=300, hours=10, zone="FR"))
    assert est.embodied is None
    assert "no manufacturing figure" in render(est, "text")
    given = estimate(Job(watts=300, hours=10, zone="FR", embodied_kg_per_device=100))
    assert given.embodied is not None and given.embodied.method == "given"


def test_embodied_inputs_need_embodied_on(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["estimate", "--hardware", A100, "--hours", "3", "--zone", "FR",
                   "--no-embodied", "--lifetime-years", "4"])
    err = capsys.readouterr().err
    assert status == 2 and "--lifetime-years" in err and "embodied emissions off" in err


def test_permalink_round_trip_of_the_new_inputs() -> None:
    job = Job(hardware=A100, count=64, parameters=7e9, tokens=2e12, precision="bf16",
              mfu=0.45, zone="FR", embodied=False)
    params = job.to_params()
    assert params["embodied"] == "no" and params["mfu"] == "0.45"
    assert Job.from_params(params) == job
