"""Like for like, exact and citable: each case a new user met (issue "Like for like, exact
and citable"), with its expected values worked out by hand from the data tables (read
with the csv module in tests/conftest.py) and the formula of the methodology.

    E [kWh] = n x P [W] x h x PUE / 1000        C [kg] = E x I [g/kWh] / 1000
"""

from __future__ import annotations

import json
import math
from html import escape

import pytest

from ml_emissions import InputError, InputErrors, Job, estimate, load_catalog, render, web
from ml_emissions import formatting as fmt
from ml_emissions.engine import Estimate
from ml_emissions.job import BASES
from ml_emissions.reports import describe, describe_comparison
from ml_emissions.resolve import job_from_params
from tests.conftest import data_rows, provider_figure, pue_row, region_row

GCP_PUE = float(pue_row("gcp")["pue"])  # Google's fleet-wide PUE, data/pue.csv
UNKNOWN_PUE = float(pue_row("unknown")["pue"])  # the data-centre default


def zone(zone_id: str) -> dict[str, str]:
    (row,) = [r for r in data_rows("grid_zones.csv") if r["zone_id"] == zone_id]
    return row


def grid_zones() -> list[dict[str, str]]:
    return [r for r in data_rows("grid_zones.csv") if r["country_code"]]  # not GLOBAL


def comparison_text(result: Estimate, kind: str) -> str:
    comparison = result.comparison(kind)
    assert comparison is not None
    return describe_comparison(comparison)


# -- one basis per comparison --------------------------------------------------------------

def test_google_stockholm_on_the_default_basis_is_its_grid_zones_life_cycle_figure() -> None:
    # --watts 1000 --hours 10 --region gcp:europe-north2: 1 kW x 10 h x PUE 1.09 =
    # 10.9 kWh; on the default (life-cycle) basis the intensity is SE-SE3's life-cycle
    # figure (20.42 g/kWh), as for AWS eu-north-1 and Azure Sweden Central on that grid
    row = region_row("gcp", "europe-north2")
    lifecycle = float(zone(row["zone_id"])["intensity_lifecycle_g_per_kwh"])
    result = estimate(Job(watts=1000, hours=10, region="gcp:europe-north2"))
    assert result.inputs.location.basis == "life-cycle"
    assert result.co2e_kg == pytest.approx(10 * GCP_PUE * lifecycle / 1000)  # 0.2226 kg
    for key in ("aws:eu-north-1", "azure:swedencentral"):
        same_grid = estimate(Job(watts=1000, hours=10, region=key))
        assert same_grid.inputs.location.intensity_g_per_kwh == lifecycle
    # Google's own figure (2.73 g/kWh, operational) is shown beside, as the provider's
    figure = provider_figure("gcp", "europe-north2")
    assert figure is not None
    own = float(figure["intensity_g_per_kwh"])
    assert result.provider_figure is not None
    assert result.provider_figure.intensity_g_per_kwh == own
    assert "Google Cloud's own figure (operational, location-based, 2024)" in render(result)


def test_the_cleaner_zone_is_cleaner_and_every_report_says_it_in_the_same_words() -> None:
    result = estimate(Job(watts=1000, hours=10, region="gcp:europe-north2"))
    # no GCP region has a lower life-cycle figure than SE-SE3's: none is offered
    region_words = comparison_text(result, "same_provider")
    assert region_words == ("No Google Cloud region is cleaner than this location on "
                            "life-cycle figures.")
    # the cleanest grid zone on the same basis: SE-SE1 at 15.27 g/kWh, with the job's PUE
    cleanest = min(grid_zones(), key=lambda r: float(r["intensity_lifecycle_g_per_kwh"]))
    assert cleanest["zone_id"] == "SE-SE1"
    comparison = result.comparison("any_zone")
    assert comparison is not None and comparison.alternative is not None
    alt = comparison.alternative
    expected = 10 * GCP_PUE * float(cleanest["intensity_lifecycle_g_per_kwh"]) / 1000
    assert alt.co2e_kg == pytest.approx(expected)  # 0.1664 kg
    assert alt.saving_pct == pytest.approx(100 * (1 - 15.27 / 20.42))  # 25.2%
    zone_words = comparison_text(result, "any_zone")
    assert zone_words.startswith("Cleanest grid zone: North Sweden, Sweden (SE-SE1), "
                                 "15.3 gCO2e/kWh (life-cycle)")
    text, html = render(result, "text"), web.respond(
        {"watts": "1000", "hours": "10", "region": "gcp:europe-north2"})["html"]
    for words in (region_words, zone_words):  # one function, the same words everywhere
        assert words in text and escape(words) in html
    assert "-459" not in text and "(more)" not in text and "already the cleanest" not in html


def test_a_custom_intensity_below_every_zone_gets_no_dirtier_alternative() -> None:
    # --watts 300 --hours 10 --intensity 5: the cleanest life-cycle zone is 15.27 g/kWh
    result = estimate(Job(watts=300, hours=10, intensity=5))
    comparison = result.comparison("any_zone")
    assert comparison is not None and comparison.alternative is None
    assert describe_comparison(comparison) == ("No grid zone is cleaner than this location "
                                               "on life-cycle figures.")
    assert result.inputs.location.intensity_basis == "given by the user, taken as life-cycle"


@pytest.mark.parametrize("basis", ["life-cycle", "direct"])
def test_the_cleanest_zone_is_never_dirtier_than_the_cleanest_region(basis: str) -> None:
    column = f"intensity_{basis.replace('-', '')}_g_per_kwh"
    cleanest_zone = min(float(r[column]) for r in grid_zones())
    result = estimate(Job(watts=1000, hours=1, region="gcp:us-central1", basis=basis))
    assert result.provider_regions and all(
        option.intensity_g_per_kwh >= cleanest_zone for option in result.provider_regions)


@pytest.mark.parametrize("basis", BASES)
def test_no_comparison_mixes_bases(basis: str) -> None:
    for key in ("gcp:us-central1", "aws:us-east-1", "azure:westeurope"):
        job = Job(watts=500, count=4, hours=10, region=key, basis=basis)
        try:
            result = estimate(job)
        except InputError as error:  # only Google publishes its own figure per region
            assert basis == "provider" and not key.startswith("gcp") and error.field == "basis"
            continue
        assert result.inputs.location.basis == basis
        assert {c.basis for c in result.comparisons} == {basis}
        assert {r.basis for r in result.provider_regions} == {basis}
        provider_figures = [r for r in data_rows("cloud_regions.csv")
                            if provider_figure(r["provider"], r["region_id"])]
        if basis == "provider":  # only the provider's own regions, no grid zone
            assert [c.kind for c in result.comparisons] == ["same_provider"]
            assert len(result.provider_regions) == len(provider_figures)
        for option in result.provider_regions:  # each region's figure on this basis
            region = region_row(*option.key.split(":"))
            own = provider_figure(*option.key.split(":"))
            expected = (float(own["intensity_g_per_kwh"]) if basis == "provider" and own
                        else float(zone(region["zone_id"])[
                            f"intensity_{basis.replace('-', '')}_g_per_kwh"]))
            assert option.intensity_g_per_kwh == expected
        assert describe(result)["basis"] in render(result, "latex")


def test_the_basis_is_an_input_of_the_command_line_the_permalink_and_the_form() -> None:
    reply = web.respond({"watts": "1000", "hours": "10", "region": "gcp:europe-north2",
                         "basis": "direct"})
    assert reply["ok"] and "basis=direct" in reply["query"]
    direct = float(zone("SE-SE3")["intensity_direct_g_per_kwh"])  # 2.44 g/kWh
    data = json.loads(render(estimate(Job.from_params(reply["params"])), "json"))
    assert data["inputs"]["location"]["intensity_g_per_kwh"] == direct
    assert data["inputs"]["location"]["basis_words"] == "direct (combustion only)"
    assert [b["id"] for b in web.form_options()["bases"]] == list(BASES)
    refused = web.respond({"watts": "1", "hours": "1", "zone": "FR", "basis": "provider"})
    assert refused["errors"][0]["field"] == "basis"
    world = web.respond({"watts": "1", "hours": "1", "zone": "GLOBAL", "basis": "direct"})
    assert world["errors"][0]["field"] == "basis"  # Ember's world average is life-cycle only


# -- honest defaults for the facility ------------------------------------------------------

def test_a_desktop_gpu_on_a_home_grid_is_a_workstation() -> None:
    # RTX 4090 (450 W, segment workstation) for 30 h in France: no facility overhead,
    # 450 W x 30 h = 13.5 kWh
    result = estimate(Job(hardware="RTX 4090", hours=30, zone="FR"))
    facility = result.inputs.facility
    assert (facility.kind, facility.pue, facility.pue_type) == ("workstation", 1.0,
                                                                 "convention")
    assert "workstation device, no facility given" in facility.reason
    assert result.energy_kwh == pytest.approx(13.5)
    # a data-centre device in the same zone: the data-centre default, and why
    a100 = estimate(Job(hardware="A100 80GB SXM", hours=30, zone="FR")).inputs.facility
    assert (a100.kind, a100.pue) == ("data-centre", UNKNOWN_PUE)
    assert "data-centre device outside a cloud region" in a100.reason
    # the visitor may say otherwise
    hpc = estimate(Job(hardware="RTX 4090", hours=30, zone="FR", facility="hpc"))
    assert hpc.inputs.pue == UNKNOWN_PUE and "no survey" in hpc.inputs.facility.pue_note
    assert estimate(Job(hardware="A100 80GB SXM", hours=30, zone="FR",
                        facility="workstation")).inputs.pue == 1.0


def test_apple_wall_power_gets_no_overhead_at_home_and_no_host_power_on_top() -> None:
    rows = [r for r in data_rows("hardware.csv") if r["vendor"] == "Apple" and r["tdp_w"]]
    assert rows and {r["power_basis"] for r in rows} == {"system_wall"}
    m2 = next(r for r in rows if r["hardware_id"] == "apple-m2-ultra")
    result = estimate(Job(hardware="M2 Ultra", hours=10, zone="FR"))
    assert result.inputs.pue == 1.0
    assert result.energy_kwh == pytest.approx(float(m2["tdp_w"]) * 10 / 1000)  # 2.95 kWh
    assert "whole-computer wall power" in describe(result)["power"]
    with pytest.raises(InputError, match=r"cpu_watts: 50.0 is not valid; expected 0 for "
                                         r"Apple M2 Ultra \(Mac Studio 2023\)"):
        estimate(Job(hardware="M2 Ultra", hours=10, zone="FR", cpu_watts=50))


def test_pue_rows_say_what_they_are() -> None:
    types = {r["pue_id"]: r["pue_type"] for r in data_rows("pue.csv")}
    assert types["azure"] == "fleet" and types["unknown"] == "survey"
    azure = estimate(Job(watts=100, hours=1, region="azure:westeurope"))
    assert float(pue_row("azure")["pue"]) == azure.inputs.pue  # FY2025 operating, 1.17
    assert "(fleet-wide operating PUE;" in render(azure)


# -- exact numbers -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "text"), [
    (999.9, "energy", "1.00 MWh"),  # significant figures chosen after rounding
    (999.7, "mass", "1.00 t"),
    (1400.0, "energy", "1.40 MWh"),  # three figures, trailing zero kept
    (0.9996, "mass", "1.00 kg"),
    (24_692.0, "mass", "24.7 t"),
    (0.0004, "mass", "0.400 g"),
])
def test_figures_have_three_significant_figures_after_rounding(value: float, kind: str,
                                                               text: str) -> None:
    assert (fmt.energy if kind == "energy" else fmt.mass)(value) == text


def test_counts_a_reader_may_check_print_exactly() -> None:
    # 8 devices x 216 h = 1,728 device-hours (three figures would give 1,730)
    result = estimate(Job(hardware="V100", count=8, hours=216, zone="FR"))
    assert describe(result)["device_hours"] == "1,728 device-hours"
    assert "1,728 device-hours in total" in render(result, "latex")
    many = estimate(Job(watts=250, hours=12, intensity=300, runs=4789))
    assert "x 4,789 runs" in render(many)


def test_json_numbers_carry_no_binary_noise_and_are_valid_json() -> None:
    assert fmt.clean(794.8799999999998) == 794.88
    # 0.1 + 0.2 kW-style sums: 3 x 0.1 W... a job whose raw energy is 0.30000000000000004
    result = estimate(Job(watts=0.1, count=3, hours=1000, intensity=100, pue=1.0))
    assert result.energy_kwh != 0.3  # binary noise in the engine's own float
    text = render(result, "json")
    assert json.loads(text)["energy_kwh"] == 0.3
    assert "0000000" not in text and "NaN" not in text and "Infinity" not in text


def test_equivalents_read_naturally_and_json_keeps_them_all() -> None:
    # 24.6 t: 140,571 km by car does not fit; 10.6 New York-Melbourne flights does
    result = estimate(Job(watts=1000, hours=24_600, intensity=1000, pue=1.0))
    text = render(result)
    shown = [line.strip() for line in text.split("Equivalent to")[1].split("Cleaner")[0]
             .splitlines() if line.strip()]
    assert 1 <= len(shown) <= 3
    for line in shown:
        value = float(line.split(" ")[0].replace(",", ""))
        assert 1 <= value < 10_000, line
    assert "0.0" not in text.split("Equivalent to")[1].split("Cleaner")[0]
    data = json.loads(render(result, "json"))
    assert len(data["equivalents"]) == len(data_rows("equivalents.csv"))


# -- the duration's scope ------------------------------------------------------------------

def test_device_hours_of_the_whole_project_are_not_multiplied_by_the_runs() -> None:
    # a Slurm or billing total: 3,000 GPU-hours over 500 jobs of 2 GPUs, 300 W each, at
    # 400 g/kWh and PUE 1.0: 3,000 h x 0.3 kW = 900 kWh, 360 kg (not 500 times that)
    result = estimate(Job(watts=300, count=2, total_device_hours=3000, runs=500,
                          intensity=400, pue=1.0))
    assert result.energy_kwh == pytest.approx(900)
    assert result.co2e_kg == pytest.approx(360)
    assert result.inputs.hours_per_run == pytest.approx(3)  # 3,000 / (2 x 500)
    assert describe(result)["duration"] == "3,000 device-hours in total, over 500 runs"
    per_run = estimate(Job(watts=300, count=2, device_hours=3000, intensity=400, pue=1.0))
    assert describe(per_run)["duration"] == "3,000 device-hours per run"
    assert per_run.energy_kwh == pytest.approx(900)  # one run of 1,500 h on 2 devices


# -- inputs as researchers type them -------------------------------------------------------

@pytest.mark.parametrize("name", ["Quebec", "Québec", "quebec", "CA-QC"])
def test_zones_by_their_name_with_or_without_accents(name: str) -> None:
    assert estimate(Job(watts=100, hours=1, zone=name)).inputs.location.zone_id == "CA-QC"


@pytest.mark.parametrize(("text", "hours"), [
    ("90 min", 1.5), ("36 h", 36.0), ("14 d", 336.0), ("14 days", 336.0), ("2 w", 336.0),
    ("336", 336.0), ("1.5e3", 1500.0), ("3,000", 3000.0),
])
def test_durations_with_units(text: str, hours: float) -> None:
    job = Job.from_params({"watts": "100", "hours": text, "zone": "FR"})
    assert job.hours == pytest.approx(hours)


def test_every_field_error_at_once_with_the_value_as_typed() -> None:
    params = {"hardware": "A100-80G-SMX", "count": "0", "hours": "14 fortnights",
              "zone": "Atlantis"}
    with pytest.raises(InputErrors) as info:  # the Job's own checks and its names
        job_from_params(params, load_catalog())
    fields = [error.field for error in info.value.errors]
    assert fields == ["hardware", "count", "hours", "zone"]  # in the order of the form
    assert info.value.errors[2].value == "14 fortnights"
    assert "did you mean 'NVIDIA A100 SXM4 80GB'" in str(info.value)
    # names are checked again once the numbers are valid: all at once there too
    with pytest.raises(InputErrors) as names:
        estimate(Job.from_params({"hardware": "A100-80G-SMX", "hours": "2",
                                  "zone": "Atlantis"}))
    assert [e.field for e in names.value.errors] == ["hardware", "zone"]
    reply = web.respond({"hardware": "A100-80G-SMX", "count": "4", "hours": "2",
                         "zone": "Atlantis"})
    assert [e["field"] for e in reply["errors"]] == ["hardware", "zone"]
    assert reply["params"] == {"hardware": "A100-80G-SMX", "count": "4", "hours": "2",
                               "zone": "Atlantis"}  # the valid fields stay in the form


def test_finite_figures_for_the_tiniest_and_largest_accepted_jobs() -> None:
    for job in (Job(watts=1e-3, hours=1 / 3600, intensity=1e-3),
                Job(watts=1e6, count=10_000_000, hours=1e7, intensity=1500, runs=100_000_000,
                    pue=3)):
        data = json.loads(render(estimate(job), "json"))
        assert math.isfinite(data["co2e_kg"]) and data["co2e_kg"] > 0
