"""Published estimates reproduced from their stated inputs.

The rows of ``data/published_estimates.csv`` hold each publication's inputs and its
published energy and CO2e (table and pages cited in the row); the engine must land
within the stated tolerance, which reflects how the publication rounded.
"""

from __future__ import annotations

import pytest

from ml_emissions import Job, estimate
from tests.conftest import data_rows

KG_PER_UNIT = {"kg": 1.0, "t": 1000.0, "lb": 0.45359237}  # 1 lb = 0.45359237 kg exactly


def _job(row: dict[str, str]) -> Job:
    def number(key: str) -> float | None:
        return float(row[key]) if row[key] else None

    count = int(row["count"]) if row["count"] else 1
    return Job(
        hardware=row["hardware"] or None,
        watts=number("watts"),
        count=count,
        hours=number("hours"),
        device_hours=number("device_hours"),
        pue=number("pue"),
        intensity=number("intensity_g_per_kwh"),
    )


ROWS = data_rows("published_estimates.csv")


def test_at_least_five_publications_are_reproduced() -> None:
    assert len(ROWS) >= 5
    assert len({row["publication"] for row in ROWS}) >= 3


@pytest.mark.parametrize("row", ROWS, ids=[r["estimate_id"] for r in ROWS])
def test_published_estimate(row: dict[str, str]) -> None:
    result = estimate(_job(row))
    tolerance = float(row["tolerance_pct"]) / 100
    assert result.energy_kwh == pytest.approx(float(row["published_energy_kwh"]), rel=tolerance)
    published_kg = float(row["published_co2e"]) * KG_PER_UNIT[row["published_co2e_unit"]]
    assert result.co2e_kg == pytest.approx(published_kg, rel=tolerance)


def test_strubell_nas_by_hand() -> None:
    # Strubell et al. 2019, Table 3: 1,515.43 W x 274,120 h x PUE 1.58 = 656,347 kWh;
    # x 0.954 lb/kWh = 626,155 lb
    result = estimate(Job(watts=1515.43, hours=274_120, pue=1.58,
                          intensity=0.954 * 453.59237))
    assert result.energy_kwh == pytest.approx(656_347, abs=1)
    assert result.co2e_kg / 0.45359237 == pytest.approx(626_155, abs=1)
