"""The command line: formats, listings, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ml_emissions import Job, __version__, estimate, load_catalog, render
from ml_emissions.cli import main
from tests.conftest import data_rows

A100 = ["--hardware", "A100 80GB SXM", "--count", "8", "--hours", "120"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_json_has_energy_co2e_and_resolved_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["estimate", *A100, "--zone", "FR", "--format", "json"], capsys)
    assert status == 0
    data = json.loads(out)
    # 8 x 400 W x 120 h x PUE 1.56 = 599.04 kWh
    assert data["energy_kwh"] == pytest.approx(599.04)
    fr = next(r for r in data_rows("grid_zones.csv") if r["zone_id"] == "FR")
    assert data["co2e_kg"] == pytest.approx(599.04 * float(fr["intensity_lifecycle_g_per_kwh"])
                                            / 1000)
    inputs = data["inputs"]
    assert inputs["rated_watts"] == 400
    assert inputs["pue"] == 1.56 and inputs["facility"]["pue_source"]["citation"]
    assert inputs["facility"]["kind"] == "data-centre"  # a data-centre device in a zone
    assert inputs["location"]["basis"] == "life-cycle"
    assert data["comparisons"][0]["kind"] == "any_zone"
    assert inputs["location"]["intensity_source"]["citation"].startswith("Electricity Maps")


def test_cli_output_equals_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    job = Job(hardware="A100 80GB SXM", count=8, hours=120, region="gcp:us-central1", runs=5)
    for format_name in ("text", "json", "csv", "latex", "markdown", "model-card"):
        status, out, _ = run(["estimate", *A100, "--region", "gcp:us-central1", "--runs", "5",
                              "--format", format_name], capsys)
        assert status == 0
        assert out == render(estimate(job), format_name)


def test_model_card_emissions_are_in_grams(capsys: pytest.CaptureFixture[str]) -> None:
    # 2 x 300 W x 10 h x PUE 1.2 x 400 g/kWh = 2,880 g
    status, out, _ = run(["estimate", "--watts", "300", "--count", "2", "--hours", "10",
                          "--intensity", "400", "--pue", "1.2", "--format", "model-card",
                          "--training-type", "fine-tuning"], capsys)
    assert status == 0
    assert out.splitlines() == [
        "co2_eq_emissions:",
        "  emissions: 2880",
        f'  source: "ML Emissions Calculator {__version__} (Lacoste et al. 2019, '
        'arXiv:1910.09700); location-based, life-cycle carbon intensity"',
        '  training_type: "fine-tuning"',
        '  geographical_location: "custom intensity 400 gCO2e/kWh"',
        '  hardware_used: "2 x custom device"',
    ]


def test_latex_names_count_pue_sources_and_has_bibtex(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["estimate", *A100, "--zone", "FR", "--format", "latex"], capsys)
    assert status == 0
    paragraph, _, bibtex = out.partition("\n\n% BibTeX")
    assert "8 $\\times$ NVIDIA A100 SXM4 80GB" in paragraph
    assert "(PUE) of 1.56 (survey average~\\cite{uptimeinstitute2024})" in paragraph
    assert "(life-cycle, yearly average 2024~\\cite{electricitymaps2024})" in paragraph
    assert "\\cite{lacoste2019quantifying}" in paragraph
    assert "CO$_2$e" in paragraph and "CO2e" not in paragraph
    for key in ("lacoste2019quantifying", "ml_emissions_calculator", "uptimeinstitute2024",
                "electricitymaps2024", "nvidiaa1002020"):  # every key cited has its entry
        assert f"\\cite{{{key}}}" in paragraph
        assert f"{{{key}," in bibtex
    assert "Uptime Institute" in bibtex and "Electricity Maps" in bibtex


def test_markdown_cites_a_reference_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["estimate", *A100, "--zone", "FR", "--format", "markdown"], capsys)
    assert status == 0
    assert out.startswith("### Carbon emissions")
    paragraph, _, listing = out.partition("#### References")
    assert "following Lacoste et al. [1]" in paragraph and "Calculator [2]" in paragraph
    assert "(survey average [5])" in paragraph and "2024 [4])" in paragraph
    items = [line for line in listing.splitlines() if line.strip()]
    assert items[0].startswith("1. Lacoste") and "https://arxiv.org/abs/1910.09700" in items[0]
    assert items[1].startswith("2. ML Emissions Calculator contributors (2026)")
    assert items[3].startswith("4. Electricity Maps") and items[4].startswith("5. Uptime")


def test_from_url_reproduces_a_permalink(capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://127.0.0.1:8000/calculator/?hardware=A100+80GB+SXM&count=8&hours=120&zone=FR"
    _, from_url, _ = run(["estimate", "--from-url", url, "--format", "json"], capsys)
    _, from_flags, _ = run(["estimate", *A100, "--zone", "FR", "--format", "json"], capsys)
    assert from_url == from_flags


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["estimate", *A100],
         "error: --region: missing; expected one of --region, --zone or --intensity"),
        (["estimate", *A100, "--zone", "FR", "--region", "gcp:us-central1"],
         "error: --zone: --region and --zone given together; expected only one of --region, "
         "--zone or --intensity"),
        (["estimate", "--hardware", "A100 80GB SMX", "--hours", "1", "--zone", "FR"],
         "error: --hardware: 'A100 80GB SMX' is not valid"),
        (["estimate", "--watts", "100", "--hours", "-4", "--zone", "FR"],
         "error: --hours: '-4' is not valid; expected a number greater than 0"),
        (["estimate", "--watts", "100", "--hours", "nan", "--zone", "FR"],
         "error: --hours: 'nan' is not valid"),
        (["estimate", "--watts", "100", "--hours", "abc", "--zone", "FR"],
         "error: --hours: 'abc' is not valid; expected a number"),
        (["estimate", "--watts", "100", "--hours", "1", "--zone", "FR", "--pue", "0.5"],
         "error: --pue: '0.5' is not valid; expected a number at least 1 and at most 3"),
        (["estimate", "--watts", "100", "--hours", "1", "--zone", "Atlantis"],
         "error: --zone: 'Atlantis' is not valid"),
        (["estimate", "--watts", "100", "--hours", "1", "--region", "gcp:mars-1"],
         "error: --region: 'gcp:mars-1' is not valid"),
        (["estimate", "--watts", "100", "--hours", "1", "--zone", "FR", "--format", "pdf"],
         "error: argument --format: invalid choice: 'pdf'"),
        (["estimate", "--from-url", "?hours=1&watts=1&zone=FR&evil=1"],
         "error: --from-url: 'evil' is not a parameter; expected one of the parameters"),
        (["regions", "nowhere"], "error: --provider: 'nowhere' is not valid"),
        (["estimate", "--hardware", "Trillium", "--hours", "1", "--zone", "FR"],
         "error: --measured-watts: missing for Google TPU v6e (Trillium); Google publishes no "
         "power figure per device, so give the measured average power per device in watts "
         "(measure it"),
        # 31 inputs and the calculator's 4 comparison keys
        (["estimate", "--from-url", "?" + "&".join(f"k{i}=1" for i in range(40))],
         "error: --from-url: '40 parameters' is not valid; expected at most 35 parameters"),
        (["estimate", "--from-url", "?hours=1&hours=2"],
         "error: --from-url: 'hours' is not valid; expected each parameter once"),
        (["frobnicate"], "error: argument command: invalid choice"),
    ],
)
def test_errors_are_one_line_on_stderr_with_status_2(
        args: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(args, capsys)
    assert status == 2
    assert out == ""
    assert err.startswith(expected)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_misspelled_hardware_suggests_up_to_three(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(["estimate", "--hardware", "A100 80GB SMX", "--hours", "1", "--zone", "FR"],
                    capsys)
    suggestions = err.split("did you mean ")[1].split("?")[0].split(", ")
    assert 1 <= len(suggestions) <= 3
    assert "(run 'ml-emissions hardware' for the list)" in err


def test_listings_show_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = load_catalog()
    for command, table in (("hardware", "hardware.csv"), ("zones", "grid_zones.csv"),
                           ("regions", "cloud_regions.csv")):
        status, out, _ = run([command, "--json"], capsys)
        assert status == 0
        assert len(json.loads(out)) == len(data_rows(table))
        status, out, _ = run([command], capsys)
        assert len(out.splitlines()) == len(data_rows(table)) + 1  # header
    status, out, _ = run(["regions", "gcp", "--json"], capsys)
    assert {r["region"] for r in json.loads(out)} == {r.key for r in catalog.regions_of("gcp")}
    status, out, _ = run(["zones", "quebec", "--json"], capsys)
    assert [r["zone"] for r in json.loads(out)] == ["CA-QC"]


IBM_MULTIZONE_REGIONS = {  # IBM Cloud docs, "Locations for resource deployment", 2025
    "us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok",
    "jp-osa", "au-syd"}


def test_regions_of_ibm_cloud(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["regions", "ibm", "--json"], capsys)
    assert status == 0
    rows = json.loads(out)
    assert {r["region"] for r in rows} == {f"ibm:{r}" for r in IBM_MULTIZONE_REGIONS}
    unknown = next(p for p in data_rows("pue.csv") if p["pue_id"] == "unknown")
    assert {r["pue"] for r in rows} == {f"{float(unknown['pue']):.2f} (survey average)"}
    status, out, _ = run(["regions", "IBM"], capsys)
    assert status == 0
    assert len(out.splitlines()) == 1 + len(IBM_MULTIZONE_REGIONS)


def test_hardware_listing_says_when_the_power_is_unpublished(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["hardware", "trainium2", "--json"], capsys)
    assert status == 0
    (row,) = json.loads(out)
    assert (row["name"], row["watts"], row["basis"]) == ("AWS Trainium2", "unpublished",
                                                         "unpublished")
    status, out, _ = run(["estimate", "--hardware", "Trainium2", "--count", "16", "--hours",
                          "2", "--measured-watts", "500", "--intensity", "100", "--pue", "1",
                          "--format", "json"], capsys)
    assert status == 0
    assert json.loads(out)["energy_kwh"] == pytest.approx(16 * 500 * 2 / 1000)  # 16 kWh


def test_cite_prints_both_entries(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["cite"], capsys)
    assert status == 0
    assert "@article{lacoste2019quantifying," in out and "@software{" in out


def test_python_m_and_console_script_run() -> None:
    for command in ([sys.executable, "-m", "ml_emissions", "--version"],
                    [sys.executable.replace("python", "ml-emissions"), "--version"]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("ml-emissions ")


def test_zones_lists_the_world_average(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["zones", "--json"], capsys)
    assert status == 0
    (world,) = [row for row in json.loads(out) if row["zone"] == "GLOBAL"]
    assert (world["country"], world["year"]) == ("Global", 2023)
    assert world["source"].startswith("Ember")
    status, out, _ = run(["zones", "global"], capsys)
    assert status == 0 and "GLOBAL" in out
    status, out, _ = run(["estimate", "--watts", "1000", "--hours", "100", "--zone", "World",
                          "--format", "json"], capsys)
    assert status == 0
    assert json.loads(out)["inputs"]["location"]["key"] == "GLOBAL"
