r"""Embodied emissions: the share of the hardware's manufacture a job accounts for.

Notes
-----
A device whose manufacture emitted ``K`` kgCO2e, in service for ``L`` years at a use
rate ``u`` (the share of its life it runs jobs), accounts for

.. math::

    C_{emb} = K \, \frac{T_{dev}}{8760 \, L \, u} \quad [kg\,CO_2e]

for a job of ``T_dev`` device-hours (Luccioni et al. 2023, whose defaults ``L = 6``
and ``u = 0.85`` are ``embodied_lifetime_years`` and ``embodied_use_rate`` of
``data/constants.csv``). ``K`` is a published figure for the device where one exists,
else Green Algorithms' die-area model,

.. math::

    K = (b + a \, A / 100) / 1000

with ``A`` the die area [mm2], ``a`` [gCO2e/cm2] and ``b`` [gCO2e per card, or per
processor] constants of ``data/constants.csv`` (``embodied_gpu_*`` for accelerators,
``embodied_cpu_*`` for processors and systems on a chip). The host server's share, a
figure per device it holds (e.g. 2,500 kg for an 8-GPU server: 312.5 kg), is added
only when given. Embodied CO2e is always reported apart from the operational figure.

References
----------
Luccioni, A. S., Viguier, S., Ligozat, A.-L. (2023). Estimating the Carbon Footprint of
BLOOM, a 176B Parameter Language Model. JMLR 24(253). arXiv:2211.02001.
Lannelongue, L. et al., Green Algorithms v3.1 hardware impacts (after Gröger et al.
2021, Umweltbundesamt, and Loubet et al. 2023).
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import USER_SOURCE, Catalog, Constant, Hardware, Source

__all__ = ["HOURS_PER_YEAR", "EmbodiedEstimate", "amortised_kg", "die_area_kg",
           "estimate_embodied"]

HOURS_PER_YEAR = 8760.0  # 365 days

_MODEL_OF_KIND = {"gpu": "gpu", "tpu": "gpu", "npu": "gpu", "cpu": "cpu", "soc": "cpu"}
"""Which die-area constants a kind of device takes: a card's, or a processor's."""


def die_area_kg(die_area_mm2: float, g_per_cm2: float, base_g: float) -> float:
    """Manufacturing emissions of one device by the die-area model. [kgCO2e]"""
    return (base_g + g_per_cm2 * die_area_mm2 / 100.0) / 1000.0


def amortised_kg(kg_per_device: float, device_hours: float, lifetime_years: float,
                 use_rate: float) -> float:
    """The share of ``kg_per_device`` that ``device_hours`` of use account for. [kgCO2e]"""
    return kg_per_device * device_hours / (HOURS_PER_YEAR * lifetime_years * use_rate)


@dataclass(frozen=True)
class EmbodiedEstimate:
    """Embodied CO2e of a job, apart from its operational CO2e. [kg]

    ``method`` says where ``kg_per_device`` comes from: ``"published"``,
    ``"die-area"`` (Green Algorithms' model of ``die_area_mm2``, constants from
    ``model_source``) or ``"given"`` (by the user)."""

    method: str
    kg_per_device: float
    source: Source
    die_area_mm2: float | None
    model_source: Source | None
    host_kg_per_device: float | None
    lifetime_years: float
    lifetime_source: Source
    use_rate: float
    use_rate_source: Source
    device_hours: float
    devices_co2e_kg: float
    host_co2e_kg: float

    @property
    def co2e_kg(self) -> float:
        """Devices and, where given, their host servers' share. [kg]"""
        return self.devices_co2e_kg + self.host_co2e_kg


def _per_device(catalog: Catalog, device: Hardware | None, given: float | None
                ) -> tuple[str, float, Source, float | None, Source | None] | None:
    """``(method, kg, source, die area, model source)``, or None without a figure."""
    if given is not None:
        return "given", given, USER_SOURCE, None, None
    figure = catalog.embodied_figure(device) if device is not None else None
    if figure is None:
        return None
    if figure.method == "published":
        assert figure.kg_co2e_per_device is not None
        return "published", figure.kg_co2e_per_device, figure.source, None, None
    assert device is not None and figure.die_area_mm2 is not None
    model = _MODEL_OF_KIND[device.kind]
    per_cm2 = catalog.constant(f"embodied_{model}_g_per_cm2")
    base = catalog.constant(f"embodied_{model}_base_g")
    kg = die_area_kg(figure.die_area_mm2, per_cm2.value, base.value)
    return "die-area", kg, figure.source, figure.die_area_mm2, per_cm2.source


def _value(catalog: Catalog, given: float | None, constant_id: str) -> tuple[float, Source]:
    if given is not None:
        return given, USER_SOURCE
    constant: Constant = catalog.constant(constant_id)
    return constant.value, constant.source


def estimate_embodied(catalog: Catalog, device: Hardware | None, device_hours: float, *,
                      kg_per_device: float | None = None,
                      host_kg_per_device: float | None = None,
                      lifetime_years: float | None = None,
                      use_rate: float | None = None) -> EmbodiedEstimate | None:
    """The embodied CO2e of ``device_hours`` on ``device``, or None when there is no
    figure for the device (a custom device, or none published) and none is given."""
    figure = _per_device(catalog, device, kg_per_device)
    if figure is None:
        return None
    method, kg, source, area, model_source = figure
    lifetime, lifetime_source = _value(catalog, lifetime_years, "embodied_lifetime_years")
    rate, rate_source = _value(catalog, use_rate, "embodied_use_rate")
    host = 0.0 if host_kg_per_device is None else amortised_kg(
        host_kg_per_device, device_hours, lifetime, rate)
    return EmbodiedEstimate(
        method=method, kg_per_device=kg, source=source, die_area_mm2=area,
        model_source=model_source, host_kg_per_device=host_kg_per_device,
        lifetime_years=lifetime, lifetime_source=lifetime_source, use_rate=rate,
        use_rate_source=rate_source, device_hours=device_hours,
        devices_co2e_kg=amortised_kg(kg, device_hours, lifetime, rate), host_co2e_kg=host)
