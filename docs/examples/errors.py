"""Invalid inputs raise InputError (a ValueError) naming the field and what is allowed."""

from ml_emissions import InputError, Job, estimate

attempts = {
    "unknown device": {"hardware": "A100-80G-SMX", "hours": 10, "zone": "FR"},
    "two locations": {"hardware": "V100", "hours": 10, "zone": "FR", "region": "gcp:us-east1"},
    "PUE below 1": {"hardware": "V100", "hours": 10, "zone": "FR", "pue": 0.9},
}
for label, fields in attempts.items():
    try:
        estimate(Job(**fields))
    except InputError as error:
        print(f"{label}: field {error.field!r}: {error}")
