"""The previz shows the story: settings, props, creatures, effects, cast and actions.

Most checks draw single frames through `_Clip` (no encoding) at a small size;
one renders a real clip to check the `drawn` record reaches the ClipAsset.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from filmcrew.memory.models import Shot
from filmcrew.tools.clips.previz import render_previz, resolve_look
from filmcrew.tools.clips.previz.clip import _Clip
from filmcrew.tools.clips.previz.icons import ICON_SET, icon_names, match_icon
from filmcrew.tools.clips.previz.settings import SETTINGS, pick_setting
from filmcrew.tools.clips.previz.story import cast_note, read_story
from filmcrew.tools.media import count_frames

W, H = 320, 180


def make_shot(**kw) -> Shot:
    base = dict(id="S1", block_id="B1", shot_size="wide", movement="static", angle="eye_level",
                action="Maya waits.", characters=["Maya"], duration=1.0)
    base.update(kw)
    return Shot(**base)


def clip(shot: Shot, look: dict | None = None, n: int = 2) -> _Clip:
    look = dict(look or {})
    return _Clip(shot, [], n, 24, (W, H), resolve_look(shot, look), False, False, look_dict=look)


def frame(shot: Shot, look: dict | None = None, i: int = 0) -> np.ndarray:
    return np.asarray(clip(shot, look).frame(i), dtype=np.float64)


def luma(a: np.ndarray) -> np.ndarray:
    return 0.2126 * a[..., 0] + 0.7152 * a[..., 1] + 0.0722 * a[..., 2]


# -- settings ------------------------------------------------------------------------------

REQUIRED = ["room", "kitchen", "office", "hospital ward", "classroom", "gym", "chapel", "theatre", "circus tent",
            "warehouse", "workshop", "shop", "market", "cafe", "train carriage", "tunnel", "subway", "station",
            "street", "alley", "rooftop", "park", "village square", "field", "forest", "mountain", "desert",
            "beach", "sea", "ship deck", "harbour", "snow plain", "moon surface", "space"]


def test_the_library_holds_every_required_setting():
    names = {s.name for s in SETTINGS}
    assert len(SETTINGS) >= 30
    assert not set(REQUIRED) - names


@pytest.mark.parametrize("words, expected", [
    ("an old warehouse by the docks", "warehouse"),
    ("the frozen moon", "moon surface"),
    ("a small fishing harbour", "harbour"),
    ("grandmother's cottage kitchen", "kitchen"),
    ("an abandoned metro platform", "subway"),
    ("the circus ring", "circus tent"),
    ("a dark alley behind the club", "alley"),
    ("Maya's apartment", "room"),
    ("a snowy mountain pass", "mountain"),
    ("INT. DINER - NIGHT", "cafe"),
    ("deep space, far from Earth", "space"),
])
def test_a_setting_is_chosen_from_the_location_words(words, expected):
    assert pick_setting(words)[0].name == expected


def test_every_setting_draws_a_different_picture():
    looks = {}
    for s in SETTINGS:
        shot = make_shot(characters=[], action="")
        c = clip(shot, {"location": s.name, "time_of_day": "day"})
        assert c.drawn()["setting"] == s.name
        looks[s.name] = np.asarray(c.frame(0).resize((64, 36)), dtype=np.float64)
    names = list(looks)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(looks[a] - looks[b]).mean() > 2.0, f"{a} and {b} look the same"


def test_every_shot_of_a_block_shares_the_blocks_setting():
    look = {"location": "the harbour", "time_of_day": "day"}
    a = clip(make_shot(id="S1", action="Maya walks down the city street past the shops."), look)
    b = clip(make_shot(id="S2", action="In the forest, trees sway.", shot_size="medium"), look)
    assert a.drawn()["setting"] == b.drawn()["setting"] == "harbour"


def test_without_a_block_location_the_shots_words_decide():
    assert clip(make_shot(action="Rain falls on the empty beach."), {}).drawn()["setting"] == "beach"


def test_an_establishing_shot_shows_its_landmark():
    c = clip(make_shot(shot_size="extreme_wide", characters=[], action="The lighthouse over the bay."),
             {"location": "lighthouse on the cliff", "time_of_day": "dusk"})
    assert c.drawn()["landmark"] == "lighthouse"


# -- exposure -------------------------------------------------------------------------------

@pytest.mark.parametrize("location", ["street", "kitchen", "forest", "harbour"])
def test_day_is_bright_and_night_stays_readable(location):
    means = {}
    for tod in ("day", "dawn", "dusk", "night"):
        shot = make_shot(shot_size="medium", lighting=tod)
        a = luma(frame(shot, {"time_of_day": tod, "location": location}))
        means[tod] = a.mean()
        if tod == "night":
            subject = a[int(0.2 * H):int(0.8 * H), int(0.35 * W):int(0.65 * W)]
            assert subject.mean() >= 45, f"night subject too dark in the {location}: {subject.mean():.0f}"
    assert means["day"] >= 100, means
    assert means["night"] >= 40, means
    assert means["day"] > means["dawn"] > means["night"] and means["day"] > means["dusk"] > means["night"], means


# -- props and creatures ----------------------------------------------------------------------

def test_icons_are_matched_by_alias_name_and_embedding():
    assert match_icon("a stray kitten").icon == "cat"
    assert match_icon("message in a bottle").icon == "bottle-with-popping-cork"
    assert match_icon("his bicycle").how == "name"
    m = match_icon("a tiny toy robot")
    assert m is not None and m.icon == "robot"
    assert match_icon("quantum entanglement of regret") is None  # the fallback: nothing is drawn


def test_every_vendored_icon_renders_and_the_licence_travels_with_it():
    from filmcrew.tools.clips.previz.icons import _ASSETS, icon_image

    assert (_ASSETS / "LICENSE-fluent-emoji.txt").read_text().startswith("Fluent Emoji")
    assert "MIT License" in (_ASSETS / "LICENSE-fluent-emoji.txt").read_text()
    assert len(icon_names()) > 500
    img = icon_image("dog", 40)
    assert img.height == 40 and np.asarray(img.getchannel("A")).max() == 255


def test_drawn_lists_what_was_drawn_and_never_what_was_not_found():
    shot = make_shot(action="Maya kneels beside the dog.")
    c = clip(shot, {"location": "a park", "elements": "a kitten, a violin case, the zorblaxian hyperwidget"})
    drawn = c.drawn()
    assert set(drawn["creatures"]) == {"a kitten", "dog"}
    assert drawn["props"] == ["a violin case"]
    assert not any("zorblax" in p for p in drawn["props"] + drawn["creatures"])
    assert drawn["icons"]["a kitten"] == "cat"
    assert drawn["credits"] == [ICON_SET]


def test_a_prop_and_a_creature_change_the_picture():
    shot = make_shot(shot_size="full")
    bare = frame(shot, {"location": "street"})
    dressed = frame(shot, {"location": "street", "elements": "an elephant, a bicycle"})
    assert np.abs(bare - dressed).mean() > 3.0


def test_an_insert_shot_draws_its_object_in_the_middle_of_the_frame():
    shot = make_shot(shot_size="extreme_close_up", characters=[], action="A taut rope fraying strand by strand.")
    c = clip(shot, {"location": "the harbour"})
    assert c.drawn()["props"] == ["rope"]
    empty = frame(make_shot(shot_size="extreme_close_up", characters=[], action="Silence."), {"location": "the harbour"})
    rope = np.asarray(c.frame(0), dtype=np.float64)
    centre = (slice(int(0.3 * H), int(0.7 * H)), slice(int(0.35 * W), int(0.65 * W)))
    assert np.abs(rope[centre] - empty[centre]).mean() > 20


def test_a_held_object_is_in_the_hand_and_a_given_one_between_two_people():
    held = clip(make_shot(shot_size="full", action="Maya holds the letter up to the light."), {"location": "kitchen"})
    assert "hold" in held.drawn()["actions"] and held.drawn()["props"] == ["letter"]
    given = clip(make_shot(shot_size="full", characters=["Maya", "Tom"], action="Maya hands Tom the letter."),
                 {"location": "kitchen"}, n=24)
    d = given.drawn()
    assert "give" in d["actions"] and set(d["characters"]) == {"Maya", "Tom"}
    letter = next(t for t in given.things if t.icon == "envelope")
    giver, taker = given.scene.figures
    # it starts in the giver's hand and crosses to the other's during the shot
    assert abs(letter.x - giver.x) < abs(letter.x - taker.x)
    assert abs(letter.x + letter.travel - taker.x) < abs(letter.x + letter.travel - giver.x)
    assert int(given.motion.pose[0]) == 0 and int(given.motion.pose[-1]) == len(given.poses) - 1


# -- effects ------------------------------------------------------------------------------------

def test_fire_glows_red_at_the_bottom_and_is_listed():
    shot = make_shot(action="Maya stands before the burning warehouse.")
    c = clip(shot, {"location": "warehouse", "time_of_day": "night"})
    plain = frame(make_shot(action="Maya stands before the warehouse."), {"location": "warehouse", "time_of_day": "night"})
    fire = np.asarray(c.frame(0), dtype=np.float64)
    low = slice(int(0.7 * H), H)
    assert (fire[low, :, 0] - fire[low, :, 2]).mean() > (plain[low, :, 0] - plain[low, :, 2]).mean() + 20
    assert {"fire", "smoke"} <= set(c.drawn()["effects"])


@pytest.mark.parametrize("words, effect", [
    ("The street is flooded, water rising.", "flood"),
    ("Sparks fly from the welding torch.", "sparks"),
    ("Dust drifts in the old barn.", "dust"),
    ("A blizzard sweeps the pass.", "snow"),
    ("A blizzard sweeps the pass.", "blizzard"),
    ("Lightning splits the sky.", "lightning"),
    ("Neon signs glow over the wet street.", "neon"),
])
def test_effects_are_drawn_when_the_words_ask(words, effect):
    c = clip(make_shot(action=words), {"location": "street", "time_of_day": "night"}, n=24)
    assert effect in c.drawn()["effects"]
    without = clip(make_shot(action="Maya waits."), {"location": "street", "time_of_day": "night"}, n=24)
    a = np.asarray(c.frame(12), dtype=np.float64)
    b = np.asarray(without.frame(12), dtype=np.float64)
    assert np.abs(a - b).mean() > 1.0


# -- characters and actions ------------------------------------------------------------------------

def test_the_script_sets_age_gender_and_clothing():
    note = cast_note("an old woman in a red coat")
    assert (note.age, note.gender, note.garment) == ("old", "female", "coat")
    assert note.clothes is not None and note.clothes[0] > 150
    c = clip(make_shot(shot_size="full", characters=["Edna"]), {"cast": "Edna: an old woman in a red coat"})
    pal = c.scene.figures[0].palette
    assert pal.clothes == note.clothes and pal.hair[0] > 180 and pal.long_hair


def test_the_same_character_looks_the_same_in_every_shot():
    look = {"cast": "Tom: a boy in a blue jacket", "location": "park"}
    a = clip(make_shot(id="A", shot_size="full", characters=["Tom"]), look).scene.figures[0].palette
    b = clip(make_shot(id="B", shot_size="close_up", characters=["Tom"]), look).scene.figures[0].palette
    assert a == b


@pytest.mark.parametrize("action, kind", [
    ("Maya walks to the door.", "walk"), ("Maya runs for the train.", "run"), ("Maya climbs the ladder.", "climb"),
    ("Maya slips and falls.", "fall"), ("Maya rows the boat out.", "row"),
])
def test_actions_move_the_subject(action, kind):
    c = clip(make_shot(shot_size="full", action=action, movement="static"), {"location": "harbour"}, n=48)
    assert kind in c.drawn()["actions"]
    first, last = np.asarray(c.frame(0), dtype=np.float64), np.asarray(c.frame(47), dtype=np.float64)
    assert np.abs(first - last).mean() > 0.5


def test_an_embrace_brings_two_people_together():
    apart = clip(make_shot(shot_size="full", characters=["Maya", "Tom"], action="Maya and Tom talk."), {})
    close = clip(make_shot(shot_size="full", characters=["Maya", "Tom"], action="Maya and Tom embrace."), {})
    gap = lambda c: abs(c.scene.figures[0].x - c.scene.figures[1].x)  # noqa: E731
    assert gap(close) < 0.6 * gap(apart)
    assert "embrace" in close.drawn()["actions"]


def test_screen_direction_is_kept_within_a_scene():
    dirs = set()
    for sid in ("S1", "S2", "S3", "S4"):
        c = clip(make_shot(id=sid, movement="static", action="Maya walks on."), {}, n=24)
        dx = c.motion.sprite_dx
        dirs.add(np.sign(dx[-1] - dx[0]))
    assert len(dirs) == 1


def test_over_the_shoulder_shows_two_people():
    c = clip(make_shot(shot_size="medium", angle="over_the_shoulder", characters=["Maya", "Tom"]), {})
    assert set(c.drawn()["characters"]) == {"Maya", "Tom"}


# -- the record reaches clips.json --------------------------------------------------------------------

def test_the_clip_asset_carries_the_drawn_record(tmp_path: Path):
    shot = make_shot(action="Maya carries the kitten through the burning warehouse.")
    look = {"location": "warehouse", "time_of_day": "night", "elements": "fire, a kitten"}
    asset = render_previz(shot, [], 0.5, (W, H), tmp_path / "c.mp4", look=look)
    assert count_frames(tmp_path / "c.mp4") == asset.frames == 12
    assert asset.drawn is not None
    assert asset.drawn.setting == "warehouse" and "fire" in asset.drawn.effects
    assert asset.drawn.creatures == ["a kitten"]  # the block names it first


def test_story_reads_block_context_and_rejects_bad_look_values():
    story = read_story(make_shot(), {"location": "kitchen", "elements": ["a radio", "cake"]})
    assert story.setting.name == "kitchen" and {m.icon for m in story.things} == {"radio", "birthday-cake"}
    with pytest.raises(ValueError, match="location"):
        read_story(make_shot(), {"location": 3})


def test_what_the_script_says_about_someone_dresses_them_in_every_shot():
    cast = ("Edna: the protagonist (in the script: Late at night, grandmother Edna, an old woman in a red cardigan, "
            "hands her grandson Theo a cake.)\nTheo: grandson (in the script: Edna hands her grandson Theo a cake.)")
    for action in ("Close on Edna as the moment lands.", "Edna hands Theo the cake."):
        story = read_story(make_shot(characters=["Edna", "Theo"], action=action), {"cast": cast})
        edna, theo = story.cast["Edna"], story.cast["Theo"]
        assert (edna.age, edna.gender, edna.garment) == ("old", "female", "cardigan")
        assert theo.gender == "male" and theo.clothes is None  # Edna's cardigan is not Theo's


def test_an_establishing_view_shows_the_place_not_the_blocks_props():
    look = {"location": "the open sea", "elements": "boat, message, bottle", "time_of_day": "dusk"}
    wide = clip(make_shot(shot_size="extreme_wide", characters=[], action="Establishing view: the open sea, dusk."),
                look).drawn()
    assert wide["props"] == [] and wide["setting"] == "sea"
    detail = clip(make_shot(shot_size="close_up", characters=[], action="Detail: the bottle."), look).drawn()
    assert detail["props"] == ["bottle"]


def test_a_trade_implies_its_clothes():
    note = cast_note("astronaut")
    assert note.garment == "spacesuit" and min(note.clothes) > 200
    assert cast_note("a firefighter in a red jacket").clothes[0] > 150  # what the script says wins


def test_on_the_open_sea_people_sit_in_one_boat_each():
    c = clip(make_shot(shot_size="full", action="Sami arrives.", characters=["Sami"]),
             {"location": "open sea", "elements": "boat, bottle"})
    boats = [t for t in c.things if t.icon in ("canoe", "sailboat", "motor-boat", "speedboat")]
    assert len(boats) == 1 and "water" in c.drawn()["effects"]


def test_the_export_notes_credit_the_art_the_clips_drew(tmp_path: Path):
    from filmcrew.memory.models import ClipAsset, ClipSet, Drawn
    from filmcrew.tools.export import _add_credits, _art_credits

    clip_asset = ClipAsset(shot_id="s1", block_id="b1", path="c.mp4", duration=1, frames=24, fps=24, width=W, height=H,
                           provider="previz", input_hash="x", drawn=Drawn(setting="kitchen", credits=[ICON_SET]))
    (tmp_path / "clips.json").write_text(ClipSet(clips=[clip_asset]).model_dump_json())
    assert _art_credits(tmp_path) == [ICON_SET]
    notes = _add_credits(tmp_path / "timeline.export-notes.json", [ICON_SET])
    import json

    assert json.loads(notes.read_text())["credits"] == [f"previz art: {ICON_SET}"]


def test_an_animal_in_the_cast_is_drawn_as_the_animal():
    c = clip(make_shot(shot_size="medium_close_up", characters=["the dog"], action="The dog sleeps by the door."),
             {"location": "classroom"})
    d = c.drawn()
    assert d["characters"] == [] and d["creatures"] == ["the dog"] and not c.scene.figures
    both = clip(make_shot(shot_size="full", characters=["Lia", "the dog"], action="Lia pats the dog."), {}).drawn()
    assert both["characters"] == ["Lia"] and both["creatures"] == ["the dog"]


def test_a_title_says_the_gender():
    from filmcrew.tools.clips.previz.story import title_gender

    assert title_gender("Mr. Okafor") == "male" and title_gender("Mrs Lin") == "female" and title_gender("Mira") is None
    pal = clip(make_shot(characters=["Mr. Okafor"]), {}).scene.figures[0].palette
    assert not pal.long_hair


def test_caption_font_draws_accents_and_cyrillic():
    """Captions of a Spanish or Russian script show their letters, not boxes."""
    from filmcrew.tools.clips.previz.overlay import _font

    font = _font(24)
    box = font.getmask("\ue000").getbbox()  # a private-use code point: the font's missing-glyph box, if any
    for ch, plain in (("á", "a"), ("ñ", "n"), ("Ж", None), ("é", "e")):
        mask = font.getmask(ch)
        assert mask.getbbox() is not None
        if plain is not None:
            assert mask.getbbox() != font.getmask(plain).getbbox(), ch  # the accent adds height
        assert bytes(mask) != bytes(font.getmask("\ue000")) or box is None, ch


def test_a_spanish_block_is_read_through_its_english_gloss():
    """'el muelle', 'linterna', 'pescador viejo' reach the harbour setting, the lantern icon
    and an old man, as their English words would."""
    from filmcrew.memory.models import Shot
    from filmcrew.tools.clips.previz.story import read_story

    shot = Shot.model_validate({"id": "s1", "block_id": "b1", "shot_size": "wide", "movement": "static",
                                "angle": "eye_level", "lens": "35mm", "composition": "", "lighting": "night",
                                "action": "Por la noche, Tomás enciende una linterna en el muelle.",
                                "characters": ["Tomás"], "duration": 3.0})
    look = {"location": "el muelle", "elements": "el muelle, la noche, linterna, Tomás",
            "cast": "Tomás: protagonista: pescador viejo"}
    story = read_story(shot, look)
    assert story.setting.name == "harbour"
    assert any("lantern" in m.icon for m in story.things)
    assert story.cast["Tomás"].age == "old" and story.cast["Tomás"].gender == "male"
    # a character the script names by role ("la vieille femme") looks like it
    french = read_story(shot.model_copy(update={"action": "Une vieille femme raconte l'histoire d'un loup.",
                                                "characters": ["la vieille femme"]}),
                        {"location": "la place", "elements": "la place, la nuit, feu, la vieille femme",
                         "cast": "la vieille femme: personnage de l'histoire"})
    assert french.setting.name == "village square" and "fire" in french.effects
    assert french.cast["la vieille femme"].age == "old" and french.cast["la vieille femme"].gender == "female"


def test_nobody_is_grey_haired_unless_the_script_says_old():
    from filmcrew.tools.clips.previz.figures import _dressed, _palette
    from filmcrew.tools.clips.previz.story import cast_note

    grey = (196, 196, 200)
    young = [_dressed(_palette(f"person {i}"), cast_note("a nervous young pianist")).hair for i in range(60)]
    assert all(len(set(h)) > 1 for h in young)  # no neutral grey drawn by chance
    assert _dressed(_palette("Yusuf"), cast_note("an old man")).hair == grey
    assert _dressed(_palette("x"), cast_note("a pianist in a black dress")).long_hair


def test_a_bakery_is_drawn_as_a_kitchen_with_its_oven_not_a_supermarket():
    from filmcrew.tools.clips.previz.settings import pick_setting

    assert pick_setting("dark bakery")[0].name == "kitchen"
    assert pick_setting("grocery shop")[0].name == "shop"
