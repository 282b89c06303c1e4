"""The one spaCy pipeline of the extraction stage, loaded once per process.

``get_nlp()`` returns the English model with two EntityRulers in front of the statistical NER (exact
case, then lower-cased long names): they mark every gazetteer alias as a ``GOV`` entity whose ``ent_id_`` is the body's canonical
name, so NER only labels what the gazetteer does not know. Every component is used (tagger and
lemmatizer for verb forms, parser for attribution and clause structure, NER for unknown bodies),
so none is disabled. ``parse(texts)`` parses each distinct text of a batch once.
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
    ruler_l = nlp.add_pipe("entity_ruler", name="gazetteer_lower", before="ner",
                           config={"overwrite_ents": False, "phrase_matcher_attr": "LOWER"})
    # patterns matched on ORTH / LOWER need only the tokenizer: without this, add_patterns runs
    # every pattern through tok2vec, tagger, parser, ... (the same pattern tokens, 10x the time)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(exact)
        ruler_l.add_patterns(lower)
    return nlp


def parse(texts: list[str], batch_size: int | None = None):
    """Parsed Docs of ``texts``, in order, each distinct text parsed once (``nlp.pipe`` over the
    distinct texts, in large batches): copies, mirrors and syndicated reports repeat sentences, and
    documents without a title share the empty one. A repeated text yields the same Doc object
    (the rules only read a Doc; ``release`` drops caches that are rebuilt on the next read). A Doc
    is kept only until the last occurrence of its text has been handed out."""
    from collections import Counter

    from pipeline.config import EXTRACT_PIPE_BATCH

    if not texts:
        return
    left = Counter(texts)
    fresh = iter(get_nlp().pipe(list(left), batch_size=batch_size or EXTRACT_PIPE_BATCH))
    kept: dict[str, object] = {}
    for t in texts:
        doc = kept.get(t)
        if doc is None:
            doc = next(fresh)  # the distinct texts are in first-occurrence order
        left[t] -= 1
        if left[t]:
            kept[t] = doc
        else:
            kept.pop(t, None)
        yield doc


# ------------------------------------------------------------------ per-Doc caches
# ``Doc.text`` joins every token's text anew on each access and iterating a Doc builds a new Token
# object per token, while the rules read the text and walk the tokens of a sentence many times.
# Both are computed once per parsed text and kept in its ``user_data`` (dropped by ``release``).
_TEXT, _TOKENS = "extract.text", "extract.tokens"


def doc_text(doc) -> str:
    """``doc.text``, computed once per Doc."""
    ud = doc.user_data
    text = ud.get(_TEXT)
    if text is None:
        text = ud[_TEXT] = doc.text
    return text


def doc_tokens(doc) -> list:
    """``list(doc)``, built once per Doc."""
    ud = doc.user_data
    toks = ud.get(_TOKENS)
    if toks is None:
        toks = ud[_TOKENS] = list(doc)
    return toks


def release(doc) -> None:
    """Drop the caches of ``doc`` (its token list refers back to the Doc)."""
    ud = doc.user_data
    ud.pop(_TEXT, None)
    ud.pop(_TOKENS, None)
