"""One root exception, and the few named kinds a caller may want to catch."""

from __future__ import annotations

__all__ = [
    "FilmcrewError",
    "ConfigurationError",
    "InputError",
    "RunFileError",
    "ProviderError",
    "StageError",
]


class FilmcrewError(Exception):
    """Root of every error filmcrew raises on purpose."""


class ConfigurationError(FilmcrewError):
    """A setting or an installed extra is missing or wrong; the message says what to do."""


class InputError(FilmcrewError):
    """The user's input (brief, image, folder) cannot be used; the message says what to do."""


class RunFileError(InputError):
    """A file of a run directory is damaged; the message names it and how to recover."""

    def __init__(self, message: str, *, path: str = ""):
        super().__init__(message)
        self.path = path


class ProviderError(FilmcrewError):
    """An external provider (model, video, speech) failed after retries."""

    def __init__(self, message: str, *, provider: str = "", status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.provider = provider
        self.status = status
        self.retryable = retryable


class StageError(FilmcrewError):
    """A stage could not finish; everything finished before it is kept on disk."""
