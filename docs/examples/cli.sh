#!/bin/sh
# Examples of the ml-emissions command line (tests/test_docs_examples.py runs each one).
set -e

# --8<-- [start:estimate]
ml-emissions estimate --hardware "A100 80GB SXM" --count 8 --hours 120 --region gcp:us-central1
# --8<-- [end:estimate]

# --8<-- [start:cycle]
# 20 runs of 24 hours on 4 V100 GPUs in France
ml-emissions estimate --hardware V100 --count 4 --hours 24 --zone FR --runs 20
# the same cycle given as its total wall-clock hours
ml-emissions estimate --hardware V100 --count 4 --hours 24 --zone FR --development-hours 480
# device-hours instead of wall-clock hours: 500 device-hours on 4 devices = 125 h per run
ml-emissions estimate --hardware V100 --count 4 --device-hours 500 --zone FR
# --8<-- [end:cycle]

# --8<-- [start:power]
ml-emissions estimate --hardware "RTX 4090" --hours 30 --zone CA-QC --utilization 0.7
ml-emissions estimate --hardware "A100 80GB SXM" --measured-watts 310 --count 8 --hours 120 --zone US-CAL-CISO
ml-emissions estimate --watts 300 --count 2 --hours 10 --intensity 400 --pue 1.2 --cpu-watts 150 --memory-gb 64
# --8<-- [end:power]

# --8<-- [start:pue]
# the provider's fleet PUE is used for a cloud region; --pue overrides any default
ml-emissions estimate --hardware V100 --count 4 --hours 24 --region aws:eu-west-1
ml-emissions estimate --hardware V100 --count 4 --hours 24 --zone FR --pue 1.3
# a workstation under a desk: no data-centre overhead
ml-emissions estimate --hardware "RTX 4090" --hours 30 --zone DE --pue 1
# --8<-- [end:pue]

# --8<-- [start:compute]
# plan a run from its size: 7B parameters, 2T tokens (FLOPs = 6ND), at the default MFU
ml-emissions estimate --hardware "H100 SXM" --count 256 --parameters 7B --tokens 2T --zone US
# the same work on three devices and in two places: six scenarios
ml-emissions compare --hardware "A100 80GB SXM" --hardware "H100 SXM" --hardware B200 --parameters 7B --tokens 2T --count 64 --zone FR --zone PL
# --8<-- [end:compute]

# --8<-- [start:report]
ml-emissions estimate --hardware V100 --count 4 --device-hours 500 --zone FR --format latex
ml-emissions estimate --hardware V100 --count 4 --device-hours 500 --zone FR --format markdown
ml-emissions estimate --hardware "RTX 4090" --hours 30 --zone CA-QC --format model-card
ml-emissions estimate --hardware V100 --count 4 --device-hours 500 --zone FR --format json
# --8<-- [end:report]

# --8<-- [start:catalog]
ml-emissions hardware A100
ml-emissions regions ovhcloud
ml-emissions zones canada
ml-emissions cite
# --8<-- [end:catalog]
