"""Text to paste into a paper (LaTeX, Markdown) or a Hugging Face model card."""

from ml_emissions import FORMATS, Job, estimate, render

result = estimate(Job(hardware="RTX 4090", hours=30, zone="CA-QC", utilization=0.7,
                      training_type="fine-tuning"))

print("Formats:", ", ".join(FORMATS))
print()
print(render(result, "markdown"))
print(render(result, "model-card"))
