"""Custom inputs: your own power, PUE and intensity, a measured power, a permalink."""

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt

# a device that is not in the catalog: rated power, intensity and PUE given directly
custom = estimate(Job(watts=300, count=2, hours=10, intensity=400, pue=1.2))
print("custom device:", fmt.energy(custom.energy_kwh), fmt.mass(custom.co2e_kg))

# a measured average power per device (e.g. from nvidia-smi) instead of the rated power
measured = estimate(Job(hardware="A100 80GB SXM", measured_watts=310, count=8, hours=120,
                        zone="US-CAL-CISO"))
print("measured power:", fmt.mass(measured.co2e_kg),
      f"(range {fmt.mass(measured.co2e_low_kg)} to {fmt.mass(measured.co2e_high_kg)})")

# the calculator's permalinks use the command-line flag names as query keys
job = Job.from_params({"hardware": "V100", "device-hours": "500", "count": "4", "zone": "FR"})
print("permalink query:", "&".join(f"{k}={v}" for k, v in job.to_params().items()))
print("hours per run:", job.hours_per_run)
