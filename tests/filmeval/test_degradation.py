"""The offline judge watches the film: each measured criterion falls when the film is degraded.

One real film is made offline per session; every copy below changes only
film.mp4 (with ffmpeg) and keeps the run's declared intent, so any change in
score comes from what the film shows and sounds like.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filmeval.conftest import OTHER_BRIEF
from filmeval.media import degrade

pytestmark = pytest.mark.slow  # makes a real film (about 20-60 s on a loaded machine)


@pytest.fixture(scope="module")
def copies(real_film: Path, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("degraded")
    return {
        "blurred": degrade(real_film, root / "blurred", vf="gblur=sigma=4"),
        "noisy": degrade(real_film, root / "noisy", vf="noise=alls=45:allf=t"),
        "silenced": degrade(real_film, root / "silenced", af="volume=0"),
        "other_brief": degrade(real_film, root / "other_brief", brief=OTHER_BRIEF),
        "recoloured": degrade(real_film, root / "recoloured", vf=_repaint_second_appearance(real_film)),
        "flicker": degrade(real_film, root / "flicker", vf="eq=eval=frame:brightness='0.25*sin(2*PI*t*9)'"),
        "frozen": degrade(real_film, root / "frozen", vf="loop=loop=-1:size=1:start=0,trim=duration=10,setpts=N/24/TB",
                          extra=["-t", "10"]),
        "late_sound": degrade(real_film, root / "late_sound", af="adelay=700:all=1", extra=["-t", "10"]),
        "black_gap": degrade(real_film, root / "black_gap", vf="drawbox=c=black:t=fill:enable='between(t,2,6)'"),
    }


def _repaint_second_appearance(run: Path) -> str:
    """An ffmpeg filter that repaints the centre of a character's second shot: the character no longer looks the same."""
    from filmcrew.filmeval import load_film

    seen: dict[str, int] = {}
    for shot in load_film(run).shots:
        for name in shot.characters:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] == 2:
                return (f"drawbox=x=iw/5:y=ih/5:w=3*iw/5:h=3*ih/5:color=0xff00ff:t=fill:"
                        f"enable='between(t,{shot.start + 0.05:.3f},{shot.end - 0.05:.3f})'")
    raise AssertionError("the test film has no character in two shots")


def _s(score, code):
    value = score.criteria[code]
    assert value is not None, f"{code} missing: {score.why[code]}"
    return value


def test_the_original_film_is_judged_on_every_criterion(real_film, offline_scores):
    s = offline_scores(real_film)
    assert not s.missing, s.missing
    assert s.avg is not None and 1 <= s.avg <= 5


@pytest.mark.parametrize("copy", ["blurred", "noisy"])
def test_blurred_or_noisy_copy_loses_visual_quality(real_film, copies, offline_scores, copy):
    assert _s(offline_scores(copies[copy]), "VQ") < _s(offline_scores(real_film), "VQ") - 0.3


def test_silenced_copy_loses_voice_audio_quality_and_richness(real_film, copies, offline_scores):
    base, silent = offline_scores(real_film), offline_scores(copies["silenced"])
    assert _s(silent, "V/AQ") == 1.0 < _s(base, "V/AQ")
    assert _s(silent, "AVR") < _s(base, "AVR")
    assert _s(silent, "VAC") < _s(base, "VAC")


def test_judged_against_another_brief_loses_script_faithfulness_and_coherence(real_film, copies, offline_scores):
    base, other = offline_scores(real_film), offline_scores(copies["other_brief"])
    assert _s(other, "SF") < _s(base, "SF") - 1.0
    assert _s(other, "NC") < _s(base, "NC")


def test_recoloured_characters_lose_character_consistency(real_film, copies, offline_scores):
    assert _s(offline_scores(copies["recoloured"]), "CC") < _s(offline_scores(real_film), "CC")


def test_flicker_loses_physical_law_compliance(real_film, copies, offline_scores):
    assert _s(offline_scores(copies["flicker"]), "PLC") < _s(offline_scores(real_film), "PLC") - 0.5


def test_one_frozen_frame_loses_techniques_richness_pacing_and_engagement(real_film, copies, offline_scores):
    base, frozen = offline_scores(real_film), offline_scores(copies["frozen"])
    for code in ("CT", "AVR", "NP", "CD", "VQ"):
        assert _s(frozen, code) < _s(base, code), code


def test_sound_shifted_off_the_picture_loses_coordination(real_film, copies, offline_scores):
    assert _s(offline_scores(copies["late_sound"]), "VAC") < _s(offline_scores(real_film), "VAC")


def test_black_gap_loses_coherence(real_film, copies, offline_scores):
    assert _s(offline_scores(copies["black_gap"]), "NC") < _s(offline_scores(real_film), "NC")


def test_overall_quality_follows_the_damage(real_film, copies, offline_scores):
    base = _s(offline_scores(real_film), "OQ")
    assert _s(offline_scores(copies["frozen"]), "OQ") < base
    assert _s(offline_scores(copies["silenced"]), "OQ") < base


def test_perception_finds_the_films_cuts_where_its_timeline_puts_them(real_film):
    from filmcrew.filmeval import load_film
    from filmcrew.tools.perception import perceive

    intent = load_film(real_film)
    planned = [s.start for s in intent.shots if s.start > 0]
    p = perceive(real_film / "film.mp4")
    fps = p.video.fps
    cuts = [e.time for e in p.events_of("cut")]
    found = [t for t in planned if any(abs(t - c) <= 1 / fps + 1e-6 for c in cuts)]
    # Two shots of one block can share a plate and a framing, so a cut may be invisible; most are not.
    assert len(found) >= 0.75 * len(planned), (planned, cuts)
    stray = [c for c in cuts if all(abs(c - t) > 1 / fps + 1e-6 for t in planned)]
    assert len(stray) <= 1, (planned, cuts)
