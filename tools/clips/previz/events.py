"""Timed visual events: what happens on screen, and when, for the sound designer.

The camera planner adds its own events (a move starting, a jolt, a flash);
this module holds the event type and the action words that imply a sound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filmcrew.memory.models import Shot

# Action words a sound designer syncs effects to: (pattern, kind, description).
_ACTION_SOUNDS: list[tuple[str, str, str]] = [
    (r"thunder\w*|lightning", "thunder", "thunder after a lightning flash"),
    (r"slam\w*", "impact", "a slam"),
    (r"doors?|gate", "door", "a door"),
    (r"falls?|fell|falling|drops?|dropped|collaps\w*|trips?|tumbl\w*|topples?", "impact", "something falls and hits"),
    (r"runs?|running|ran|sprint\w*|races?|racing|dash\w*|chas\w*|flees?", "footsteps", "running footsteps"),
    (r"walks?|walking|walked|steps?|strides?|paces?|climbs?|enters?|approach\w*", "footsteps", "footsteps"),
    (r"crash\w*|smash\w*|shatter\w*", "crash", "a crash"),
    (r"glass\w*|window\s+breaks", "glass", "breaking glass"),
    (r"gunshots?|shoots?|shot\s+fired|fires\s+a|guns?|pistol", "gunshot", "a gunshot"),
    (r"explo\w*|blasts?", "explosion", "an explosion"),
    (r"knock\w*", "knock", "knocking"),
    (r"scream\w*|shout\w*|yell\w*|cries|gasps?", "vocal", "a vocal reaction"),
    (r"phones?|rings?|ringing|buzz\w*", "phone", "a phone rings"),
    (r"cars?|engines?|brakes?|horns?|drives?|taxi|bus", "vehicle", "a vehicle"),
    (r"splash\w*|dives?|plunges?", "splash", "a splash"),
    (r"punch\w*|hits?|strikes?|kicks?|slaps?", "hit", "a hit"),
    (r"bells?|chimes?", "bell", "a bell"),
    (r"barks?|dogs?", "dog_bark", "a dog barks"),
    (r"claps?|applause", "clap", "clapping"),
]


@dataclass
class _Event:
    t: float
    kind: str
    description: str


def _action_events(shot: Shot, duration: float, start: float, end: float) -> list[_Event]:
    text = shot.action.casefold()
    if not text.strip():
        return []
    found: dict[str, _Event] = {}
    has_door = bool(re.search(r"\bdoors?\b", text))
    for pattern, kind, desc in _ACTION_SOUNDS:
        m = re.search(rf"\b(?:{pattern})\b", text)
        if not m:
            continue
        if kind == "impact" and m.group(0).startswith("slam") and has_door:
            kind, desc = "door_slam", "a door slams"
        if kind == "door" and "door_slam" in found:
            continue
        frac = m.start() / max(1, len(text))
        t = start + frac * max(0.0, end - start)
        key = kind if kind != "impact" else f"impact:{m.group(0)}"
        if kind not in found and key not in found:
            found[key] = _Event(t, kind, f"{desc} ({m.group(0)!r} in the action)")
    return sorted(found.values(), key=lambda e: e.t)[:8]


def _snap(t: float, fps: int) -> float:
    """`t` moved onto the nearest frame (to the millisecond), so every event lands on a frame."""
    return round(round(t * fps) / fps, 3)
