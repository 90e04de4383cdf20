"""Errors raised for invalid input.

Every error a user can cause is an :class:`InputError`, a :class:`ValueError`
subclass that names the input field, the value given and what is allowed, with up to
three close names when a catalog name was misspelled. Front ends (the command line,
the browser) turn ``field`` into their own label (``--device-hours``, a form field).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ConflictingInputError", "InputError", "MissingInputError", "UnknownNameError"]


class InputError(ValueError):
    """An input value that the calculator cannot use.

    Parameters
    ----------
    field
        Name of the :class:`~ml_emissions.job.Job` field (``hours``, ``region``, ...).
    value
        The value as given.
    allowed
        What is allowed, as a phrase: ``"a number greater than 0"``.
    suggestions
        Up to three valid names close to ``value`` (for misspelled names).
    hint
        Optional next step, e.g. the command that lists the valid names.
    """

    def __init__(
        self,
        field: str,
        value: object,
        allowed: str,
        suggestions: Sequence[str] = (),
        hint: str = "",
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.suggestions = tuple(suggestions)[:3]
        self.hint = hint
        super().__init__(self.describe(field))

    def describe(self, label: str) -> str:
        """Return the message with ``label`` naming the field (e.g. ``--hours``)."""
        text = f"{label}: {self.value!r} is not valid; expected {self.allowed}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return text


class UnknownNameError(InputError):
    """A hardware, region or zone name that is not in the catalog."""


class MissingInputError(InputError):
    """A required input (duration, location, hardware) was not given."""

    def describe(self, label: str) -> str:
        return f"{label}: missing; expected {self.allowed}"


class ConflictingInputError(InputError):
    """Two inputs that exclude each other were both given (e.g. two locations)."""

    def describe(self, label: str) -> str:
        return f"{label}: {self.value} given together; expected {self.allowed}"
