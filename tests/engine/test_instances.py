"""Cloud instance types (``data/instances.csv``): each resolves to its documented
accelerator and count, host CPU share and memory, and any of them can be overridden."""

from __future__ import annotations

import dataclasses

import pytest

from ml_emissions import InputError, Job, estimate, render
from ml_emissions.catalog import Catalog, load_catalog
from ml_emissions.cli import main
from tests.conftest import data_rows

INSTANCES = data_rows("instances.csv")
HARDWARE = {row["hardware_id"]: row for row in data_rows("hardware.csv")}
FIRST_OF_FAMILY = {row["family"]: row for row in reversed(INSTANCES)}


def vars_of(catalog: Catalog) -> dict[str, object]:
    """The keyword arguments that build ``catalog`` again."""
    names = ("version", "hardware", "zones", "providers", "regions", "pue", "equivalents",
             "constants", "throughput", "embodied", "instances")
    return {name: getattr(catalog, name) for name in names}


@pytest.mark.parametrize("row", FIRST_OF_FAMILY.values(), ids=FIRST_OF_FAMILY)
def test_an_instance_of_every_family_resolves_to_its_documented_hardware(
        row: dict[str, str]) -> None:
    # TPU slices' chips have no published power: a measured one is given
    power = {"measured_watts": 200.0} if not HARDWARE[row["accelerator_id"]]["tdp_w"] else {}
    est = estimate(Job(instance=f"{row['provider']}:{row['instance_type']}", hours=1,
                       zone="FR", **power))  # type: ignore[arg-type]
    assert est.inputs.hardware_id == row["accelerator_id"]
    assert est.inputs.count == int(row["accelerator_count"])
    if row["memory_gb"]:
        assert est.inputs.memory_gb == float(row["memory_gb"])
    cpu = HARDWARE.get(row["cpu_id"])
    if cpu and cpu["tdp_w"] and cpu["threads"] and row["vcpus"]:
        # the instance's vCPUs' share of its host CPU's rated power; a vCPU that is a
        # physical core without SMT is two of the socket's threads
        threads = int(row["vcpus"]) * int(row["threads_per_vcpu"])
        share = threads / int(cpu["threads"]) * float(cpu["tdp_w"])
        assert est.inputs.cpu_watts == pytest.approx(share)


def test_p4d_by_hand() -> None:
    # AWS p4d.24xlarge: 8 x A100 SXM4 40GB (400 W), 96 vCPUs of an Intel Xeon Platinum
    # 8275CL (240 W, 48 threads): 96 / 48 x 240 = 480 W; 1,152 GiB of memory at
    # 0.3725 W/GB = 429.12 W. IT power 8 x 400 + 480 + 429.12 = 4,109.12 W.
    est = estimate(Job(instance="aws:p4d.24xlarge", hours=10, region="aws:us-east-1"))
    assert est.inputs.hardware_name == "NVIDIA A100 SXM4 40GB"
    assert est.inputs.count == 8
    assert est.inputs.cpu_watts == pytest.approx(480)
    assert est.it_power_w == pytest.approx(4_109.12)
    assert est.inputs.from_instance == ("hardware", "count", "cpu_watts", "memory_gb")


def test_physical_core_vcpus_take_two_threads_each() -> None:
    # Azure's NC A100 v4 vCPUs are non-multithreaded physical cores (Microsoft's size
    # page); its EPYC 7V13 has no published TDP, so the same size on a host with one,
    # the EPYC 7763 (280 W, 128 threads), is worked by hand: 24 cores are 48 threads,
    # 48 / 128 x 280 = 105 W (52.5 W if each vCPU were counted as one thread).
    catalog = load_catalog()
    nc24 = catalog.find_instance("azure:Standard_NC24ads_A100_v4")
    assert nc24.threads_per_vcpu == 2
    assert catalog.device("amd-epyc-7763").tdp_w == 280
    assert catalog.device("amd-epyc-7763").threads == 128
    on_7763 = dataclasses.replace(nc24, cpu_id="amd-epyc-7763")
    variant = Catalog(**{**vars_of(catalog), "instances": (on_7763,)})
    est = estimate(Job(instance="azure:Standard_NC24ads_A100_v4", hours=1, zone="FR"),
                   variant)
    assert est.inputs.cpu_watts == pytest.approx(105)
    assert "105 W host CPU share of 24 vCPUs (physical cores)" in render(est, "text")


def test_what_is_given_overrides_the_instance() -> None:
    est = estimate(Job(instance="aws:p4d.24xlarge", count=2, cpu_watts=100, memory_gb=0,
                       hours=10, zone="US"))
    assert est.inputs.count == 2 and est.inputs.cpu_watts == 100
    assert est.inputs.memory_gb == 0 and est.inputs.from_instance == ("hardware",)
    # device-hours on an instance: its count divides them
    on_eight = estimate(Job(instance="aws:p4d.24xlarge", device_hours=80, zone="US"))
    assert on_eight.inputs.hours_per_run == 10


def test_an_unknown_instance_gets_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as info:
        estimate(Job(instance="azure:ND H100 v5", hours=1, zone="FR"))
    assert "azure:Standard_ND96isr_H100_v5" in info.value.suggestions
    assert main(["estimate", "--instance", "aws:p4d.42xlarge", "--hours", "1",
                 "--zone", "FR"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --instance: 'aws:p4d.42xlarge'") and "p4d.24xlarge" in err


def test_permalink_and_listing(capsys: pytest.CaptureFixture[str]) -> None:
    job = Job(instance="gcp:a3-highgpu-8g", hours=5, region="gcp:us-central1")
    assert Job.from_params(job.to_params()) == job
    assert "instance" in job.to_params() and "count" not in job.to_params()
    assert main(["instances", "a3-highgpu"]) == 0
    assert "gcp:a3-highgpu-8g" in capsys.readouterr().out
    assert "8 x NVIDIA H100 SXM5 80GB" in render(estimate(job))


def test_an_instance_typed_as_hardware_is_pointed_to() -> None:
    # the case: "ND H100 v5" is an Azure instance of eight H100 SXM (700 W), not
    # the H100 NVL (400 W) that the closest device name would suggest
    with pytest.raises(InputError) as info:
        estimate(Job(hardware="ND H100 v5", hours=1, zone="FR"))
    assert "azure:Standard_ND96isr_H100_v5" in info.value.hint
    est = estimate(Job(instance="azure:Standard_ND96isr_H100_v5", hours=1, zone="FR"))
    assert est.inputs.hardware_name == "NVIDIA H100 SXM5 80GB" and est.inputs.count == 8


@pytest.mark.parametrize(("typed", "count", "first"), [
    # the case: the name does not tell the H100 variants apart, and eight H100s
    # in a cloud instance are SXM boards (P5, A3, ND H100 v5, BM.GPU.H100.8), not NVL cards
    ("ND H100 v5", 8, "NVIDIA H100 SXM5 80GB"),
    ("ND H100 v5", None, "NVIDIA H100 SXM5 80GB"),
    # a word of the name that does tell them apart comes before likelihood
    ("H100 PCI", 8, "NVIDIA H100 PCIe 80GB"),
    ("A100 SXM", 8, "NVIDIA A100 SXM4 80GB"),
])
def test_ambiguous_names_are_suggested_in_order_of_likelihood(
        typed: str, count: int | None, first: str) -> None:
    with pytest.raises(InputError) as info:
        estimate(Job(hardware=typed, count=count, hours=1, zone="FR"))
    assert info.value.suggestions[0] == first
    assert len(set(info.value.suggestions)) == len(info.value.suggestions) <= 3
