"""The one spaCy pipeline of the extraction stage, loaded once per process.

``get_nlp()`` returns the English model with two EntityRulers in front of the statistical NER (exact
case, then lower-cased long names): they mark every gazetteer alias as a ``GOV`` entity whose ``ent_id_`` is the body's canonical
name, so NER only labels what the gazetteer does not know. Every component is used (tagger and
lemmatizer for verb forms, parser for attribution and clause structure, NER for unknown bodies),
so none is disabled.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.config import EXTRACT_SPACY_MODEL


@lru_cache(maxsize=1)
def get_nlp():
    import spacy

    from pipeline.extract.actors import ruler_patterns

    nlp = spacy.load(EXTRACT_SPACY_MODEL)
    exact, lower = ruler_patterns()
    # phrase matchers (fast): exact case first, then fully lower-cased long names where free
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer", before="ner",
                         config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(exact)
    ruler_l = nlp.add_pipe("entity_ruler", name="gazetteer_lower", before="ner",
                           config={"overwrite_ents": False, "phrase_matcher_attr": "LOWER"})
    ruler_l.add_patterns(lower)
    return nlp
