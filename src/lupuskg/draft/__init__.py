"""The drafting annotator: `lupuskg draft SLUG` proposes claims, quotes and results.

Built from kept parts: pySBD sentences (:mod:`.segment`), spaCy PhraseMatcher terms from
the ontology's labels and exact synonyms (:mod:`.terms`), NegEx cues through negspacy
(:mod:`.cues`), regular patterns for numbers and time points (:mod:`.numbers`), rules
that shape claims (:mod:`.annotate`) and the RDF writer (:mod:`.writer`). Everything
runs offline; no model weights are loaded.

Drafts live in ``graph/drafts/<slug>.ttl`` and are never loaded by ``lupuskg build``;
``lupuskg draft SLUG --accept claim-03,claim-07`` moves reviewed claims into the document.
"""

from __future__ import annotations

from .accept import AcceptOutcome, accept_claims
from .annotate import DraftClaim, DraftResult, annotate
from .run import DraftOutcome, draft_document, draft_for_text, project_lexicon

__all__ = [
    "AcceptOutcome",
    "DraftClaim",
    "DraftOutcome",
    "DraftResult",
    "accept_claims",
    "annotate",
    "draft_document",
    "draft_for_text",
    "project_lexicon",
]
