"""MkDocs hook: replace the ``<!-- calculator:NAME -->`` markers of a page with HTML
rendered at build time from the engine.

* ``form``: the calculator's form, every list from :func:`ml_emissions.web.form_options`
  (usable before Python loads in the browser);
* ``result``: the first estimate, ``respond(DEFAULT_PARAMS)["html"]``, the same HTML the
  Web Worker returns for the same inputs;
* ``exports``: the export buttons, with the first estimate's reports as JSON in a data
  attribute (not in a ``<script type="application/json">``: Material's instant
  navigation re-creates the scripts of a page without their type, which would run it).

Any other ``<!-- calculator:... -->`` marker fails the build.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ml_emissions import web

MARKER = re.compile(r"<!--\s*calculator:(.*?)\s*-->", re.S)

# Alternative inputs: radio group -> (question, [(parameter, choice)]). The parameter
# of the checked choice is the only one of the group sent to Python.
MODES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "hardware": ("Power rating from", [("hardware", "Catalog device"), ("watts", "Custom power")]),
    "duration": ("Duration as", [("hours", "Hours per run"),
                                 ("device-hours", "Device-hours per run"),
                                 ("total-device-hours", "Device-hours in total")]),
    "cycle": ("Development cycle as", [("runs", "Runs"), ("development-hours", "Total hours")]),
    "power": ("Power drawn as", [("utilization", "Utilization"),
                                 ("measured-watts", "Measured power")]),
    "location": ("Location as", [("region", "Cloud region"), ("zone", "Grid zone"),
                                 ("intensity", "Intensity")]),
}

# The form's sections: a title and its items, each a radio group ("mode:NAME") or a
# parameter.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hardware", ("mode:hardware", "count")),
    ("Duration", ("mode:duration", "mode:cycle")),
    ("Power", ("mode:power", "cpu-watts", "memory-gb")),
    ("Location", ("mode:location", "basis", "facility", "pue")),
    ("Report", ("training-type",)),
)

HINTS = {
    "hardware": "Type to search the catalog (names and aliases).",
    "watts": "Rated power of one device.",
    "count": "Devices working in parallel.",
    "hours": "Wall-clock time of one run, in hours or with a unit: 90 min, 36 h, 14 d, 2 w.",
    "device-hours": "Device time of one run, all devices together (hours, or 14 d).",
    "total-device-hours": "Device time of the whole project, all runs together, as a "
                          "cluster's accounting or a bill gives it; runs only split it.",
    "runs": "Every run of the project, e.g. a hyper-parameter search.",
    "development-hours": "Wall-clock time of the whole project on these devices (hours, "
                         "or 14 d).",
    "utilization": "Share of the rated power drawn on average, from 0 to 1.",
    "measured-watts": "Measured average power of one device.",
    "cpu-watts": "Host CPUs of the whole job; optional.",
    "memory-gb": "Host memory of the whole job; optional.",
    "region": "Carbon intensity and PUE published for the region.",
    "zone": "Electricity Maps zone id, a country name, or GLOBAL (world average).",
    "intensity": "Grams of CO2e per kWh of electricity, on the basis chosen below.",
    "basis": "One basis for the estimate and every comparison: Electricity Maps' life-cycle "
             "or direct figure, or the provider's own (Google Cloud regions).",
    "facility": "Automatic: the provider's data centre for a cloud region; elsewhere a "
                "workstation for desktop GPUs and SoCs, else a data centre.",
    "pue": "Leave empty for the value of the facility (shown greyed).",
    "training-type": "Reported in the model card.",
}

# Fields chosen from a list: name -> (value, text) of each option, from form_options.
SELECTS: dict[str, Callable[[dict[str, Any]], list[tuple[str, str]]]] = {
    "training-type": lambda o: [(t, t) for t in o["training_types"]],
    "basis": lambda o: [(b["id"], b["label"]) for b in o["bases"]],
    "facility": lambda o: [("", "Automatic")] + [(f, f) for f in o["facilities"]],
}
DURATIONS = ("hours", "device-hours", "total-device-hours", "development-hours")

# How long the page waits for the live calculator: a download that sends nothing for
# STALL_MS fails, and so does a start that takes longer than START_MS (a slow network
# still delivers bytes; a dead one, or a server that never answers, does not).
STALL_MS = 30_000
START_MS = 180_000

# Export buttons: (format, action, label); downloads by format: (file name, MIME type).
EXPORTS = (
    ("latex", "copy", "Copy LaTeX + BibTeX"),
    ("markdown", "copy", "Copy Markdown"),
    ("model-card", "copy", "Copy model card"),
    ("json", "copy", "Copy JSON"),
    ("text", "copy", "Copy plain text"),
    ("json", "download", "Download JSON"),
    ("csv", "download", "Download CSV"),
)
DOWNLOADS = {
    "json": ("ml-emissions-estimate.json", "application/json"),
    "csv": ("ml-emissions-estimate.csv", "text/csv"),
}


def replace_markers(html: str, renderers: Mapping[str, Callable[[], str]], where: str) -> str:
    """Replace every marker of ``html`` by the output of its renderer; raise a
    :class:`PluginError` naming ``where`` for an unknown marker."""

    def render(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in renderers:
            raise PluginError(f"{where}: unknown marker {match.group(0)!r}; known markers: "
                              + ", ".join(f"<!-- calculator:{n} -->" for n in renderers))
        return renderers[name]()

    return MARKER.sub(render, html)


def _attrs(**attrs: str | bool | None) -> str:
    """HTML attributes: ``data_x`` is written ``data-x``; True is a bare attribute."""
    out = []
    for key, value in attrs.items():
        name = key.rstrip("_").replace("_", "-")
        if value is True:
            out.append(f" {name}")
        elif value not in (None, False):
            out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


def _option(value: str, text: str = "", *, selected: bool = False, label: str = "") -> str:
    return (f"<option{_attrs(value=value, label=label or None, selected=selected)}>"
            f"{escape(text)}</option>")


class _Form:
    """Renders the form for ``options`` (form_options) and the first ``reply``."""

    def __init__(self, options: dict[str, Any], reply: dict[str, Any]) -> None:
        self.options = options
        self.defaults: dict[str, str] = options["defaults"]
        self.labels: dict[str, str] = options["labels"]
        self.placeholders = {**options["placeholders"], "pue": reply["pue"]["value"]}
        self.active = {
            group: next((p for p, _ in choices if p in self.defaults), choices[0][0])
            for group, (_, choices) in MODES.items()
        }
        self.mode_of = {p: group for group, (_, choices) in MODES.items() for p, _ in choices}

    def control(self, name: str, disabled: bool) -> str:
        described = f"{name}-hint {name}-error"
        common = _attrs(id=name, name=name, disabled=disabled, aria_describedby=described)
        value = self.defaults.get(name, "")
        if name == "region":
            return self.region(common, value)
        if name in SELECTS:
            choices = "".join(_option(v, text, selected=v == value)
                              for v, text in SELECTS[name](self.options))
            return f"<select{common}>{choices}</select>"
        lists = {"hardware": "mle-hardware-list", "zone": "mle-zone-list"}
        numeric = "numeric" if name in ("count", "runs") else "decimal"
        text = name in lists or name in DURATIONS  # durations take a unit: "14 d"
        return (f'<input type="text"{common}'
                + _attrs(value=value or None, list=lists.get(name),
                         inputmode=None if text else numeric,
                         placeholder=self.placeholders.get(name),
                         data_optional=name in self.placeholders,
                         autocomplete="off", spellcheck="false")
                + ">")

    def region(self, common: str, value: str) -> str:
        providers = self.options["providers"]
        chosen = next((p["id"] for p in providers
                       if any(r["key"] == value for r in p["regions"])), providers[0]["id"])
        provider_options = "".join(_option(p["id"], p["name"], selected=p["id"] == chosen)
                                   for p in providers)
        groups = "".join(
            f'<optgroup{_attrs(label=p["name"], data_provider=p["id"])}>'
            + "".join(_option(r["key"], r["label"], selected=r["key"] == value)
                      for r in p["regions"])
            + "</optgroup>"
            for p in providers
        )
        return ('<label for="provider">Cloud provider</label>'
                f'<select id="provider">{provider_options}</select>'
                f'<label for="region">{escape(self.labels["region"])}</label>'
                f"<select{common}>{groups}</select>")

    def field(self, name: str) -> str:
        group = self.mode_of.get(name)
        inactive = group is not None and self.active[group] != name
        label = "" if name == "region" else (
            f'<label for="{name}">{escape(self.labels[name])}</label>')
        wrapper = _attrs(class_="mle-field", data_group=group,
                         data_mode=name if group else None, hidden=inactive)
        return (f"<div{wrapper}>{label}{self.control(name, inactive)}"
                f'<p class="mle-hint" id="{name}-hint">{escape(HINTS[name])}</p>'
                f'<p class="mle-error" id="{name}-error" hidden></p></div>')

    def modes(self, group: str) -> str:
        question, choices = MODES[group]
        radios = "".join(
            f'<input type="radio"{_attrs(id=f"choose-{param}", name=f"mode-{group}", value=param)}'
            f'{_attrs(checked=self.active[group] == param)}>'
            f'<label for="choose-{param}">{escape(choice)}</label>'
            for param, choice in choices
        )
        return (f'<fieldset class="mle-modes"><legend class="mle-sr-only">{escape(question)}'
                f'</legend>{radios}</fieldset>'
                + "".join(self.field(param) for param, _ in choices))

    def datalists(self) -> str:
        hardware = "".join(_option(d["name"], label=f"{kind}, {d['watts']}")
                           for kind, devices in self.options["hardware"].items()
                           for d in devices)
        zones = "".join(_option(z["id"], label=z["label"]) for z in self.options["zones"])
        return (f'<datalist id="mle-hardware-list">{hardware}</datalist>'
                f'<datalist id="mle-zone-list">{zones}</datalist>')

    def render(self, pyodide_url: str, wheel_url: str, snapshot_url: str | None = None) -> str:
        sections = "".join(
            f'<fieldset class="mle-section"><legend>{escape(title)}</legend>'
            + "".join(self.modes(item[5:]) if item.startswith("mode:") else self.field(item)
                      for item in items)
            + "</fieldset>"
            for title, items in SECTIONS
        )
        form_attrs = _attrs(id="mle-form", class_="mle-form", novalidate=True,
                            autocomplete="off", aria_label="Inputs of the estimate",
                            data_parameters=" ".join(self.options["parameters"]),
                            data_pyodide=pyodide_url, data_wheel=wheel_url,
                            data_snapshot=snapshot_url, data_stall_ms=str(STALL_MS),
                            data_start_ms=str(START_MS))
        return (f"<form{form_attrs}>"
                '<p id="mle-status" class="mle-status" role="status" aria-live="polite" '
                'data-state="static">The estimate shown is for the example inputs; the live '
                "calculator needs JavaScript.</p>"
                '<p id="form-error" class="mle-error mle-form-error" hidden></p>'
                f"{sections}{self.datalists()}</form>")


def render_result(reply: dict[str, Any]) -> str:
    """The result container with the first estimate."""
    return ('<p id="mle-stale" class="mle-stale-note" hidden>Showing the last valid '
            "estimate: correct the highlighted input to update it.</p>"
            f'<div id="mle-result" class="mle-result">{reply["html"]}</div>'
            # what screen readers hear once the visitor pauses (calculator.js)
            '<p id="mle-announce" class="mle-sr-only" role="status" aria-live="polite"></p>')


def render_exports(reply: dict[str, Any]) -> str:
    """The export buttons, and the reports of ``reply`` they start with."""
    buttons = []
    for fmt, action, label in EXPORTS:
        if fmt not in reply["exports"]:
            raise PluginError(f"calculator exports: no format {fmt!r} in ml_emissions.web")
        filename, mime = DOWNLOADS[fmt] if action == "download" else (None, None)
        buttons.append('<button type="button" class="md-button"'
                       + _attrs(data_export=fmt, data_action=action, data_filename=filename,
                                data_type=mime)
                       + f">{escape(label)}</button>")
    exports = json.dumps(reply["exports"], sort_keys=True)
    return (f'<div class="mle-exports"{_attrs(id="mle-exports", data_exports=exports)}>'
            f'<div class="mle-export-buttons">{"".join(buttons)}</div>'
            '<p id="mle-export-status" class="mle-export-status" role="status" '
            'aria-live="polite"></p>'
            '<textarea id="mle-export-text" class="mle-export-text" readonly hidden '
            'rows="8" aria-label="Export text: select it and copy it"></textarea></div>')


def _hashed(file: File) -> str:
    """The URL of ``file`` with a content hash, so that browsers never run a stale copy."""
    return f"{file.url}?sha256={hashlib.sha256(file.content_bytes).hexdigest()[:16]}"


def _runtime_urls(files: Files) -> tuple[str, str, str | None]:
    """Site-relative URLs of the Pyodide runtime directory, of the wheel and of the
    engine's memory snapshot (None if the site has none), the last two hashed."""
    runtime = [f for f in files if f.src_uri.rpartition("/")[2] == "pyodide.mjs"]
    wheels = [f for f in files if f.src_uri.endswith("-py3-none-any.whl")]
    snapshots = [f for f in files if f.src_uri.endswith(".pyodide-snapshot.gz")]
    if len(runtime) != 1 or len(wheels) != 1 or len(snapshots) > 1:
        raise PluginError("calculator page: the site must hold the Pyodide runtime and one "
                          "wheel (hooks npm_assets.py and calculator_wheel.py)")
    snapshot = _hashed(snapshots[0]) if snapshots else None
    return runtime[0].url.rpartition("/")[0] + "/", _hashed(wheels[0]), snapshot


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "calculator:" not in html:
        return html
    reply = web.respond(web.DEFAULT_PARAMS)
    renderers: dict[str, Callable[[], str]] = {
        "form": lambda: _Form(web.form_options(), reply).render(*_runtime_urls(files)),
        "result": lambda: render_result(reply),
        "exports": lambda: render_exports(reply),
    }
    return replace_markers(html, renderers, page.file.src_uri)
