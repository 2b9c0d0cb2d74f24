"""The shipped corpus: its schema, its size and coverage, stable ids, and retrieval that follows the scene."""

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from filmcrew.memory.film_references import (
    SITUATIONS,
    FilmReferenceIndex,
    ReferenceShot,
    default_reference_index,
    load_default_corpus,
    scene_query,
)
from filmcrew.memory.models import ANGLES, MOVEMENTS, SHOT_SIZES, SceneBlock


def test_corpus_is_large_and_covers_every_situation():
    corpus = load_default_corpus()
    sequences = {s.sequence_id for s in corpus}
    assert len(corpus) >= 600
    assert len(sequences) >= 150
    assert {s.situation for s in corpus} == set(SITUATIONS)
    # Several genres per situation, not one template repeated.
    for situation in SITUATIONS:
        genres = {s.genre for s in corpus if s.situation == situation}
        assert len(genres) >= 3, situation


def test_ids_are_unique_and_sequences_are_ordered():
    corpus = load_default_corpus()
    ids = [s.id for s in corpus]
    assert len(ids) == len(set(ids))
    for seq in {s.sequence_id for s in corpus}:
        shots = [s for s in corpus if s.sequence_id == seq]
        assert [s.position for s in shots] == list(range(1, len(shots) + 1))
        assert all(s.id == f"{seq}-{s.position}" for s in shots)


def test_camera_language_uses_the_renderer_vocabulary():
    for shot in load_default_corpus():
        assert shot.shot_size in SHOT_SIZES and shot.movement in MOVEMENTS and shot.angle in ANGLES
        assert shot.description and shot.lighting and shot.setting


def test_film_citations_carry_source_and_licence():
    corpus = load_default_corpus()
    films = [s for s in corpus if s.source_kind == "film"]
    assert len({s.film_title for s in films}) >= 30
    assert all(s.film_year and s.film_scene and "no frames or text copied" in s.licence for s in films)
    assert all(s.film_title is None and s.licence.startswith("CC0") for s in corpus if s.source_kind == "pattern")


def test_the_committed_corpus_is_what_the_composer_writes():
    # Stable ids: the file is generated, so regenerating it must not change a byte.
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "memory" / "data" / "film_references_compose.py"
    spec = importlib.util.spec_from_file_location("compose", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in module.compose())
    shipped = resources.files("filmcrew.memory").joinpath("data/film_references.jsonl").read_text(encoding="utf-8")
    assert shipped == expected


def test_schema_rejects_bad_records():
    good = load_default_corpus()[0].model_dump()
    with pytest.raises(ValidationError):
        ReferenceShot.model_validate({**good, "shot_size": "very_close"})
    with pytest.raises(ValidationError):
        ReferenceShot.model_validate({**good, "id": "has spaces"})
    with pytest.raises(ValidationError):
        ReferenceShot.model_validate({**good, "timecode": "about an hour in"})
    assert ReferenceShot.model_validate({**good, "timecode": "1:02:30"}).timecode == "1:02:30"


def _top_situation(query: str) -> str:
    return default_reference_index().search_sequences(query, k=1)[0].situation


def test_retrieval_changes_with_the_scene():
    assert _top_situation("two old friends talk across a small cafe table over coffee") == "dialogue coverage"
    assert _top_situation("a tiny boat fights a storm at sea, lightning and rain") == "storm"
    assert _top_situation("the couple embraces and kisses on the beach at golden hour, in love") == "intimacy"
    # The camera fields are embedded too: a cinematographer can ask for a move on a situation.
    pushes = default_reference_index().search("a slow push-in on a discovery of a hidden letter", k=5)
    assert any(m.movement == "dolly_in" and m.situation == "discovery" for m in pushes)


def test_two_different_briefs_retrieve_different_references():
    index = default_reference_index()
    quiet = SceneBlock(id="b1", prompt="An old widow sits alone at the kitchen table with her late husband's cup",
                       time_of_day="morning", location="a small kitchen", characters=["the widow"], visual_elements=["cup"],
                       narrative_objective="show her grief", rough_sound="a clock", mood="melancholy")
    loud = SceneBlock(id="b2", prompt="Police cars chase the getaway car through the city at night, sirens and crashes",
                      time_of_day="night", location="city streets", characters=["the driver"], visual_elements=["police cars"],
                      narrative_objective="the escape at speed", rough_sound="sirens", mood="tense")
    a = {m.ref_id for m in index.search(scene_query(quiet), k=10)}
    b = {m.ref_id for m in index.search(scene_query(loud), k=10)}
    assert not a & b
    assert index.search(scene_query(quiet), k=1)[0].situation in {"grief", "isolation"}
    assert index.search(scene_query(loud), k=1)[0].situation == "chase"


def test_a_critique_changes_the_query_and_the_references():
    block = SceneBlock(id="b", prompt="Mara returns to her village after years away", time_of_day="afternoon",
                       location="the village square", characters=["Mara"], visual_elements=[], narrative_objective="her return",
                       rough_sound="", mood="melancholy")
    first = scene_query(block)
    second = scene_query(block, critique="go handheld and close, the tension of a confrontation with her brother")
    assert first != second
    index = default_reference_index()
    assert [m.ref_id for m in index.search(first, 5)] != [m.ref_id for m in index.search(second, 5)]


def test_search_sequences_returns_whole_sequences():
    index = default_reference_index()
    found = index.search_sequences("a funeral in the rain, the widow at the grave", k=3)
    assert len(found) == 3 and len({f.sequence_id for f in found}) == 3
    for seq in found:
        assert [s.position for s in seq.shots] == list(range(1, len(seq.shots) + 1))
        assert set(seq.matched) <= {s.id for s in seq.shots}


def test_index_in_memory_matches_the_corpus():
    from filmcrew.memory.embeddings import HashingEmbedder

    corpus = load_default_corpus()[:40]
    index = FilmReferenceIndex.build(corpus, HashingEmbedder())
    assert len(index) == 40
    assert index.add(corpus[:10]) == 0  # ids already indexed are kept, never duplicated
    stats = index.stats()
    assert stats["shots"] == 40 and sum(stats["by_size"].values()) == 40
