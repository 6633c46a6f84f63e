"""Term matching against the ontology's own labels and exact synonyms (spaCy PhraseMatcher).

The lexicon is read from ``ontology/lupuskg.ttl`` and its imports, never typed in here:
every ``rdfs:label`` and ``oboInOwl:hasExactSynonym`` of a class (or of a donor-type
individual) becomes a phrase, and the class's place in the hierarchy gives it a kind
(therapy, outcome, condition, mechanism, cell, anatomy, conditioning, donor).

Two generic rules widen the phrases without naming any text:

- a phrase of letters that ends in a noun gets its plural (``relapse`` → ``relapses``);
- short upper-case abbreviations (``OS``, ``LN``, ``TBI``) match case-sensitively, all
  other phrases case-insensitively;
- the annotator adds the verb forms of a few outcome events (``died`` for lkg:Death), a
  table in :mod:`.cues`, since labels are nouns;
- an abbreviation defined in the text, ``long form (ABBR)`` where the long form matched a
  term, is added for the rest of that document (Schwartz–Hearst style).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import OBO, PREFIXES
from ..namespaces import VOCAB as LKG

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["KINDS", "Lexicon", "Term", "load_lexicon"]

EXACT = PREFIXES["oboInOwl"] + "hasExactSynonym"

#: kind -> the class whose subclasses carry it (first match wins, so order matters)
_ROOTS: tuple[tuple[str, str], ...] = (
    ("conditioning", LKG + "ConditioningRegimen"),
    ("therapy", LKG + "Therapy"),
    ("outcome", LKG + "Outcome"),
    ("feature", LKG + "DiseaseFeature"),
    ("factor", LKG + "InfluencingFactor"),
    ("condition", LKG + "Condition"),
    ("mechanism", LKG + "Mechanism"),
    ("agent", LKG + "TherapeuticAgent"),
)
KINDS = (*(kind for kind, _ in _ROOTS), "cell", "anatomy", "donor")

_ABBREVIATION = re.compile(r"^[A-Z0-9][A-Za-z0-9-]{0,5}$")
_DEFINED = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})\)")


@dataclass(frozen=True)
class Term:
    """A matched phrase: the class it names, its kind, and where it sits in the source."""

    iri: str
    kind: str
    start: int
    end: int
    text: str


@dataclass
class Lexicon:
    """Phrases per class, the kind of each class, and the ontology's superclass closure."""

    phrases: dict[str, set[str]]
    kinds: dict[str, str]
    ancestors: dict[str, frozenset[str]]
    labels: dict[str, str]
    #: cell types that therapies administer (``lkg:usesCellType`` restrictions): the agent
    #: of a sentence about a cell therapy, never the target of a mechanism
    therapy_cells: frozenset[str] = frozenset()
    _nlp: Language | None = field(default=None, repr=False)

    def is_a(self, iri: str, ancestor: str) -> bool:
        return iri == ancestor or ancestor in self.ancestors.get(iri, frozenset())

    def nlp(self) -> Language:
        """A blank English pipeline with the term matcher: built once per lexicon."""
        if self._nlp is None:
            self._nlp = _pipeline()
        return self._nlp

    def matcher(self, extra: dict[str, set[str]] | None = None) -> _Matcher:
        return _Matcher(self, extra or {})


class _Matcher:
    """Two PhraseMatchers (case-folded, and exact for abbreviations) over one lexicon."""

    def __init__(self, lexicon: Lexicon, extra: dict[str, set[str]]) -> None:
        from spacy.matcher import PhraseMatcher

        nlp = lexicon.nlp()
        self.lexicon = lexicon
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        phrases: dict[str, set[str]] = {
            iri: set(words) | extra.get(iri, set()) for iri, words in lexicon.phrases.items()
        }
        for iri, words in extra.items():
            phrases.setdefault(iri, set()).update(words)
        for iri, words in phrases.items():
            folded = [w for w in words if not _ABBREVIATION.match(w) or w.islower()]
            exact = [w for w in words if w not in folded]
            if folded:
                self.folded.add(iri, [nlp.make_doc(w) for w in sorted(folded)])
            if exact:
                self.exact.add(iri, [nlp.make_doc(w) for w in sorted(exact)])

    def terms(self, doc: Doc, offset: int) -> list[Term]:
        """Longest non-overlapping matches in ``doc`` (whose text starts at ``offset``)."""
        from spacy.util import filter_spans

        vocab = doc.vocab.strings
        names: dict[tuple[int, int], list[str]] = {}
        for matcher in (self.folded, self.exact):
            for match_id, start, end in matcher(doc):
                names.setdefault((start, end), []).append(vocab[match_id])
        chosen = filter_spans([doc[start:end] for start, end in names])
        found = []
        for span in sorted(chosen, key=lambda s: s.start):
            # the same words name a class and its superclass: keep the most specific
            iri = max(
                names[(span.start, span.end)],
                key=lambda i: (len(self.lexicon.ancestors.get(i, ())), i),
            )
            found.append(
                Term(
                    iri=iri,
                    kind=self.lexicon.kinds[iri],
                    start=offset + span.start_char,
                    end=offset + span.end_char,
                    text=span.text,
                )
            )
        return found


def _pipeline() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _plural(phrase: str) -> str | None:
    if not re.fullmatch(r"[A-Za-z][A-Za-z -]*[a-z]", phrase) or phrase.endswith(("s", "y", "x")):
        return None
    return phrase + "s"


def load_lexicon(ontology_files: Iterable[Path]) -> Lexicon:
    """Read labels, exact synonyms and the class hierarchy from the ontology files."""
    graph = rdflib.Graph()
    for path in ontology_files:
        graph.parse(path, format="turtle")
    return lexicon_from_graph(graph)


def lexicon_from_graph(graph: rdflib.Graph) -> Lexicon:
    parents: dict[str, set[str]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, rdflib.URIRef) and isinstance(sup, rdflib.URIRef):
            parents.setdefault(str(sub), set()).add(str(sup))

    def closure(iri: str) -> frozenset[str]:
        seen: set[str] = set()
        stack = list(parents.get(iri, ()))
        while stack:
            item = stack.pop()
            if item not in seen:
                seen.add(item)
                stack.extend(parents.get(item, ()))
        return frozenset(seen)

    kinds: dict[str, str] = {}
    ancestors: dict[str, frozenset[str]] = {}
    phrases: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    donor_type = rdflib.URIRef(LKG + "DonorType")
    for subject in set(graph.subjects(RDFS.label, None)):
        if not isinstance(subject, rdflib.URIRef):
            continue
        iri = str(subject)
        up = closure(iri)
        kind = next((k for k, root in _ROOTS if root in up or root == iri), None)
        if kind is None and iri.startswith(OBO + "CL_"):
            kind = "cell"
        elif kind is None and iri.startswith(OBO + "UBERON_"):
            kind = "anatomy"
        elif kind is None and (subject, RDF.type, donor_type) in graph:
            kind = "donor"
        if kind is None:
            continue
        words = {str(o) for o in graph.objects(subject, RDFS.label)}
        words |= {str(o) for o in graph.objects(subject, rdflib.URIRef(EXACT))}
        words |= {p for w in list(words) if (p := _plural(w))}
        kinds[iri] = kind
        ancestors[iri] = up
        phrases[iri] = {w for w in words if len(w) > 1}
        labels[iri] = str(graph.value(subject, RDFS.label))
    uses = rdflib.URIRef(LKG + "usesCellType")
    therapy_cells = frozenset(
        str(cell)
        for restriction in graph.subjects(OWL.onProperty, uses)
        for cell in graph.objects(restriction, OWL.someValuesFrom)
        if isinstance(cell, rdflib.URIRef)
    )
    return Lexicon(
        phrases=phrases,
        kinds=kinds,
        ancestors=ancestors,
        labels=labels,
        therapy_cells=therapy_cells,
    )


def defined_abbreviations(text: str, terms: list[Term]) -> dict[str, set[str]]:
    """``long form (ABBR)`` where a matched term ends right before the parenthesis."""
    found: dict[str, set[str]] = {}
    by_end = {term.end: term for term in terms}
    for match in _DEFINED.finditer(text):
        before = match.start()
        while before > 0 and text[before - 1] == " ":
            before -= 1
        term = by_end.get(before)
        if term is not None and term.kind != "donor" and any(c.isupper() for c in match.group(1)):
            found.setdefault(term.iri, set()).add(match.group(1))
    return found
