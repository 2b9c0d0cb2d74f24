"""Narration that fits the picture: how many words a shot can carry, and where to break."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["WORDS_PER_SECOND", "fit_words", "pack_voice"]

WORDS_PER_SECOND = 2.4  # comfortable narration pace


def fit_words(text: str, seconds: float) -> str:
    """Cut narration to what can be said in `seconds` at a comfortable pace."""
    limit = max(3, int(seconds * WORDS_PER_SECOND))
    words = text.split()
    if len(words) <= limit:
        return text
    clipped = " ".join(words[:limit]).rstrip(",;:")
    return clipped if clipped.endswith((".", "!", "?")) else clipped + "."


def _phrases(text: str) -> list[list[str]]:
    """Narration split where a speaker would breathe: after , ; : . ! ?"""
    out: list[list[str]] = []
    for piece in re.split(r"(?<=[,;:.!?])\s+", text.strip()):
        if piece:
            out.append(piece.split())
    return out


def pack_voice(text: str, rooms: Sequence[float]) -> list[str]:
    """Lay narration over consecutive shots: whole phrases while they fit a
    shot's room (seconds), a phrase longer than a shot split across shots,
    words that fit nowhere dropped from the end."""
    capacities = [max(0, int(room * WORDS_PER_SECOND)) for room in rooms]
    lines: list[list[str]] = [[] for _ in rooms]
    i = 0
    for phrase in _phrases(text):
        words = list(phrase)
        while words and i < len(rooms):
            free = capacities[i] - len(lines[i])
            if len(words) <= free:
                lines[i] += words
                words = []
            elif lines[i] and i + 1 < len(rooms) and len(words) <= capacities[i + 1]:
                i += 1  # start the phrase on the next shot rather than break it
            else:
                lines[i] += words[:free]
                words = words[free:]
                i += 1
        if i < len(rooms) and len(lines[i]) >= capacities[i]:
            i += 1
    return [" ".join(line) for line in lines]

