"""Roles from installed packages, through the `filmcrew.roles` entry-point group.

An entry point names either a `RoleSpec`, a `(RoleSpec, StageSpec)` pair, or
a callable returning one of those. A plugin that fails to import or returns
something else is reported and skipped: a broken plugin never stops a crew.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from filmcrew.agents.role import RoleSpec

__all__ = ["ENTRY_POINT_GROUP", "RolePlugin", "load_role_plugins"]

ENTRY_POINT_GROUP = "filmcrew.roles"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RolePlugin:
    name: str
    role: RoleSpec
    stage: Any = None
    # Where it comes from (`package version: module:attr`), shown by `filmcrew doctor` and at run start.
    source: str = ""


def _coerce(value: Any) -> tuple[RoleSpec, Any]:
    if callable(value) and not isinstance(value, RoleSpec):
        value = value()
    if isinstance(value, RoleSpec):
        return value, None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], RoleSpec):
        return value[0], value[1]
    raise TypeError(f"expected a RoleSpec or (RoleSpec, StageSpec), got {type(value).__name__}")


def load_role_plugins() -> tuple[list[RolePlugin], list[str]]:
    """Installed role plugins, and one message per plugin that was skipped."""
    plugins: list[RolePlugin] = []
    problems: list[str] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            role, stage = _coerce(ep.load())
            role.load_prompt()
            dist = getattr(ep, "dist", None)
            origin = f"{dist.name} {dist.version}: {ep.value}" if dist is not None else ep.value
            plugins.append(RolePlugin(name=ep.name, role=role, stage=stage, source=origin))
        except Exception as exc:  # noqa: BLE001 - any plugin failure is reported, never fatal
            message = f"role plugin {ep.name!r} ({ep.value}) skipped: {type(exc).__name__}: {exc}"
            log.warning(message)
            problems.append(message)
    return plugins, problems
