"""The same job in every region of one provider, cleanest first."""

from ml_emissions import Job, compare_regions, load_catalog
from ml_emissions import formatting as fmt
from ml_emissions.resolve import resolve

catalog = load_catalog()
job = Job(hardware="H100", count=8, hours=72, region="aws:us-east-1")
options = compare_regions(resolve(job, catalog), "aws", catalog, job.pue)

print(f"{len(options)} AWS regions; the three cleanest and the dirtiest:")
for option in (*options[:3], options[-1]):
    print(f"  {option.key:<24} {fmt.number(option.intensity_g_per_kwh):>6} gCO2e/kWh"
          f"  PUE {fmt.number(option.pue)}  {fmt.mass(option.co2e_kg)}")
