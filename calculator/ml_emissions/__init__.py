"""ML Emissions Calculator: estimate, reduce and report the carbon emissions of training
machine-learning models.

The companion tool of Lacoste, Luccioni, Schmidt and Dandres (2019), *Quantifying the
Carbon Emissions of Machine Learning*, arXiv:1910.09700. Standard library only; runs
under CPython >= 3.11 and in the browser through Pyodide.

>>> from ml_emissions import Job, estimate
>>> result = estimate(Job(hardware="V100 SXM2 32GB", count=8, hours=24, zone="FR"))
>>> round(result.energy_kwh, 1)  # 8 x 300 W x 24 h x PUE 1.56
89.9
"""

from ._version import __version__
from .catalog import Catalog, load_catalog
from .engine import Estimate, compare_regions, estimate
from .errors import (
    ConflictingInputError,
    InputError,
    InputErrors,
    MissingInputError,
    UnknownNameError,
    UnpublishedPowerError,
)
from .job import Job
from .reports import FORMATS, render

__all__ = [
    "FORMATS",
    "Catalog",
    "ConflictingInputError",
    "Estimate",
    "InputError",
    "InputErrors",
    "Job",
    "MissingInputError",
    "UnknownNameError",
    "UnpublishedPowerError",
    "__version__",
    "compare_regions",
    "estimate",
    "load_catalog",
    "render",
]
