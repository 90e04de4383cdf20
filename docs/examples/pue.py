"""Where the PUE of an estimate comes from: the user, the cloud provider, or the facility."""

from ml_emissions import Job, estimate

jobs = {
    "AWS region": Job(hardware="V100", count=4, hours=24, region="aws:eu-west-1"),
    "grid zone": Job(hardware="V100", count=4, hours=24, zone="FR"),
    "HPC centre": Job(hardware="V100", count=4, hours=24, zone="FR", facility="hpc"),
    "desktop": Job(hardware="RTX 4090", hours=24, zone="FR"),
    "given": Job(hardware="V100", count=4, hours=24, zone="FR", pue=1.3),
}
for label, job in jobs.items():
    facility = estimate(job).inputs.facility
    print(f"{label:>10}: {facility.kind}, PUE {facility.pue} ({facility.pue_type}) - "
          f"{facility.pue_source.citation}")
