"""Numbers for people and for machines.

Every front end (command line, reports, browser) formats through these functions, so a
figure reads the same everywhere:

* a computed or measured quantity has three significant figures, counted after
  rounding and with its trailing zeros (:func:`number`, :func:`energy`, :func:`mass`,
  :func:`percent`): ``1.40 MWh``, ``999.9 kWh`` is ``1.00 MWh``;
* a value a reader may check against what was given (a count of devices, runs or
  device-hours, an input) is printed exactly (:func:`exact`): ``1,728``;
* a number written to JSON carries no binary noise (:func:`clean`): ten significant
  digits, ``794.8799999999998`` is ``794.88``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

__all__ = ["JSON_DIGITS", "clean", "energy", "exact", "mass", "number", "percent"]

JSON_DIGITS = 10
"""Significant digits of the numbers of a JSON report (:func:`clean`)."""


def _significant(value: float, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` significant figures, as an exact decimal."""
    if value == 0:
        return Decimal(0)
    exponent = Decimal(repr(abs(value))).adjusted()  # the power of ten of the first digit
    quantum = Decimal(1).scaleb(exponent - digits + 1)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    if rounded.copy_abs().adjusted() > exponent:  # 999.9 -> 1000: one digit more
        rounded = rounded.quantize(quantum.scaleb(1), rounding=ROUND_HALF_EVEN)
    return rounded


def _grouped(decimal: Decimal) -> str:
    """A decimal with thousands separators, its digits kept as they are."""
    sign = "-" if decimal < 0 else ""
    digits = format(decimal.copy_abs(), "f")
    whole, point, fraction = digits.partition(".")
    return sign + f"{int(whole):,}" + point + fraction


def number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures (counted after rounding, trailing
    zeros kept), with thousands separators.

    >>> number(1234.5), number(26.84), number(0.012345), number(30.0), number(999.96)
    ('1,230', '26.8', '0.0123', '30.0', '1,000')
    >>> number(1.4), number(0)
    ('1.40', '0')
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if value == 0:
        return "0"
    rounded = _significant(value, digits)
    if rounded.adjusted() >= digits - 1:  # no decimals: 1,230 or 1,230,000
        return f"{int(rounded):,}"
    return _grouped(rounded)


def exact(value: float) -> str:
    """A value as given, for a reader to check: whole numbers exactly, with thousands
    separators; others to :data:`JSON_DIGITS` significant digits without trailing zeros.
    A whole number too large for a float to hold every digit of is written as its
    shortest decimal (``1e30`` as 1 and 30 zeros, not the float's 1,000...019,884,...).

    >>> exact(1728), exact(1728.0), exact(1.56), exact(0.1 + 0.2), exact(2.5e-7)
    ('1,728', '1,728', '1.56', '0.3', '0.00000025')
    >>> exact(1e30) == "1" + ",000" * 10
    True
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, int):
        return f"{value:,}"
    if float(value).is_integer():
        return f"{int(Decimal(repr(float(value)))):,}"  # the shortest decimal of the float
    rounded = _significant(float(value), JSON_DIGITS).normalize()
    return _grouped(rounded)


_COUNT_SCALES = ((1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def count(value: float) -> str:
    """A large count (parameters, tokens) as machine-learning papers write it: exactly,
    scaled by K, M, B, T or P.

    >>> count(7e9), count(175e9), count(2e12), count(1.3e6), count(512)
    ('7B', '175B', '2T', '1.3M', '512')
    """
    for factor, suffix in _COUNT_SCALES:
        if abs(value) >= factor:
            return exact(value / factor) + suffix
    return exact(value)


def scientific(value: float, digits: int = 3) -> str:
    """``value`` in scientific notation to ``digits`` significant figures, trailing
    zeros dropped (FLOPs).

    >>> scientific(8.4e22), scientific(3.14e23), scientific(1234.5)
    ('8.4e22', '3.14e23', '1.23e3')
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    mantissa, _, exponent = f"{value:.{digits - 1}e}".partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def _scaled(value: float, units: tuple[tuple[float, str], ...]) -> str:
    """``value`` in the largest unit it reaches once rounded to three figures."""
    for factor, unit in units:
        if abs(float(_significant(value / factor * 1000, 3))) >= 1000:
            return f"{number(value / factor)} {unit}"
    factor, unit = units[-1]
    return f"{number(value / factor)} {unit}"


def energy(kwh: float) -> str:
    """An energy given in kWh, in the largest of Wh, kWh, MWh or GWh that it reaches once
    rounded to three significant figures.

    >>> energy(656347), energy(999.9), energy(1400), energy(0.5), energy(0)
    ('656 MWh', '1.00 MWh', '1.40 MWh', '500 Wh', '0 Wh')
    """
    return _scaled(kwh, ((1e6, "GWh"), (1e3, "MWh"), (1.0, "kWh"), (1e-3, "Wh")))


def mass(kg: float) -> str:
    """A CO2e mass given in kg, in the largest of g, kg or t that it reaches once rounded
    to three significant figures.

    >>> mass(24692), mass(999.7), mass(2.88), mass(0.0004)
    ('24.7 t', '1.00 t', '2.88 kg', '0.400 g')
    """
    return _scaled(kg, ((1e3, "t"), (1.0, "kg"), (1e-3, "g")))


def percent(value: float) -> str:
    """A percentage to three significant figures: ``percent(12.345) == '12.3%'``."""
    return f"{number(value)}%"


def clean(data: Any) -> Any:
    """``data`` (JSON-ready dicts, lists and scalars) with every float rounded to
    :data:`JSON_DIGITS` significant digits; a non-finite float raises ``ValueError``
    (JSON has no ``NaN`` or ``Infinity``)."""
    if isinstance(data, float):
        if not math.isfinite(data):
            raise ValueError(f"not a finite number: {data!r}")
        return float(_significant(data, JSON_DIGITS)) if data else 0.0
    if isinstance(data, dict):
        return {key: clean(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [clean(item) for item in data]
    return data
