"""The version of the ml-emissions package and its release date (read by the build
backend too; CITATION.cff states the same, which a test checks)."""

__version__ = "0.2.0"
__release_date__ = "2026-12-02"
