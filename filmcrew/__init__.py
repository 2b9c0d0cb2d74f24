"""filmcrew: a crew of role-playing agents that turns a short text into a short film.

The public API is small: `make_film` runs a whole production, `Crew` lets a
script build, step and extend the crew, and the models in
`filmcrew.memory` describe every stage's output. Heavy libraries (autogen,
OpenTimelineIO, numpy) are imported lazily so `import filmcrew` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from filmcrew.errors import (
    ConfigurationError,
    FilmcrewError,
    InputError,
    ProviderError,
    StageError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Crew",
    "RoleSpec",
    "make_film",
    "resume_film",
    "load_config",
    "FilmcrewError",
    "ConfigurationError",
    "InputError",
    "ProviderError",
    "StageError",
]

_LAZY = {
    "Crew": ("filmcrew.orchestration.crew", "Crew"),
    "make_film": ("filmcrew.orchestration.crew", "make_film"),
    "resume_film": ("filmcrew.orchestration.crew", "resume_film"),
    "RoleSpec": ("filmcrew.agents.role", "RoleSpec"),
    "load_config": ("filmcrew.config", "load_config"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'filmcrew' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from filmcrew.agents.role import RoleSpec
    from filmcrew.config import load_config
    from filmcrew.orchestration.crew import Crew, make_film, resume_film
