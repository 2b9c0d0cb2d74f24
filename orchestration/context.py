"""What a stage (or a custom role's stage) may use: the typed `StageContext`.

A stage reads and writes the run directory, reads the brief, the audience and
the config, calls the providers behind the seams (`Services`) and reports
progress. It never sees the production's cursor, debate state or budgets:
those change only through `Production`'s own methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from filmcrew.config import FilmcrewConfig
from filmcrew.memory.models import AudienceProfile, Brief
from filmcrew.memory.rundir import RunDir

if TYPE_CHECKING:
    from filmcrew.memory.film_references import FilmReferenceIndex
    from filmcrew.memory.sound_library import SoundLibrary
    from filmcrew.tools.clips.base import ClipGenerator
    from filmcrew.tools.sound.speech import SpeechSynthesizer

__all__ = ["StageContext", "Services", "ProgressReporter"]


class ProgressReporter(Protocol):
    """Reports how far a long step is: `progress("clips", 3, 8, "b2-s1")`."""

    def __call__(self, stage: str, done: int, total: int, label: str = "") -> None: ...


class Services:
    """The providers behind the seams, each made on first use so a run only
    loads what it needs (the sound library is never opened by a run that
    stops after the camera plan)."""

    _NAMES = ("clip_generator", "speech", "sound_library", "reference_index")

    def __init__(
        self,
        *,
        clip_generator: Callable[[], ClipGenerator],
        speech: Callable[[], SpeechSynthesizer],
        sound_library: Callable[[], SoundLibrary],
        reference_index: Callable[[], FilmReferenceIndex],
    ) -> None:
        self._factories: dict[str, Callable[[], Any]] = {
            "clip_generator": clip_generator,
            "speech": speech,
            "sound_library": sound_library,
            "reference_index": reference_index,
        }
        self._made: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        """The service called `name`, made now if it was not yet."""
        if name not in self._factories:
            raise KeyError(f"no service {name!r}; services are {', '.join(self._NAMES)}")
        if name not in self._made:
            self._made[name] = self._factories[name]()
        return self._made[name]

    @property
    def clip_generator(self) -> ClipGenerator:
        return self.get("clip_generator")

    @property
    def speech(self) -> SpeechSynthesizer:
        return self.get("speech")

    @property
    def sound_library(self) -> SoundLibrary:
        return self.get("sound_library")

    @property
    def reference_index(self) -> FilmReferenceIndex:
        return self.get("reference_index")


@dataclass(frozen=True)
class StageContext:
    """Everything a stage function is given: the run directory it reads and
    writes, what the film is for, how it is configured, the providers, and a
    progress reporter. `Production.context` is the one a crew's stages get."""

    run: RunDir
    brief: Brief
    audience: AudienceProfile
    config: FilmcrewConfig
    services: Services
    progress: ProgressReporter
