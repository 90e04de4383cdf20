"""The browser interface (ml_emissions.web): JSON in, JSON out, escaped HTML."""

from __future__ import annotations

import json

import pytest

from ml_emissions import Job, estimate, render, web
from ml_emissions.cli import main
from ml_emissions.formatting import exact, mass
from tests.conftest import zone_intensity


def test_default_estimate_has_html_and_permalink_and_its_exports_come_on_demand() -> None:
    reply = json.loads(web.calculate(json.dumps(web.DEFAULT_PARAMS)))
    assert reply["ok"] is True
    assert reply["query"] == ("hardware=NVIDIA+A100+SXM4+80GB&count=8&hours=24"
                              "&region=gcp%3Aus-central1")
    assert "exports" not in reply  # the page asks for them when the visitor exports
    assert "CO2e" in reply["html"] and "<svg" in reply["html"]
    exports = json.loads(web.exports_query(reply["query"]))
    assert exports == {"ok": True, "exports": web.respond(web.DEFAULT_PARAMS)["exports"]}
    assert set(exports["exports"]) == {"text", "json", "csv", "latex", "markdown", "model-card"}


def test_exports_of_a_bad_link_name_the_problem() -> None:
    reply = json.loads(web.exports_query("?hardware=V100&hours=-1&zone=FR"))
    assert reply["ok"] is False and reply["errors"][0]["field"] == "hours"
    reply = json.loads(web.exports_query("?hours=1&hours=2"))
    assert reply["ok"] is False and reply["errors"][0]["field"] == "form"


def test_exports_equal_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    params = {"hardware": "V100", "count": "4", "device-hours": "500", "zone": "FR",
              "runs": "20"}
    reply = web.respond(params)
    assert json.loads(web.exports_query(reply["query"]))["exports"] == reply["exports"]
    for name, text in reply["exports"].items():
        assert main(["estimate", "--hardware", "V100", "--count", "4", "--device-hours", "500",
                     "--zone", "FR", "--runs", "20", "--format", name]) == 0
        assert capsys.readouterr().out == text


def test_errors_name_the_form_field_with_its_label() -> None:
    reply = web.respond({"watts": "300", "hours": "-2", "zone": "FR"})
    assert reply == {"ok": False, "errors": [{
        "field": "hours",
        "message": "Hours per run: '-2' is not valid; expected a number greater than 0 "
                   "and at most 10,000,000"}],
        "params": {"watts": "300", "hours": "-2", "zone": "FR"}}  # to keep in the form
    reply = web.respond({"watts": "300", "hours": "2", "zone": "Frence"})
    assert reply["errors"][0]["field"] == "zone"
    assert "did you mean" in reply["errors"][0]["message"]


@pytest.mark.parametrize("request_text", [
    "not json", "[1, 2]", '{"hours": 5}', '{"hours": null}', "{" + '"a": "b",' * 2000 + "}",
])
def test_malformed_requests_get_a_form_error(request_text: str) -> None:
    reply = json.loads(web.calculate(request_text))
    assert reply["ok"] is False and reply["errors"][0]["field"] == "form"


def test_hostile_values_are_never_echoed_unescaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    for key in ("hardware", "zone", "region", "training-type", hostile):
        params = {"watts": "100", "hours": "1", "zone": "FR", key: hostile}
        if key in ("hardware",):
            del params["watts"]
        if key in ("region",):
            del params["zone"]
        reply = web.respond(params)
        assert reply["ok"] is False
        # the value is quoted as Python text, which the page sets as textContent
        message = " ".join(e["message"] for e in reply["errors"])
        assert repr(hostile) in message or repr(key) in message, message
    # a name that the catalog matches despite its markup: the markup stays out of the HTML
    accepted = web.respond({"watts": "100", "hours": "1", "zone": "<France>"})
    assert accepted["ok"] is True and accepted["params"]["zone"] == "<France>"
    assert "<France>" not in accepted["html"] and "France (FR)" in accepted["html"]


def test_user_text_in_html_is_escaped() -> None:
    job = Job(watts=100, hours=1, intensity=100)
    html = web.respond({"watts": "100", "hours": "1", "intensity": "100"})["html"]
    assert html == web.estimate_html(estimate(job), web.load_catalog())
    assert "<script" not in html


def test_form_options_list_the_whole_catalog() -> None:
    options = web.form_options()
    catalog = web.load_catalog()
    assert sum(len(v) for v in options["hardware"].values()) == len(catalog.hardware)
    assert sum(len(p["regions"]) for p in options["providers"]) == len(catalog.regions)
    assert len(options["zones"]) == len(catalog.zones)
    assert {"id": "GLOBAL", "label": "Global (GLOBAL)"} in options["zones"]  # world average
    assert set(options["labels"]) == set(options["parameters"])
    assert render(estimate(Job.from_params(options["defaults"])), "text")


def test_the_reply_gives_the_inputs_to_fill_the_form_with() -> None:
    reply = web.respond({"hardware": "V100", "hours": "3", "region": "GCP:US-CENTRAL1"})
    assert reply["params"] == {"hardware": "V100", "hours": "3", "region": "gcp:us-central1"}
    assert reply["query"] == "hardware=V100&hours=3&region=GCP%3AUS-CENTRAL1"


def test_a_permalink_reads_as_the_command_line_reads_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    query = "?hardware=V100&count=4&device-hours=500&zone=FR&runs=20"
    reply = json.loads(web.calculate_query(query))
    assert reply == web.respond({"hardware": "V100", "count": "4", "device-hours": "500",
                                 "zone": "FR", "runs": "20"}, exports=False)
    assert main(["estimate", "--from-url", "http://x/calculator/" + query,
                 "--format", "json"]) == 0
    assert capsys.readouterr().out == json.loads(web.exports_query(query))["exports"]["json"]
    assert json.loads(web.calculate_query(query.removeprefix("?"))) == reply


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?evil=1", "form", "Link: 'evil' is not a parameter; expected one of the parameters"),
    ("?hardware=V100&hours=1&hours=2&zone=FR", "form", "expected each parameter once"),
    ("?" + "&".join(f"x{i}=1" for i in range(40)), "form", "expected at most 35 parameters"),
    ("?hardware=V100&hours=abc&zone=FR", "hours", "Hours per run: 'abc' is not valid"),
    ("?hardware=V100&count=1e999&hours=1&zone=FR", "count", "Number of devices: '1e999'"),
    ("?hardware=V100&hours=1&zone=%3Cimg%20src%3Dx%3E", "zone", "'<img src=x>' is not valid"),
    ("?hardware=" + "x" * 20_000, "form", "the link is too long"),
])
def test_a_bad_permalink_gets_a_message(query: str, field: str, message: str) -> None:
    reply = json.loads(web.calculate_query(query))
    assert reply["ok"] is False
    error = reply["errors"][0]
    assert error["field"] == field and message in error["message"]


def test_devices_without_a_published_power_in_the_form() -> None:
    options = web.form_options()
    devices = {d["name"]: d for group in options["hardware"].values() for d in group}
    assert devices["Google TPU v5e"]["watts"] == "power unpublished"
    assert devices["NVIDIA A100 SXM4 80GB"]["watts"] == "400 W"  # NVIDIA datasheet
    reply = web.respond({"hardware": "TPU v5e", "hours": "2", "zone": "FR"})
    # next to the device: the form shows the measured-power field only once chosen
    assert reply["errors"] == [{"field": "hardware", "message":
                                "Hardware: Google TPU v5e: Google publishes no power figure "
                                "per device; choose \"Measured power per device (W)\" and "
                                "give the measured average power per device"}]
    assert web.respond({"hardware": "TPU v5e", "hours": "2", "zone": "FR",
                        "measured-watts": "120"})["ok"] is True


def test_form_options_give_what_an_empty_field_means() -> None:
    options = web.form_options()
    catalog = web.load_catalog()
    constant = {name: exact(catalog.constant(name).value)
                for name in ("default_utilization", "default_mfu", "embodied_lifetime_years",
                             "embodied_use_rate")}
    assert options["placeholders"] == {
        "count": "1", "runs": "1", "cpu-watts": "0", "memory-gb": "0",
        "utilization": constant["default_utilization"], "mfu": constant["default_mfu"],
        "lifetime-years": constant["embodied_lifetime_years"],
        "use-rate": constant["embodied_use_rate"],
        # optional fields without a value of their own
        "active-parameters": "", "embodied-kg-per-device": "",
        "embodied-host-kg-per-device": "", "compare-hardware": "", "compare-count": "",
        "compare-location": "", "compare-precision": ""}
    assert set(options["placeholders"]) <= set(options["parameters"])
    assert options["training_types"] == ["pre-training", "fine-tuning"]


def test_web_messages_name_fields_by_their_form_labels() -> None:
    reply = web.respond({"watts": "300", "hours": "2"})
    assert reply["errors"] == [{"field": "region", "message":
                                "Cloud region: missing; expected one of Cloud region, "
                                "Grid zone or country or Carbon intensity (gCO2e/kWh)"}]
    reply = web.respond({"watts": "300", "hours": "2", "device-hours": "3", "zone": "FR"})
    assert reply["errors"][0]["message"] == (
        "Device-hours per run: Hours per run and Device-hours per run given together; "
        "expected only one of Hours per run, Device-hours per run, Device-hours in total, "
        "Training FLOPs per run or Parameters, so drop one of them")


def test_the_announcement_gives_the_estimate_in_one_sentence() -> None:
    # 500 W x 4 h x PUE 1.5 = 3 kWh; CO2e = 3 kWh x France's life-cycle intensity
    reply = web.respond({"watts": "500", "hours": "4", "zone": "FR", "pue": "1.5"})
    co2e_kg = 3.0 * zone_intensity("FR") / 1000
    assert reply["announcement"].startswith(f"Estimate updated: {mass(co2e_kg)} CO2e (range ")
    assert reply["announcement"].endswith(", life-cycle), 3.00 kWh of electricity.")


def test_warm_up_rounds_leave_later_replies_unchanged() -> None:
    request = json.dumps({"hardware": "V100", "count": "3", "hours": "5",
                          "region": "aws:us-east-1"})
    before = web.calculate(request)
    for round_number in range(20):
        web.warm_up(round_number)
    assert web.calculate(request) == before
