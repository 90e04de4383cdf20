"""The whole development cycle: a number of runs, or the total hours of the cycle."""

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt

final_run = Job(hardware="V100", count=4, hours=24, zone="FR")
twenty_runs = Job(hardware="V100", count=4, hours=24, zone="FR", runs=20)
# the same cycle given as wall-clock hours on the same 4 devices: 20 x 24 h = 480 h
by_hours = Job(hardware="V100", count=4, hours=24, zone="FR", development_hours=480)

for label, job in (("final run", final_run), ("20 runs", twenty_runs),
                   ("480 development hours", by_hours)):
    result = estimate(job)
    print(f"{label:>22}: {fmt.energy(result.energy_kwh)}, {fmt.mass(result.co2e_kg)} CO2e "
          f"(per run {fmt.mass(result.co2e_kg_per_run)})")
