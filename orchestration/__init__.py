"""The group-chat manager and the workflow it walks.

`Crew` runs one autogen `SelectorGroupChat` for the whole production; the
`Production` stage machine picks each next speaker and holds the debate
inside a stage (propose, critique, revise); `StageSpec`s describe the
workflow as data. Runs stream typed events (`filmcrew.orchestration.events`).
"""

from filmcrew.orchestration.crew import Crew, make_film, resume_film
from filmcrew.orchestration.events import (
    AgentTurn,
    CrewEvent,
    DirectorNote,
    Progress,
    RunCompleted,
    RunFailed,
    StageCompleted,
    StageSkipped,
    StageStarted,
)
from filmcrew.orchestration.stages import StageSpec, default_stages

__all__ = [
    "Crew",
    "make_film",
    "resume_film",
    "StageSpec",
    "default_stages",
    "CrewEvent",
    "AgentTurn",
    "DirectorNote",
    "Progress",
    "RunCompleted",
    "RunFailed",
    "StageCompleted",
    "StageSkipped",
    "StageStarted",
]
