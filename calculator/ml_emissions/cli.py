"""The ``ml-emissions`` command line.

Subcommands: ``estimate``, ``compare``, ``project``, ``hardware``, ``regions``, ``zones``,
``cite``. A user's
mistake prints one ``error:`` line on stderr naming the flag, the value and what is
allowed, and exits with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from . import formatting as fmt
from ._version import __version__
from .catalog import Catalog, Hardware, Instance, Region, Zone, load_catalog, normalize_name
from .citation import PAPER_BIBTEX, tool_bibtex
from .compare import COMPARE_KEYS, SCENARIO_FIELDS, compare, compare_params_from_query
from .compare_reports import COMPARISON_FORMATS, render_comparison
from .compute import PRECISIONS
from .engine import estimate
from .errors import InputError, UnknownParameterError, each_error
from .facility import PUE_TYPE_WORDS, resolve_facility
from .job import PARAMETERS, TRAINING_TYPES, params_from_query
from .location import region_location
from .project import estimate_project
from .project_reports import PROJECT_FORMATS, render_project
from .records import KINDS, ImportOptions, read_records
from .records.jobs_csv import template as jobs_template
from .records.text import device_map, power_per_cpu
from .reports import FORMATS, render, text_table
from .resolve import job_from_params

__all__ = ["main"]

USAGE_ERROR = 2


class UsageError(Exception):
    """A command-line mistake (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, raised instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (run '{self.prog} --help' for usage)")


_FLAG_HELP = {
    "hardware": "device name or alias from the catalog, e.g. 'A100 80GB SXM'",
    "watts": "custom rated power per device [W], instead of --hardware",
    "instance": "cloud instance type PROVIDER:TYPE, e.g. aws:p4d.24xlarge: its accelerator, "
                "count, host CPU share and memory, each unless given",
    "count": "number of devices (default 1, or the instance's)",
    "hours": "wall-clock duration of one run: hours, or a number and a unit (90 min, 36 h, "
             "14 d, 2 w)",
    "device_hours": "device-hours of one run (all devices together), instead of --hours",
    "total_device_hours": "device-hours of the whole project, all runs together (a "
                          "cluster's or a bill's total), instead of --hours; --runs then "
                          "only splits it into runs",
    "flops": "training FLOPs of one run (e.g. 3.14e23), instead of --hours: the hours follow "
             "from the device's peak throughput and the MFU",
    "parameters": "model parameters (e.g. 7e9 or 7B), with --tokens, instead of --hours: "
                  "FLOPs = 6 x parameters x tokens",
    "active_parameters": "parameters active per token of a mixture-of-experts model, with "
                         "--parameters",
    "tokens": "training tokens of one run (e.g. 2T), with --parameters",
    "precision": "training precision, picks the peak dense throughput: "
                 + ", ".join(PRECISIONS) + " (default bf16)",
    "mfu": "model FLOPs utilisation in (0, 1] (default: default_mfu of data/constants.csv, "
           "with its range)",
    "utilization": "fraction of rated power drawn, in (0, 1] (default: default_utilization "
                   "of data/constants.csv, the rated power)",
    "measured_watts": "measured average power per device [W], instead of --utilization",
    "cpu_watts": "host CPU power for the whole job [W] (default 0, or the instance's vCPUs' "
                 "share of its CPU)",
    "memory_gb": "host memory for the whole job [GB] (default 0, or the instance's)",
    "pue": "power usage effectiveness (default: the facility's, see --facility)",
    "facility": "cloud, data-centre, hpc or workstation (default: cloud for a --region; "
                "else workstation for a desktop GPU or SoC, data-centre otherwise)",
    "region": "cloud region PROVIDER:REGION, e.g. gcp:us-central1",
    "zone": "grid zone id or country, e.g. FR, US-CAL-CISO, CA-QC",
    "intensity": "custom carbon intensity [gCO2e/kWh], taken to be on --basis",
    "basis": "basis of every intensity and comparison: life-cycle (default), direct, or "
             "provider (the provider's own figure, where it publishes one)",
    "runs": "number of runs in the development cycle (default 1)",
    "development_hours": "total wall-clock hours of the development cycle, instead of --runs",
    "training_type": "'pre-training' or 'fine-tuning' (for the model card)",
    "embodied_kg_per_device": "manufacturing emissions of one device [kgCO2e], instead of "
                              "the catalog's",
    "embodied_host_kg_per_device": "host server's manufacturing emissions per device it "
                                   "holds [kgCO2e] (e.g. 2500 / 8 = 312.5); counted only "
                                   "when given",
    "lifetime_years": "service life of the hardware for embodied emissions [years] "
                      "(default: embodied_lifetime_years)",
    "use_rate": "share of its life the hardware runs jobs, in (0, 1] (default: "
                "embodied_use_rate)",
}


def _flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def _cmd_estimate(args: argparse.Namespace) -> str:
    params = (params_from_query(args.from_url, extra_keys=len(COMPARE_KEYS))
              if args.from_url else {})
    if any(key in params for key in COMPARE_KEYS):
        raise UsageError("--from-url: the link compares scenarios; run 'ml-emissions compare "
                         "--from-url' to reproduce them")
    for field in PARAMETERS:
        value = getattr(args, field)
        if value is not None:
            params[field.replace("_", "-")] = value
    catalog = load_catalog()
    return render(estimate(job_from_params(params, catalog), catalog), args.format)


def _cmd_compare(args: argparse.Namespace) -> str:
    """Scenarios from repeated flags (and a comparison permalink); flags override it."""
    shared, varied = compare_params_from_query(args.from_url) if args.from_url else ({}, {})
    locations = (args.region or []) + (args.zone or [])
    if locations:  # the flags' locations replace the link's
        for key in ("region", "zone", "intensity"):
            shared.pop(key, None)
            varied.pop(key, None)
    for field in PARAMETERS:
        value = getattr(args, field)
        key = field.replace("_", "-")
        if value is None:
            continue
        if field not in SCENARIO_FIELDS:
            shared[key] = value
            continue
        shared.pop(key, None)
        varied.pop(key, None)
        many = len(locations) > 1 if field in ("region", "zone") else len(value) > 1
        if many:
            varied[key] = value
        else:
            shared[key] = value[0]
    return render_comparison(compare(shared, varied, load_catalog()), args.format)


_PROJECT_DEFAULTS = ("zone", "region", "intensity", "facility", "pue", "basis")


def _cmd_project(args: argparse.Namespace) -> str:
    """A project from a file of records: every job estimated and totalled."""
    if args.template:
        return jobs_template()
    if not args.file:
        raise UsageError("give a FILE (or '-' for standard input), or --template")
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        raise InputError("file", args.file, f"a file that can be read ({error.strerror})") from None
    options = ImportOptions(
        defaults={f.replace("_", "-"): getattr(args, f) for f in _PROJECT_DEFAULTS
                  if getattr(args, f) is not None},
        gpu_map=device_map(args.gpu_map or (), "gpu_map"),
        partition_map=device_map(args.partition_map or (), "partition_map"),
        cpu_watts_per_cpu=power_per_cpu(args.cpu_watts_per_cpu),
        final=frozenset(args.final or ()))
    catalog = load_catalog()
    records = read_records(data, options, args.kind, catalog)
    project = estimate_project(records.jobs, catalog, skipped=records.skipped,
                               problems=records.problems)
    if not project.jobs:
        first = project.problems[0] if project.problems else "the file lists no job that ran"
        raise UsageError(f"{args.file}: no job could be counted ({records.summary}); {first}")
    if project.problems:
        _warn(f"{args.file}: {records.summary}; {len(project.problems)} job(s) not counted, "
              "each listed in the report")
    return render_project(project, args.format)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return "\n".join(text_table(header, rows)) + "\n"


def _matches(query: str | None, *names: str) -> bool:
    if not query:
        return True
    key = normalize_name(query)
    return any(key in normalize_name(name) for name in names)


def _listing(rows: list[dict[str, object]], as_json: bool, what: str, query: str | None) -> str:
    if not rows:
        raise UsageError(f"no {what} matches {query!r}")
    if as_json:
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    header = list(rows[0])
    return _table(header, [["" if r[h] is None else str(r[h]) for h in header] for r in rows])


def _hardware_row(device: Hardware, catalog: Catalog) -> dict[str, object]:
    watts = "unpublished" if device.tdp_w is None else fmt.exact(device.tdp_w)
    peaks = ", ".join(f"{p}={fmt.exact(peak.dense_tflops)}" for p in catalog.precisions(device)
                      if (peak := catalog.peak(device, p)) is not None)
    return {"name": device.name, "kind": device.kind, "segment": device.segment,
            "watts": watts, "dense_tflops": peaks or None,
            "basis": device.power_basis, "memory_gb": device.memory_gb,
            "year": device.release_year, "source": device.source.citation,
            "aliases": "; ".join(device.aliases)}


def _cmd_hardware(args: argparse.Namespace, catalog: Catalog) -> str:
    rows = [_hardware_row(d, catalog) for d in catalog.hardware
            if _matches(args.query, d.name, d.hardware_id, d.vendor, d.kind, *d.aliases)]
    return _listing(rows, args.json, "hardware", args.query)


def _region_row(region: Region, catalog: Catalog) -> dict[str, object]:
    location = region_location(catalog, region, "life-cycle")
    facility = resolve_facility(catalog, "cloud", None, None, region)
    figures = {f.basis: fmt.number(f.g_per_kwh) for f in location.figures}
    return {"region": region.key, "name": region.display_name, "zone": region.zone_id,
            "lifecycle_g_per_kwh": figures["life-cycle"],
            "direct_g_per_kwh": figures.get("direct"),
            "provider_g_per_kwh": figures.get("provider"),
            "pue": f"{fmt.number(facility.pue)} ({PUE_TYPE_WORDS[facility.pue_type]})",
            "cfe_pct": None if region.cfe_pct is None else fmt.number(region.cfe_pct),
            "source": region.source.citation}


def _cmd_regions(args: argparse.Namespace, catalog: Catalog) -> str:
    provider = (args.provider or "").lower()
    if provider and provider not in {p.provider_id for p in catalog.providers}:
        raise InputError("provider", args.provider, "one of " + ", ".join(
            sorted(p.provider_id for p in catalog.providers)))
    rows = [_region_row(r, catalog) for r in catalog.regions
            if not provider or r.provider == provider]
    return _listing(rows, args.json, "region", provider)


def _instance_row(instance: Instance, catalog: Catalog) -> dict[str, object]:
    cpu = catalog.device(instance.cpu_id).name if instance.cpu_id else None
    return {"instance": instance.key, "family": instance.family,
            "accelerators": f"{instance.accelerator_count} x "
                            f"{catalog.device(instance.accelerator_id).name}",
            "vcpus": instance.vcpus, "memory_gb": instance.memory_gb, "cpu": cpu,
            "source": instance.source.citation}


def _cmd_instances(args: argparse.Namespace, catalog: Catalog) -> str:
    rows = [_instance_row(i, catalog) for i in catalog.instances
            if _matches(args.query, i.key, i.family, i.accelerator_id)]
    return _listing(rows, args.json, "instance", args.query)


def _zone_row(zone: Zone) -> dict[str, object]:
    return {"zone": zone.zone_id, "name": zone.zone_name, "country": zone.country,
            "lifecycle_g_per_kwh": fmt.number(zone.intensity_lifecycle_g_per_kwh),
            "direct_g_per_kwh": None if zone.intensity_direct_g_per_kwh is None
            else fmt.number(zone.intensity_direct_g_per_kwh),
            "year": zone.source.year, "source": zone.source.citation}


def _cmd_zones(args: argparse.Namespace, catalog: Catalog) -> str:
    rows = [_zone_row(z) for z in catalog.zones
            if _matches(args.query, z.zone_id, z.zone_name, z.country)]
    return _listing(rows, args.json, "zone", args.query)


def _cmd_cite(args: argparse.Namespace) -> str:
    return PAPER_BIBTEX + "\n\n" + tool_bibtex() + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ml-emissions`` (also used to document the flags)."""
    parser = _Parser(prog="ml-emissions", description=(
        "Estimate the energy use and carbon emissions of training machine-learning models "
        "(companion of Lacoste et al. 2019, arXiv:1910.09700)."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = commands.add_parser("estimate", help="estimate one job and its development cycle")
    _add_job_flags(est, repeated=())
    est.add_argument("--from-url", metavar="URL", action=_Once,
                     help="read the inputs from a calculator permalink (flags override it)")
    est.add_argument("--format", choices=list(FORMATS), default="text",
                     help="output format (default: text)")

    cmp = commands.add_parser(
        "compare", help="compare the same work on 2 to 6 choices of hardware, count, "
        "region, zone or precision (repeat a flag: --hardware H100 --hardware B200)")
    _add_job_flags(cmp, repeated=SCENARIO_FIELDS)
    cmp.add_argument("--from-url", metavar="URL", action=_Once,
                     help="read the scenarios from a comparison permalink (flags override it)")
    cmp.add_argument("--format", choices=list(COMPARISON_FORMATS), default="text",
                     help="output format (default: text)")

    proj = commands.add_parser(
        "project", help="estimate a whole project from a file: a sacct -P log, CodeCarbon's "
        "emissions.csv or a table of jobs (one row per job, columns named like the flags)")
    proj.add_argument("file", nargs="?", metavar="FILE", help="the file ('-': standard input)")
    proj.add_argument("--kind", choices=KINDS, default="auto",
                      help="the kind of file (default: from its header)")
    proj.add_argument("--format", choices=list(PROJECT_FORMATS), default="text",
                      help="output format (default: text)")
    for field in _PROJECT_DEFAULTS:
        proj.add_argument(_flag(field), dest=field, metavar="VALUE", action=_Once,
                          help=f"for every job without one: {_FLAG_HELP[field]}")
    proj.add_argument("--gpu-map", action="append", metavar="TYPE=DEVICE",
                      help="a scheduler's GPU type as a catalog device, e.g. a100='A100 80GB "
                           "SXM' (repeat)")
    proj.add_argument("--partition-map", action="append", metavar="PARTITION=DEVICE",
                      help="the device of a partition whose jobs name no GPU model (repeat)")
    proj.add_argument("--cpu-watts-per-cpu", metavar="W", action=_Once,
                      help="power of one allocated CPU [W]: host power is that times the "
                           "job's CPUs (sacct: NCPUS)")
    proj.add_argument("--final", action="append", metavar="JOB",
                      help="a job id or name of the final training run (repeat)")
    proj.add_argument("--template", action="store_true",
                      help="print a table of jobs to fill in, and exit")

    for name, arg, help_text in (
        ("hardware", "query", "list the devices of the catalog (filter by QUERY)"),
        ("regions", "provider", "list the cloud regions (of one PROVIDER)"),
        ("instances", "query", "list the cloud instance types (filter by QUERY)"),
        ("zones", "query", "list the grid zones (filter by QUERY)"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument(arg, nargs="?", metavar=arg.upper())
        sub.add_argument("--json", action="store_true", help="print JSON instead of a table")
    commands.add_parser("cite", help="print the BibTeX of the paper and of this tool")
    return parser


def _add_job_flags(parser: argparse.ArgumentParser, repeated: Sequence[str]) -> None:
    """The flags of a job's inputs; those of ``repeated`` may be given several times
    (the scenarios of a comparison)."""
    for field, help_text in _FLAG_HELP.items():
        choices = TRAINING_TYPES if field == "training_type" else None
        if field in repeated:
            parser.add_argument(_flag(field), dest=field, metavar="VALUE", action="append",
                                help=help_text + " (repeat to compare)")
        else:
            parser.add_argument(_flag(field), dest=field, metavar=None if choices else "VALUE",
                                choices=choices, help=help_text, action=_Once)
    embodied = parser.add_mutually_exclusive_group()
    embodied.add_argument("--embodied", dest="embodied", action="store_const", const="yes",
                          help="estimate the devices' embodied (manufacturing) emissions, "
                               "reported apart (the default)")
    embodied.add_argument("--no-embodied", dest="embodied", action="store_const", const="no",
                          help="leave the embodied emissions out")


def _describe(error: InputError) -> str:
    """One error, its field named as its flag (a link's unknown key: ``--from-url``)."""
    label = ("--from-url" if isinstance(error, UnknownParameterError)
             else "compare" if error.field == "scenarios" else _flag(error.field))
    hint = f" ({error.hint})" if error.hint else ""
    return f"{error.describe(label, _flag)}{hint}"


def _warn(message: str) -> None:
    """A ``warning:`` line on stderr (the output still goes to stdout)."""
    printable = "".join(ch if ch.isprintable() else " " for ch in message)
    print(f"warning: {printable}", file=sys.stderr)


def _fail(message: str) -> None:
    """The one ``error:`` line on stderr, without control characters (a value may hold
    an escape sequence or a line break)."""
    printable = "".join(ch if ch.isprintable() else " " for ch in message)
    print(f"error: {printable}", file=sys.stderr)


class _Once(argparse.Action):
    """Stores a flag's value, and refuses the flag given twice (which would otherwise
    keep the last value silently)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        if getattr(namespace, self.dest) is not None:
            parser.error(f"argument {option_string}: given twice; give each flag once")
        setattr(namespace, self.dest, values)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 for a usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handlers: dict[str, Callable[[argparse.Namespace], str]] = {
            "estimate": _cmd_estimate,
            "compare": _cmd_compare,
            "project": _cmd_project,
            "hardware": lambda a: _cmd_hardware(a, load_catalog()),
            "regions": lambda a: _cmd_regions(a, load_catalog()),
            "instances": lambda a: _cmd_instances(a, load_catalog()),
            "zones": lambda a: _cmd_zones(a, load_catalog()),
            "cite": _cmd_cite,
        }
        output = handlers[args.command](args)
    except InputError as error:
        _fail("; ".join(_describe(single) for single in each_error(error)))
        return USAGE_ERROR
    except UsageError as error:
        _fail(str(error))
        return USAGE_ERROR
    sys.stdout.write(output)
    return 0
