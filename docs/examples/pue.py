"""Where the PUE of an estimate comes from: the user, the region, the provider, a default."""

from ml_emissions import Job, estimate

jobs = {
    "AWS region": Job(hardware="V100", count=4, hours=24, region="aws:eu-west-1"),
    "grid zone": Job(hardware="V100", count=4, hours=24, zone="FR"),
    "given": Job(hardware="V100", count=4, hours=24, zone="FR", pue=1.3),
}
for label, job in jobs.items():
    inputs = estimate(job).inputs
    print(f"{label:>10}: PUE {inputs.pue} ({inputs.pue_basis}) - {inputs.pue_source.citation}")
