"""The group-chat manager and the workflow it walks.

`Crew` runs one autogen `SelectorGroupChat` for the whole production; the
`Production` stage machine picks each next speaker, holds the debate inside
a stage (propose, critique, revise) and owns the run's budgets and failure
state; `StageSpec`s (one module per stage in `filmcrew.orchestration.stages`)
describe the workflow as data, and every stage function gets a typed
`StageContext`. Runs stream typed events (`filmcrew.orchestration.events`).
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
from filmcrew.orchestration.production import Production
from filmcrew.orchestration.stages import Services, StageContext, StageSpec, default_stages, function_tool, insert_stage

__all__ = [
    "Crew",
    "make_film",
    "resume_film",
    "Production",
    "StageSpec",
    "StageContext",
    "Services",
    "default_stages",
    "insert_stage",
    "function_tool",
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
