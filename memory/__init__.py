"""The production state on disk and the indexes the crew searches.

`models` holds the typed record of every stage boundary, `rundir` the run
directory with atomic writes and stage fingerprints, `film_references` the
annotated camera-language corpus and its FAISS index, `sound_library` the
tagged sound library, `audiences` the viewer archetypes, and `embeddings`
the embedding seam shared by both indexes.
"""

from filmcrew.memory.models import *  # noqa: F401,F403 - the models are this package's vocabulary
from filmcrew.memory.models import __all__ as _model_names
from filmcrew.memory.rundir import RunDir, atomic_path, atomic_write_bytes, atomic_write_text

__all__ = [*_model_names, "RunDir", "atomic_path", "atomic_write_bytes", "atomic_write_text"]
