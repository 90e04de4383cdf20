"""Plan a run from its compute, then compare it on other hardware."""

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt  # numbers as every report writes them
from ml_emissions.compare import compare_jobs
from ml_emissions.compare_reports import render_comparison

# Llama 2 7B's size: 7 billion parameters, 2 trillion tokens, on 64 A100 GPUs in France
job = Job(hardware="A100 80GB SXM", count=64, parameters=7e9, tokens=2e12, zone="FR")
result = estimate(job)
plan = result.inputs.compute
print(f"{fmt.scientific(plan.flops)} FLOPs at MFU {plan.mfu}: "
      f"{fmt.number(result.inputs.hours_per_run)} h per run")
print(f"operational {fmt.mass(result.co2e_kg)} CO2e, embodied {fmt.mass(result.embodied.co2e_kg)}")

# the same work on three devices
print(render_comparison(compare_jobs(job, hardware=["A100 80GB SXM", "H100 SXM", "B200"])))
