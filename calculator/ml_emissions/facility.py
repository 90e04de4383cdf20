"""The facility a job runs in, and its power usage effectiveness (PUE).

The facility (:data:`~ml_emissions.job.FACILITIES`) is the user's, or follows from the
inputs: a cloud region is ``cloud``; elsewhere a workstation device (desktop GPUs and
CPUs, systems on a chip: ``segment`` of ``data/hardware.csv``) is a ``workstation`` and
any other device runs in a ``data-centre`` of unknown operator.

Its PUE, unless the user gives one:

* ``cloud``: the region's published PUE > the provider's (``data/pue.csv``, scope
  ``provider``) > the data-centre default;
* ``data-centre``: the ``unknown`` row of ``data/pue.csv`` (an industry survey average);
* ``hpc``: the ``hpc`` row where a survey of HPC centres publishes one, else the
  data-centre default, and the result says so;
* ``workstation``: the ``workstation`` row (1.0: no facility overhead).

Each PUE says what it is (``pue_type`` of ``data/pue.csv``): a fleet-wide operating
figure, a design figure, a survey average or a convention.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import USER_SOURCE, Catalog, Hardware, PueDefault, Region, Source

__all__ = ["FACILITY_PUE_IDS", "PUE_TYPE_WORDS", "Facility", "resolve_facility"]

FACILITY_PUE_IDS = {"data-centre": "unknown", "hpc": "hpc", "workstation": "workstation"}
"""The ``data/pue.csv`` row of each facility outside the cloud."""

PUE_TYPE_WORDS = {
    "fleet": "fleet-wide operating PUE",
    "design": "design PUE",
    "survey": "survey average",
    "estimate": "third-party estimate",
    "convention": "convention",
    "site": "site PUE",
    "user": USER_SOURCE.citation,  # "given by the user"
}
"""What a PUE is, in words, by its ``pue_type``."""



@dataclass(frozen=True)
class Facility:
    """Where the job runs and the PUE applied to its IT energy."""

    kind: str  # one of job.FACILITIES
    reason: str  # why this facility, e.g. "a cloud region"
    pue: float
    pue_origin: str  # "user", "region", "provider" or "facility"
    pue_type: str  # a key of PUE_TYPE_WORDS
    pue_source: Source
    pue_note: str = ""  # e.g. why the data-centre default stands in
    operator: str | None = None  # the cloud provider's name, for a cloud region


def _default_kind(device: Hardware | None, region: Region | None) -> tuple[str, str]:
    if region is not None:
        return "cloud", "a cloud region"
    if device is None:
        return "data-centre", "a custom device outside a cloud region, operator unknown"
    if device.segment == "workstation":
        return "workstation", f"{device.name} is a workstation device, no facility given"
    return "data-centre", (f"{device.name} is a data-centre device outside a cloud region, "
                           "operator unknown")


def _row(catalog: Catalog, pue_id: str) -> PueDefault:
    row = catalog.pue_for(pue_id)
    assert row is not None, f"data/pue.csv must define {pue_id!r}"
    return row


def _facility_pue(catalog: Catalog, kind: str, region: Region | None
                  ) -> tuple[float, str, str, Source, str]:
    """``(pue, origin, type, source, note)`` of a facility by the module's rules."""
    if kind == "cloud" and region is not None:
        provider = catalog.provider(region.provider).name
        if region.pue is not None:
            source = Source(f"{provider}, {region.region_id} PUE", region.pue_source_url,
                            region.pue_year or region.source.year, region.source.licence)
            return region.pue, "region", "site", source, ""
        row = catalog.pue_for(region.provider)
        if row is not None:
            return row.pue, "provider", row.pue_type, row.source, ""
        default = _row(catalog, FACILITY_PUE_IDS["data-centre"])
        return (default.pue, "facility", default.pue_type, default.source,
                f"{provider} publishes no PUE: the data-centre default applies")
    row = catalog.pue_for(FACILITY_PUE_IDS[kind])
    if row is None:  # hpc without a survey figure
        default = _row(catalog, FACILITY_PUE_IDS["data-centre"])
        return (default.pue, "facility", default.pue_type, default.source,
                "no survey publishes an average PUE of HPC centres: the data-centre "
                "default applies")
    return row.pue, "facility", row.pue_type, row.source, ""


def resolve_facility(catalog: Catalog, facility: str | None, pue: float | None,
                     device: Hardware | None, region: Region | None) -> Facility:
    """The facility (the user's ``facility``, else the default for the device and
    region) and its PUE (the user's ``pue``, else the facility's)."""
    kind, reason = (facility, "given") if facility is not None else _default_kind(device,
                                                                                  region)
    operator = catalog.provider(region.provider).name if region is not None else None
    if pue is not None:
        return Facility(kind, reason, pue, "user", "user", USER_SOURCE, operator=operator)
    value, origin, pue_type, source, note = _facility_pue(catalog, kind, region)
    return Facility(kind, reason, value, origin, pue_type, source, note, operator)
