"""Loads the brief suite and checks a reading or a script against each brief's expectations.

Used by tests/tools/test_reading_suite.py (the reading) and by the screenwriter's
suite test (the script the craft model writes). Each check returns the list of
failures, each one line that names the brief and the fact it missed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent


def load_briefs() -> list[dict[str, Any]]:
    briefs: list[dict[str, Any]] = []
    for path in sorted(HERE.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            entry.setdefault("language", "en")
            briefs.append(entry)
    return briefs


def _collapse(seq: list[str]) -> list[str]:
    out: list[str] = []
    for x in seq:
        if not out or out[-1] != x:
            out.append(x)
    return out


def _has(word: str, names: list[str]) -> bool:
    w = word.lower()
    return any(w in n.lower() for n in names)


def check_reading(brief: dict[str, Any], reading: Any) -> list[str]:
    """The facts a reader would check, against a tools.reading.BriefReading."""
    bid = brief["id"]
    fails: list[str] = []
    names = [p.name for p in reading.people] + [a for p in reading.people for a in p.aliases]
    if reading.language != brief["language"]:
        fails.append(f"{bid}: language {reading.language}, expected {brief['language']}")
    for c in brief.get("characters", []):
        if not _has(c, names):
            fails.append(f"{bid}: character {c!r} missing from {[p.name for p in reading.people]}")
    for c in brief.get("not_characters", []):
        if any(c.lower() == p.name.lower() or c.lower() in p.name.lower().split() and p.name.lower() != c.lower() and len(p.name.split()) == 1
               for p in reading.people):
            fails.append(f"{bid}: {c!r} read as a character")
    scene_places = [s.place.name if s.place else "" for s in reading.scenes]
    pos = 0
    for place in brief.get("places", []):
        hit = next((i for i in range(pos, len(scene_places)) if place.lower() in scene_places[i].lower()), None)
        if hit is None:
            fails.append(f"{bid}: place {place!r} not a scene setting in order: {scene_places}")
        else:
            pos = hit
    things = list(reading.objects) + list(reading.effects)
    for obj in brief.get("objects", []):
        if not _has(obj, things):
            fails.append(f"{bid}: object {obj!r} missing from {things}")
    times = _collapse([s.time_of_day for s in reading.scenes])
    if "times" in brief and times != brief["times"]:
        fails.append(f"{bid}: times {times}, expected {brief['times']}")
    weathers = [w for s in reading.scenes for w in s.weather]
    for w in brief.get("weather", []):
        if w not in weathers:
            fails.append(f"{bid}: weather {w!r} missing from {weathers}")
    for t in brief.get("dry_times", []):
        if any(s.weather and s.time_of_day == t for s in reading.scenes):
            fails.append(f"{bid}: weather carried into the {t} scene")
    for place in brief.get("dry_places", []):
        if any(s.weather and s.place is not None and place in s.place.name for s in reading.scenes):
            fails.append(f"{bid}: weather carried into the {place} scene")
    for m in brief.get("mentioned", []):
        first = next((s for s in reading.scenes if any(m.lower() in n.lower() for n in s.present + s.mentioned)), None)
        if first is not None and any(m.lower() in n.lower() for n in first.present):
            fails.append(f"{bid}: {m!r} is only mentioned but read as present in scene {first.index}")
    if brief.get("dialogue") and not any(s.speech for s in reading.scenes):
        fails.append(f"{bid}: the brief implies speech but none was read")
    for who, words in brief.get("looks", {}).items():
        person = reading.person(who)
        desc = person.description.lower() if person is not None else ""
        for w in words:
            if w.lower() not in desc:
                fails.append(f"{bid}: {who!r} described as {desc!r}, without {w!r}")
    for who, line in brief.get("says", {}).items():
        spoken = [a.spoken for s in reading.scenes for a in s.speech if a.speaker == who]
        if line not in spoken:
            fails.append(f"{bid}: {who!r} says {spoken}, expected {line!r}")
    return fails


def check_script(brief: dict[str, Any], script: Any) -> list[str]:
    """The same facts, against a memory.models.Script the screenwriter wrote."""
    bid = brief["id"]
    fails: list[str] = []
    blocks = script.blocks
    cast = [c.name for c in script.synopsis.characters]
    on_screen = [c for b in blocks for c in b.characters]
    if getattr(script, "language", "en") != brief["language"]:
        fails.append(f"{bid}: script language {getattr(script, 'language', None)}, expected {brief['language']}")
    for c in brief.get("characters", []):
        if not _has(c, cast):
            fails.append(f"{bid}: character {c!r} missing from the cast {cast}")
        elif not _has(c, on_screen):
            fails.append(f"{bid}: character {c!r} never on screen")
    for c in brief.get("not_characters", []):
        if any(c.lower() == n.lower() for n in cast):
            fails.append(f"{bid}: {c!r} is a character")
    text = brief["text"].lower()
    for n in cast:
        # Never a name that is not in the brief.
        if n[:1].isupper() and n.split()[0].lower() not in text:
            fails.append(f"{bid}: invented character {n!r}")
    locations = [b.location for b in blocks]
    pos = 0
    for place in brief.get("places", []):
        hit = next((i for i in range(pos, len(locations)) if place.lower() in locations[i].lower()), None)
        if hit is None:
            fails.append(f"{bid}: place {place!r} not a block location in order: {locations}")
        else:
            pos = hit
    for obj in brief.get("objects", []):
        if not any(_has(obj, b.visual_elements) for b in blocks):
            fails.append(f"{bid}: object {obj!r} not among any block's visual elements")
        elif not any(obj.lower() in s.description.lower() for s in script.detailed.shots):
            fails.append(f"{bid}: object {obj!r} never reaches a shot description")
    times = _collapse([b.time_of_day for b in blocks])
    expected = brief.get("times")
    if expected and [t for t in times] != expected and _collapse([t for t in times if t in expected]) != expected:
        fails.append(f"{bid}: block times {times}, expected {expected}")
    if expected and any(t not in expected for t in times):
        fails.append(f"{bid}: block times {times} include a time the brief never gives ({expected})")
    for w in brief.get("weather", []):
        if not any(w in " ".join(b.visual_elements).lower() for b in blocks):
            fails.append(f"{bid}: weather {w!r} missing from the blocks")
    for m in brief.get("mentioned", []):
        first = next((b for b in blocks if m.lower() in (b.prompt + " " + " ".join(b.characters)).lower()), None)
        if first is not None and any(m.lower() in c.lower() for c in first.characters):
            fails.append(f"{bid}: {m!r} is only mentioned but on screen in {first.id}")
    if brief.get("dialogue") and not any(b.dialogue for b in blocks):
        fails.append(f"{bid}: the brief implies speech but no block has dialogue")
    descriptions = {c.name: c.description.lower() for c in script.synopsis.characters}
    for who, words in brief.get("looks", {}).items():
        for w in words:
            if w.lower() not in descriptions.get(who, ""):
                fails.append(f"{bid}: {who!r} described as {descriptions.get(who)!r} in the synopsis, without {w!r}")
    spoken = {(d.speaker, d.text) for b in blocks for d in b.dialogue}
    for who, line in brief.get("says", {}).items():
        if (who, line) not in spoken:
            fails.append(f"{bid}: no block has {who} say {line!r}")
    if len(blocks) < brief.get("min_blocks", 1):
        fails.append(f"{bid}: {len(blocks)} blocks, expected at least {brief['min_blocks']}")
    return fails
