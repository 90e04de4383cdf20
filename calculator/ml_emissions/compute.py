r"""Compute to time: the device-hours a training run takes, from the work it does.

Notes
-----
A dense transformer of ``N`` parameters trained on ``D`` tokens does about

.. math::

    C = k \, N \, D \quad [\mathrm{FLOP}], \qquad k = 6

(two FLOPs per parameter and token for the forward pass, four for the backward pass;
Kaplan et al. 2020, Hoffmann et al. 2022); ``k`` is ``flops_per_parameter_token`` of
``data/constants.csv``. For a mixture-of-experts model ``N`` is the number of
parameters active per token. On devices of peak dense throughput ``F`` at the training
precision, used at a model FLOPs utilisation ``MFU`` (the share of the peak that does
the model's arithmetic):

.. math::

    T_{dev} = \frac{C}{F \cdot 10^{12} \cdot \mathrm{MFU} \cdot 3600}
    \quad [\mathrm{device\,h}], \qquad T = T_{dev} / n \quad [h]

on ``n`` devices. Without a measured MFU, the default and its low-high range are
``default_mfu``, ``mfu_low`` and ``mfu_high`` of ``data/constants.csv``; the range of the
hours follows (the lowest MFU gives the most hours). The same relation read backwards,
:func:`implied_mfu`, gives the MFU a published run implies from its FLOPs and
device-hours.

References
----------
Kaplan, J. et al. (2020). Scaling Laws for Neural Language Models. arXiv:2001.08361.
Hoffmann, J. et al. (2022). Training Compute-Optimal Large Language Models.
arXiv:2203.15556.
Chowdhery, A. et al. (2022). PaLM: Scaling Language Modeling with Pathways.
arXiv:2204.02311 (MFU defined, 46.2 %).
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import USER_SOURCE, Catalog, Hardware, Source, Throughput
from .errors import InputError, one_of

__all__ = ["DEFAULT_PRECISION", "PRECISIONS", "ComputePlan", "device_hours_for",
           "implied_mfu", "peak_throughput", "plan_compute", "training_flops"]

PRECISIONS = ("bf16", "fp16", "fp8", "tf32", "fp32")
"""Training precisions with a peak throughput in the catalog (``Job.precision``)."""

DEFAULT_PRECISION = "bf16"
"""The precision assumed when none is given: mixed-precision BF16 training."""

SECONDS_PER_HOUR = 3600.0
TERA = 1e12


def training_flops(parameters: float, tokens: float, flops_per_parameter_token: float
                   ) -> float:
    """FLOPs of one training run, ``k N D``. [FLOP]"""
    return flops_per_parameter_token * parameters * tokens


def device_hours_for(flops: float, peak_tflops: float, mfu: float) -> float:
    """Device-hours that ``flops`` take at ``peak_tflops`` per device and ``mfu``.
    [device-h]"""
    return flops / (peak_tflops * TERA * mfu * SECONDS_PER_HOUR)


def implied_mfu(flops: float, device_hours: float, peak_tflops: float) -> float:
    """The model FLOPs utilisation a run of ``flops`` in ``device_hours`` implies on
    devices of ``peak_tflops``. [-]"""
    return flops / (device_hours * peak_tflops * TERA * SECONDS_PER_HOUR)


@dataclass(frozen=True)
class ComputePlan:
    """How a run's work became device-hours, with every assumption and its source.

    ``rule`` is ``"given"`` (FLOPs given) or ``"6ND"`` (from parameters and tokens).
    FLOPs and device-hours are per run; ``device_hours_low`` is at ``mfu_high``,
    ``device_hours_high`` at ``mfu_low`` (equal to ``device_hours`` for a given MFU)."""

    flops: float  # [FLOP] per run
    rule: str
    parameters: float | None
    active_parameters: float | None
    tokens: float | None
    flops_per_parameter_token: float
    flops_rule_source: Source
    precision: str
    peak_tflops: float  # per device [TFLOPS], dense
    peak: Throughput
    mfu: float
    mfu_low: float
    mfu_high: float
    mfu_given: bool
    mfu_source: Source
    device_hours: float  # per run [device-h]
    device_hours_low: float
    device_hours_high: float


def peak_throughput(catalog: Catalog, device: Hardware, precision: str | None,
                    field: str = "precision") -> Throughput:
    """The device's dense peak at ``precision`` (None: :data:`DEFAULT_PRECISION`); an
    :class:`InputError` names the device and the precisions it has a figure for."""
    defaulted = precision is None
    precision = precision or DEFAULT_PRECISION
    peak = catalog.peak(device, precision)
    if peak is not None:
        return peak
    have = catalog.precisions(device)
    if not have:
        raise InputError("hardware", device.name,
                         "a device with a published peak throughput, to plan from compute "
                         f"({device.name} has none in the catalog; give the hours instead)")
    default = f" ({DEFAULT_PRECISION} is the default)" if defaulted else ""
    raise InputError(field, precision,
                     f"a precision {device.name} has a published dense throughput for: "
                     + one_of(have) + default)


def plan_compute(catalog: Catalog, device: Hardware, *, flops: float | None,
                 parameters: float | None, active_parameters: float | None,
                 tokens: float | None, precision: str | None, mfu: float | None
                 ) -> ComputePlan:
    """The device-hours of one run of the given work on ``device``."""
    peak = peak_throughput(catalog, device, precision)
    factor = catalog.constant("flops_per_parameter_token")
    if flops is None:
        assert parameters is not None and tokens is not None
        work = training_flops(active_parameters or parameters, tokens, factor.value)
        rule = "6ND"
    else:
        work, rule = flops, "given"
    if mfu is None:
        central = catalog.constant("default_mfu")
        low = catalog.constant("mfu_low").value
        high = catalog.constant("mfu_high").value
        mfu_value, mfu_source = central.value, central.source
    else:
        mfu_value = low = high = mfu
        mfu_source = USER_SOURCE
    return ComputePlan(
        flops=work, rule=rule, parameters=parameters, active_parameters=active_parameters,
        tokens=tokens, flops_per_parameter_token=factor.value,
        flops_rule_source=factor.source, precision=peak.precision,
        peak_tflops=peak.dense_tflops, peak=peak, mfu=mfu_value, mfu_low=low, mfu_high=high,
        mfu_given=mfu is not None, mfu_source=mfu_source,
        device_hours=device_hours_for(work, peak.dense_tflops, mfu_value),
        device_hours_low=device_hours_for(work, peak.dense_tflops, high),
        device_hours_high=device_hours_for(work, peak.dense_tflops, low),
    )
