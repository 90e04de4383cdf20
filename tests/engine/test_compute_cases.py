"""Compute to time against published training runs (``data/compute_cases.csv``).

For each run: the FLOPs of 6ND, and the model FLOPs utilisation (MFU) its published
GPU-hours imply on the device's dense peak, worked out by hand here:

    MFU = 6 N D / (GPU-hours x 3600 x peak x 1e12)

* Llama 2 7B (Touvron et al. 2023, Table 2): 8.4e22 / (184,320 x 3600 x 312e12) = 0.40574
* Llama 2 70B (same table): 8.4e23 / (1,720,320 x 3600 x 312e12) = 0.43472
* Llama 3 8B (Meta's model card): 7.2e23 / (1.3e6 x 3600 x 989.5e12) = 0.15548
* Llama 3 70B (same card): 6.3e24 / (6.4e6 x 3600 x 989.5e12) = 0.27634
* GPT-3 (Brown et al. 2020; 3,552,000 V100-hours, Patterson et al. 2021):
  3.15e23 / (3,552,000 x 3600 x 125e12) = 0.19707
* BLOOM (Luccioni et al. 2023; 366B tokens, Le Scao et al. 2022):
  3.86496e23 / (1,082,990 x 3600 x 312e12) = 0.31773
"""

from __future__ import annotations

import pytest

from ml_emissions import Job, estimate, load_catalog
from ml_emissions.compute import implied_mfu
from tests.conftest import data_rows

IMPLIED_MFU = {
    "touvron2023-llama2-7b": 0.40574,
    "touvron2023-llama2-70b": 0.43472,
    "meta2024-llama3-8b": 0.15548,
    "meta2024-llama3-70b": 0.27634,
    "brown2020-gpt3": 0.19707,
    "luccioni2023-bloom": 0.31773,
}
ROWS = {row["case_id"]: row for row in data_rows("compute_cases.csv")}


def test_every_case_is_checked() -> None:
    assert set(ROWS) == set(IMPLIED_MFU)


@pytest.mark.parametrize("case_id", sorted(IMPLIED_MFU))
def test_implied_mfu(case_id: str) -> None:
    row = ROWS[case_id]
    job = Job(hardware=row["hardware_id"], parameters=float(row["parameters"]),
              tokens=float(row["tokens"]), precision=row["precision"], zone="FR")
    plan = estimate(job).inputs.compute
    assert plan is not None
    mfu = implied_mfu(plan.flops, float(row["device_hours"]), plan.peak_tflops)
    assert mfu == pytest.approx(IMPLIED_MFU[case_id], abs=5e-5)
    # at that MFU, the engine gives back the published GPU-hours
    again = estimate(Job(hardware=row["hardware_id"], parameters=float(row["parameters"]),
                         tokens=float(row["tokens"]), precision=row["precision"], mfu=mfu,
                         zone="FR"))
    assert again.inputs.device_hours == pytest.approx(float(row["device_hours"]))


def test_gpt3_flops_from_six_n_d() -> None:
    # Brown et al. 2020, Table D.1: 3.14e23 FLOPs; 6 x 175e9 x 300e9 = 3.15e23 (0.3% more)
    row = ROWS["brown2020-gpt3"]
    plan = estimate(Job(hardware=row["hardware_id"], parameters=175e9, tokens=300e9,
                        precision="fp16", zone="FR")).inputs.compute
    assert plan is not None
    assert plan.flops == pytest.approx(float(row["flops"]), rel=0.005)


def test_the_default_range_covers_most_cases() -> None:
    catalog = load_catalog()
    low, high = catalog.constant("mfu_low").value, catalog.constant("mfu_high").value
    covered = [case for case, mfu in IMPLIED_MFU.items() if low <= mfu <= high]
    # all but Llama 3 8B, whose model-card GPU-hours count far more than the final run
    assert sorted(covered) == sorted(set(IMPLIED_MFU) - {"meta2024-llama3-8b"})
    assert low <= catalog.constant("default_mfu").value <= high
