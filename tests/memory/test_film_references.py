from filmcrew.memory.film_references import default_reference_index, load_default_corpus


def _top_sequence(query: str) -> str:
    return default_reference_index().search(query, k=3)[0].ref_id.rsplit("-", 1)[0]


def test_corpus_has_sequences_with_ordered_positions():
    corpus = load_default_corpus()
    assert len(corpus) >= 50
    seqs = {s.sequence_id for s in corpus}
    assert len(seqs) >= 15
    for seq in seqs:
        positions = [s.position for s in corpus if s.sequence_id == seq]
        assert positions == list(range(1, len(positions) + 1))


def test_retrieval_changes_with_the_scene():
    # Scene blocks a film-maker would classify without hesitation.
    assert _top_sequence("two old friends talk across a small cafe table over coffee") == "dialogue-coverage-cafe"
    assert _top_sequence("she finds a hidden letter in the drawer and understands the truth") == "reveal-object"
    assert _top_sequence("a tiny boat fights a storm at sea, lightning and rain") == "storm-danger"
    assert _top_sequence("the couple embraces on the beach at golden hour, in love") == "intimacy-couple"
