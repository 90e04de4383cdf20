"""Estimate one training job and print its main figures."""

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt

# 8 GPUs for 120 hours in Google Cloud's us-central1 region (Iowa)
job = Job(hardware="A100 80GB SXM", count=8, hours=120, region="gcp:us-central1")
result = estimate(job)

inputs = result.inputs
print("Power per device:", fmt.number(inputs.device_watts), "W", f"({inputs.hardware_name})")
print("PUE:", fmt.number(inputs.pue), f"({inputs.pue_basis})")
print("Carbon intensity:", fmt.number(inputs.location.intensity_g_per_kwh), "gCO2e/kWh",
      f"({inputs.location.intensity_basis})")
print("Energy, after PUE:", fmt.energy(result.energy_kwh))
print("CO2e, location-based:", fmt.mass(result.co2e_kg),
      f"(range {fmt.mass(result.co2e_low_kg)} to {fmt.mass(result.co2e_high_kg)})")
if result.market_co2e_kg is not None:
    print("CO2e, market-based (approximation):", fmt.mass(result.market_co2e_kg))
