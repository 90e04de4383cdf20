"""The calculator page's markup, rendered at build time from the engine: the form
(``<!-- calculator:form -->``), the first estimate (``<!-- calculator:result -->``) and the
export buttons (``<!-- calculator:exports -->``), through the autoescaping Jinja
templates of ``sitebuild/templates/``.

* the form: every list from :func:`ml_emissions.web.form_options` (usable before Python
  loads in the browser), the runtime's addresses (hashed, so a browser never runs a stale
  copy) and the page's waiting limits in its data attributes; above it, the summary of
  the first estimate (``respond(DEFAULT_PARAMS)["summary"]``: its CO2e and energy);
* the result: ``respond(DEFAULT_PARAMS)["html"]``, the same HTML the Web Worker returns
  for the same inputs, and its permalink (the engine's ``query``);
* the exports: the buttons, with the first estimate's reports as JSON in a data
  attribute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ml_emissions import web
from ml_emissions.compare import COMPARE_KEYS
from ml_emissions.records.jobs_csv import template
from ml_emissions.result_html import METHODOLOGY
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.runtime_files import RUNTIME_CACHE, RuntimeMissing, find_runtime

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Alternative inputs: radio group -> (question, [(parameter, choice)]). The parameter
# of the checked choice is the only one of the group sent to Python.
MODES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "hardware": ("Hardware as", [("hardware", "Catalog device"), ("instance", "Cloud instance"),
                                 ("watts", "Custom power")]),
    "duration": ("Duration as", [("hours", "Hours per run"),
                                 ("device-hours", "Device-hours per run"),
                                 ("total-device-hours", "Device-hours in total"),
                                 ("flops", "Training FLOPs"),
                                 ("parameters", "Parameters and tokens")]),
    "cycle": ("Development cycle as", [("runs", "Runs"), ("development-hours", "Total hours")]),
    "power": ("Power drawn as", [("utilization", "Utilization"),
                                 ("measured-watts", "Measured power")]),
    "location": ("Location as", [("region", "Cloud region"), ("zone", "Grid zone"),
                                 ("intensity", "Intensity")]),
}

# Fields shown with some choices of a radio group: field -> (group, choices).
COMPANIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tokens": ("duration", ("parameters",)),
    "active-parameters": ("duration", ("parameters",)),
    "precision": ("duration", ("flops", "parameters")),
    "mfu": ("duration", ("flops", "parameters")),
}

# The form's sections: a title and its items, each a radio group ("mode:NAME") or a
# parameter.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Hardware", ("mode:hardware", "count")),
    ("Work and duration", ("mode:duration", "mode:cycle")),
    ("Power", ("mode:power", "cpu-watts", "memory-gb")),
    ("Location", ("mode:location", "basis", "facility", "pue")),
    ("Embodied emissions", ("embodied", "embodied-kg-per-device",
                            "embodied-host-kg-per-device", "lifetime-years", "use-rate")),
    ("Compare scenarios", ("compare-hardware", "compare-count", "compare-location",
                           "compare-precision")),
    ("Report", ("training-type",)),
)

HINTS = {
    "hardware": "Type to search the catalog (names and aliases).",
    "watts": "Rated power of one device.",
    "instance": "A cloud instance type, e.g. aws:p4d.24xlarge: its accelerators, their "
                "count, host CPU share and memory, unless given here.",
    "count": "Devices working in parallel (empty: 1, or the instance's).",
    "hours": "Wall-clock time of one run, in hours or with a unit: 90 min, 36 h, 14 d, 2 w.",
    "device-hours": "Device time of one run, all devices together (hours, or 14 d).",
    "total-device-hours": "Device time of the whole project, all runs together, as a "
                          "cluster's accounting or a bill gives it; runs only split it.",
    "flops": "Training FLOPs of one run, e.g. 3.14e23; the hours follow from the device's "
             "peak throughput and the MFU.",
    "parameters": "Parameters of the model, e.g. 7B or 7e9; FLOPs = 6 x parameters x tokens.",
    "tokens": "Training tokens of one run, e.g. 2T.",
    "active-parameters": "Mixture of experts: parameters active per token; optional.",
    "precision": "Picks the device's peak dense throughput.",
    "mfu": "Share of the peak throughput the training achieves; leave empty for the "
           "default and its range.",
    "embodied": "The devices' share of their manufacturing emissions, never added to the "
                "operational figure.",
    "embodied-kg-per-device": "Leave empty for the catalog's figure of the device.",
    "embodied-host-kg-per-device": "Optional: the server's manufacturing CO2e divided by "
                                   "its devices, e.g. 2500 / 8 = 312.5.",
    "lifetime-years": "Years the hardware is in service.",
    "use-rate": "Share of its life the hardware runs jobs, from 0 to 1.",
    "compare-hardware": "Other devices for the same work, separated by ';', e.g. H100 SXM; "
                        "B200. Up to six scenarios in all.",
    "compare-count": "Other device counts, e.g. 16; 64: the same device-hours, fewer hours.",
    "compare-location": "Other cloud regions (gcp:europe-west1) or grid zones (SE-SE1), "
                        "separated by ';'.",
    "compare-precision": "Other precisions, e.g. fp8, with FLOPs or parameters, or with "
                         "hours to scale them by the devices' peak throughput.",
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
    "precision": lambda o: [("", f"Default ({o['default_precision'].upper()})")]
    + [(p, p.upper()) for p in o["precisions"]],
    "embodied": lambda o: [("yes", "Estimated, shown apart"), ("no", "Not estimated")],
}
DURATIONS = ("hours", "device-hours", "total-device-hours", "development-hours")
COUNTS = ("flops", "parameters", "active-parameters", "tokens")  # take a suffix: "7B"
LISTS = {"hardware": "mle-hardware-list", "zone": "mle-zone-list"}  # fields with a datalist

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


BOOT_SCRIPT = "javascripts/calculator-boot.js"
"""The script that starts the calculator's worker, relative to the site's root."""


class RuntimeURLs(NamedTuple):
    """URLs, relative to the site's root (the page's script resolves them against it), of
    the calculator's runtime, each with its content's hash (:mod:`sitebuild.runtime_files`)."""

    pyodide: str  # Pyodide's folder
    wheel: str  # the engine's wheel
    snapshot: str | None  # the engine's memory snapshot, if the site has one
    wasm: str  # Pyodide's WebAssembly module, Brotli-compressed


def runtime_attributes(runtime: RuntimeURLs) -> list[tuple[str, Any]]:
    """The data attributes the boot script (calculator-boot.js) reads: the runtime's
    addresses, the cache that keeps them, and the page's waiting limits."""
    return [("data-pyodide", runtime.pyodide), ("data-wheel", runtime.wheel),
            ("data-snapshot", runtime.snapshot), ("data-wasm", runtime.wasm),
            ("data-runtime-cache", RUNTIME_CACHE),
            ("data-stall-ms", STALL_MS), ("data-start-ms", START_MS)]


def render_boot(runtime: RuntimeURLs, src: str) -> str:
    """The boot script's element, its source at ``src`` (relative to the page), for the
    page's ``<head>``: the worker starts as soon as the page's first bytes are in."""
    return _environment().get_template("calculator_boot.html").render(
        boot=[("src", src), *runtime_attributes(runtime)])


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                       keep_trailing_newline=False)


@cache
def first_reply() -> dict[str, Any]:
    """The engine's reply for the example inputs (the page's first estimate)."""
    return web.respond(web.DEFAULT_PARAMS)


class FormData:
    """The template data of the form for ``options`` (form_options) and ``reply``."""

    def __init__(self, options: dict[str, Any], reply: dict[str, Any]) -> None:
        self.options = options
        self.summary = Markup(reply["summary"])  # made and escaped by the engine
        self.defaults: dict[str, str] = options["defaults"]
        self.labels: dict[str, str] = options["labels"]
        self.placeholders = {**options["placeholders"], "pue": reply["pue"]["value"]}
        self.active = {
            group: next((p for p, _ in choices if p in self.defaults), choices[0][0])
            for group, (_, choices) in MODES.items()
        }
        self.mode_of = {p: group for group, (_, choices) in MODES.items() for p, _ in choices}

    def field(self, name: str) -> dict[str, Any]:
        group = self.mode_of.get(name)
        modes: tuple[str, ...] = (name,)
        if name in COMPANIONS:
            group, modes = COMPANIONS[name]
        inactive = group is not None and self.active[group] not in modes
        value = self.defaults.get(name, "")
        data: dict[str, Any] = {
            "name": name, "label": self.labels[name], "hint": HINTS[name], "group": group,
            "mode": " ".join(modes) if group else None, "hidden": inactive, "options": None,
            "common": [("id", name), ("name", name), ("disabled", inactive),
                       ("aria-describedby", f"{name}-hint {name}-error")],
        }
        if name == "region":
            data.update(self._grouped(value, self.options["providers"], "regions"))
        elif name == "instance":
            data.update(self._grouped(value, self.options["instance_providers"], "instances"))
        elif name in SELECTS:
            data["options"] = [{"value": v, "text": t, "selected": v == value}
                               for v, t in SELECTS[name](self.options)]
        else:
            numeric = "numeric" if name in ("count", "runs") else "decimal"
            # free text: "14 d", "7B", "H100 SXM; B200"
            text = name in LISTS or name in DURATIONS or name in COUNTS or name in COMPARE_KEYS
            data["input"] = [("value", value or None), ("list", LISTS.get(name)),
                             ("inputmode", None if text else numeric),
                             ("placeholder", self.placeholders.get(name)),
                             ("data-optional", name in self.placeholders),
                             ("autocomplete", "off"), ("spellcheck", "false")]
        return data

    @staticmethod
    def _grouped(value: str, providers: list[dict[str, Any]], items: str) -> dict[str, Any]:
        """A provider's picker and the provider's ``items`` (regions or instance types),
        one option group per provider: the page's script shows the chosen provider's."""
        chosen = next((p["id"] for p in providers
                       if any(r["key"] == value for r in p[items])), providers[0]["id"])
        return {
            "providers": [{"id": p["id"], "name": p["name"], "selected": p["id"] == chosen}
                          for p in providers],
            "groups": [{"id": p["id"], "label": p["name"],
                        "options": [{"value": r["key"], "text": r["label"],
                                     "selected": r["key"] == value} for r in p[items]]}
                       for p in providers],
        }

    def modes(self, group: str) -> dict[str, Any]:
        question, choices = MODES[group]
        return {"group": group, "question": question,
                "choices": [{"param": p, "text": t, "checked": self.active[group] == p}
                            for p, t in choices],
                "fields": [self.field(p) for p, _ in choices]
                + [self.field(name) for name, (of, _) in COMPANIONS.items() if of == group]}

    def template_data(self, runtime: RuntimeURLs) -> dict[str, Any]:
        return {
            "form": [("id", "mle-form"), ("class", "mle-form"), ("novalidate", True),
                     ("autocomplete", "off"), ("aria-label", "Inputs of the estimate"),
                     ("data-parameters", " ".join(self.options["parameters"])),
                     *runtime_attributes(runtime)],
            "sections": [{"title": title,
                          "items": [self.modes(item[5:]) if item.startswith("mode:")
                                    else self.field(item) for item in items]}
                         for title, items in SECTIONS],
            "summary": self.summary,
            "hardware": [{"value": d["name"], "label": f"{kind}, {d['watts']}"}
                         for kind, devices in self.options["hardware"].items()
                         for d in devices],
            "zones": [{"value": z["id"], "label": z["label"]} for z in self.options["zones"]],
        }


def render_form(runtime: RuntimeURLs, options: dict[str, Any] | None = None,
                reply: dict[str, Any] | None = None) -> str:
    """The form, with the runtime's addresses (the
    page's script reads them there after an instant navigation, which leaves the boot
    script of the page's head out)."""
    data = FormData(options or web.form_options(), reply or first_reply())
    return _environment().get_template("calculator_form.html").render(
        data.template_data(runtime))


def render_result(reply: dict[str, Any] | None = None, page_url: str = "calculator/") -> str:
    """The result container with the first estimate (the engine's escaped HTML), and the
    estimate's permalink: its query as a link relative to the page at ``page_url``
    (site-relative), shown as that page's address until the page's script shows the
    full one."""
    reply = reply or first_reply()
    return _environment().get_template("calculator_result.html").render(
        html=Markup(reply["html"]), query=reply["query"], page=page_url)


def _buttons(exports: tuple[tuple[str, str, str], ...],
             downloads: dict[str, tuple[str, str]]) -> list[dict[str, str | None]]:
    """The template data of export buttons: (format, action, label), with the file name
    and MIME type of each download."""
    buttons: list[dict[str, str | None]] = []
    for fmt, action, label in exports:
        filename, mime = downloads[fmt] if action == "download" else (None, None)
        buttons.append({"format": fmt, "action": action, "label": label,
                        "filename": filename, "type": mime})
    return buttons


def render_exports(reply: dict[str, Any] | None = None) -> str:
    """The export buttons, and the reports of ``reply`` they start with."""
    reply = reply or first_reply()
    for fmt, _, _ in EXPORTS:
        if fmt not in reply["exports"]:
            raise MarkerError(f"calculator exports: no format {fmt!r} in ml_emissions.web")
    buttons = _buttons(EXPORTS, DOWNLOADS)
    return _environment().get_template("calculator_exports.html").render(
        buttons=buttons, exports=json.dumps(reply["exports"], sort_keys=True))


def runtime_urls(context: Context) -> RuntimeURLs:
    """The runtime's URLs among the site's files."""
    try:
        runtime = find_runtime(context.files or [])
    except RuntimeMissing as error:
        raise MarkerError(f"calculator page: {error}") from None
    return RuntimeURLs(runtime.pyodide_dir, runtime.wheel, runtime.snapshot, runtime.wasm)


def form(context: Context) -> str:
    """``<!-- calculator:form -->``, and the boot script in the page's head."""
    runtime = runtime_urls(context)
    context.head.append(render_boot(runtime, context.link(BOOT_SCRIPT)))
    return render_form(runtime)


def result(context: Context) -> str:
    """``<!-- calculator:result -->``. The engine's HTML links to the Methodology page by
    an address relative to the calculator page (:data:`ml_emissions.result_html.METHODOLOGY`):
    a page at another depth would break those links, so it fails the build."""
    if context.link("methodology/") != METHODOLOGY:
        raise MarkerError(f"calculator:result on {context.page_url!r}: the engine links to "
                          f"the Methodology page as {METHODOLOGY!r}, which is "
                          f"{context.link('methodology/')!r} from this page")
    return render_result(page_url=context.page_url)


def exports(context: Context) -> str:
    """``<!-- calculator:exports -->``."""
    return render_exports()


# -- the Project page ---------------------------------------------------------------

PROJECT_HINTS = {
    "location": "For the jobs of an imported file without one: a grid zone (FR, "
                "US-CAL-CISO) or a cloud region (gcp:europe-west1).",
    "gpu-map": "For a sacct log: its GPU types as catalog devices, e.g. a100=A100 80GB SXM; "
               "h100=H100 SXM.",
    "partition-map": "For a sacct log whose jobs name no GPU model: gpu=A100 80GB SXM.",
    "cpu-watts-per-cpu": "For a sacct log: the power of one allocated CPU; host power is "
                         "that times the job's CPUs.",
    "final": "Job ids or names of the final training runs, separated by ';'.",
}

# Project exports: (format, action, label); downloads: (file name, MIME type). "jobs" is
# the table of jobs itself, which the page keeps and ml-emissions project reads; "link"
# the page's address with the jobs in it (a small project only).
PROJECT_EXPORTS = (
    ("jobs", "download", "Download the jobs (CSV)"),
    ("link", "copy", "Copy a link to these jobs"),
    ("latex", "copy", "Copy LaTeX + BibTeX"),
    ("markdown", "copy", "Copy Markdown"),
    ("model-card", "copy", "Copy model card"),
    ("json", "download", "Download JSON"),
    ("csv", "download", "Download CSV report"),
)
PROJECT_DOWNLOADS = {
    "jobs": ("ml-emissions-jobs.csv", "text/csv"),
    "json": ("ml-emissions-project.json", "application/json"),
    "csv": ("ml-emissions-project.csv", "text/csv"),
}


def render_project_form(runtime: RuntimeURLs) -> str:
    """The Project page's form, first result and export buttons, for the example jobs."""
    example = template()
    reply = json.loads(web.project(json.dumps({"table": example})))
    if not reply["ok"]:
        raise MarkerError(f"the Project page's example jobs fail: {reply['errors']}")
    buttons = _buttons(PROJECT_EXPORTS, PROJECT_DOWNLOADS)
    labels = web.PROJECT_OPTION_LABELS
    return _environment().get_template("project_form.html").render(
        form=[("id", "mle-project"), ("class", "mle-form"), ("novalidate", True),
              ("autocomplete", "off"), ("aria-label", "The project's jobs"),
              *runtime_attributes(runtime), ("data-example", example)],
        options=[{"name": name, "label": labels[name], "hint": hint}
                 for name, hint in PROJECT_HINTS.items()],
        labels=labels, example=example, html=Markup(reply["html"]), buttons=buttons)


def project(context: Context) -> str:
    """``<!-- calculator:project -->``, and the boot script in the page's head."""
    runtime = runtime_urls(context)
    context.head.append(render_boot(runtime, context.link(BOOT_SCRIPT)))
    return render_project_form(runtime)
