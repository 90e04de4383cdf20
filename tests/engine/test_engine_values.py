"""The engine against values computed by hand from the formula and the data tables."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ml_emissions import Job, UnpublishedPowerError, estimate, load_catalog, render
from ml_emissions.catalog import Catalog
from ml_emissions.engine import Alternative, Estimate
from tests.conftest import data_rows, provider_figure, pue_row, region_row, zone_intensity

# Documented facts the tests rely on, typed here independently of the catalog:
A100_SXM4_80GB_W = 400.0  # NVIDIA A100 datasheet: max TDP of the SXM4 80GB module
UNKNOWN_PUE = 1.56  # Uptime Institute Global Data Center Survey 2024, industry average
MEMORY_W_PER_GB = 0.3725  # Green Algorithms reference value


def test_custom_watts_and_intensity() -> None:
    # 2 x 300 W x 10 h = 6 kWh IT; x PUE 1.2 = 7.2 kWh; x 400 g/kWh = 2.88 kg
    result = estimate(Job(watts=300, count=2, hours=10, intensity=400, pue=1.2))
    assert result.it_energy_kwh == pytest.approx(6.0)
    assert result.energy_kwh == pytest.approx(7.2)
    assert result.co2e_kg == pytest.approx(2.88)
    assert result.inputs.facility.pue_origin == "user"


def test_catalog_device_in_a_zone_uses_default_pue_and_lifecycle_intensity() -> None:
    result = estimate(Job(hardware="A100 80GB SXM", count=8, hours=120, zone="FR"))
    energy = 8 * A100_SXM4_80GB_W * 120 / 1000 * UNKNOWN_PUE  # 599.04 kWh
    assert result.inputs.rated_watts == A100_SXM4_80GB_W
    assert result.inputs.pue == UNKNOWN_PUE
    assert result.energy_kwh == pytest.approx(energy)
    assert result.co2e_kg == pytest.approx(energy * zone_intensity("FR") / 1000)


def test_country_name_finds_the_country_zone() -> None:
    by_name = estimate(Job(watts=100, hours=1, zone="France"))
    by_id = estimate(Job(watts=100, hours=1, zone="fr"))
    assert by_name.inputs.location.zone_id == by_id.inputs.location.zone_id == "FR"


def test_host_cpu_and_memory_add_to_it_power() -> None:
    result = estimate(Job(watts=250, count=4, hours=10, cpu_watts=150, memory_gb=200,
                          intensity=100, pue=1.0))
    it_power = 4 * 250 + 150 + 200 * MEMORY_W_PER_GB  # 1,224.5 W
    assert result.it_power_w == pytest.approx(it_power)
    assert result.energy_kwh == pytest.approx(it_power * 10 / 1000)
    assert result.breakdown.host_cpu_kwh == pytest.approx(1.5)
    assert result.breakdown.memory_kwh == pytest.approx(200 * MEMORY_W_PER_GB * 10 / 1000)
    assert result.breakdown.accelerators_kwh == pytest.approx(10.0)


def test_device_hours_are_divided_by_count() -> None:
    by_device_hours = estimate(Job(watts=300, count=4, device_hours=400, intensity=500))
    by_hours = estimate(Job(watts=300, count=4, hours=100, intensity=500))
    assert by_device_hours.inputs.hours_per_run == 100
    assert by_device_hours.energy_kwh == pytest.approx(by_hours.energy_kwh)
    # 400 device-hours x 300 W x PUE 1.56 = 187.2 kWh
    assert by_device_hours.energy_kwh == pytest.approx(187.2)


def test_utilization_and_measured_power() -> None:
    half = estimate(Job(watts=400, hours=10, utilization=0.5, intensity=100, pue=1.0))
    measured = estimate(Job(watts=400, hours=10, measured_watts=123, intensity=100, pue=1.0))
    assert half.energy_kwh == pytest.approx(2.0)  # 200 W x 10 h
    assert measured.energy_kwh == pytest.approx(1.23)  # 123 W x 10 h
    assert measured.inputs.utilization is None


def test_device_without_published_power_requires_measured_watts() -> None:
    unpublished = [r for r in data_rows("hardware.csv") if r["power_basis"] == "unpublished"]
    assert {r["name"] for r in unpublished} >= {"Google TPU v5e", "AWS Trainium"}
    for row in unpublished:
        with pytest.raises(UnpublishedPowerError) as info:
            estimate(Job(hardware=row["name"], hours=1, zone="FR"))
        assert info.value.field == "measured_watts"
        assert str(info.value) == (
            f"measured_watts: missing for {row['name']}; {row['vendor']} publishes no power "
            "figure per device, so give the measured average power per device in watts")
        with pytest.raises(UnpublishedPowerError):  # a utilization needs a rated power too
            estimate(Job(hardware=row["name"], hours=1, zone="FR", utilization=0.5))


def test_device_without_published_power_with_measured_watts() -> None:
    # 8 TPU v5e chips measured at 150 W each (a user's figure), 10 h, in France:
    # 8 x 150 W x 10 h = 12 kWh of IT energy, x PUE 1.56 = 18.72 kWh
    result = estimate(Job(hardware="TPU v5e", count=8, hours=10, measured_watts=150,
                          zone="FR"))
    assert result.inputs.hardware_name == "Google TPU v5e"
    assert result.inputs.rated_watts is None
    assert result.inputs.rated_watts_basis == "unpublished"
    assert result.energy_kwh == pytest.approx(18.72)
    assert result.co2e_kg == pytest.approx(18.72 * zone_intensity("FR") / 1000)
    # measured power +-5%: 1,140 to 1,260 W; PUE overhead 0.56 x 0.75 to 0.56 x 1.25
    assert result.energy_low_kwh == pytest.approx(1.140 * 10 * 1.42)
    assert result.energy_high_kwh == pytest.approx(1.260 * 10 * 1.70)
    assert "(150 W measured average per device)" in render(result, "text")


def test_runs_and_development_hours_scale_the_cycle() -> None:
    # Strubell et al. 2019: 4,789 jobs for the development of one model
    one = estimate(Job(watts=250, hours=12, intensity=300, pue=1.1))
    many = estimate(Job(watts=250, hours=12, intensity=300, pue=1.1, runs=4789))
    assert many.energy_kwh == pytest.approx(4789 * one.energy_kwh)
    assert many.co2e_kg_per_run == pytest.approx(one.co2e_kg)
    # 239,942 GPU-hours of development against a 120-hour final run (Strubell et al.)
    dev = estimate(Job(watts=250, hours=120, development_hours=239_942, intensity=300,
                       pue=1.0))
    assert dev.inputs.runs == pytest.approx(239_942 / 120)
    assert dev.energy_kwh == pytest.approx(250 * 239_942 / 1000)


def test_region_with_provider_intensity_pue_and_cfe() -> None:
    # Google's own figure (and its CFE%) is the provider basis; the default basis is the
    # life-cycle figure of the region's grid zone, as for every other provider
    row = region_row("gcp", "us-central1")
    pue = float(row["pue"]) if row["pue"] else float(pue_row("gcp")["pue"])
    figure = provider_figure("gcp", "us-central1")
    assert figure is not None
    own = float(figure["intensity_g_per_kwh"])
    lifecycle = zone_intensity(row["zone_id"])
    result = estimate(Job(watts=1000, hours=100, region="gcp:us-central1"))
    assert result.inputs.location.basis == "life-cycle"
    assert result.inputs.location.intensity_g_per_kwh == lifecycle
    assert result.inputs.pue == pue
    assert result.energy_kwh == pytest.approx(100 * pue)
    assert result.co2e_kg == pytest.approx(100 * pue * lifecycle / 1000)
    cfe = float(figure["cfe_pct"])
    assert result.provider_figure is not None
    assert result.provider_figure.co2e_kg == pytest.approx(100 * pue * own / 1000)
    assert result.market_co2e_kg == pytest.approx(100 * pue * own / 1000 * (1 - cfe / 100))
    provider = estimate(Job(watts=1000, hours=100, region="gcp:us-central1", basis="provider"))
    assert provider.inputs.location.intensity_g_per_kwh == own
    assert provider.co2e_kg == pytest.approx(100 * pue * own / 1000)
    assert provider.market_co2e_kg == pytest.approx(provider.co2e_kg * (1 - cfe / 100))


def test_region_without_provider_intensity_uses_its_zone() -> None:
    row = region_row("aws", "us-east-1")
    assert provider_figure("aws", "us-east-1") is None
    result = estimate(Job(watts=1000, hours=1, region="aws:us-east-1", pue=1.0))
    assert result.co2e_kg == pytest.approx(zone_intensity(row["zone_id"]) / 1000)
    assert result.market_co2e_kg is None


def test_ibm_region_uses_its_zone_and_the_default_pue() -> None:
    # IBM Cloud publishes no PUE and no intensity per region: Frankfurt (eu-de) draws
    # from the German grid zone and gets the 'unknown' default PUE of data/pue.csv
    row = region_row("ibm", "eu-de")
    assert (row["zone_id"], row["pue"]) == ("DE", "")
    assert provider_figure("ibm", "eu-de") is None
    assert not [p for p in data_rows("pue.csv") if p["pue_id"] == "ibm"]
    pue = float(pue_row("unknown")["pue"])
    result = estimate(Job(hardware="A100 80GB SXM", count=8, hours=10, region="ibm:eu-de"))
    energy = 8 * A100_SXM4_80GB_W * 10 / 1000 * pue  # 32 kWh of IT energy x PUE
    facility = result.inputs.facility
    assert (facility.kind, facility.pue, facility.pue_origin) == ("cloud", pue, "facility")
    assert facility.pue_note == "IBM Cloud publishes no PUE: the data-centre default applies"
    assert result.energy_kwh == pytest.approx(energy)
    assert result.co2e_kg == pytest.approx(energy * zone_intensity("DE") / 1000)
    assert result.market_co2e_kg is None
    assert result.inputs.location.label == "IBM Cloud eu-de (Germany (Frankfurt))"


def test_pue_precedence_user_over_region_over_provider_over_default() -> None:
    user = estimate(Job(watts=100, hours=1, region="gcp:us-central1", pue=1.3))
    assert (user.inputs.pue, user.inputs.facility.pue_origin) == (1.3, "user")
    zone = estimate(Job(watts=100, hours=1, zone="DE"))
    assert (zone.inputs.pue, zone.inputs.facility.kind) == (UNKNOWN_PUE, "data-centre")
    for row in data_rows("cloud_regions.csv"):
        job = Job(watts=100, hours=1, region=f"{row['provider']}:{row['region_id']}")
        facility = estimate(job).inputs.facility
        provider_pue = [p for p in data_rows("pue.csv") if p["pue_id"] == row["provider"]]
        if row["pue"]:
            assert (facility.pue, facility.pue_origin) == (float(row["pue"]), "region")
        elif provider_pue:
            assert (facility.pue, facility.pue_origin) == (float(provider_pue[0]["pue"]),
                                                           "provider")
        else:
            assert (facility.pue, facility.pue_origin) == (UNKNOWN_PUE, "facility")


def test_range_bounds_by_hand() -> None:
    # rated 400 W at utilization 1.0: power from 0.8 x 400 = 320 W to 400 W (capped);
    # PUE 1.56: overhead 0.56 x 0.75 = 0.42 to 0.56 x 1.25 = 0.70
    result = estimate(Job(hardware="A100 80GB SXM", hours=10, intensity=1000))
    assert result.energy_low_kwh == pytest.approx(0.320 * 10 * 1.42)
    assert result.energy_high_kwh == pytest.approx(0.400 * 10 * 1.70)
    assert result.co2e_low_kg == pytest.approx(0.320 * 10 * 1.42)
    assert result.co2e_high_kg == pytest.approx(0.400 * 10 * 1.70)
    # a measured power varies by 5%: 200 W -> 190 to 210 W; PUE 1.0 has no overhead
    measured = estimate(Job(measured_watts=200, hours=10, intensity=1000, pue=1.0))
    assert (measured.energy_low_kwh, measured.energy_high_kwh) == pytest.approx((1.9, 2.1))
    # utilization 0.5 of 400 W: 0.4 to 0.6 -> 160 W to 240 W
    half = estimate(Job(watts=400, utilization=0.5, hours=10, intensity=1000, pue=1.0))
    assert (half.energy_low_kwh, half.energy_high_kwh) == pytest.approx((1.6, 2.4))


def test_breakdown_adds_up_to_the_energy() -> None:
    result = estimate(Job(hardware="A100 80GB SXM", count=8, hours=50, cpu_watts=300,
                          memory_gb=512, zone="DE"))
    b = result.breakdown
    total = b.accelerators_kwh + b.host_cpu_kwh + b.memory_kwh + b.pue_overhead_kwh
    assert total == pytest.approx(result.energy_kwh)
    assert b.pue_overhead_kwh == pytest.approx(result.energy_kwh * (1 - 1 / UNKNOWN_PUE))


def test_equivalents_divide_by_their_factor() -> None:
    result = estimate(Job(watts=1000, hours=175, intensity=1000, pue=1.0))  # 175 kg, 175 kWh
    values = {eq.equivalent_id: eq.value for eq in result.equivalents}
    assert values["car_km"] == pytest.approx(1000)  # 175 kg / 0.175 kg per km
    assert values["tree_months"] == pytest.approx(175 / 0.917)
    # EPA 2024 revision: 0.019 kWh of electricity per full smartphone charge
    assert values["smartphone_charges"] == pytest.approx(175 / 0.019)
    assert {row["equivalent_id"] for row in data_rows("equivalents.csv")} == set(values)


def _alternative(result: Estimate, kind: str) -> Alternative:
    comparison = result.comparison(kind)
    assert comparison is not None and comparison.alternative is not None
    return comparison.alternative


def test_cleanest_region_of_the_same_provider_and_cleanest_zone() -> None:
    # every region on the life-cycle figure of its grid zone, the default basis
    result = estimate(Job(watts=1000, hours=100, region="gcp:us-central1", pue=1.0))
    gcp = [r for r in data_rows("cloud_regions.csv") if r["provider"] == "gcp"]
    best = min(gcp, key=lambda r: (zone_intensity(r["zone_id"]), r["region_id"]))
    alt = _alternative(result, "same_provider")
    assert alt.key == f"gcp:{best['region_id']}"
    assert alt.co2e_kg == pytest.approx(100 * zone_intensity(best["zone_id"]) / 1000)
    assert alt.saving_kg == pytest.approx(result.co2e_kg - alt.co2e_kg)

    cleanest = min((r for r in data_rows("grid_zones.csv") if r["country_code"]),
                   key=lambda r: float(r["intensity_lifecycle_g_per_kwh"]))
    zone = _alternative(result, "any_zone")
    assert zone.key == cleanest["zone_id"]
    assert zone.co2e_kg == pytest.approx(
        100 * float(cleanest["intensity_lifecycle_g_per_kwh"]) / 1000)


def test_to_dict_has_the_documented_keys() -> None:
    data = estimate(Job(hardware="A100 80GB SXM", hours=1, zone="FR")).to_dict()
    for key in ("energy_kwh", "co2e_kg", "it_energy_kwh", "co2e_low_kg", "co2e_high_kg",
                "breakdown", "equivalents", "inputs", "job"):
        assert key in data
    assert data["inputs"]["rated_watts"] == A100_SXM4_80GB_W
    assert data["inputs"]["location"]["intensity_source"]["licence"] == "ODbL-1.0"
    assert data["job"] == {"hardware": "A100 80GB SXM", "hours": "1", "zone": "FR"}


def test_world_average_zone_by_hand() -> None:
    # 1000 W x 100 h = 100 kWh of IT energy; the default PUE of data/pue.csv ("unknown")
    # applies, as for any grid zone; intensity: the GLOBAL row of data/grid_zones.csv
    # (Ember's 2023 world average)
    pue = float(pue_row("unknown")["pue"])
    intensity = zone_intensity("GLOBAL")
    result = estimate(Job(watts=1000, hours=100, zone="GLOBAL"))
    assert result.energy_kwh == pytest.approx(100 * pue)
    assert result.co2e_kg == pytest.approx(100 * pue * intensity / 1000)
    source = result.inputs.location.intensity_source
    assert (source.licence, source.year) == ("CC-BY-4.0", 2023)
    assert source.citation.startswith("Ember")
    for name in ("global", "World", "world average"):  # other names of the same zone
        assert estimate(Job(watts=1000, hours=100, zone=name)).co2e_kg == result.co2e_kg


def test_the_world_average_is_never_the_cleanest_zone() -> None:
    catalog = load_catalog()
    _alternative(estimate(Job(watts=1000, hours=1, zone="GLOBAL")), "any_zone")
    # even when it is the lowest intensity of the catalog
    zones = tuple(replace(z, intensity_lifecycle_g_per_kwh=0.0) if z.zone_id == "GLOBAL"
                  else z for z in catalog.zones)
    cleaner = Catalog(version=catalog.version, hardware=catalog.hardware, zones=zones,
                      providers=catalog.providers, regions=catalog.regions, pue=catalog.pue,
                      equivalents=catalog.equivalents, constants=catalog.constants)
    for job in (Job(watts=1000, hours=1, zone="FR"), Job(watts=1000, hours=1, zone="GLOBAL")):
        comparison = estimate(job, cleaner).comparison("any_zone")
        assert comparison is not None
        alternative = comparison.alternative
        if job.zone == "GLOBAL":  # 0 g/kWh: no grid zone is cleaner, and none is offered
            assert alternative is None
            continue
        assert alternative is not None and alternative.key != "GLOBAL"
        assert alternative.intensity_g_per_kwh > 0


def test_the_job_in_every_region_of_its_provider() -> None:
    catalog = load_catalog()
    est = estimate(Job(hardware="V100", count=2, hours=10, region="aws:eu-west-1"), catalog)
    regions = est.provider_regions
    assert len(regions) == len(catalog.regions_of("aws"))
    assert [r.co2e_kg for r in regions] == sorted(r.co2e_kg for r in regions)
    assert regions[0].key == _alternative(est, "same_provider").key
    (chosen,) = [r for r in regions if r.key == "aws:eu-west-1"]
    assert chosen.co2e_kg == pytest.approx(est.co2e_kg)  # the job itself, in its region
    assert "provider_regions" not in est.to_dict()  # the chart's data, not a report's
    assert estimate(Job(hardware="V100", hours=10, zone="FR"), catalog).provider_regions == ()


def test_a_regions_own_published_pue_comes_before_its_providers() -> None:
    # no row of data/cloud_regions.csv has a PUE of its own today: a synthetic catalog
    # gives aws:eu-west-1 one (1.10, a made-up figure of the test), so the rule is exercised
    catalog = load_catalog()
    regions = tuple(replace(r, pue=1.10, pue_source_url="https://example.org/pue",
                            pue_year=2025) if r.key == "aws:eu-west-1" else r
                    for r in catalog.regions)
    own = Catalog(version=catalog.version, hardware=catalog.hardware, zones=catalog.zones,
                  providers=catalog.providers, regions=regions, pue=catalog.pue,
                  equivalents=catalog.equivalents, constants=catalog.constants)
    facility = estimate(Job(watts=1000, hours=10, region="aws:eu-west-1"), own).inputs.facility
    assert (facility.pue, facility.pue_origin, facility.pue_type) == (1.10, "region", "site")
    assert (facility.pue_source.url, facility.pue_source.year) == ("https://example.org/pue",
                                                                   2025)
    # its neighbour keeps AWS's fleet figure, and a PUE the user gives beats both
    other = estimate(Job(watts=1000, hours=10, region="aws:us-east-1"), own).inputs.facility
    assert (other.pue, other.pue_origin) == (float(pue_row("aws")["pue"]), "provider")
    user = estimate(Job(watts=1000, hours=10, region="aws:eu-west-1", pue=1.3), own)
    assert (user.inputs.pue, user.inputs.facility.pue_origin) == (1.3, "user")
    assert user.energy_kwh == pytest.approx(13.0)  # 1 kW x 10 h x 1.3
