"""Numbers for people: three significant figures and a readable unit.

Every front end (command line, reports, browser) formats through these functions,
so a figure reads the same everywhere.
"""

from __future__ import annotations

import math

__all__ = ["energy", "mass", "number", "percent"]


def number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures, with thousands separators and no
    trailing zeros.

    >>> number(1234.5), number(26.84), number(0.012345), number(30.0), number(0)
    ('1,230', '26.8', '0.0123', '30', '0')
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, digits - 1 - magnitude):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value: float, units: tuple[tuple[float, str], ...]) -> str:
    for factor, unit in units:
        if abs(value) >= factor:
            return f"{number(value / factor)} {unit}"
    factor, unit = units[-1]
    return f"{number(value / factor)} {unit}"


def energy(kwh: float) -> str:
    """An energy in Wh, kWh, MWh or GWh: ``energy(656347) == '656 MWh'``."""
    return _scaled(kwh, ((1e6, "GWh"), (1e3, "MWh"), (1.0, "kWh"), (1e-3, "Wh")))


def mass(kg: float) -> str:
    """A CO2e mass in g, kg or t: ``mass(24692) == '24.7 t'``."""
    return _scaled(kg, ((1e3, "t"), (1.0, "kg"), (1e-3, "g")))


def percent(value: float) -> str:
    """A percentage with up to three significant figures: ``percent(12.345) == '12.3%'``."""
    return f"{number(value)}%"
