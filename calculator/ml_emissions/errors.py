"""Errors raised for invalid input.

Every error a user can cause is an :class:`InputError`, a :class:`ValueError`
subclass that names the input field, the value given and what is allowed, with up to
three close names when a catalog name was misspelled. Front ends (the command line,
the browser) turn ``field`` into their own label (``--device-hours``, a form field).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = [
    "ConflictingInputError",
    "InputError",
    "InputErrors",
    "MissingInputError",
    "RequiredWithError",
    "UnknownNameError",
    "UnknownParameterError",
    "UnpublishedPowerError",
]


def _identity(name: str) -> str:
    return name


def one_of(names: Sequence[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b or c"``."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


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

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        """The message with ``label`` naming the field (e.g. ``--hours``); ``name``
        turns other field names into the front end's labels (e.g. ``--device-hours``)."""
        text = f"{label}: {self.value!r} is not valid; expected {self.allowed}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return text


class UnknownNameError(InputError):
    """A hardware, region or zone name that is not in the catalog."""


class UnknownParameterError(InputError):
    """A key of a permalink or request that names no parameter (field ``parameter``)."""

    def __init__(self, key: str, parameters: Sequence[str]) -> None:
        super().__init__("parameter", key, "one of the parameters " + ", ".join(parameters))

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        return f"{label}: {self.value!r} is not a parameter; expected {self.allowed}"


class MissingInputError(InputError):
    """A required input was not given: one of ``alternatives`` (field names) is needed."""

    def __init__(self, field: str, alternatives: Sequence[str]) -> None:
        self.alternatives = tuple(alternatives)
        super().__init__(field, None, "one of " + one_of(self.alternatives))

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        alternatives = one_of([name(a) for a in self.alternatives])
        return f"{label}: missing; expected one of {alternatives}"


class RequiredWithError(MissingInputError):
    """An input needed with another one was not given (``tokens`` with ``parameters``)."""

    def __init__(self, field: str, needed_with: str) -> None:
        self.needed_with = needed_with
        super().__init__(field, [field])

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        return f"{label}: missing; needed with {name(self.needed_with)}"


class UnpublishedPowerError(MissingInputError):
    """A catalog device whose vendor publishes no power figure, chosen without a measured
    power: ``measured_watts`` is required for it.

    Parameters
    ----------
    device
        Display name of the device, e.g. ``"Google TPU v5e"``.
    vendor
        Its vendor, e.g. ``"Google"``.
    """

    def __init__(self, device: str, vendor: str) -> None:
        self.device = device
        self.reason = f"{vendor} publishes no power figure per device"
        super().__init__("measured_watts", ["measured_watts"])
        self.hint = ("measure it, e.g. with neuron-monitor on AWS chips or hl-smi on Intel "
                     "Gaudi, or divide a published system-level power by the device count")

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        return (f"{label}: missing for {self.device}; {self.reason}, so give the measured "
                "average power per device in watts")


class ConflictingInputError(InputError):
    """Inputs that exclude each other were given together (e.g. two locations)."""

    def __init__(self, field: str, given: Sequence[str], alternatives: Sequence[str]) -> None:
        self.given = tuple(given)
        self.alternatives = tuple(alternatives)
        super().__init__(field, " and ".join(self.given),
                         "only one of " + one_of(self.alternatives))

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        given = " and ".join(name(g) for g in self.given)
        alternatives = one_of([name(a) for a in self.alternatives])
        drop = "one of them" if len(self.given) == 2 else "all of them but one"
        return (f"{label}: {given} given together; expected only one of {alternatives}, "
                f"so drop {drop}")


class InputErrors(InputError):
    """Several invalid inputs at once, so that every field can be corrected in one go.

    ``errors`` holds each :class:`InputError`, in the order of the fields; the
    attributes of the exception itself are those of the first one.
    """

    def __init__(self, errors: Sequence[InputError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        super().__init__(first.field, first.value, first.allowed, first.suggestions,
                         first.hint)

    def describe(self, label: str, name: Callable[[str], str] = _identity) -> str:
        """Every message, the first with ``label``, the others labelled by ``name``."""
        messages = [self.errors[0].describe(label, name)]
        messages += [error.describe(name(error.field), name) for error in self.errors[1:]]
        return "; ".join(messages)


def each_error(error: InputError) -> tuple[InputError, ...]:
    """The single errors of ``error``: its ``errors`` if it holds several, else itself."""
    return error.errors if isinstance(error, InputErrors) else (error,)


class ErrorCollector:
    """Collects the :class:`InputError` of independent checks, then raises them together.

    >>> errors = ErrorCollector()
    >>> with errors.check():
    ...     raise InputError("count", 0, "a whole number from 1")
    >>> len(errors.errors)
    1
    """

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        """Run the block; keep the :class:`InputError` it raises instead of raising it."""
        try:
            yield
        except InputError as error:
            self.errors.extend(each_error(error))

    def fields(self) -> set[str]:
        """The fields with an error so far."""
        return {error.field for error in self.errors}

    def raise_any(self) -> None:
        """Raise the one error collected, an :class:`InputErrors` of several, or nothing."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)
