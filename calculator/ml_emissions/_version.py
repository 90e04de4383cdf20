"""The version of the ml-emissions package (read by the build backend too)."""

__version__ = "0.1.0"
