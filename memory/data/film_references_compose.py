"""Compose the shipped film-reference corpus (memory/data/film_references.jsonl).

Run: `python memory/data/film_references_compose.py` (deterministic: the same
source gives the same file, byte for byte, so reference ids stay stable).

Two kinds of sequence, all written for filmcrew:

- film-grammar patterns: for each scene situation a short film needs, two or
  three shot grammars (the order of sizes, moves and angles a camera crew would
  use) filled with hand-written variants (place, time, feeling, genre, light and
  what is seen), so the same grammar reads differently in a harbour at dawn and
  in a kitchen at night;
- film citations: sequences from well-known films whose cinematography is
  widely documented, described in our own words from that common knowledge (no
  frames, no quoted text; no timecode unless it is well known).

Every sequence is checked against the continuity rules the cinematographer
keeps (a wide before the first close shot in a new place, no cut between two
shots of nearly the same size and angle) before it is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("film_references.jsonl")

PATTERN_LICENCE = "CC0-1.0; filmcrew original film-grammar pattern"
FILM_LICENCE = "CC0-1.0; filmcrew original annotation of publicly documented cinematography (no frames or text copied)"

SIZES = ["extreme_wide", "wide", "full", "medium_wide", "medium", "medium_close_up", "close_up", "extreme_close_up"]

# A beat: size, movement, angle, lens, seconds, composition, description template.
# Templates take {who}, {other}, {place}, {thing} from the variant.


def B(size, movement, angle, lens, seconds, composition, text):
    return (size, movement, angle, lens, seconds, composition, text)


GRAMMARS: dict[str, list[list[tuple]]] = {
    "establishing a place": [
        [
            B("extreme_wide", "crane", "high", "24mm", 5.0, "horizon on the upper third, {place} small in frame", "crane down over {place} to lay out its geography"),
            B("wide", "pan", "eye_level", "35mm", 4.0, "leading lines into the frame", "slow pan across {thing} as the place wakes"),
            B("medium_wide", "truck", "eye_level", "35mm", 3.5, "{who} enters frame left", "truck with {who} moving through {place}, placing a person in it"),
            B("medium", "static", "eye_level", "50mm", 3.0, "rule of thirds", "{who} settles into the work of the place"),
        ],
        [
            B("extreme_wide", "static", "eye_level", "28mm", 5.0, "locked-off tableau, deep focus", "locked-off tableau of {place}; let the viewer read it"),
            B("wide", "dolly_in", "eye_level", "35mm", 4.0, "centred vanishing point", "slow push along {thing} toward the heart of {place}"),
            B("full", "static", "low", "35mm", 3.0, "figure framed by architecture", "{who} seen whole against {place}, scale set"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "detail isolated, shallow focus", "detail insert of {thing} that tells us who lives here"),
        ],
        [
            B("extreme_wide", "tracking", "overhead", "24mm", 5.0, "top-down map of the ground", "overhead drone line across {place}, patterns of roads and roofs"),
            B("wide", "tilt", "low", "24mm", 3.5, "verticals dominate", "tilt up {thing} to give it height and weight"),
            B("medium_wide", "static", "eye_level", "35mm", 3.0, "{who} in the lower third", "{who} pauses, the place around them"),
        ],
    ],
    "arrival": [
        [
            B("extreme_wide", "static", "eye_level", "50mm", 4.5, "tiny figure on the horizon", "{who} appears far off, approaching {place}"),
            B("wide", "pan", "eye_level", "35mm", 3.5, "figure moves screen left to right", "pan with {who} as they reach {thing}"),
            B("medium", "dolly_in", "eye_level", "50mm", 3.0, "rule of thirds, looking off screen right", "slow push as {who} takes in the new place"),
            B("wide", "static", "point_of_view", "28mm", 3.0, "what they see, centred", "point of view: {place} as {who} first sees it"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "eyes on the upper third", "close on {who}: relief or doubt at arriving"),
        ],
        [
            B("wide", "static", "low", "28mm", 3.5, "doorway frames the entrance", "{thing} opens; {who} stands in the frame of it"),
            B("full", "tracking", "eye_level", "35mm", 3.5, "figure centred, walls converging", "track backward ahead of {who} stepping into {place}"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 3.0, "shoulder foreground left", "over the shoulder of {other}, watching {who} arrive"),
            B("close_up", "dolly_in", "eye_level", "85mm", 2.5, "face fills the right two thirds", "push in on {who} as the room goes quiet"),
        ],
    ],
    "discovery": [
        [
            B("medium_wide", "static", "eye_level", "35mm", 3.0, "{who} small against {place}", "{who} searches {place}, nothing yet"),
            B("medium", "dolly_in", "eye_level", "50mm", 3.0, "subject on the left third", "slow push as {who} notices something"),
            B("extreme_close_up", "static", "overhead", "100mm", 2.0, "object centred, shallow focus", "insert: {thing}, seen from above"),
            B("close_up", "dolly_in", "eye_level", "85mm", 2.5, "eyes on the upper third", "push in on {who} as the meaning lands"),
        ],
        [
            B("wide", "handheld", "eye_level", "28mm", 3.0, "loose, searching frame", "handheld behind {who} moving through {place}"),
            B("medium_close_up", "static", "point_of_view", "50mm", 2.5, "torch or eye-line centred", "point of view finding {thing}"),
            B("close_up", "zoom_in", "eye_level", "85mm", 2.0, "tight on the hand", "{who}'s hand reaches for {thing}"),
            B("medium", "dolly_out", "eye_level", "35mm", 3.0, "subject isolated centre frame", "pull back to leave {who} alone with what they found"),
        ],
    ],
    "reveal": [
        [
            B("medium", "static", "eye_level", "50mm", 3.0, "{who} fills the foreground, background hidden", "{who} in the foreground, unaware of {thing} behind"),
            B("medium_wide", "pedestal", "eye_level", "35mm", 3.0, "rack focus to the background", "rise and rack focus to show {thing}"),
            B("close_up", "dolly_zoom", "eye_level", "35mm", 2.5, "face centred, background stretching", "dolly zoom on {who} as they understand"),
            B("wide", "dolly_out", "high", "24mm", 3.5, "figure small in a large frame", "pull back high: {who} dwarfed by the truth of {place}"),
        ],
        [
            B("close_up", "static", "eye_level", "85mm", 2.5, "face in profile, off-screen space left", "{who} turns toward a sound"),
            B("wide", "whip_pan", "eye_level", "24mm", 1.5, "new subject centred", "whip pan to {thing}, revealed at once"),
            B("full", "arc", "low", "35mm", 3.5, "subject circled against the sky", "arc around {thing} so its full shape shows"),
            B("medium_close_up", "static", "eye_level", "50mm", 2.5, "subject on the right third", "{who} takes it in, silent"),
        ],
    ],
    "dialogue coverage": [
        [
            B("medium_wide", "static", "eye_level", "35mm", 3.5, "two-shot, both profiles, sets the line", "two-shot of {who} and {other} at {thing} sets the 180-degree line"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 3.0, "{other}'s shoulder frame right, {who} looks screen right", "over the shoulder onto {who}, looking screen right"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 3.0, "{who}'s shoulder frame left, {other} looks screen left", "reverse over the shoulder onto {other}, looking screen left, same side of the line"),
            B("close_up", "dolly_in", "eye_level", "85mm", 3.0, "single, eyes on the upper third, looking screen right", "slow push on {who} as the conversation turns"),
        ],
        [
            B("wide", "static", "eye_level", "28mm", 3.5, "symmetrical, both figures in {place}", "wide of {place}: {who} and {other} face each other"),
            B("medium", "static", "eye_level", "50mm", 3.0, "single, looking screen left, lead room left", "single on {other}, eyeline screen left"),
            B("medium", "static", "over_the_shoulder", "50mm", 3.0, "clean single after dirty single, looking screen right", "over the shoulder onto {who}, eyeline screen right"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "tight single, looking screen left", "close on {other} for the line that matters"),
            B("medium_wide", "truck", "eye_level", "35mm", 3.0, "two-shot, lateral move", "truck across the two-shot as they fall quiet"),
        ],
        [
            B("medium_wide", "tracking", "eye_level", "35mm", 4.0, "walk-and-talk two-shot, leading", "track backward ahead of {who} and {other} walking through {place}"),
            B("medium_close_up", "tracking", "over_the_shoulder", "50mm", 3.0, "walking over the shoulder, looking screen right", "walking over the shoulder onto {who}"),
            B("medium_close_up", "tracking", "eye_level", "50mm", 3.0, "walking single, looking screen left", "walking single on {other}, answering"),
        ],
    ],
    "argument": [
        [
            B("wide", "static", "eye_level", "28mm", 3.5, "{thing} divides the frame between them", "wide of {place}: {thing} stands between {who} and {other}"),
            B("medium_close_up", "handheld", "eye_level", "50mm", 2.5, "single, looking screen right, tight headroom", "handheld single on {who} raising their voice"),
            B("medium_close_up", "handheld", "eye_level", "50mm", 2.5, "single, looking screen left, tight headroom", "handheld single on {other} answering back"),
            B("close_up", "static", "low", "85mm", 2.0, "low single, looking screen right", "low close-up as {who} says the unforgivable thing"),
            B("medium_wide", "static", "high", "35mm", 3.0, "high two-shot, distance between them", "high two-shot: the silence after, apart in {place}"),
        ],
        [
            B("medium_wide", "static", "eye_level", "35mm", 3.0, "two-shot, rule of thirds", "{who} and {other} begin calmly at {thing}"),
            B("medium", "arc", "eye_level", "50mm", 3.0, "camera circles slowly", "slow arc around the pair as it escalates"),
            B("close_up", "handheld", "eye_level", "85mm", 2.0, "single, looking screen left", "close on {other}, trembling"),
            B("extreme_close_up", "static", "eye_level", "100mm", 1.5, "hand or object fills frame", "insert: {thing} slammed down"),
        ],
    ],
    "confrontation": [
        [
            B("wide", "static", "low", "24mm", 3.0, "opponents at the frame edges, equal", "low wide frames {who} and {other} as equals in {place}"),
            B("close_up", "static", "low", "85mm", 2.0, "low single, looking screen right", "low-angle close-up on {other}: power"),
            B("close_up", "static", "high", "85mm", 2.0, "high single, looking screen left", "high-angle close-up on {who}: threatened"),
            B("extreme_close_up", "dolly_in", "dutch", "100mm", 1.5, "eyes across the frame", "dutch push on {who}'s eyes before the break"),
        ],
        [
            B("extreme_wide", "static", "eye_level", "35mm", 4.0, "two figures at opposite edges", "two small figures across {place}, {thing} between them"),
            B("medium", "dolly_in", "eye_level", "50mm", 3.0, "single, looking screen right", "slow push on {who}, hand near {thing}"),
            B("medium", "dolly_in", "eye_level", "50mm", 3.0, "single, looking screen left", "matching push on {other}"),
            B("extreme_close_up", "static", "eye_level", "135mm", 1.5, "eyes only", "extreme close-up on {who}'s eyes"),
            B("extreme_close_up", "static", "low", "135mm", 1.0, "hand only", "insert: a hand tightens on {thing}"),
        ],
    ],
    "chase": [
        [
            B("wide", "whip_pan", "eye_level", "24mm", 1.5, "subject bursts from frame right", "whip pan to catch {who} bursting out of {place}"),
            B("medium", "handheld", "eye_level", "35mm", 2.0, "running beside, screen direction left to right", "handheld alongside {who}, breath and shake, running left to right"),
            B("full", "tracking", "low", "28mm", 2.0, "low, obstacles crossing frame", "low tracking shot through {thing}"),
            B("close_up", "handheld", "eye_level", "50mm", 1.5, "face, glancing back screen left", "{who} glances back at {other}"),
            B("wide", "static", "high", "24mm", 2.0, "both cross the frame left to right", "high wide: {who} then {other} cross frame, distance shown"),
        ],
        [
            B("extreme_wide", "tracking", "high", "24mm", 3.0, "vehicles as lines across the ground", "aerial line following {who} through {place}"),
            B("medium", "tracking", "eye_level", "28mm", 2.0, "mounted on the vehicle, windscreen framing", "car-mount on {who} at the wheel"),
            B("full", "static", "low", "18mm", 1.5, "lens near the road, vehicle rushes past", "low static as {other} roars past the lens"),
            B("close_up", "handheld", "eye_level", "50mm", 1.5, "tight, mirror in frame", "mirror close-up: {other} gaining"),
        ],
    ],
    "pursuit on foot": [
        [
            B("wide", "static", "eye_level", "28mm", 2.5, "deep corridor of {place}", "{who} sprints down {place} toward camera"),
            B("medium", "tracking", "eye_level", "35mm", 2.0, "leading the runner, screen direction right", "track backward ahead of {who}, {other} small behind"),
            B("full", "handheld", "low", "24mm", 1.5, "feet and ground", "low handheld on feet vaulting {thing}"),
            B("medium_close_up", "handheld", "over_the_shoulder", "35mm", 2.0, "over the pursuer's shoulder", "over {other}'s shoulder: the gap closing"),
            B("wide", "pan", "high", "28mm", 2.5, "both figures, exit frame right", "high pan as {who} turns a corner, {other} follows"),
        ],
        [
            B("medium_wide", "handheld", "eye_level", "28mm", 2.5, "behind the runner, crowd parting", "handheld behind {who} through the crowd in {place}"),
            B("close_up", "handheld", "eye_level", "50mm", 1.5, "face, heavy breath", "close on {who}: lungs burning"),
            B("wide", "static", "eye_level", "35mm", 2.0, "runner crosses frame left to right", "locked wide: {who} crosses, a beat later {other}"),
            B("extreme_close_up", "static", "eye_level", "100mm", 1.0, "object in the hand", "insert: {thing} slips from a hand"),
        ],
    ],
    "suspense approach": [
        [
            B("wide", "static", "low", "24mm", 4.0, "deep shadows, small figure at the end of {place}", "{who} small at the end of {place}, darkness around"),
            B("medium", "tracking", "eye_level", "35mm", 4.0, "following behind, head in the lower third", "slow track behind {who} toward {thing}"),
            B("close_up", "static", "point_of_view", "50mm", 3.0, "the object centred, vignette of dark", "point of view: {thing}, closer"),
            B("close_up", "dolly_in", "eye_level", "85mm", 3.0, "face, negative space behind", "slow push on {who}, the empty space behind them"),
            B("extreme_close_up", "static", "eye_level", "100mm", 2.0, "hand on the handle", "insert: a hand on {thing}"),
        ],
        [
            B("medium_wide", "static", "high", "28mm", 4.0, "high, as if watched", "high static frame over {place}, as if someone watches {who}"),
            B("full", "dolly_in", "eye_level", "35mm", 4.0, "centred, corridor converging", "creeping dolly toward {who} and {thing}"),
            B("medium_close_up", "pan", "eye_level", "50mm", 3.0, "slow pan into dark frame edge", "slow pan off {who} into the dark"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "still, holding too long", "hold on {who} listening"),
        ],
    ],
    "hiding": [
        [
            B("wide", "static", "eye_level", "28mm", 3.5, "hiding place in the foreground, searcher far", "wide of {place}: {other} searching, {who} hidden in the foreground"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "face pressed in shadow, slats of light", "close on {who} behind {thing}, holding breath"),
            B("medium", "static", "point_of_view", "50mm", 2.5, "through a gap, partial frame", "point of view through a gap: {other}'s feet passing"),
            B("extreme_close_up", "static", "eye_level", "100mm", 2.0, "eye through the gap", "extreme close-up on an eye watching"),
            B("medium_wide", "static", "high", "35mm", 3.0, "high, figure crouched", "high frame: {who} crouched, the danger just past"),
        ],
        [
            B("medium_wide", "dolly_out", "low", "24mm", 3.0, "floor level, under the furniture", "low pull back to find {who} under {thing}"),
            B("medium", "pan", "eye_level", "50mm", 3.0, "the searcher crosses frame", "pan with {other} walking past the hiding place"),
            B("close_up", "static", "low", "85mm", 2.5, "face lit by a thin slit", "close on {who}, a thin slit of light across the eyes"),
        ],
    ],
    "rescue": [
        [
            B("extreme_wide", "static", "high", "24mm", 4.0, "the danger dominates, figure tiny", "extreme wide: {who} trapped in {place}"),
            B("medium", "handheld", "eye_level", "35mm", 2.5, "running with the rescuer", "handheld with {other} racing toward {thing}"),
            B("close_up", "static", "eye_level", "85mm", 2.0, "hand reaching into frame", "close on hands: {other} grabs {who}'s arm"),
            B("medium_close_up", "handheld", "low", "35mm", 2.5, "two faces close, pulling", "low handheld as {other} hauls {who} clear"),
            B("wide", "crane", "high", "28mm", 4.0, "both figures safe, danger behind", "crane up: both safe, {place} behind them"),
        ],
        [
            B("wide", "tracking", "eye_level", "28mm", 3.5, "lateral, danger close", "tracking along {place} as {other} searches for {who}"),
            B("medium_close_up", "static", "point_of_view", "50mm", 2.0, "found, centred", "point of view: {who} clinging to {thing}"),
            B("close_up", "handheld", "eye_level", "50mm", 2.0, "hands locking", "hands lock"),
            B("medium_wide", "dolly_out", "eye_level", "35mm", 3.5, "two figures together, breath", "pull back on the two of them, breathing"),
        ],
    ],
    "reunion": [
        [
            B("wide", "static", "eye_level", "35mm", 4.0, "two figures at opposite edges of {place}", "wide of {place}: {who} and {other} see each other across it"),
            B("medium_close_up", "dolly_in", "eye_level", "85mm", 3.0, "single, looking screen right", "slow push on {who}, recognition"),
            B("medium_close_up", "dolly_in", "eye_level", "85mm", 3.0, "single, looking screen left", "matching push on {other}"),
            B("medium", "arc", "eye_level", "50mm", 4.0, "the two figures centred, the world soft", "slow arc around the embrace"),
            B("close_up", "static", "eye_level", "85mm", 3.0, "face over a shoulder, eyes closed", "close on {who}'s face over {other}'s shoulder"),
        ],
        [
            B("full", "tracking", "eye_level", "35mm", 3.5, "running toward camera", "track backward as {who} runs through {place}"),
            B("wide", "static", "eye_level", "50mm", 3.0, "long lens compresses the distance", "long-lens wide: the two close the distance"),
            B("medium_close_up", "handheld", "eye_level", "50mm", 3.5, "two-shot embracing, tight", "handheld two-shot: they hold each other, {thing} forgotten"),
            B("extreme_wide", "crane", "high", "24mm", 4.0, "tiny pair in a large world", "crane up from the pair until {place} surrounds them"),
        ],
    ],
    "farewell": [
        [
            B("medium_wide", "static", "eye_level", "35mm", 3.5, "two-shot, space between them", "two-shot of {who} and {other} at {thing}, a gap between them"),
            B("close_up", "static", "eye_level", "85mm", 3.0, "single, looking screen right", "close on {who}, the words not said"),
            B("close_up", "static", "eye_level", "85mm", 3.0, "single, looking screen left", "close on {other}, answering with a look"),
            B("wide", "dolly_out", "eye_level", "35mm", 4.5, "departing figure shrinks, the other holds", "pull back as {other} leaves through {place}, {who} stays"),
            B("extreme_wide", "static", "eye_level", "50mm", 4.0, "empty frame after the exit", "the empty {place} after they have gone"),
        ],
        [
            B("full", "static", "eye_level", "35mm", 3.5, "doorway frame", "{who} in the doorway of {place}, bag packed"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 3.0, "over the shoulder of the one who stays", "over {other}'s shoulder onto {who}"),
            B("wide", "static", "high", "28mm", 4.0, "vehicle leaving frame", "high wide: {thing} pulls away"),
            B("close_up", "zoom_in", "eye_level", "85mm", 3.5, "face holding, slow", "slow zoom on {other} watching it go"),
        ],
    ],
    "intimacy": [
        [
            B("medium_wide", "static", "eye_level", "35mm", 4.0, "two figures close, warm pool of light", "{who} and {other} together at {thing}, the world quiet"),
            B("medium_close_up", "dolly_in", "eye_level", "85mm", 4.0, "two-shot in profile, shallow focus", "slow push into the two-shot"),
            B("close_up", "static", "eye_level", "85mm", 3.5, "single, soft key, looking screen right", "close on {who}, soft light"),
            B("extreme_close_up", "static", "eye_level", "100mm", 3.0, "hands touching, shallow focus", "insert: hands finding each other"),
        ],
        [
            B("wide", "static", "eye_level", "35mm", 4.0, "silhouettes against the light", "silhouettes of {who} and {other} in {place}"),
            B("medium", "arc", "eye_level", "50mm", 4.0, "camera drifts around the pair", "gentle arc around the couple"),
            B("close_up", "handheld", "eye_level", "85mm", 3.0, "breathing handheld, faces close", "loose handheld close two-shot, foreheads touching"),
        ],
    ],
    "grief": [
        [
            B("wide", "static", "high", "28mm", 4.5, "figure small, much empty space", "high wide: {who} alone in {place}"),
            B("medium", "static", "eye_level", "50mm", 4.0, "figure off-centre, empty chair beside", "{who} beside {thing}, the empty space in frame"),
            B("close_up", "dolly_in", "eye_level", "85mm", 4.0, "face, very slow move", "very slow push on {who} as grief arrives"),
            B("extreme_close_up", "static", "eye_level", "100mm", 3.0, "object of the lost one", "insert: {thing}, kept"),
        ],
        [
            B("medium_wide", "static", "eye_level", "35mm", 4.0, "figures in black, static ranks", "mourners at {place}, {who} among them"),
            B("close_up", "static", "eye_level", "85mm", 3.5, "single, eyes down", "close on {who}, not crying yet"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 3.0, "over the shoulder toward the grave or bed", "over {who}'s shoulder onto {thing}"),
            B("extreme_wide", "dolly_out", "high", "24mm", 5.0, "figure tiny at the end", "slow pull back until {who} is a speck in {place}"),
        ],
    ],
    "isolation": [
        [
            B("extreme_wide", "static", "eye_level", "24mm", 5.0, "figure tiny, huge negative space", "extreme wide: {who} alone in {place}"),
            B("medium", "static", "eye_level", "50mm", 4.0, "framed by a window, off-centre", "{who} framed in a window, {thing} beyond"),
            B("close_up", "static", "eye_level", "85mm", 4.0, "face, looking out of frame", "close on {who}, looking at nothing"),
            B("wide", "dolly_out", "high", "28mm", 4.5, "the room empties around them", "slow pull back, the room grows around {who}"),
        ],
        [
            B("wide", "tracking", "eye_level", "35mm", 4.0, "crowd passing, one figure still", "lateral track: crowds stream past {who}, who does not move"),
            B("medium_close_up", "static", "eye_level", "85mm", 3.5, "long lens, crowd blurred", "long-lens single, the world out of focus"),
            B("extreme_wide", "static", "overhead", "24mm", 4.0, "top-down, figure as a dot", "overhead: {who} a dot in {place}"),
        ],
    ],
    "celebration": [
        [
            B("extreme_wide", "crane", "high", "24mm", 4.0, "the whole crowd, lights", "crane over {place}: the whole party"),
            B("medium", "handheld", "eye_level", "35mm", 3.0, "dancing bodies crossing frame", "handheld among the dancers with {who}"),
            B("medium_close_up", "static", "eye_level", "50mm", 2.5, "laughing single", "{who} laughing, {thing} raised"),
            B("close_up", "whip_pan", "eye_level", "50mm", 1.5, "fast move to a second face", "whip pan to {other}, cheering"),
            B("wide", "dolly_out", "eye_level", "28mm", 3.5, "everyone in frame", "pull back through the party"),
        ],
        [
            B("wide", "static", "eye_level", "28mm", 3.5, "long table, symmetrical", "wide of {place}: the long table, everyone present"),
            B("medium", "tracking", "eye_level", "35mm", 3.5, "lateral along the faces", "track along the table past {who} and {other}"),
            B("close_up", "static", "low", "50mm", 2.5, "object raised into the light", "low close: {thing} raised for a toast"),
        ],
    ],
    "montage of work": [
        [
            B("wide", "static", "eye_level", "28mm", 2.5, "workplace, symmetrical", "wide of {place}: the task ahead"),
            B("extreme_close_up", "static", "overhead", "100mm", 1.5, "hands and tool, top-down", "overhead insert: hands on {thing}"),
            B("medium", "tracking", "eye_level", "35mm", 2.0, "moving with the worker", "track with {who} carrying the load"),
            B("close_up", "static", "eye_level", "85mm", 1.5, "sweat, concentration", "close on {who}, concentration"),
            B("wide", "static", "eye_level", "28mm", 2.5, "same frame as the first, changed", "same wide of {place}, the work done"),
        ],
        [
            B("medium_wide", "pan", "eye_level", "35mm", 2.0, "activity across the frame", "pan across {place} busy with work"),
            B("close_up", "static", "low", "50mm", 1.5, "tool strikes toward lens", "low close: {thing} strikes"),
            B("medium", "handheld", "eye_level", "35mm", 2.0, "loose, energetic", "handheld with {who} and {other} at work"),
            B("extreme_close_up", "static", "eye_level", "100mm", 1.5, "detail of the result", "insert: the finished detail"),
        ],
    ],
    "journey": [
        [
            B("extreme_wide", "tracking", "high", "24mm", 5.0, "road as a line through the land", "aerial: {thing} travels through {place}"),
            B("medium", "tracking", "eye_level", "35mm", 3.5, "travelling alongside, screen direction left to right", "side track with {who} on the move, left to right"),
            B("close_up", "static", "eye_level", "85mm", 3.0, "face, landscape passing behind", "close on {who}, the land passing behind"),
            B("wide", "pan", "eye_level", "28mm", 4.0, "traveller exits frame right", "pan as {who} passes and goes on"),
        ],
        [
            B("wide", "static", "eye_level", "35mm", 4.0, "road vanishing point", "static wide: the road ahead through {place}"),
            B("medium_close_up", "static", "point_of_view", "35mm", 3.0, "through the windscreen or from the saddle", "point of view of {who} along the way"),
            B("medium", "static", "eye_level", "50mm", 3.0, "two travellers side by side", "{who} and {other} side by side, silent"),
            B("extreme_wide", "crane", "high", "24mm", 5.0, "horizon dominant", "crane up to a vast horizon"),
        ],
    ],
    "storm": [
        [
            B("extreme_wide", "static", "low", "24mm", 4.0, "sky dominates two thirds", "the storm rolls over {place}"),
            B("wide", "handheld", "eye_level", "24mm", 3.0, "frame buffeted by wind", "handheld: {who} struggles with {thing} in the wind"),
            B("close_up", "handheld", "eye_level", "50mm", 2.0, "rain-lashed face", "close on {who}, rain lashing"),
            B("extreme_close_up", "static", "eye_level", "100mm", 1.5, "detail straining", "insert: {thing} straining"),
            B("wide", "static", "high", "28mm", 3.0, "lightning flash reveals the scene", "lightning flash: the whole of {place} for a moment"),
        ],
        [
            B("extreme_wide", "crane", "high", "24mm", 4.0, "tiny object in a huge storm", "high crane: {thing} tiny in the storm"),
            B("medium", "handheld", "dutch", "28mm", 2.5, "tilted, violent", "dutch handheld with {who} as the world tips"),
            B("medium_close_up", "static", "low", "35mm", 2.5, "low, water over the lens", "low on {who} and {other} holding on"),
        ],
    ],
    "aftermath": [
        [
            B("extreme_wide", "static", "eye_level", "28mm", 5.0, "wreckage across the frame, no one", "still extreme wide of {place} after it happened"),
            B("wide", "tracking", "eye_level", "35mm", 4.5, "slow lateral past the damage", "slow track past {thing}"),
            B("medium", "static", "eye_level", "50mm", 4.0, "survivor off-centre", "{who} sits in the wreckage, still"),
            B("close_up", "static", "eye_level", "85mm", 3.5, "dust on the face", "close on {who}, dust and silence"),
        ],
        [
            B("wide", "crane", "high", "24mm", 5.0, "crane rising to reveal scale", "crane up from {who} to show the scale of {place}"),
            B("medium_close_up", "handheld", "eye_level", "50mm", 3.0, "loose, searching", "handheld on {other} picking through {thing}"),
            B("extreme_close_up", "static", "eye_level", "100mm", 3.0, "one small object in rubble", "insert: a small thing from before"),
        ],
    ],
    "competition": [
        [
            B("extreme_wide", "static", "high", "24mm", 3.5, "the arena, both sides", "high wide of {place}: the contest set"),
            B("medium", "tracking", "eye_level", "35mm", 2.5, "moving with the competitor, screen right", "track with {who} in action, moving screen right"),
            B("medium", "tracking", "eye_level", "35mm", 2.5, "the rival, moving screen left", "track with {other}, moving screen left"),
            B("close_up", "static", "low", "85mm", 2.0, "low, determination", "low close on {who}: effort"),
            B("extreme_close_up", "static", "eye_level", "100mm", 1.5, "the decisive detail", "insert: {thing} at the decisive moment"),
            B("wide", "crane", "low", "24mm", 3.0, "crowd erupts behind", "low crane as the crowd rises"),
        ],
        [
            B("wide", "static", "eye_level", "28mm", 3.0, "start line, symmetrical", "wide: {who} and {other} at the start in {place}"),
            B("close_up", "static", "eye_level", "85mm", 2.0, "eyes, looking screen right", "close on {who}, eyes on the goal"),
            B("medium_wide", "handheld", "eye_level", "28mm", 2.5, "inside the action", "handheld inside the contest"),
            B("medium_close_up", "zoom_in", "eye_level", "135mm", 2.0, "long lens on the finish", "long-lens zoom on the finish and {thing}"),
        ],
    ],
    "performance": [
        [
            B("extreme_wide", "static", "eye_level", "24mm", 3.5, "stage and audience, proscenium", "wide of {place}: {who} on stage, the audience dark"),
            B("medium", "arc", "low", "35mm", 3.5, "performer against the lights", "low arc around {who} as the music swells"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "hands on the instrument", "close on the hands on {thing}"),
            B("medium_close_up", "static", "over_the_shoulder", "50mm", 2.5, "over the performer toward the crowd", "over {who}'s shoulder onto the crowd"),
            B("close_up", "static", "eye_level", "85mm", 2.5, "a listener's face", "close on {other} listening"),
        ],
        [
            B("wide", "crane", "high", "24mm", 4.0, "crane over the space", "crane over {place} as {who} begins"),
            B("full", "tracking", "eye_level", "35mm", 3.5, "following the dancer's line", "track with {who}, the full figure moving"),
            B("medium_close_up", "handheld", "eye_level", "50mm", 2.5, "near, energetic", "handheld near {who}, sweat and joy"),
        ],
    ],
    "comic beat": [
        [
            B("wide", "static", "eye_level", "28mm", 3.5, "locked-off, whole body in frame", "locked-off wide: {who} with {thing}, the gag set up"),
            B("medium", "static", "eye_level", "50mm", 2.0, "deadpan single, centred", "deadpan medium on {who}, everything fine"),
            B("wide", "static", "eye_level", "28mm", 2.5, "same wide, the disaster", "same wide: {thing} gives way"),
            B("close_up", "zoom_in", "eye_level", "50mm", 1.5, "crash zoom to the face", "crash zoom on {who}'s face"),
        ],
        [
            B("medium_wide", "static", "eye_level", "35mm", 3.0, "two-shot, symmetrical", "two-shot of {who} and {other} in {place}"),
            B("medium_close_up", "whip_pan", "eye_level", "50mm", 1.0, "whip to the other face", "whip pan to {other}, blank"),
            B("medium_wide", "static", "high", "35mm", 2.5, "same two-shot from above, the reveal", "cut wide and high: {thing} has been behind them all along"),
        ],
    ],
}

SITUATION_GLOSS = {
    "establishing a place": "establishing shot: open a scene by showing where we are, the place, landscape or city, its geography and scale, before the people",
    "arrival": "arrival: someone comes to a place, steps off, enters, is seen approaching, first sight of a new place",
    "discovery": "discovery: a character searches and finds something, notices a clue, a letter, an object, and understands",
    "reveal": "reveal: the camera or a turn shows the audience something hidden, a surprise, a twist, a monster or a truth",
    "dialogue coverage": "dialogue: two people talk, conversation, shot reverse shot, over the shoulder coverage, a calm exchange",
    "argument": "argument: a quarrel between people close to each other, raised voices, a fight with words, shouting at home",
    "confrontation": "confrontation: opponents face off, a standoff, threat, duel, showdown between enemies",
    "chase": "chase: a vehicle or fast chase, pursuit by car, horse or boat, speed, escape",
    "pursuit on foot": "foot chase: running after someone, fleeing on foot through streets, stairs and crowds",
    "suspense approach": "suspense: slowly approaching a door, a dark corridor, danger unseen, dread, creeping forward",
    "hiding": "hiding: a character hides from a searcher, holds breath, is almost found, concealed",
    "rescue": "rescue: saving someone from danger, pulling them out, a helping hand, saved just in time",
    "reunion": "reunion: people separated for a long time meet again, recognition, embrace, tears of joy",
    "farewell": "farewell: parting, saying goodbye, someone leaves, a departure watched by the one who stays",
    "intimacy": "intimacy: tenderness, love, closeness between two people, a kiss, a quiet touch",
    "grief": "grief: mourning a loss, death, a funeral, sorrow, someone weeps for the dead",
    "isolation": "isolation: loneliness, a person alone and small, cut off, nobody around, alienated",
    "celebration": "celebration: a party, wedding, festival, feast, dancing, cheering, a toast",
    "montage of work": "work montage: labour, craft, training, building, preparing, repeated hands at a task over time",
    "journey": "journey: travelling a long way, the road, a trip by car, train, boat, horse or on foot across the land",
    "storm": "storm: wild weather, wind, rain, lightning, waves, a tempest, nature's danger",
    "aftermath": "aftermath: after the disaster, battle or accident, wreckage, ruins, survivors, silence",
    "competition": "competition: a race, a match, a game, a tournament, a fight in a ring, rivals contend to win",
    "performance": "performance: singing, dancing, playing music or acting on a stage for an audience, a concert or show",
    "comic beat": "comedy: a gag, a pratfall, deadpan humour, something silly goes wrong, a funny moment",
}

# Variants: slug, grammar index, setting, time, emotion, genre, lighting, who, other, place, thing.
V = tuple
VARIANTS: dict[str, list[V]] = {
    "establishing a place": [
        ("harbour-dawn", 0, "a fishing harbour, boats, gulls, nets on the quay", "dawn", "calm, anticipation", "drama", "soft low sun through mist, cold blue shadows", "an old fisherman", "a deckhand", "the harbour", "the moored boats"),
        ("city-night-neon", 1, "a city street at night, neon signs, wet asphalt, traffic", "night", "restless anticipation", "noir", "neon practicals, wet reflections, deep shadows", "a detective", "a passer-by", "the city street", "the neon signs"),
        ("desert-town-noon", 2, "a small desert town, dust, one road, water tower", "day", "heat, stillness, isolation", "western", "hard overhead sun, bleached colours", "a stranger", "the barman", "the desert town", "the water tower"),
        ("mountain-village-morning", 0, "a mountain village, stone houses, pine forest, snow peaks", "morning", "peaceful wonder", "family", "crisp morning light, long valley shadows", "a young girl", "her grandmother", "the village", "the slate roofs"),
        ("factory-district-dusk", 1, "an industrial district, chimneys, rail yards, brick warehouses", "dusk", "weariness, melancholy", "social realism", "blue dusk, sodium lamps coming on, smoke", "a shift worker", "a foreman", "the factory district", "the chimneys"),
        ("space-station-orbit", 2, "an orbital space station above a planet, solar panels, modules", "night", "awe, quiet tension", "science fiction", "hard sunlight on metal, black space, blue planet glow", "an astronaut", "mission control", "the station", "the solar arrays"),
        ("school-morning-bell", 1, "a school yard and brick school building, children arriving, bicycles", "morning", "ordinary, light-hearted", "coming of age", "flat morning overcast, pastel colours", "a new pupil", "a teacher", "the school yard", "the bicycle racks"),
    ],
    "arrival": [
        ("train-platform-steam", 0, "a rural train station platform, steam, luggage, a waiting bench", "morning", "hope, uncertainty", "period drama", "soft morning sun through steam", "the traveller", "the stationmaster", "the small town", "the platform"),
        ("new-flat-door", 1, "the door of a new, empty apartment, boxes, bare bulbs", "afternoon", "nervous hope", "drama", "flat window light, dust in the air", "the young tenant", "the landlord", "the empty flat", "the front door"),
        ("saloon-stranger", 1, "a frontier saloon, swinging doors, card tables, piano", "afternoon", "threat, curiosity", "western", "hard light through the doors, smoky interior", "the stranger", "the barman", "the saloon", "the swinging doors"),
        ("ship-new-land", 0, "a sailing ship reaching an unknown coast, cliffs, surf", "dawn", "wonder, fear of the unknown", "adventure", "dawn haze, silver sea, backlit cliffs", "the captain", "the lookout", "the unknown coast", "the ship's rail"),
        ("ballroom-entrance", 1, "a grand ballroom, chandeliers, dancers, staircase", "night", "awe, self-consciousness", "romance", "warm chandelier light, golden highlights", "the guest", "the host", "the ballroom", "the tall doors"),
        ("refugee-border-camp", 0, "a border camp, tents, fences, a long queue", "dusk", "exhaustion, guarded relief", "drama", "grey dusk, cold floodlights", "the mother and child", "a camp volunteer", "the camp", "the gate"),
    ],
    "discovery": [
        ("attic-letter", 0, "a dusty attic, trunks, old photographs", "afternoon", "curiosity turning to shock", "mystery", "a single shaft of light through a roof window, dust", "the granddaughter", "her mother", "the attic", "a bundle of old letters"),
        ("forest-footprints", 1, "a dark forest floor, mud, broken branches", "dusk", "unease, dread", "thriller", "failing dusk light, torch beam", "the ranger", "the missing hiker", "the forest", "fresh footprints"),
        ("lab-result", 0, "a research laboratory, screens, sample trays", "night", "elation, disbelief", "science fiction", "cold screen glow, blue fluorescent light", "the scientist", "her assistant", "the lab", "the result on the screen"),
        ("cave-paintings", 1, "a narrow cave, rock walls, water dripping", "day", "awe, wonder", "adventure", "torch flame, warm flickering on stone", "the explorer", "the guide", "the cave", "ancient paintings"),
        ("desk-drawer-gun", 0, "a husband's study, desk, lamp, shelves", "night", "betrayal, fear", "domestic thriller", "single practical desk lamp, pools of light", "the wife", "her husband", "the study", "a gun in the drawer"),
    ],
    "reveal": [
        ("monster-behind", 0, "an abandoned hospital ward, beds, curtains", "night", "terror", "horror", "low key, flickering fluorescent, green tint", "the nurse", "the creature", "the ward", "the creature"),
        ("villain-identity", 1, "a masked ball, a balcony, a crowd below", "night", "betrayal, shock", "thriller", "candlelight and moonlight, high contrast", "the heroine", "her friend", "the balcony", "the unmasked face of her friend"),
        ("valley-city", 1, "a mountain ridge above a hidden valley city", "golden_hour", "awe, wonder", "fantasy", "golden backlight, haze, glittering towers", "the young hero", "the old guide", "the valley", "the hidden city"),
        ("photo-truth", 0, "a cluttered newsroom, pinned photographs", "night", "realisation, dread", "political thriller", "desk lamps, deep shadows, monitor glow", "the reporter", "her editor", "the newsroom", "the face in the photograph"),
        ("ship-iceberg", 1, "the deck of a liner at night, calm black sea", "night", "sudden fear", "disaster", "deck lights, moonlight on ice, cold blue", "the lookout", "the officer", "the open sea", "the iceberg"),
    ],
    "dialogue coverage": [
        ("cafe-friends", 0, "a cafe table by the window, two cups of coffee", "day", "warm, intimate conversation", "drama", "soft window light, warm interior", "the first friend", "the second friend", "the cafe", "the small table"),
        ("interrogation-room", 1, "an interrogation room, metal table, mirror wall", "night", "cold pressure", "crime", "hard top light, green fluorescent, sweat", "the suspect", "the detective", "the interrogation room", "the metal table"),
        ("car-front-seats", 0, "the front seats of a car at night, dashboard glow", "night", "tired honesty", "drama", "dashboard glow, passing street lamps", "the driver", "the passenger", "the car", "the dashboard"),
        ("park-walk", 2, "a park path under autumn trees, leaves falling", "afternoon", "gentle, reflective", "romance", "warm afternoon backlight, falling leaves", "the older man", "his daughter", "the park", "the path"),
        ("kitchen-table-late", 1, "a family kitchen table late at night, bills, a lamp", "night", "tired worry", "family drama", "single warm lamp, dark kitchen", "the mother", "her teenage son", "the kitchen", "the bills on the table"),
        ("office-job-interview", 0, "an office with glass walls, a desk between them", "morning", "nervous, formal", "comedy drama", "cool even office light", "the candidate", "the manager", "the office", "the desk"),
        ("corridor-hospital-news", 2, "a long hospital corridor, doors, a nurse station", "night", "hushed worry", "medical drama", "cold fluorescent, green-grey", "the doctor", "the patient's brother", "the hospital corridor", "the corridor"),
    ],
    "argument": [
        ("couple-kitchen", 0, "a small kitchen, dishes piled, a window over the sink", "night", "anger, hurt", "drama", "harsh overhead kitchen light", "the wife", "the husband", "the kitchen", "the kitchen island"),
        ("siblings-inheritance", 1, "a dead father's living room, boxes half packed", "afternoon", "resentment", "family drama", "flat grey window light", "the elder sister", "the younger brother", "the living room", "the will"),
        ("band-rehearsal", 0, "a cramped rehearsal room, amplifiers, cables", "night", "frustration, pride", "music drama", "coloured practical bulbs, shadows", "the singer", "the guitarist", "the rehearsal room", "the drum kit"),
        ("boardroom-clash", 1, "a glass boardroom high over the city", "day", "cold fury", "corporate drama", "bright, clinical daylight, city behind", "the founder", "the chief investor", "the boardroom", "the contract"),
        ("farm-father-son", 0, "a farmyard by a barn, muddy ground", "dusk", "bitter frustration", "rural drama", "low red dusk, long shadows", "the son", "the old farmer", "the farmyard", "the broken tractor"),
    ],
    "confrontation": [
        ("alley-rain", 0, "a narrow alley, rain, fire escapes", "night", "tension, hostility", "thriller", "hard side light, rain backlit, high contrast", "the informer", "the gang boss", "the alley", "a knife"),
        ("western-street-duel", 1, "a dusty main street between wooden buildings", "day", "deadly calm", "western", "hard noon sun, short shadows, dust", "the sheriff", "the outlaw", "the main street", "the holstered gun"),
        ("throne-room", 0, "a stone throne room, banners, guards", "day", "defiance", "historical epic", "shafts of light through high windows", "the rebel", "the king", "the throne room", "the crown"),
        ("rooftop-showdown", 1, "a rooftop at night, city lights below, wind", "night", "rage, resolve", "action", "city glow from below, blue moonlight", "the hero", "the assassin", "the rooftop", "a pistol"),
        ("schoolyard-bully", 0, "a school yard behind the gym, fence, concrete", "afternoon", "fear, courage", "coming of age", "flat afternoon light, long fence shadows", "the small boy", "the bully", "the school yard", "a backpack"),
    ],
    "chase": [
        ("market-runner", 0, "a crowded street market, stalls, awnings", "day", "urgency, fear", "action", "harsh midday sun, dust", "the thief", "the guard", "the market", "the fruit stalls"),
        ("car-city-night", 1, "city streets at night, traffic, tunnels", "night", "adrenaline", "action thriller", "streaking headlights, sodium orange", "the getaway driver", "the police car", "the city", "the intersection"),
        ("horses-plain", 1, "an open plain, horses galloping, dust", "afternoon", "desperation", "western", "hot afternoon sun, dust clouds", "the outlaw", "the posse", "the plain", "the riverbank"),
        ("speedboat-canal", 1, "narrow canals, bridges, a speedboat", "day", "thrill, danger", "adventure", "bright reflections off water", "the spy", "the pursuers' boat", "the canals", "the low bridge"),
        ("forest-escape", 0, "a dense forest, roots and branches", "dusk", "terror, survival", "horror", "blue dusk, shafts of dying light", "the girl", "the hunter", "the forest", "the branches"),
    ],
    "pursuit on foot": [
        ("rooftop-run", 0, "rooftops, gaps between buildings, washing lines", "day", "exhilaration, danger", "action", "bright sun, hard shadows", "the courier", "the cop", "the rooftops", "a low wall"),
        ("subway-station", 1, "a subway station at rush hour, turnstiles, stairs", "morning", "panic", "thriller", "cold fluorescent, crowd shadows", "the witness", "the hitman", "the station", "the file"),
        ("hospital-corridors", 0, "hospital corridors, trolleys, swinging doors", "night", "fear", "thriller", "flickering fluorescent", "the patient", "the orderly", "the corridors", "a trolley"),
        ("village-festival-run", 1, "a village festival, lanterns, narrow lanes", "night", "comic panic", "comedy", "warm lantern light, coloured bunting", "the groom", "the angry father", "the festival", "the wedding ring"),
        ("beach-kids", 1, "a beach, dunes, wet sand", "afternoon", "playful", "family", "bright afternoon sun, sea glare", "the boy", "his sister", "the beach", "a kite"),
    ],
    "suspense approach": [
        ("dark-house-door", 0, "a dark house, a long corridor, a closed door", "night", "dread, fear", "horror", "low key, moonlight through windows, fog", "the babysitter", "the intruder", "the corridor", "the door"),
        ("cellar-stairs", 1, "cellar stairs descending into darkness", "night", "dread", "horror", "a single swinging bulb, deep black", "the boy", "the thing below", "the cellar", "the cellar door"),
        ("bomb-briefcase", 0, "a station concourse, a briefcase left alone", "day", "tension", "thriller", "flat daylight, crowds oblivious", "the agent", "the bomber", "the concourse", "the briefcase"),
        ("jungle-path", 1, "a jungle path, dense leaves, insects", "day", "unease", "war", "dappled green light, heavy shadow", "the soldier", "the hidden enemy", "the jungle", "the tripwire"),
        ("office-after-hours", 0, "an empty open-plan office after hours", "night", "creeping paranoia", "thriller", "emergency lights, monitor glow", "the accountant", "the watcher", "the office", "the filing cabinet"),
    ],
    "hiding": [
        ("wardrobe-intruder", 0, "a bedroom, a wardrobe with slatted doors", "night", "terror", "thriller", "slats of hallway light, darkness", "the child", "the intruder", "the bedroom", "the wardrobe doors"),
        ("barn-hayloft", 1, "a barn, hayloft, soldiers searching below", "day", "fear, held breath", "war drama", "dusty light beams through planks", "the refugee", "the soldier", "the barn", "the hay"),
        ("bathroom-stall", 0, "a school bathroom, stalls, tiled walls", "day", "shame, fear", "teen drama", "cold fluorescent, pale green tiles", "the teenager", "the bullies", "the bathroom", "the stall door"),
        ("under-bed", 1, "a child's bedroom, a bed, toys", "night", "dread", "horror", "moonlight across the floor", "the little girl", "the stepfather", "the bedroom", "the bed"),
        ("library-stacks", 0, "tall library stacks, a reading lamp", "night", "suspense, playful", "mystery", "warm lamp pools, dark aisles", "the student", "the librarian", "the library", "the shelves"),
    ],
    "rescue": [
        ("flood-roof", 0, "a flooded town, a family on a roof", "day", "desperation, relief", "disaster", "grey overcast, brown water", "the family", "the boat rescuer", "the flooded town", "the rooftop"),
        ("burning-building", 1, "a burning apartment building, smoke, stairwell", "night", "terror, courage", "action", "orange firelight, smoke haze", "the child", "the firefighter", "the burning building", "the balcony railing"),
        ("cliff-edge", 1, "a cliff edge above the sea, crumbling rock", "afternoon", "terror", "adventure", "bright sky, hard sun, sea glare", "the climber", "her friend", "the cliff", "a root"),
        ("ice-lake", 0, "a frozen lake, cracked ice, a boy fallen through", "morning", "panic, relief", "family drama", "cold blue morning light, breath visible", "the boy", "his father", "the frozen lake", "the broken ice"),
        ("mine-collapse", 1, "a collapsed mine tunnel, dust, lamps", "night", "dread, hope", "drama", "helmet lamps in dust", "the trapped miner", "the rescue team", "the mine", "a fallen beam"),
    ],
    "reunion": [
        ("dawn-field", 0, "a field outside a farmhouse at dawn", "dawn", "joy, relief", "drama", "soft dawn light, warm backlight, mist", "the returning son", "his mother", "the field", "the farm gate"),
        ("airport-arrivals", 1, "an airport arrivals hall, crowd, sliding doors", "day", "tearful joy", "drama", "bright, even terminal light", "the grandmother", "her grandson", "the arrivals hall", "the suitcase"),
        ("war-return-station", 1, "a railway platform, soldiers returning, smoke", "afternoon", "overwhelming relief", "war drama", "hazy afternoon sun through smoke", "the soldier", "his wife", "the platform", "the duffel bag"),
        ("old-friends-bar", 0, "a small bar, years later", "night", "warm nostalgia", "comedy drama", "warm practical lights, amber", "the old friend", "the other old friend", "the bar", "the counter"),
        ("dog-returns", 1, "a suburban street, a lawn, a gate", "golden_hour", "delight", "family", "golden hour backlight, long shadows", "the girl", "her lost dog", "the street", "the gate"),
    ],
    "farewell": [
        ("station-goodbye", 0, "a train station platform, a train about to leave", "dusk", "sadness, restraint", "romance", "blue dusk, warm train windows", "the woman", "the man", "the platform", "the train door"),
        ("deathbed-goodbye", 1, "a bedroom, an old man in bed, family near", "afternoon", "tender sorrow", "drama", "soft afternoon light through curtains", "the daughter", "her father", "the bedroom", "the hearse"),
        ("harbour-departure", 0, "a harbour quay, a ship leaving", "morning", "longing", "period drama", "pale morning sun on water", "the sailor", "his sweetheart", "the quay", "the gangway"),
        ("child-leaves-home", 1, "a family house, a packed car outside", "morning", "bittersweet pride", "family", "clean morning light", "the young man", "his mother", "the house", "the packed car"),
        ("soldiers-march-away", 0, "a village square, soldiers marching away", "day", "foreboding", "war drama", "overcast, muted colours", "the fiancee", "the young soldier", "the square", "the fountain"),
    ],
    "intimacy": [
        ("couple-beach", 1, "a beach at golden hour, waves, wind", "golden_hour", "tenderness, love", "romance", "golden backlight, lens flare, warm skin", "the lover", "the beloved", "the beach", "the waves"),
        ("candle-dinner", 0, "a candlelit table for two in a small room", "night", "longing, tenderness", "romance", "warm candlelight, deep shadows", "the woman", "the man", "the small room", "the candlelit table"),
        ("mother-baby", 0, "a nursery, a cot, a rocking chair", "night", "quiet love", "family drama", "a soft night light, warm", "the mother", "the baby", "the nursery", "the rocking chair"),
        ("rooftop-stars", 1, "a flat rooftop under the stars, city far below", "night", "shy affection", "coming of age", "blue moonlight, distant city glow", "the boy", "the girl", "the rooftop", "the stars"),
        ("old-couple-dance", 0, "an old couple's living room, a record player", "dusk", "gentle devotion", "drama", "warm lamp and blue window dusk", "the old man", "his wife", "the living room", "the record player"),
    ],
    "grief": [
        ("empty-chair", 0, "a family kitchen with one empty chair", "morning", "sorrow, loss", "drama", "grey morning light, desaturated", "the widower", "his late wife", "the kitchen", "her coffee cup"),
        ("rainy-funeral", 1, "a cemetery in the rain, umbrellas, a grave", "day", "mourning", "drama", "flat grey overcast, rain", "the young widow", "the priest", "the cemetery", "the coffin"),
        ("hospital-news", 0, "a hospital waiting room, plastic chairs", "night", "shock, grief", "medical drama", "cold fluorescent, empty", "the father", "the doctor", "the waiting room", "the child's shoe"),
        ("pet-burial", 1, "a back garden, a small grave under a tree", "afternoon", "childhood sorrow", "family", "soft dappled afternoon light", "the little boy", "his father", "the garden", "the collar"),
        ("battlefield-friend", 0, "a trench after a battle, mud", "dusk", "devastation", "war drama", "smoky red dusk", "the soldier", "his dead friend", "the trench", "the helmet"),
    ],
    "isolation": [
        ("hotel-window", 0, "a high hotel room over a foreign city", "night", "loneliness", "drama", "cold city glow through glass", "the traveller", "nobody", "the hotel room", "the city lights"),
        ("crowd-station", 1, "a crowded station concourse", "day", "alienation", "drama", "cold daylight from a glass roof", "the young man", "the crowd", "the concourse", "the departures board"),
        ("lighthouse-keeper", 0, "a lighthouse on a rock in the sea", "dusk", "solitude", "drama", "blue dusk, the rotating beam", "the keeper", "nobody", "the lighthouse", "the grey sea"),
        ("snowfield", 1, "an empty snowfield to the horizon", "day", "desolation", "survival", "white overcast, no shadows", "the survivor", "nobody", "the snowfield", "the horizon"),
        ("astronaut-alone", 0, "a spacecraft cabin, Earth in the window", "night", "cosmic loneliness", "science fiction", "instrument glow, earthlight", "the astronaut", "mission control", "the cabin", "the Earth"),
    ],
    "celebration": [
        ("village-wedding", 0, "a village wedding in a courtyard, lights strung, dancing", "night", "joy", "drama", "warm string lights, lanterns", "the bride", "the groom", "the courtyard", "a glass"),
        ("birthday-family", 1, "a family dining room, a cake with candles", "night", "warmth, happiness", "family", "candlelight on faces, warm", "the grandfather", "the grandchildren", "the dining room", "the cake"),
        ("victory-street", 0, "a street full of fans after a victory, flags", "night", "euphoria", "sports drama", "flares and street lights, red smoke", "the fan", "the stranger", "the street", "a flag"),
        ("new-year-rooftop", 0, "a rooftop party, fireworks over the city", "night", "exhilaration", "romance", "fireworks flashes, party lights", "the host", "the guest", "the rooftop", "a bottle"),
        ("harvest-feast", 1, "a long table in a barn after harvest", "dusk", "gratitude", "period drama", "warm lantern light, dusk through doors", "the farmer", "the workers", "the barn", "the bread"),
    ],
    "montage of work": [
        ("bakery-dawn", 0, "a bakery at dawn, ovens, flour", "dawn", "diligence, warmth", "drama", "warm oven glow, blue dawn windows", "the baker", "the apprentice", "the bakery", "the dough"),
        ("boxer-training", 1, "a boxing gym, bags, ropes, sweat", "morning", "determination", "sports drama", "hard top light, sweat highlights", "the boxer", "the trainer", "the gym", "the heavy bag"),
        ("building-boat", 0, "a boatyard, a wooden hull on trestles", "afternoon", "patient craft", "drama", "warm afternoon sun, sawdust", "the boatbuilder", "his daughter", "the boatyard", "the plane"),
        ("students-cram", 1, "a dorm room covered in notes, coffee cups", "night", "stress, resolve", "comedy", "desk lamp and laptop glow", "the student", "the roommate", "the dorm room", "the pen"),
        ("restaurant-kitchen-rush", 1, "a restaurant kitchen at service, flames, tickets", "night", "pressure, flow", "drama", "hot orange flames, steel reflections", "the chef", "the line cook", "the kitchen", "the knife"),
    ],
    "journey": [
        ("road-trip-car", 0, "a desert highway, an old car", "day", "freedom", "road movie", "hard sun, heat haze", "the two friends", "the hitchhiker", "the desert", "the old car"),
        ("train-window", 1, "a train crossing mountains, window seat", "afternoon", "reflective", "drama", "moving window light, flickering shadows", "the young woman", "her mother", "the mountains", "the train"),
        ("horseback-plains", 0, "open plains, two riders, distant mountains", "golden_hour", "endurance, hope", "western", "golden side light, dust", "the rider", "his companion", "the plains", "the horses"),
        ("boat-river", 1, "a small boat on a wide brown river, jungle banks", "morning", "uncertainty", "adventure", "morning mist on water, green shade", "the boatman", "the passenger", "the river", "the boat"),
        ("pilgrims-walk", 0, "a mountain path, walkers with packs", "morning", "perseverance", "drama", "clean morning light, mountain shadow", "the pilgrim", "the fellow walker", "the mountain path", "the walkers"),
    ],
    "storm": [
        ("boat-at-sea", 1, "a small fishing boat at sea in a storm, waves", "night", "danger, fear", "adventure", "lightning flashes, dark blue, spray", "the fisherman", "his son", "the sea", "the small boat"),
        ("farm-tornado", 0, "a farm on the prairie, a tornado approaching", "afternoon", "panic", "disaster", "green-black sky, sudden darkness", "the farmer", "his wife", "the farm", "the storm cellar door"),
        ("mountain-blizzard", 0, "a mountain pass in a blizzard", "day", "survival", "survival", "white-out, flat grey", "the climber", "the guide", "the pass", "the rope"),
        ("city-hurricane", 1, "a coastal city street during a hurricane", "night", "chaos", "disaster", "streetlights failing, rain sheets", "the reporter", "the cameraman", "the city street", "the street sign"),
        ("lighthouse-storm", 0, "a lighthouse in a storm, huge waves", "night", "awe, dread", "drama", "the beam sweeping, lightning", "the keeper", "the stranded sailor", "the lighthouse rock", "the lamp"),
    ],
    "aftermath": [
        ("battlefield-dawn", 0, "a battlefield the morning after, smoke, mud", "dawn", "desolation", "war drama", "grey dawn, drifting smoke", "the young soldier", "the medic", "the battlefield", "broken carts"),
        ("earthquake-street", 1, "a street after an earthquake, rubble", "day", "shock", "disaster", "dusty daylight, grey", "the survivor", "the neighbour", "the street", "the rubble"),
        ("party-morning-after", 0, "a living room the morning after a party", "morning", "hungover comedy", "comedy", "harsh morning sun through blinds", "the host", "the stranger on the sofa", "the living room", "empty bottles"),
        ("car-crash-road", 1, "a country road after a car crash, glass", "night", "numb shock", "drama", "emergency lights, red and blue", "the driver", "the paramedic", "the road", "the wreck"),
        ("flood-receded", 0, "a house after the flood receded, mud line on the walls", "afternoon", "weary resolve", "drama", "flat afternoon light", "the mother", "her son", "the house", "the ruined furniture"),
    ],
    "competition": [
        ("boxing-match", 0, "a boxing ring under lights, crowd", "night", "ferocity", "sports drama", "hard top light over the ring, smoke", "the challenger", "the champion", "the arena", "the glove"),
        ("sprint-race", 1, "an athletics stadium, a sprint track", "day", "tension, triumph", "sports drama", "bright stadium daylight", "the sprinter", "the rival", "the stadium", "the finish line"),
        ("chess-final", 1, "a quiet chess hall, one table, clocks", "afternoon", "cold concentration", "drama", "soft top light, dark surroundings", "the young player", "the grandmaster", "the chess hall", "the clock"),
        ("cooking-contest", 0, "a television cooking studio, stations", "day", "playful pressure", "comedy", "bright studio light, saturated", "the amateur cook", "the rival cook", "the studio", "the plate"),
        ("horse-race", 0, "a racecourse, horses, grandstand", "afternoon", "excitement", "period drama", "hazy afternoon sun", "the jockey", "the rival jockey", "the racecourse", "the finishing post"),
    ],
    "performance": [
        ("concert-hall-solo", 0, "a concert hall, a piano on stage", "night", "transcendence", "music drama", "single spotlight, dark hall", "the pianist", "her teacher", "the concert hall", "the keys"),
        ("street-dancer", 1, "a city square, a crowd circling a dancer", "afternoon", "exuberance", "musical", "bright sun, colourful clothes", "the dancer", "a child in the crowd", "the square", "the speaker"),
        ("school-play", 0, "a school stage, paper scenery, parents", "night", "nervous pride", "family", "warm stage lights, dim hall", "the girl", "her father", "the school hall", "the microphone"),
        ("rock-gig", 1, "a small club stage, smoke, coloured lights", "night", "raw energy", "music drama", "coloured stage lights, haze", "the singer", "the drummer", "the club", "the microphone stand"),
        ("ballet-rehearsal", 1, "a ballet studio, mirrors, barre", "morning", "discipline, grace", "drama", "soft window light, mirrors", "the dancer", "the ballet master", "the studio", "the barre"),
    ],
    "comic beat": [
        ("ladder-paint", 0, "a living room being painted, ladder, paint tins", "day", "deadpan comedy", "comedy", "flat bright light", "the husband", "his wife", "the living room", "the ladder"),
        ("wedding-cake", 1, "a wedding reception, a tall cake", "afternoon", "slapstick", "comedy", "bright even daylight", "the waiter", "the bride", "the reception", "the cake"),
        ("office-printer", 0, "an office copy room, a jammed printer", "morning", "absurd frustration", "workplace comedy", "cold fluorescent", "the intern", "the boss", "the copy room", "the printer"),
        ("dog-sausages", 1, "a backyard barbecue", "afternoon", "playful", "family comedy", "sunny afternoon", "the dad", "the neighbour", "the backyard", "the dog with the sausages"),
        ("spy-wrong-door", 1, "a hotel corridor, identical doors", "night", "farce", "spy comedy", "warm hotel sconces", "the clumsy spy", "the elderly guest", "the corridor", "the wrong room"),
    ],
}

# Film citations: (slug, film, year, scene, situation, setting, time, emotion, genre, lighting, beats).
# Each beat: size, movement, angle, lens, seconds, composition, description (our words).
FILMS: list[tuple] = [
    ("lawrence-mirage-arrival", "Lawrence of Arabia", 1962, "Sherif Ali appears out of the mirage at the well", "arrival", "desert well, heat shimmer to the horizon", "day", "unease, awe", "epic", "hard desert sun, heat haze",
     [B("extreme_wide", "static", "eye_level", "long telephoto", 8.0, "horizon line low, a dot in the shimmer", "a rider is a wavering dot in the heat haze, held for a very long time"),
      B("medium", "static", "eye_level", "50mm", 3.0, "two men at the well, looking screen left", "the two men at the well watch the dot"),
      B("wide", "static", "eye_level", "telephoto", 5.0, "rider grows in frame, compressed distance", "the rider slowly becomes a figure on a camel, long lens flattening the distance"),
      B("close_up", "static", "eye_level", "75mm", 2.5, "face, looking screen left", "close on Lawrence as the threat arrives")]),
    ("lawrence-desert-crossing", "Lawrence of Arabia", 1962, "crossing the Nefud desert", "journey", "endless sand dunes", "day", "endurance, grandeur", "epic", "harsh sun, rippling dunes",
     [B("extreme_wide", "static", "eye_level", "telephoto", 6.0, "tiny caravan along a dune crest", "a line of camels tiny on a dune crest against an empty sky"),
      B("wide", "pan", "eye_level", "50mm", 4.0, "riders cross left to right", "slow pan as the riders pass across the sand"),
      B("medium", "tracking", "eye_level", "50mm", 3.5, "riders side by side", "travelling with the riders, faces wrapped against the sun")]),
    ("jaws-beach-dolly-zoom", "Jaws", 1975, "Brody on the beach when the attack happens", "discovery", "a crowded summer beach, swimmers", "day", "sudden horror", "thriller", "bright summer sun",
     [B("wide", "static", "eye_level", "35mm", 3.0, "beach crowded, bathers crossing", "a busy beach, bathers repeatedly crossing in front of the chief"),
      B("medium_close_up", "static", "eye_level", "50mm", 2.5, "face, watching the water", "Brody watches the water, anxious"),
      B("close_up", "dolly_zoom", "eye_level", "zoom", 2.0, "face constant, background stretching", "dolly zoom on Brody as he sees the attack: the beach seems to rush away behind him")]),
    ("vertigo-stairwell", "Vertigo", 1958, "the bell tower stairs", "suspense approach", "a mission bell tower, wooden stairwell", "day", "vertigo, panic", "thriller", "dim interior, shafts of light",
     [B("medium", "tracking", "eye_level", "35mm", 3.0, "climbing the stairs", "Scottie climbs the narrow stairs, breathing hard"),
      B("wide", "dolly_zoom", "point_of_view", "zoom", 2.5, "looking straight down the stairwell", "point of view down the stairwell: the depth stretches, the famous vertigo effect"),
      B("close_up", "static", "eye_level", "50mm", 2.0, "face, sweating", "close on his face, frozen")]),
    ("goodfellas-copacabana", "Goodfellas", 1990, "entering the Copacabana through the kitchen", "arrival", "a nightclub reached through the service corridors and kitchen", "night", "seduction, confidence", "crime", "warm tungsten corridors, club lights",
     [B("medium_wide", "tracking", "eye_level", "28mm", 20.0, "Steadicam following the couple", "one unbroken Steadicam take follows the couple across the street, down the stairs and through the kitchen corridors"),
      B("wide", "tracking", "eye_level", "28mm", 10.0, "club floor revealed, table set in front of the stage", "the move ends in the club as a table is set for them at the front")]),
    ("shining-tricycle", "The Shining", 1980, "Danny rides his tricycle through the hotel corridors", "suspense approach", "long hotel corridors, patterned carpet", "day", "creeping dread", "horror", "even, cold hotel light",
     [B("full", "tracking", "low", "18mm", 8.0, "low follow behind the tricycle, symmetrical corridor", "low follow behind the boy on the tricycle, wheels loud then silent on carpet and floor"),
      B("wide", "static", "eye_level", "18mm", 3.0, "symmetrical corridor, vanishing point", "a symmetrical corridor waiting ahead"),
      B("medium", "tracking", "low", "18mm", 4.0, "rounding a corner", "the follow rounds a corner toward what waits in the corridor")]),
    ("touch-of-evil-opening", "Touch of Evil", 1958, "opening crane shot across the border town", "establishing a place", "a border town street at night, cars, pedestrians", "night", "ticking tension", "noir", "hard night light, deep shadows",
     [B("extreme_close_up", "static", "eye_level", "wide angle", 2.0, "hands and a timer", "hands set a timer on a bomb"),
      B("extreme_wide", "crane", "high", "18mm", 25.0, "crane floats over streets and walls", "a long crane take rises over the town and follows the car with the bomb through the streets as the couple walk beside it")]),
    ("godfather-opening", "The Godfather", 1972, "the undertaker's request in the dark office", "dialogue coverage", "a dark study with shutters, a wedding outside", "day", "menace, supplication", "crime", "top light, deep shadows, warm amber",
     [B("close_up", "zoom_out", "eye_level", "long zoom", 20.0, "face out of darkness, slowly widening", "a very slow zoom out from the undertaker telling his story until the listener's shoulder enters the frame"),
      B("medium", "static", "over_the_shoulder", "50mm", 4.0, "over the guest onto the Don in shadow", "over the shoulder onto the Don, eyes in shadow from the top light"),
      B("medium_close_up", "static", "eye_level", "50mm", 3.0, "the Don, looking screen left", "the Don answers, the cat in his lap")]),
    ("kane-low-angles", "Citizen Kane", 1941, "Kane and Leland after the election defeat", "argument", "a campaign office strewn with paper", "night", "bitterness", "drama", "hard low-key light, deep focus",
     [B("wide", "static", "low", "wide angle", 5.0, "camera near the floor, ceiling in frame", "extreme low angle, ceiling visible, Kane towering in the wreck of the campaign"),
      B("medium", "static", "low", "wide angle", 4.0, "deep focus, both men sharp", "deep focus two-shot, Leland facing him across the room")]),
    ("gbu-standoff", "The Good, the Bad and the Ugly", 1966, "the three-way standoff in the cemetery", "confrontation", "a circular stone plaza in a cemetery", "afternoon", "mounting tension", "western", "hard sun, dust",
     [B("extreme_wide", "static", "high", "wide angle", 6.0, "three figures around a circle", "three men stand at points of a circle, tiny in the arena"),
      B("full", "static", "eye_level", "50mm", 3.0, "one figure, hand hovering", "each man framed full in turn"),
      B("close_up", "static", "eye_level", "telephoto", 2.0, "face, squinting", "close-ups of faces, cutting faster"),
      B("extreme_close_up", "static", "eye_level", "telephoto", 1.0, "eyes only", "extreme close-ups on eyes and hands, the cuts accelerating with the music")]),
    ("children-of-men-car", "Children of Men", 2006, "the ambush on the country road", "chase", "inside a small car on a wooded road", "day", "sudden terror", "science fiction", "flat overcast daylight",
     [B("medium", "arc", "eye_level", "wide angle", 20.0, "camera inside the car, turning between passengers", "a single long take inside the car: the camera turns from face to face as a burning car blocks the road and attackers pour out of the woods"),
      B("medium_wide", "tracking", "eye_level", "wide angle", 8.0, "through the rear window, pursuers on motorbikes", "the car reverses, motorbikes chase, still within the same take")]),
    ("rear-window-courtyard", "Rear Window", 1954, "watching the neighbours across the courtyard", "discovery", "an apartment courtyard, many windows", "night", "voyeuristic curiosity, suspicion", "thriller", "window light in the dark",
     [B("medium_close_up", "static", "eye_level", "50mm", 3.0, "Jeff at the window, looking screen right", "Jeff in his wheelchair raises a long lens"),
      B("wide", "pan", "point_of_view", "telephoto", 4.0, "window frames within the frame", "point of view across the courtyard from window to window"),
      B("close_up", "static", "eye_level", "50mm", 2.5, "face, realising", "his face as he notices the salesman's strange comings and goings")]),
    ("fury-road-chase", "Mad Max: Fury Road", 2015, "the war rig chase through the desert", "chase", "desert road, vehicles, dust storm", "day", "relentless urgency", "action", "saturated orange desert, teal sky",
     [B("extreme_wide", "tracking", "high", "wide angle", 3.0, "convoy as a line across the desert", "aerial of the rig and pursuing cars across the desert"),
      B("medium", "tracking", "eye_level", "35mm", 1.5, "subject held in the centre of frame", "each shot keeps the point of interest in the centre so the fast cuts read at once"),
      B("close_up", "handheld", "eye_level", "50mm", 1.0, "centre-framed face", "centre-framed close on Furiosa at the wheel"),
      B("wide", "tracking", "low", "wide angle", 1.5, "low over the sand", "low tracking beside the wheels as a war boy leaps")]),
    ("mood-for-love-stairs", "In the Mood for Love", 2000, "passing on the narrow stairs to the noodle stall", "intimacy", "a narrow stairway and lane, rain, a street lamp", "night", "restrained longing", "romance", "warm street lamp, saturated reds, rain",
     [B("medium", "static", "eye_level", "50mm", 4.0, "framed through a doorway, figures half hidden", "she walks down the stairs with a thermos, in slow motion, framed by walls"),
      B("medium_wide", "static", "eye_level", "50mm", 4.0, "two figures pass in the narrow space", "they pass each other on the stairs in slow motion, almost touching"),
      B("close_up", "static", "eye_level", "85mm", 3.0, "face in the lamp light", "close on her face under the street lamp as the waltz plays")]),
    ("searchers-doorway", "The Searchers", 1956, "Ethan stays outside the doorway at the end", "farewell", "a ranch house doorway opening onto the desert", "day", "solitude, bittersweet", "western", "dark interior framing bright desert",
     [B("wide", "static", "eye_level", "35mm", 4.0, "the dark doorway frames the bright landscape", "from inside the dark house, the family enter past the camera"),
      B("full", "static", "eye_level", "35mm", 4.0, "a lone figure in the doorway frame", "Ethan stands alone in the door frame, then turns away"),
      B("wide", "static", "eye_level", "35mm", 3.0, "the door closes to black", "he walks off into the desert and the door closes on him")]),
    ("casablanca-airport", "Casablanca", 1942, "the farewell at the fogbound airport", "farewell", "an airfield at night, fog, a plane waiting", "night", "sacrifice, heartbreak", "romance", "fog, backlight, soft glow on her face",
     [B("medium_wide", "static", "eye_level", "50mm", 4.0, "two figures in fog, plane behind", "the two stand in fog with the plane behind"),
      B("close_up", "static", "eye_level", "75mm", 3.0, "soft-focus single, looking screen right", "soft close-up on Ilsa, eyes shining"),
      B("close_up", "static", "eye_level", "75mm", 3.0, "single, looking screen left", "close on Rick as he says she must go"),
      B("wide", "static", "eye_level", "35mm", 4.0, "plane taking off, men walking away", "the plane leaves; two men walk away into the fog")]),
    ("rocky-steps", "Rocky", 1976, "the training run ending on the museum steps", "montage of work", "city streets at dawn, the art museum steps", "dawn", "determination, triumph", "sports drama", "cold dawn, then sunrise",
     [B("wide", "tracking", "eye_level", "35mm", 3.0, "runner alone on empty streets", "Rocky runs alone through the waking city"),
      B("full", "tracking", "low", "wide angle", 4.0, "Steadicam rising up the steps behind him", "the camera runs up the museum steps with him"),
      B("wide", "arc", "low", "wide angle", 4.0, "arms raised against the city skyline", "at the top, arms raised, the camera circles him against the skyline")]),
    ("raging-bull-ring", "Raging Bull", 1980, "the fights inside the ring", "competition", "a boxing ring, ropes, flashbulbs", "night", "brutality", "sports drama", "black and white, hard top light, smoke",
     [B("medium", "handheld", "eye_level", "wide angle", 3.0, "camera inside the ropes", "the camera stays inside the ring, close to the fighters"),
      B("close_up", "static", "eye_level", "50mm", 2.0, "slow motion blow", "a punch in slow motion, sweat and blood spraying"),
      B("wide", "dolly_zoom", "eye_level", "zoom", 3.0, "ring seems to stretch", "the ring seems to stretch away as the opponent waits")]),
    ("whiplash-finale", "Whiplash", 2014, "the final drum solo", "performance", "a concert stage with a jazz big band", "night", "obsession, triumph", "music drama", "warm amber stage light, dark hall",
     [B("medium", "static", "eye_level", "50mm", 3.0, "drummer behind the kit", "Andrew launches into the solo"),
      B("extreme_close_up", "static", "eye_level", "100mm", 1.0, "stick on cymbal", "rapid inserts of sticks, cymbals, sweat and blood"),
      B("close_up", "whip_pan", "eye_level", "50mm", 1.0, "whip between drummer and conductor, drummer looking screen right", "whip pans between drummer and conductor as they lock eyes"),
      B("close_up", "static", "eye_level", "85mm", 2.0, "conductor's face, nodding, looking screen left", "Fletcher's face: a slow nod")]),
    ("singin-rain-number", "Singin' in the Rain", 1952, "the title song in the street", "performance", "a rainy street at night, lamp post, shop windows", "night", "joy", "musical", "wet street at night, warm lamps, backlit rain",
     [B("wide", "tracking", "eye_level", "35mm", 6.0, "dancer along the street", "the camera travels with him down the wet street"),
      B("full", "crane", "high", "35mm", 5.0, "crane up as he swings on the lamp post", "crane rises as he hangs from the lamp post"),
      B("wide", "crane", "high", "28mm", 5.0, "whole street from above, dancer splashing", "high crane over him splashing through the gutter")]),
    ("jurassic-water-glass", "Jurassic Park", 1993, "the T. rex approaches the stalled cars", "suspense approach", "a stalled car at night in the rain, a fence", "night", "dread", "adventure", "rain, dark, the car's interior light",
     [B("extreme_close_up", "static", "eye_level", "100mm", 3.0, "a cup of water on the dashboard", "insert: ripples form in a cup of water on the dashboard"),
      B("close_up", "static", "eye_level", "50mm", 2.5, "boy's face, looking screen right", "the boy notices the ripples"),
      B("medium", "static", "eye_level", "35mm", 2.5, "faces at the rain-streaked window", "the passengers stare out at the fence as the heavy footfalls come closer"),
      B("wide", "tilt", "low", "wide angle", 3.0, "tilt up the fence", "the goat's tether hangs slack; the camera tilts up the fence to what stands behind it")]),
    ("no-country-hotel-door", "No Country for Old Men", 2007, "the motel room, waiting for the killer", "hiding", "a dark motel room, a door, a hallway", "night", "unbearable tension", "thriller", "darkness, a strip of hallway light under the door",
     [B("medium", "static", "eye_level", "35mm", 4.0, "man on the bed facing the door, shotgun", "Moss sits in the dark facing the door, shotgun ready"),
      B("close_up", "static", "eye_level", "50mm", 3.0, "the gap under the door", "the strip of light under the door, then the shadows of two feet"),
      B("extreme_close_up", "static", "eye_level", "100mm", 2.0, "the hallway lamp", "the light goes out in the hallway"),
      B("close_up", "static", "eye_level", "50mm", 2.5, "face, listening", "close on Moss listening")]),
    ("inglourious-farmhouse", "Inglourious Basterds", 2009, "the farmhouse interrogation", "hiding", "a farmhouse kitchen, floorboards, a table", "day", "polite menace", "war drama", "soft window daylight, wood tones",
     [B("medium_wide", "static", "eye_level", "50mm", 5.0, "two men at the table, long take", "the officer and the farmer talk at the kitchen table"),
      B("wide", "pedestal", "eye_level", "35mm", 5.0, "camera sinks below the floor", "the camera lowers through the floorboards to reveal the family hiding beneath"),
      B("close_up", "static", "eye_level", "50mm", 3.0, "eyes between boards", "close on the girl's eyes between the boards")]),
    ("third-man-doorway", "The Third Man", 1949, "Harry Lime revealed in the doorway", "reveal", "a Vienna street at night, cobbles, a doorway", "night", "shock, charm", "noir", "hard window light, long shadows, wet cobbles",
     [B("wide", "static", "dutch", "wide angle", 3.0, "tilted street, dark doorway", "a tilted night street, a cat at a man's feet in a doorway"),
      B("medium_close_up", "static", "eye_level", "50mm", 3.0, "face suddenly lit", "a window light snaps on and reveals Harry's smiling face"),
      B("close_up", "static", "dutch", "50mm", 2.0, "Holly's reaction", "Holly stares, stunned")]),
    ("lost-translation-window", "Lost in Translation", 2003, "Charlotte at the hotel window over Tokyo", "isolation", "a high hotel room window over Tokyo", "day", "loneliness, drift", "drama", "soft overcast daylight, pastel city",
     [B("wide", "static", "eye_level", "35mm", 4.0, "small figure at the big window", "Charlotte sits on the window ledge, the city spread below"),
      B("medium_close_up", "static", "eye_level", "50mm", 4.0, "profile against the glass", "profile against the glass, looking out at nothing"),
      B("extreme_wide", "static", "high", "wide angle", 4.0, "city to the horizon", "the vast city from the window")]),
    ("dunkirk-little-ships", "Dunkirk", 2017, "the small boats reach the beach", "rescue", "a beach with lines of soldiers, the sea, small boats", "day", "relief, hope", "war drama", "grey overcast sea light",
     [B("extreme_wide", "static", "eye_level", "wide angle", 4.0, "lines of men on the beach", "soldiers in long lines on the empty beach"),
      B("close_up", "static", "eye_level", "50mm", 3.0, "commander looking out to sea", "the commander sees something on the horizon"),
      B("extreme_wide", "static", "eye_level", "telephoto", 5.0, "many small boats on the horizon", "a fleet of small civilian boats appears on the sea")]),
    ("godfather-wedding", "The Godfather", 1972, "the wedding in the garden", "celebration", "a sunny garden wedding, long tables, a dance floor", "day", "festivity, family", "crime", "bright warm sunlight, saturated",
     [B("extreme_wide", "static", "high", "wide angle", 4.0, "the whole garden party", "the wide garden full of guests and musicians"),
      B("medium", "handheld", "eye_level", "35mm", 3.0, "dancers crossing", "among the dancers, the family dancing the tarantella"),
      B("medium_close_up", "static", "eye_level", "50mm", 3.0, "a guest singing", "a singer serenades the bride")]),
    ("gone-with-wind-depot", "Gone with the Wind", 1939, "the wounded at the Atlanta rail depot", "aftermath", "a rail yard covered with wounded soldiers", "afternoon", "horror, devastation", "historical epic", "hazy amber afternoon light",
     [B("medium", "static", "eye_level", "50mm", 3.0, "Scarlett walking into the yard", "Scarlett walks among the wounded"),
      B("extreme_wide", "crane", "high", "wide angle", 10.0, "camera rising to show thousands", "a vast crane pull-back rises until the wounded cover the whole yard and a torn flag fills the foreground")]),
    ("north-by-northwest-cropduster", "North by Northwest", 1959, "the crop duster attack in the fields", "chase", "an empty road between flat farm fields", "day", "exposure, panic", "thriller", "flat bright sun, no shade",
     [B("extreme_wide", "static", "high", "wide angle", 5.0, "empty road, lone figure", "a man alone by an empty road in flat fields"),
      B("wide", "static", "eye_level", "50mm", 3.0, "plane dipping toward him", "the crop duster turns toward him"),
      B("full", "tracking", "low", "35mm", 3.0, "running, diving to the ground", "he runs and dives as the plane roars over"),
      B("wide", "static", "eye_level", "35mm", 3.0, "crouching in the corn", "he hides in the corn as the plane sprays")]),
    ("french-connection-el-train", "The French Connection", 1971, "the car chase under the elevated train", "chase", "a city street under an elevated railway", "day", "reckless fury", "crime", "grey winter daylight",
     [B("medium", "tracking", "low", "wide angle", 3.0, "camera on the bumper, low", "a bumper-level camera races under the elevated tracks"),
      B("close_up", "handheld", "eye_level", "35mm", 2.0, "driver shouting", "Popeye at the wheel, horn blaring"),
      B("wide", "static", "high", "35mm", 2.0, "train above, car below", "the train above, the car weaving below")]),
    ("bourne-waterloo", "The Bourne Ultimatum", 2007, "guiding the reporter through the station", "pursuit on foot", "a crowded railway station concourse", "morning", "paranoia", "action thriller", "cold daylight through a glass roof",
     [B("wide", "handheld", "high", "telephoto", 2.0, "surveillance-like frame", "long-lens handheld frames as if from watchers in the crowd"),
      B("medium_close_up", "handheld", "eye_level", "50mm", 1.5, "man on the phone, scanning", "Bourne on the phone, scanning the crowd"),
      B("medium", "handheld", "eye_level", "35mm", 1.5, "reporter moving through the crowd", "the reporter moves through the commuters, told where to go")]),
    ("point-break-foot-chase", "Point Break", 1991, "the foot chase through backyards", "pursuit on foot", "suburban backyards, fences, a pool", "day", "adrenaline", "action", "bright Californian sun",
     [B("medium", "handheld", "eye_level", "wide angle", 2.0, "camera running with the agent", "the camera runs with the agent through backyards"),
      B("full", "tracking", "eye_level", "wide angle", 2.0, "vaulting fences", "the masked man vaults fences ahead"),
      B("wide", "handheld", "eye_level", "wide angle", 2.0, "through a house", "both crash through a house and out the other side")]),
    ("heat-coffee-shop", "Heat", 1995, "the detective and the thief talk over coffee", "dialogue coverage", "a diner booth at night", "night", "mutual respect, threat", "crime", "warm diner light, dark windows",
     [B("medium_wide", "static", "eye_level", "50mm", 3.0, "booth two-shot", "the two men sit across the booth"),
      B("medium_close_up", "static", "over_the_shoulder", "85mm", 4.0, "over one shoulder, looking screen right", "over the detective's shoulder onto the thief"),
      B("medium_close_up", "static", "over_the_shoulder", "85mm", 4.0, "reverse, looking screen left", "the matching reverse over the thief's shoulder, held evenly between them")]),
    ("marriage-story-fight", "Marriage Story", 2019, "the argument in the empty apartment", "argument", "a bare apartment, white walls", "night", "rage, despair", "drama", "flat interior light",
     [B("wide", "static", "eye_level", "35mm", 5.0, "two figures in a bare room", "a wide of the room, the couple apart"),
      B("medium", "static", "eye_level", "50mm", 4.0, "both standing, tension", "the fight builds, long takes, little cutting"),
      B("medium_close_up", "static", "eye_level", "50mm", 3.0, "he breaks down against the wall", "he breaks down, she comforts him")]),
    ("star-wars-binary-sunset", "Star Wars", 1977, "Luke watches the twin suns set", "isolation", "a desert homestead, two setting suns", "dusk", "longing", "science fiction", "orange twin sunset, backlight",
     [B("wide", "static", "eye_level", "50mm", 5.0, "silhouette against two suns", "Luke's silhouette against the twin suns"),
      B("medium_close_up", "static", "eye_level", "85mm", 4.0, "profile looking off", "his face looking toward the horizon"),
      B("extreme_wide", "static", "eye_level", "wide angle", 4.0, "two suns on the horizon", "the two suns sinking")]),
    ("blade-runner-la-opening", "Blade Runner", 1982, "opening over the industrial city", "establishing a place", "a futuristic industrial city, gas flares, towers", "night", "awe, unease", "science fiction", "flares against black sky, haze",
     [B("extreme_wide", "static", "high", "wide angle", 6.0, "flames on the horizon", "the city at night, gas flares bursting over the towers"),
      B("extreme_close_up", "static", "eye_level", "macro", 2.0, "an eye reflecting the flames", "an eye reflecting the city"),
      B("extreme_wide", "tracking", "high", "wide angle", 6.0, "flying toward a pyramid", "flying toward the great pyramid")]),
    ("sound-of-music-opening", "The Sound of Music", 1965, "aerial over the Alps to Maria on the hilltop", "establishing a place", "the Alps, lakes, a green hilltop", "day", "joy", "musical", "bright alpine sun",
     [B("extreme_wide", "tracking", "high", "wide angle", 8.0, "mountains and lakes from above", "an aerial glides over snowy peaks and lakes"),
      B("wide", "tracking", "high", "wide angle", 5.0, "approaching a meadow, a tiny figure", "the flight finds a tiny figure on a green hilltop"),
      B("full", "static", "eye_level", "35mm", 4.0, "Maria spinning, arms out", "Maria spins and sings")]),
    ("stagecoach-ringo-intro", "Stagecoach", 1939, "the Ringo Kid stops the coach", "arrival", "a desert trail, a stagecoach", "day", "bravado", "western", "bright desert sun",
     [B("wide", "static", "eye_level", "35mm", 3.0, "the coach arriving", "the coach comes to a halt"),
      B("full", "dolly_in", "eye_level", "50mm", 3.0, "a man twirls a rifle", "a fast push from full figure into a close-up of the Kid twirling his rifle")]),
    ("keaton-house-facade", "Steamboat Bill, Jr.", 1928, "the house facade falls around him", "comic beat", "a street in a storm, a house front", "day", "deadpan", "comedy", "flat daylight, wind",
     [B("wide", "static", "eye_level", "wide angle", 5.0, "locked-off, whole facade and the man", "a locked-off wide: the house front falls and he stands exactly where the open window lands"),
      B("full", "static", "eye_level", "35mm", 3.0, "deadpan, unmoved", "he looks around, unbothered, and walks on")]),
    ("gold-rush-cabin", "The Gold Rush", 1925, "the cabin teetering on the cliff edge", "comic beat", "a cabin on the edge of a snowy cliff", "morning", "slapstick suspense", "comedy", "flat daylight, snow",
     [B("wide", "static", "eye_level", "35mm", 4.0, "the whole cabin in frame, see-sawing", "inside the cabin the floor tilts each time they walk to one end"),
      B("extreme_wide", "static", "eye_level", "wide angle", 4.0, "cabin hanging over the drop", "outside, the cabin hangs over the abyss")]),
    ("hot-fuzz-montage", "Hot Fuzz", 2007, "the sergeant's arrival and paperwork montages", "comic beat", "a village police station", "day", "comic energy", "comedy", "bright English daylight",
     [B("close_up", "whip_pan", "eye_level", "35mm", 1.0, "whip into close detail", "whip pans and crash zooms on mundane actions"),
      B("extreme_close_up", "zoom_in", "eye_level", "50mm", 0.8, "pen on paper, stamp", "a stamp slams onto a form"),
      B("medium", "static", "eye_level", "35mm", 2.0, "deadpan face", "his deadpan face after all that fuss")]),
    ("wizard-of-oz-door", "The Wizard of Oz", 1939, "Dorothy opens the door onto Oz", "discovery", "a farmhouse doorway opening onto a colourful land", "day", "wonder", "fantasy", "sepia inside, saturated Technicolor outside",
     [B("medium", "tracking", "eye_level", "35mm", 4.0, "following her to the door in sepia", "Dorothy walks to the door in sepia tones"),
      B("wide", "tracking", "eye_level", "35mm", 5.0, "door opens onto colour", "the door opens onto a world in full colour; the camera moves through it")]),
    ("perfect-storm-wave", "The Perfect Storm", 2000, "the boat climbs the giant wave", "storm", "a fishing boat in a huge sea at night", "night", "desperation", "disaster", "lightning, black water, spray",
     [B("extreme_wide", "static", "low", "wide angle", 4.0, "wall of water dwarfs the boat", "a mountain of water looms over the small boat"),
      B("medium", "handheld", "eye_level", "35mm", 2.5, "captain at the wheel", "the captain at the wheel steering into the wave"),
      B("wide", "crane", "low", "wide angle", 4.0, "the boat climbing vertical", "the boat climbs the face of the wave almost vertical")]),
    ("saving-ryan-beach-after", "Saving Private Ryan", 1998, "the beach after the landing", "aftermath", "a beach covered in debris and bodies, surf red", "day", "numb devastation", "war drama", "desaturated, grey",
     [B("wide", "tracking", "eye_level", "35mm", 5.0, "slow track along the debris", "the camera moves slowly along the shore littered with debris"),
      B("extreme_close_up", "static", "eye_level", "50mm", 3.0, "a name on a pack", "a pack on the sand bearing a soldier's name"),
      B("extreme_wide", "static", "high", "wide angle", 4.0, "the full shore", "the whole shore, silent now")]),
    ("easy-rider-highway", "Easy Rider", 1969, "riding the open highway", "journey", "an open highway through the desert, motorcycles", "day", "freedom", "road movie", "bright sun, lens flares",
     [B("wide", "tracking", "eye_level", "wide angle", 5.0, "riders alongside, sun flare", "tracking alongside the two bikers as the sun flares in the lens"),
      B("extreme_wide", "pan", "eye_level", "wide angle", 5.0, "bikes small in the landscape", "panning with the bikes as they cross the vast landscape")]),
    ("up-married-life", "Up", 2009, "the married life montage", "grief", "a house and its years, a hospital, a church", "day", "love then loss", "animation drama", "warm colours fading to grey",
     [B("wide", "static", "eye_level", "35mm", 3.0, "the house through the years", "the same house frame repeated as years pass"),
      B("medium", "static", "eye_level", "50mm", 3.0, "the couple, older each time", "the couple grow older together"),
      B("wide", "static", "eye_level", "35mm", 4.0, "a lone man in a church", "he sits alone after the funeral, the balloon beside him")]),
    ("moonlight-swimming", "Moonlight", 2016, "the swimming lesson in the sea", "intimacy", "the sea near a beach, sun on the water", "day", "trust, tenderness", "drama", "bright sun on water, saturated blue",
     [B("medium", "handheld", "eye_level", "wide angle", 4.0, "camera at the waterline, bobbing", "the camera floats at the waterline, waves washing over the lens"),
      B("close_up", "handheld", "eye_level", "35mm", 3.0, "the boy held on the water", "Juan holds the boy floating, teaching him to trust the water")]),
    ("graduate-bus-ending", "The Graduate", 1967, "the escape onto the bus", "aftermath", "the back seat of a city bus", "day", "euphoria fading to uncertainty", "comedy drama", "flat bus interior daylight",
     [B("medium_wide", "static", "eye_level", "50mm", 6.0, "two in the back seat, passengers staring", "the couple sit laughing in the back seat, then the smiles fade"),
      B("medium_close_up", "static", "eye_level", "50mm", 4.0, "faces, uncertain", "they look ahead, uncertain, held too long")]),
    ("psycho-shower-cuts", "Psycho", 1960, "the shower scene montage", "suspense approach", "a motel bathroom, a shower curtain", "night", "shock, terror", "horror", "bright bathroom light, black and white",
     [B("medium", "static", "eye_level", "50mm", 4.0, "the shadow behind the curtain", "a figure's shadow grows behind the shower curtain"),
      B("close_up", "static", "eye_level", "50mm", 0.8, "rapid fragments", "a storm of brief fragments: never a blow landing, the cutting makes the violence"),
      B("extreme_close_up", "dolly_out", "eye_level", "50mm", 4.0, "the eye, slowly pulling out", "from the drain to her still eye, slowly turning out")]),
]


def _check(slug: str, shots: list[dict]) -> None:
    """The corpus itself must keep the continuity rules a plan is checked against."""
    def facing(shot: dict) -> str:
        text = shot["composition"]
        return "right" if "screen right" in text else "left" if "screen left" in text else ""

    for a, b in zip(shots, shots[1:]):
        # A reverse (the other speaker, facing the other way) of the same size is coverage, not a jump cut.
        reverse = facing(a) and facing(b) and facing(a) != facing(b)
        if a["shot_size"] == b["shot_size"] and a["angle"] == b["angle"] and not reverse:
            raise SystemExit(f"{slug}: two consecutive shots of the same size, angle and movement")


def compose() -> list[dict]:
    rows: list[dict] = []
    for situation, variants in VARIANTS.items():
        grammars = GRAMMARS[situation]
        for slug, g, setting, time, emotion, genre, lighting, who, other, place, thing in variants:
            seq = f"{situation.split()[0]}-{slug}" if not slug.startswith(situation.split()[0]) else slug
            fill = {"who": who, "other": other, "place": place, "thing": thing}
            shots = []
            for position, (size, movement, angle, lens, seconds, composition, text) in enumerate(grammars[g % len(grammars)], start=1):
                shots.append({
                    "id": f"{seq}-{position}", "sequence_id": seq, "position": position,
                    "source_kind": "pattern", "film_title": None, "film_year": None, "film_scene": None, "timecode": None,
                    "licence": PATTERN_LICENCE, "provenance": "filmcrew corpus composer",
                    "situation": situation, "setting": setting, "time": time, "emotion": emotion, "genre": genre,
                    "shot_size": size, "movement": movement, "angle": angle, "lens": lens,
                    "composition": composition.format(**fill), "lighting": lighting, "duration": seconds,
                    "description": text.format(**fill),
                })
            _check(seq, shots)
            rows.extend(shots)
    for slug, film, year, scene, situation, setting, time, emotion, genre, lighting, beats in FILMS:
        seq = f"film-{slug}"
        shots = []
        for position, (size, movement, angle, lens, seconds, composition, text) in enumerate(beats, start=1):
            shots.append({
                "id": f"{seq}-{position}", "sequence_id": seq, "position": position,
                "source_kind": "film", "film_title": film, "film_year": year, "film_scene": scene, "timecode": None,
                "licence": FILM_LICENCE, "provenance": "filmcrew corpus composer",
                "situation": situation, "setting": setting, "time": time, "emotion": emotion, "genre": genre,
                "shot_size": size, "movement": movement, "angle": angle, "lens": lens,
                "composition": composition, "lighting": lighting, "duration": seconds, "description": text,
            })
        _check(seq, shots)
        rows.extend(shots)
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate reference ids")
    return rows


def main() -> int:
    rows = compose()
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(rows)} shots in {len({r['sequence_id'] for r in rows})} sequences -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
