"""The browser interface (ml_emissions.web): JSON in, JSON out, escaped HTML."""

from __future__ import annotations

import json

import pytest

from ml_emissions import Job, estimate, render, web
from ml_emissions.cli import main


def test_default_estimate_has_html_exports_and_permalink() -> None:
    reply = json.loads(web.calculate(json.dumps(web.DEFAULT_PARAMS)))
    assert reply["ok"] is True
    assert reply["query"] == ("hardware=NVIDIA+A100+SXM4+80GB&count=8&hours=24"
                              "&region=gcp%3Aus-central1")
    assert set(reply["exports"]) == {"text", "json", "csv", "latex", "markdown", "model-card"}
    assert "CO2e" in reply["html"] and "<svg" in reply["html"]


def test_exports_equal_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    params = {"hardware": "V100", "count": "4", "device-hours": "500", "zone": "FR",
              "runs": "20"}
    reply = web.respond(params)
    for name, text in reply["exports"].items():
        assert main(["estimate", "--hardware", "V100", "--count", "4", "--device-hours", "500",
                     "--zone", "FR", "--runs", "20", "--format", name]) == 0
        assert capsys.readouterr().out == text


def test_errors_name_the_form_field_with_its_label() -> None:
    reply = web.respond({"watts": "300", "hours": "-2", "zone": "FR"})
    assert reply == {"ok": False, "errors": [{
        "field": "hours",
        "message": "Hours per run: '-2' is not valid; expected a number greater than 0 "
                   "and at most 10,000,000"}]}
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
        # the message goes into the page as text (textContent), and is plain data here
        assert isinstance(reply["errors"][0]["message"], str)


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
    assert set(options["labels"]) == set(options["parameters"])
    assert render(estimate(Job.from_params(options["defaults"])), "text")
