"""The offline judge: FilmEval scores from measures of the film itself.

Every score is computed from `perceive(film.mp4)` (its frames and its sound)
and the brief; the run's plan and sound design are read only as declared
intent and count only where the film confirms them (a planned voice line
counts as said when speech is measured at its time; a planned shot counts as
shown when its time is on screen and not black). Each criterion maps measured
qualities q in [0, 1] to a score 1 + 4*q; `data/criteria.yaml` says which
measures inform which criterion, and which criteria are weaker proxies
(NC, PLC, CD, OQ). A criterion without the evidence it needs is reported
missing with the reason.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from filmcrew.filmeval.facts import BriefFacts, brief_facts, stem, words
from filmcrew.filmeval.intent import FilmIntent, PlannedShot
from filmcrew.filmeval.result import CriterionVerdict, FilmScore
from filmcrew.tools.perception import Perception, ShotMeasures, perceive

__all__ = ["OfflineJudge", "LOUDNESS_TARGET_LUFS"]

LOUDNESS_TARGET_LUFS = -16.0
_FALLBACK_SHOT_S = 4.0  # the general audience's preferred shot length, when the run names none
_FALLBACK_ATTENTION_S = 20.0


def _lin(x: float, lo: float, hi: float) -> float:
    """0 at lo, 1 at hi, clamped (hi < lo flips the direction)."""
    if hi == lo:
        return 1.0 if x >= hi else 0.0
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


def _score(q: float) -> float:
    return round(1.0 + 4.0 * min(1.0, max(0.0, q)), 2)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _tv_similarity(a: list[float], b: list[float]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return 1.0 - 0.5 * float(np.abs(np.asarray(a) - np.asarray(b)).sum())


class _Evidence:
    """What the film confirms of its declared intent, computed once per judgement."""

    def __init__(self, intent: FilmIntent, p: Perception):
        self.intent, self.p = intent, p
        self.duration = p.video.duration if p.video else p.audio.duration
        speech_windows = [(t, t + 1.5) for t, label in p.audio.classes if label == "speech"]
        self.spoken_confirmed = [
            line for line in intent.spoken
            if any(_overlap(line.start, max(line.end, line.start + 0.3), a, b) > 0 for a, b in speech_windows)
        ]
        self.shots_confirmed = [s for s in intent.shots if self._on_screen(s)]

    def _on_screen(self, shot: PlannedShot) -> bool:
        if shot.start >= self.duration - 0.05 or not self.p.shots:
            return False
        covering = [m for m in self.p.shots if _overlap(shot.start, shot.end, m.start, m.end) > 0]
        seen = sum(_overlap(shot.start, shot.end, m.start, m.end) * (1 - m.black_share) for m in covering)
        return seen >= 0.5 * max(1e-6, min(shot.end, self.duration) - shot.start)

    def measured_shot(self, shot: PlannedShot) -> ShotMeasures | None:
        best = max(self.p.shots, key=lambda m: _overlap(shot.start, shot.end, m.start, m.end), default=None)
        if best is None or _overlap(shot.start, shot.end, best.start, best.end) <= 0:
            return None
        return best

    def told_and_shown(self) -> list[tuple[float, str]]:
        """(time, text) of every confirmed voice line and on-screen planned shot."""
        units = [(line.start, line.text) for line in self.spoken_confirmed]
        for s in self.shots_confirmed:
            units.append((s.start, f"{s.action} {s.location} {' '.join(s.characters)} {self.intent.block_text.get(s.block_id, '')}"))
        return sorted(units)


class OfflineJudge:
    """Scores films from perception measures; no model, no network."""

    name = "offline"

    def __init__(self, *, cache: bool = True):
        self.cache = cache

    def judge(self, intent: FilmIntent) -> FilmScore:
        p = perceive(intent.film, cache=self.cache)
        ev = _Evidence(intent, p)
        verdicts: dict[str, CriterionVerdict] = {}
        measures: dict[str, Any] = {}
        steps: list[tuple[str, Callable[[_Evidence, dict[str, Any]], CriterionVerdict]]] = [
            ("SF", self._sf), ("NC", self._nc), ("VQ", self._vq), ("CC", self._cc), ("PLC", self._plc),
            ("V/AQ", self._vaq), ("CT", self._ct), ("AVR", self._avr), ("NP", self._np), ("VAC", self._vac),
            ("CD", self._cd),
        ]
        for code, fn in steps:
            m: dict[str, Any] = {}
            verdicts[code] = fn(ev, m)
            measures[code] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}
        verdicts["OQ"] = self._oq(verdicts)
        return FilmScore.from_verdicts(intent.run, verdicts, measures)

    # -- Narrative and Script ------------------------------------------------
    @staticmethod
    def _facts(ev: _Evidence) -> BriefFacts | None:
        return brief_facts(ev.intent.brief.text) if ev.intent.brief else None

    def _sf(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        facts = self._facts(ev)
        if facts is None:
            return CriterionVerdict.missing("the run directory holds no brief to compare the film with")
        if not len(facts):
            return CriterionVerdict.missing("no people, places, objects or events could be read from the brief")
        units = ev.told_and_shown()
        if not units:
            return CriterionVerdict.missing(
                "nothing the film says or shows can be read offline (no voice-over confirmed as speech, no plan "
                "confirmed on screen); use a model judge")
        found_stems = {stem(w) for _, text in units for w in words(text)}
        weights = {"person": 0.3, "place": 0.2, "object": 0.2, "event": 0.3}
        cover: dict[str, float] = {}
        missing_facts = []
        for kind in weights:
            items = [v for k, v in facts.all() if k == kind]
            if not items:
                continue
            hit = [v for v in items if stem(v) in found_stems]
            cover[kind] = len(hit) / len(items)
            missing_facts += [v for v in items if v not in hit]
        total = sum(weights[k] for k in cover)
        q = sum(weights[k] * cover[k] for k in cover) / total
        m.update({f"coverage_{k}": v for k, v in cover.items()})
        m.update(spoken_confirmed=len(ev.spoken_confirmed), spoken_planned=len(ev.intent.spoken),
                 shots_on_screen=len(ev.shots_confirmed), brief_facts=len(facts))
        gap = f"; not found: {', '.join(missing_facts[:5])}" if missing_facts else ""
        return CriterionVerdict(score=_score(q), why=(
            f"{q:.0%} of the brief's facts are said or shown ({len(ev.spoken_confirmed)} voice lines heard, "
            f"{len(ev.shots_confirmed)} planned shots on screen){gap}."))

    def _nc(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        facts = self._facts(ev)
        if facts is None:
            return CriterionVerdict.missing("the run directory holds no brief, so the story's order cannot be checked")
        units = ev.told_and_shown()
        if not units:
            return CriterionVerdict.missing("nothing the film says or shows can be read offline; use a model judge")
        # First time each brief event (in brief order) is told or shown.
        firsts = []
        for event in facts.events:
            times = [t for t, text in units if event in {stem(w) for w in words(text)}]
            if times:
                firsts.append(min(times))
        pairs = [(a, b) for i, a in enumerate(firsts) for b in firsts[i + 1:]]
        told = len(firsts) / len(facts.events) if facts.events else 0.5
        # A black gap breaks the telling; a held still does not (VQ counts frozen frames).
        gaps = sum(s.black_share * s.duration for s in ev.p.shots) / max(ev.duration, 1e-6)
        continuity = 1.0 - _lin(gaps, 0.0, 0.3)
        if pairs:
            order = sum(1 for a, b in pairs if a <= b) / len(pairs)
            q = 0.45 * order + 0.3 * told + 0.25 * continuity
            order_text = f"{order:.0%} of event pairs in the brief's order"
        else:
            order = None
            q = 0.6 * told + 0.4 * continuity
            order_text = "order not checkable with fewer than two events found"
        m.update(order=order, events_told=told, continuity=continuity)
        return CriterionVerdict(score=_score(q), why=(
            f"Weaker proxy: {len(firsts)}/{len(facts.events)} brief events told or shown, {order_text}, "
            f"{gaps:.0%} of the picture lost to black gaps."))

    # -- Audiovisuals and Techniques -----------------------------------------------
    def _vq(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p = ev.p
        if p.video is None or not p.shots:
            return CriterionVerdict.missing("the file has no picture")
        dur = np.array([max(s.duration, 1e-3) for s in p.shots])
        w = dur / dur.sum()
        sharp = float(np.sum(w * np.log10(np.maximum([s.sharpness for s in p.shots], 1.0))))
        noise = float(np.sum(w * np.array([s.noise for s in p.shots])))
        block = float(np.sum(w * np.array([s.blockiness for s in p.shots])))
        luma = np.array(p.video.luma)
        exposure = float(np.mean((luma >= 10) & (luma <= 240)))
        black = float(np.sum(w * np.array([s.black_share for s in p.shots])))
        frozen = float(np.sum(w * np.array([s.frozen_share for s in p.shots])))
        q_sharp, q_noise = _lin(sharp, 1.3, 2.7), 1 - _lin(noise, 1.5, 8.0)
        q_block, q_exp = 1 - _lin(block, 1.45, 2.2), exposure
        q_res = _lin(float(p.video.height), 144, 720)
        q = (0.3 * q_sharp + 0.25 * q_noise + 0.15 * q_block + 0.15 * q_exp + 0.15 * q_res) * (1 - black - 0.5 * frozen)
        m.update(height=p.video.height, log10_sharpness=sharp, noise_sigma=noise, blockiness=block, exposed_share=exposure,
                 black_share=black, frozen_share=frozen)
        return CriterionVerdict(score=_score(q), why=(
            f"{p.video.width}x{p.video.height}, sharpness 10^{sharp:.1f}, noise sigma {noise:.1f}, blockiness {block:.2f}, {exposure:.0%} of frames "
            f"readably exposed, {black:.0%} black and {frozen:.0%} frozen."))

    def _cc(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p = ev.p
        if p.video is None:
            return CriterionVerdict.missing("the file has no picture")
        from filmcrew.tools.perception import appearance_signature

        refs = {r.name: r.path for r in ev.intent.references if r.kind == "character"}
        sims: list[float] = []
        judged: list[str] = []
        by_character: dict[str, list[ShotMeasures]] = {}
        for shot in ev.shots_confirmed:
            measured = ev.measured_shot(shot)
            if measured is None:
                continue
            for name in shot.characters:
                by_character.setdefault(name, [])
                if measured not in by_character[name]:
                    by_character[name].append(measured)
        if not by_character:
            faces = [s for s in p.shots if s.face_share > 0]
            if len(faces) >= 2:
                by_character["(faces seen)"] = faces
        for name, shots in by_character.items():
            # The frame centre, where framing puts the character. Face crops would say more, but OpenCV's
            # face detector finds a face in one shot and misses it in the next, and a measure that switches
            # method between shots compares unlike things.
            signatures = [s.colour_signature for s in shots if s.colour_signature]
            anchor = None
            if name in refs:
                try:
                    anchor = appearance_signature(refs[name])
                except Exception:  # noqa: BLE001 - an unreadable reference falls back to the first appearance
                    anchor = None
            compare = signatures if anchor is not None else signatures[1:]
            anchor = anchor if anchor is not None else (signatures[0] if signatures else None)
            if anchor is None or not compare:
                continue
            sims += [_tv_similarity(anchor, sig) for sig in compare]
            judged.append(name)
        if not sims:
            return CriterionVerdict.missing("no character is declared or seen in more than one shot")
        sim = float(np.mean(sims))
        q = _lin(sim, 0.2, 0.9)
        m.update(similarity=sim, characters=len(judged), comparisons=len(sims))
        return CriterionVerdict(score=_score(q), why=(
            f"Appearance of {', '.join(judged[:4])} matches its first appearance or reference at {sim:.0%} "
            f"(hue-saturation similarity over {len(sims)} comparisons)."))

    def _plc(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        v = ev.p.video
        if v is None or v.frames < 5:
            return CriterionVerdict.missing("too little picture to see how things move")
        q = 0.6 * (1 - _lin(v.flicker, 0.6, 4.0)) + 0.4 * (1 - _lin(v.jerk, 0.01, 0.1))
        m.update(flicker=v.flicker, jerk=v.jerk)
        return CriterionVerdict(score=_score(q), why=(
            f"Weaker proxy (temporal plausibility only): typical frame-to-frame luma flicker {v.flicker:.2f}, "
            f"{v.jerk:.1%} of frames with motion that jumps without a cut."))

    def _vaq(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        a = ev.p.audio
        if not a.present:
            m.update(present=False)
            return CriterionVerdict(score=1.0, why="The film has no sound track at all.")
        if a.integrated_lufs is None or a.silence_share >= 0.98:
            m.update(present=True, silent=True)
            return CriterionVerdict(score=1.0, why="The sound track is silent.")
        presence = 1 - a.silence_share
        if ev.intent.spoken:
            speech = len(ev.spoken_confirmed) / len(ev.intent.spoken)
        else:
            speech = 1.0 if a.speech_share >= 0.1 else 0.6
        clarity = _lin(a.speech_modulation, 0.3, 0.7) if a.speech_share > 0 else 0.5
        loud = 1 - _lin(abs(a.integrated_lufs - LOUDNESS_TARGET_LUFS), 2.0, 14.0)
        clip = 1 - _lin(a.clipping_share, 1e-4, 5e-3)
        q = 0.2 * presence + 0.3 * speech + 0.15 * clarity + 0.2 * loud + 0.15 * clip
        m.update(presence=presence, speech_heard=speech, clarity=clarity, lufs=a.integrated_lufs, clipping=a.clipping_share)
        planned = f"{len(ev.spoken_confirmed)}/{len(ev.intent.spoken)} planned voice lines heard" if ev.intent.spoken else (
            f"speech in {a.speech_share:.0%} of the film")
        return CriterionVerdict(score=_score(q), why=(
            f"{planned}, loudness {a.integrated_lufs:.1f} LUFS (target {LOUDNESS_TARGET_LUFS:.0f}), "
            f"{a.clipping_share:.2%} clipped samples, sound in {presence:.0%} of the film."))

    # -- Aesthetics and Expression ------------------------------------------------
    def _ct(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p = ev.p
        if p.video is None or not p.shots:
            return CriterionVerdict.missing("the file has no picture")
        minutes = max(ev.duration / 60, 1e-3)
        sizes = {s.shot_size for s in p.shots if s.shot_size != "unknown"}
        moves = {s.movement for s in p.shots}
        rate = len(p.shots) / minutes
        measured = 0.4 * _lin(rate, 2, 14) + 0.3 * _lin(len(moves), 1, 3) + 0.3 * _lin(len(sizes), 0, 3)
        # Declared camera language counts where its cuts are found in the film.
        cut_times = [e.time for e in p.events_of("cut")]
        confirmed = [s for s in ev.shots_confirmed if s.start < 0.05 or any(abs(s.start - c) < 0.15 for c in cut_times)]
        planned = 0.0
        if confirmed:
            blocks: dict[str, list[PlannedShot]] = {}
            for s in confirmed:
                blocks.setdefault(s.block_id, []).append(s)
            varied = [len({(x.shot_size, x.movement, x.angle) for x in b}) / len(b) for b in blocks.values()]
            planned = float(np.mean(varied)) * _lin(len(confirmed), 1, 6)
        q = 0.65 * measured + 0.35 * planned
        m.update(shots=len(p.shots), shots_per_minute=rate, sizes=sorted(sizes), movements=sorted(moves),
                 planned_shots_confirmed=len(confirmed), planned_variety=planned)
        return CriterionVerdict(score=_score(q), why=(
            f"{len(p.shots)} shots ({rate:.0f}/min), movements seen: {', '.join(sorted(moves))}; sizes seen: "
            f"{', '.join(sorted(sizes)) or 'none measurable'}; {len(confirmed)} planned shots confirmed by cuts."))

    def _avr(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p, a = ev.p, ev.p.audio
        if p.video is None and not a.present:
            return CriterionVerdict.missing("the file has neither picture nor sound")
        layers = sum(1 for share in (a.speech_share, a.music_share, a.noise_share) if share >= 0.05) if a.present else 0
        onset = _lin(a.onset_rate, 0.1, 1.5) if a.present and a.integrated_lufs is not None else 0.0
        minutes = max(ev.duration / 60, 1e-3)
        palettes: list[tuple[int, int, int]] = []
        for s in p.shots:
            if not s.dominant_colours:
                continue
            c = tuple(int(s.dominant_colours[0][i:i + 2], 16) for i in (1, 3, 5))
            if all(math.dist(c, other) > 40 for other in palettes):
                palettes.append(c)  # type: ignore[arg-type]
        q = (0.3 * _lin(layers, 0, 3) + 0.2 * onset + 0.25 * _lin(len(palettes) / minutes, 1, 8)
             + 0.25 * _lin(len(p.shots) / minutes, 2, 14))
        m.update(sound_layers=layers, onset_rate=a.onset_rate, palettes=len(palettes), shots=len(p.shots))
        return CriterionVerdict(score=_score(q), why=(
            f"{layers} kinds of sound (speech/music/noise), {a.onset_rate:.1f} sound onsets per second, "
            f"{len(palettes)} distinct palettes over {len(p.shots)} shots."))

    # -- Rhythm and Flow -------------------------------------------------------
    def _np(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p = ev.p
        if p.video is None or not p.shots:
            return CriterionVerdict.missing("the file has no picture")
        aud = ev.intent.audience
        preferred = aud.preferred_shot_length_s if aud else _FALLBACK_SHOT_S
        attention = aud.attention_span_s if aud else _FALLBACK_ATTENTION_S
        lengths = np.array([s.duration for s in p.shots])
        median = float(np.median(lengths))
        q_len = 1 - _lin(abs(math.log2(max(median, 1e-3) / preferred)), 0.4, 2.0)
        # A single take longer than the attention span, or a static shot past it, loses this viewer.
        over = float(sum(max(0.0, s.duration - attention) for s in p.shots) / max(ev.duration, 1e-6))
        still = float(sum(s.duration for s in p.shots if s.movement == "static" and s.duration > preferred * 2) / max(ev.duration, 1e-6))
        q = 0.6 * q_len + 0.25 * (1 - _lin(over, 0, 0.4)) + 0.15 * (1 - still)
        m.update(median_shot_s=median, preferred_s=preferred, attention_s=attention, over_attention=over, long_static=still)
        who = aud.name if aud else "a general audience (none named in the run)"
        return CriterionVerdict(score=_score(q), why=(
            f"Median shot {median:.1f} s against {preferred:.1f} s preferred by {who}; "
            f"{over:.0%} of the film beyond its {attention:.0f} s attention span."))

    def _vac(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p, a = ev.p, ev.p.audio
        visual = [e.time for e in p.events_of("cut", "flash", "motion_peak") if e.time > 0.1]
        if not a.present or a.integrated_lufs is None:
            return CriterionVerdict(score=1.0, why="There is no sound to coordinate with the picture.")
        if len(visual) < 2:
            return CriterionVerdict.missing("fewer than two visual events (cuts, flashes, motion peaks) to align sound with")
        env = np.array(a.onset_envelope)
        if not len(env):
            return CriterionVerdict(score=1.0, why="The sound has no onsets to coordinate with the picture.")
        times = np.arange(len(env)) * 0.01

        def strength(shift: float) -> float:
            # A sound may land a little before its image or follow it by a beat (a voice after a cut).
            vals = []
            for t in visual:
                window = (times >= t + shift - 0.1) & (times <= t + shift + 0.35)
                vals.append(float(env[window].max()) if window.any() else 0.0)
            return float(np.mean(vals))

        aligned = strength(0.0)
        # Chance: the same events against the sound shifted by 0.5-2 s; the median ignores a shift that happens to realign.
        shifts = [s for s in np.arange(-2.0, 2.01, 0.1) if abs(s) >= 0.5]
        chance = float(np.median([strength(s) for s in shifts]))
        ratio = aligned / chance if chance > 0 else 1.0
        q = _lin(ratio, 0.9, 2.0)
        m.update(onset_strength_on_events=aligned, chance=chance, ratio=ratio, visual_events=len(visual))
        return CriterionVerdict(score=_score(q), why=(
            f"Sound onsets on the {len(visual)} visual events (cuts, flashes, motion peaks) are {ratio:.2f}x as strong "
            f"as with the sound shifted off them."))

    # -- Emotional Engagement and Overall ---------------------------------------------
    def _cd(self, ev: _Evidence, m: dict[str, Any]) -> CriterionVerdict:
        p, a = ev.p, ev.p.audio
        if p.video is None or not p.shots:
            return CriterionVerdict.missing("the file has no picture")
        lra = _lin(a.loudness_range_lu, 1.0, 8.0) if a.present and a.integrated_lufs is not None else 0.0
        lumas = [s.mean_luma for s in p.shots]
        motions = [s.motion for s in p.shots]
        contrast = 0.5 * _lin(float(np.std(lumas)), 2, 30) + 0.5 * _lin(float(np.std(motions)), 0.0005, 0.006) if len(p.shots) > 1 else 0.0
        close = sum(s.duration for s in p.shots if s.shot_size == "close") / max(ev.duration, 1e-6)
        third = ev.duration / 3
        series_t = np.array(p.video.times)
        series_m = np.array(p.video.motion)
        early = series_m[series_t < third].mean() if np.any(series_t < third) else 0.0
        late = series_m[series_t >= 2 * third].mean() if np.any(series_t >= 2 * third) else 0.0
        loud = [v for t, v in a.short_term if v is not None]
        build = 0.5 * _lin(float(late - early), -0.001, 0.003)
        if len(loud) >= 3:
            k = max(1, len(loud) // 3)
            build += 0.5 * _lin(float(np.mean(loud[-k:]) - np.mean(loud[:k])), -3.0, 4.0)
        q = 0.3 * lra + 0.3 * contrast + 0.15 * _lin(close, 0, 0.3) + 0.25 * build
        m.update(loudness_range=a.loudness_range_lu, contrast=contrast, close_share=close, build=build)
        return CriterionVerdict(score=_score(q), why=(
            f"Weaker proxy: loudness range {a.loudness_range_lu:.1f} LU, shot-to-shot contrast {contrast:.2f}, "
            f"{close:.0%} of the film in close shots on faces, build toward the end {build:.2f}."))

    @staticmethod
    def _oq(verdicts: dict[str, CriterionVerdict]) -> CriterionVerdict:
        scores = [v.score for v in verdicts.values() if v.score is not None]
        if len(scores) < 6:
            return CriterionVerdict.missing("fewer than half of the other criteria could be judged")
        mean = float(np.mean(scores))
        return CriterionVerdict(score=round(mean, 2), why=(
            f"Weaker proxy: the mean of the {len(scores)} criteria judged offline."))
