"""Record an estimate at the end of a training run, next to the saved model."""

import json
import tempfile
import time
from pathlib import Path

from ml_emissions import Job, estimate, render


def record_emissions(out_dir: Path, hours: float, *, hardware: str, count: int,
                     region: str) -> None:
    """Write the estimate of this run as JSON and as a model-card block."""
    result = estimate(Job(hardware=hardware, count=count, hours=hours, region=region))
    (out_dir / "emissions.json").write_text(render(result, "json"), encoding="utf-8")
    (out_dir / "co2_eq_emissions.yaml").write_text(render(result, "model-card"),
                                                   encoding="utf-8")


start = time.monotonic()
# ... the training loop runs here ...
elapsed_hours = (time.monotonic() - start) / 3600
hours = 36.0  # in a real script: elapsed_hours

with tempfile.TemporaryDirectory() as tmp:
    out_dir = Path(tmp)
    record_emissions(out_dir, hours, hardware="H100", count=8, region="azure:westeurope")
    saved = json.loads((out_dir / "emissions.json").read_text(encoding="utf-8"))
    print("saved:", ", ".join(sorted(p.name for p in out_dir.iterdir())))
    print("co2e_kg:", round(saved["co2e_kg"], 1), "| intensity:",
          saved["inputs"]["location"]["intensity_basis"])
    print((out_dir / "co2_eq_emissions.yaml").read_text(encoding="utf-8"), end="")
