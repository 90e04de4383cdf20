"""Estimate one training job and print its main figures."""

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt
from ml_emissions.reports import describe_comparison

# 8 GPUs for 120 hours in Google Cloud's us-central1 region (Iowa)
job = Job(hardware="A100 80GB SXM", count=8, hours=120, region="gcp:us-central1")
result = estimate(job)

inputs = result.inputs
print("Power per device:", fmt.exact(inputs.device_watts), "W", f"({inputs.hardware_name})")
print("Facility:", inputs.facility.kind, f"({inputs.facility.reason}), PUE",
      fmt.number(inputs.pue), f"({inputs.facility.pue_type})")
print("Carbon intensity:", fmt.number(inputs.location.intensity_g_per_kwh), "gCO2e/kWh",
      f"({inputs.location.intensity_basis})")
print("Energy, after PUE:", fmt.energy(result.energy_kwh))
print("CO2e, location-based:", fmt.mass(result.co2e_kg),
      f"(range {fmt.mass(result.co2e_low_kg)} to {fmt.mass(result.co2e_high_kg)})")
if result.provider_figure is not None:  # Google publishes its own figure per region
    print("On Google's own figure:", fmt.mass(result.provider_figure.co2e_kg))
if result.market_co2e_kg is not None:
    print("Market-based (approximation):", fmt.mass(result.market_co2e_kg))
for comparison in result.comparisons:  # on the same basis as the estimate
    print(describe_comparison(comparison))
