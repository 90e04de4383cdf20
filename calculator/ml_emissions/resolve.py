"""Resolve a :class:`~ml_emissions.job.Job` against the catalog.

Turns names into numbers with their sources, following the precedence rules of the
methodology:

* power per device: measured watts > utilization x rated power (catalog or custom); a
  catalog device whose vendor publishes no power (``power_basis == "unpublished"``)
  needs measured watts; a whole-system wall power (``"system_wall"``) already holds
  the host CPU and memory, so they may not be added to it;
* hours: as given, or from the work (FLOPs, or parameters and tokens), the device's
  peak throughput and the MFU (:mod:`.compute`), with the range the MFU range gives;
* intensity: the location's figure on the job's basis (:mod:`.location`);
* facility and PUE: the user's values, else the rules of :mod:`.facility`.

Every unknown name and every impossible combination is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .catalog import USER_SOURCE, Catalog, Hardware, Instance, Region, Source
from .compute import ComputePlan, plan_compute
from .errors import ErrorCollector, InputError, UnpublishedPowerError, each_error
from .facility import Facility, resolve_facility
from .job import COUNT_FIELDS, PARAMETERS, Job, as_written, check_number, parse_count, parse_number
from .location import Location, custom_location, region_location, zone_location

__all__ = ["Location", "ResolvedInputs", "job_from_params", "resolve", "resolve_location"]


@dataclass(frozen=True)
class ResolvedInputs:
    """Every number an estimate uses, with its source."""

    hardware_name: str
    hardware_id: str | None
    hardware_kind: str
    rated_watts: float | None  # per device, from the catalog or the user [W]
    # "tdp", "system_wall", "measured_average", "unpublished" (catalog) or "custom"
    rated_watts_basis: str
    rated_watts_source: Source
    utilization: float | None  # None when the power was measured
    device_watts: float  # average power drawn per device [W]
    device_watts_measured: bool
    count: int
    hours_per_run: float  # [h]
    runs: float  # run multiplier of the development cycle [-]
    duration_given: str  # the field of WORK_FIELDS the work was given by
    compute: ComputePlan | None  # how compute became hours, when compute was given
    cpu_watts: float  # [W]
    memory_gb: float  # [GB]
    memory_watts: float  # [W]
    memory_w_per_gb_source: Source
    facility: Facility
    location: Location
    # the cloud instance the job ran on, and which inputs it gave (of "hardware",
    # "count", "cpu_watts", "memory_gb"; the others were given)
    instance: Instance | None = None
    from_instance: tuple[str, ...] = ()

    @property
    def pue(self) -> float:
        """The PUE applied. [-]"""
        return self.facility.pue

    @property
    def device_hours(self) -> float:
        """Device-hours of the whole development cycle. [device-h]"""
        return self.count * self.hours_per_run * self.runs

    @property
    def hours_bounds(self) -> tuple[float, float]:
        """Low and high hours per run: those of the MFU range when the hours come from
        compute, else the hours themselves. [h]"""
        if self.compute is None:
            return self.hours_per_run, self.hours_per_run
        return (self.compute.device_hours_low / self.count,
                self.compute.device_hours_high / self.count)


def resolve_location(catalog: Catalog, job: Job) -> tuple[Location, Region | None]:
    """The job's location on its basis, and its cloud region if it has one."""
    if job.region is not None:
        region = catalog.find_region(job.region)
        return region_location(catalog, region, job.basis), region
    if job.zone is not None:
        return zone_location(catalog.find_zone(job.zone), job.basis), None
    assert job.intensity is not None
    return custom_location(job.intensity, job.basis), None


def _device_power(catalog: Catalog, job: Job, device: Hardware | None
                  ) -> tuple[float, float | None]:
    """``(average watts per device, utilization or None when measured)``."""
    rated = device.tdp_w if device is not None else job.watts
    if job.measured_watts is not None:
        return job.measured_watts, None
    if rated is None:
        assert device is not None, "Job requires watts or measured_watts without hardware"
        raise UnpublishedPowerError(device.name, device.vendor)
    utilization = (job.utilization if job.utilization is not None
                   else catalog.constant("default_utilization").value)
    return utilization * rated, utilization


def _check_wall_power(job: Job, device: Hardware | None) -> None:
    """A whole-system wall power already counts the host's CPU and memory."""
    if device is None or device.power_basis != "system_wall":
        return
    for name in ("cpu_watts", "memory_gb"):
        if getattr(job, name):
            raise InputError(name, getattr(job, name),
                             f"0 for {device.name}: its power is that of the whole "
                             "computer at the wall, CPU and memory included")


_CATALOG_LIMITS = {"pue": (1.0, "max_pue"), "intensity": (0.0, "max_intensity_g_per_kwh"),
                   "flops": (0.0, "max_flops"), "parameters": (0.0, "max_parameters"),
                   "active_parameters": (0.0, "max_parameters"),
                   "tokens": (0.0, "max_tokens")}
"""Inputs whose upper bound is a constant of the catalog: (lowest value, constant id)."""


def _check_limit(field: str, value: float, catalog: Catalog) -> None:
    """The catalog's plausibility limit on ``field`` (a PUE or an intensity beyond it is
    a unit or typing mistake)."""
    lowest, constant = _CATALOG_LIMITS[field]
    check_number(field, value, minimum=lowest, allow_zero=True,
                 maximum=catalog.constant(constant).value)


def _check_limits(job: Job, catalog: Catalog) -> None:
    """The catalog's limits on the job's inputs, every one reported."""
    errors = ErrorCollector()
    for field in _CATALOG_LIMITS:
        value = getattr(job, field)
        if value is not None:
            with errors.check():
                _check_limit(field, value, catalog)
    errors.raise_any()


def resolve(job: Job, catalog: Catalog) -> ResolvedInputs:
    """Resolve every name of ``job`` to numbers with sources.

    Raises :class:`~ml_emissions.errors.UnknownNameError` for an unknown hardware,
    region or zone name, :class:`~ml_emissions.errors.UnpublishedPowerError` for a
    device without a published power when no measured power is given, and
    :class:`~ml_emissions.errors.InputError` for a basis the location has no figure on
    (all of them together as :class:`~ml_emissions.errors.InputErrors`).
    """
    errors = ErrorCollector()
    with errors.check():
        _check_limits(job, catalog)
    device: Hardware | None = None
    instance: Instance | None = None
    with errors.check():
        if job.instance is not None:
            instance = catalog.find_instance(job.instance)
    with errors.check():
        if job.hardware is not None:
            count = job.count or (instance.accelerator_count if instance else None)
            device = catalog.find_hardware(job.hardware, count=count)
        elif instance is not None and job.watts is None:
            device = catalog.device(instance.accelerator_id)
    location: Location | None = None
    region: Region | None = None
    with errors.check():
        location, region = resolve_location(catalog, job)
    power: tuple[float, float | None] | None = None
    if not {"hardware", "instance"} & errors.fields():
        with errors.check():
            power = _device_power(catalog, job, device)
        with errors.check():
            _check_wall_power(job, device)
    count = job.count if job.count is not None else (
        instance.accelerator_count if instance is not None else 1)
    compute: ComputePlan | None = None
    hours = job.hours_for(count)
    if hours is None and not {"hardware", "instance"} & errors.fields():
        with errors.check():
            compute = _plan(catalog, job, device)
            hours = compute.device_hours / count
    if hours is not None and job.hours_per_run is None:
        with errors.check():
            job.check_cycle(hours)
    errors.raise_any()
    assert location is not None and power is not None and hours is not None
    device_watts, utilization = power
    memory_constant = catalog.constant("memory_power_w_per_gb")
    cpu_watts, memory_gb, given = _host(catalog, job, instance)
    return ResolvedInputs(
        hardware_name=device.name if device else "custom device",
        hardware_id=device.hardware_id if device else None,
        hardware_kind=device.kind if device else "custom",
        rated_watts=device.tdp_w if device else job.watts,
        rated_watts_basis=device.power_basis if device else "custom",
        rated_watts_source=device.source if device else USER_SOURCE,
        utilization=utilization,
        device_watts=device_watts,
        device_watts_measured=job.measured_watts is not None,
        count=count,
        hours_per_run=hours,
        runs=job.run_multiplier(hours),
        duration_given=job.work_given,
        compute=compute,
        cpu_watts=cpu_watts,
        memory_gb=memory_gb,
        memory_watts=memory_gb * memory_constant.value,
        memory_w_per_gb_source=memory_constant.source,
        facility=resolve_facility(catalog, job.facility, job.pue, device, region),
        location=location,
        instance=instance,
        from_instance=() if instance is None else tuple(
            name for name in ("hardware", "count", *given) if getattr(job, name) is None),
    )


def _host(catalog: Catalog, job: Job, instance: Instance | None
          ) -> tuple[float, float, tuple[str, ...]]:
    """``(host CPU power [W], host memory [GB], the ones the instance gave)``: the
    job's, else the instance's (its vCPUs' share of its host CPU's rated power,
    ``vcpus x threads_per_vcpu / threads x tdp_w``, where the catalog knows the CPU and
    its power), else 0."""
    gave: list[str] = []
    cpu_watts, memory_gb = job.cpu_watts, job.memory_gb
    if instance is not None and cpu_watts is None and instance.cpu_id and instance.vcpus:
        cpu = catalog.device(instance.cpu_id)
        if cpu.tdp_w is not None and cpu.threads:
            cpu_watts = instance.vcpus * instance.threads_per_vcpu / cpu.threads * cpu.tdp_w
            gave.append("cpu_watts")
    if instance is not None and memory_gb is None and instance.memory_gb:
        memory_gb = instance.memory_gb
        gave.append("memory_gb")
    return cpu_watts or 0.0, memory_gb or 0.0, tuple(gave)


def _plan(catalog: Catalog, job: Job, device: Hardware | None) -> ComputePlan:
    """The hours of the job's compute on its catalog device."""
    if device is None:
        field = job.work_given
        raise InputError(field, getattr(job, field),
                         "hours or device-hours with a custom power: turning compute into "
                         "hours needs a catalog device's peak throughput")
    return plan_compute(catalog, device, flops=job.flops, parameters=job.parameters,
                        active_parameters=job.active_parameters, tokens=job.tokens,
                        precision=job.precision, mfu=job.mfu)


_NAME_LOOKUPS = {"hardware": "find_hardware", "instance": "find_instance",
                 "region": "find_region", "zone": "find_zone"}


def job_from_params(params: Mapping[str, str], catalog: Catalog) -> Job:
    """:meth:`Job.from_params` that reports unknown catalog names and the catalog's limits
    together with the other invalid fields: when the job itself is invalid, the names it
    holds (hardware, region, zone) are looked up too, so that every error is known at
    once; when it is valid, its inputs are checked against the catalog's limits, and
    every value is reported as the user wrote it."""
    try:
        job = Job.from_params(params)
        _check_limits(job, catalog)
        return job
    except InputError as error:
        errors = ErrorCollector()
        errors.errors.extend(each_error(error))
        for field in _CATALOG_LIMITS:
            text = params.get(field.replace("_", "-"), params.get(field))
            try:
                read = parse_count if field in COUNT_FIELDS else parse_number
                value = read(text) if isinstance(text, str) else None
            except ValueError:
                continue  # unreadable: the job's own error says so
            if value is None:
                continue
            try:
                _check_limit(field, value, catalog)
            except InputError as limit:  # the catalog's words replace the job's
                errors.errors = [e for e in errors.errors if e.field != field] + [limit]
        for key, text in params.items():
            lookup = _NAME_LOOKUPS.get(key)
            if lookup is None or key in errors.fields() or not isinstance(text, str):
                continue
            with errors.check():
                getattr(catalog, lookup)(text, key)
        order = {name: index for index, name in enumerate(PARAMETERS)}
        errors.errors.sort(key=lambda e: order.get(e.field, -1))  # unknown keys first
        errors.errors[:] = [as_written(e, params) for e in errors.errors]
        errors.raise_any()
        raise
