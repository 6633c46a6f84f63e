"""The subclass closure, materialised by every build in its own named graph.

Canned queries used to walk ``rdfs:subClassOf*`` (or ``+``) once per row of the corpus:
at 1,000 documents that path evaluation was most of their time, and Q11's like-with-like
rules did not finish in a minute. The build now writes the closure once, as two plain
properties in the graph ``graph/closure``, and the queries join on them:

- ``?a lkg:subClassOfOrSelf ?b`` holds exactly where ``?a rdfs:subClassOf* ?b`` finds ``?b``
  for the values the canned queries start from;
- ``?a lkg:strictSubClassOf ?b`` holds exactly where ``?a rdfs:subClassOf+ ?b`` does
  (``?a`` itself only through a cycle of rdfs:subClassOf);
- ``?a lkg:countsForOutcome ?b`` is the corroboration key of Q10 and Q10-pairs (rule 1 for
  outcomes): ``?b`` is ``?a`` itself, or lkg:ClinicalResponse when ``?a`` is under it. As a
  UNION of the two cases, pyoxigraph walked the response classes once per claim row; as a
  FILTER on the closure, Virtuoso 7.2.5 lost rows.

``rdfs:subClassOf*`` is reflexive for *any* term, a class or not. The closure holds the
reflexive pair for every IRI that is the subject or object of an ``rdfs:subClassOf``
triple, and for every IRI value of the properties the queries test against the hierarchy
(:data:`REFLEXIVE_PROPERTIES`), so a claim whose intervention is an individual still
meets itself. Only IRIs take part: blank nodes (OWL restrictions) are walked through but
never emitted, since no canned query joins a claim with one.

The same graph holds the conflict keys of Q11 and Q11-pairs: ``?a lkg:conflictsWith ?b``
for every pair of claims that issue 11's claim-level like-with-like rules let meet
(rules 2 to 4: compatible populations, compatible comparators, not two arms of one study),
among the pairs whose directions oppose and whose therapies and outcomes meet (rules 1
and 5). The queries apply rules 1 and 5 again to find which therapy and outcome of each
claim meet. Evaluated in SPARQL, rules 2 to 4 took pyoxigraph about 5 ms per candidate
pair (its NOT EXISTS is not evaluated with the pair bound): over four minutes for
Q11-pairs at 1,000 documents; here they take well under a second.

The graph is written into the store and, as ``closure.ttl`` beside the build manifest,
read back by :func:`lupuskg.dataset.load_graphs`, so every export and the release carry
it and other engines (Virtuoso, Oxigraph server) answer the queries with the same rows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .namespaces import DATA, GRAPH, PREFIXES, RDF_TYPE, RDFS_SUBCLASS_OF, VOCAB

#: an RDF term as pyoxigraph gives it (NamedNode, BlankNode, Literal or Triple)
Term = Any

__all__ = [
    "CLOSURE_FILE",
    "CLOSURE_GRAPH",
    "CONFLICTS_WITH",
    "CONFLICT_SUMMARY",
    "COUNTS_FOR_OUTCOME",
    "REFLEXIVE_PROPERTIES",
    "STRICT_SUBCLASS",
    "SUBCLASS_OR_SELF",
    "ConflictSummary",
    "add_closure",
    "closure_triples",
    "conflict_pairs",
    "conflict_summaries",
    "read_closure_file",
    "summary_triples",
    "write_closure_graph",
]

CLOSURE_GRAPH = GRAPH + "closure"
CLOSURE_FILE = "closure.ttl"
SUBCLASS_OR_SELF = VOCAB + "subClassOfOrSelf"
STRICT_SUBCLASS = VOCAB + "strictSubClassOf"
CONFLICTS_WITH = VOCAB + "conflictsWith"
CONFLICT_SUMMARY = VOCAB + "ConflictSummary"
COUNTS_FOR_OUTCOME = VOCAB + "countsForOutcome"


#: properties whose IRI values the canned queries test against the class hierarchy
REFLEXIVE_PROPERTIES: tuple[str, ...] = (
    RDF_TYPE,
    VOCAB + "intervention",
    VOCAB + "outcome",
    VOCAB + "population",
    VOCAB + "comparator",
    VOCAB + "targetCell",
    VOCAB + "mechanism",
    VOCAB + "therapy",
    VOCAB + "primaryOutcome",
)


class Hierarchy:
    """rdfs:subClassOf+ as a lookup: the strict ancestors of any term (memoised)."""

    def __init__(self, subclass_pairs: Iterable[tuple[Term, Term]]) -> None:
        self._parents: dict[Term, set[Term]] = {}
        for sub, sup in subclass_pairs:
            self._parents.setdefault(sub, set()).add(sup)
        self._ancestors: dict[Term, frozenset[Term]] = {}
        self._or_self: dict[Term, frozenset[Term]] = {}

    @property
    def terms(self) -> set[Term]:
        """Every subject and object of an rdfs:subClassOf pair."""
        found = set(self._parents)
        for parents in self._parents.values():
            found |= parents
        return found

    def strict(self, term: Term) -> frozenset[Term]:
        """``term rdfs:subClassOf+ ?x``: its ancestors (itself only through a cycle)."""
        known = self._ancestors.get(term)
        if known is not None:
            return known
        seen: set[Term] = set()
        frontier = list(self._parents.get(term, ()))
        while frontier:
            current = frontier.pop()
            if current not in seen:
                seen.add(current)
                frontier.extend(self._parents.get(current, ()))
        result = self._ancestors[term] = frozenset(seen)
        return result

    def or_self(self, term: Term) -> frozenset[Term]:
        """``term rdfs:subClassOf* ?x``: its ancestors and itself."""
        known = self._or_self.get(term)
        if known is None:
            known = self._or_self[term] = self.strict(term) | {term}
        return known


def closure_triples(
    subclass_pairs: Iterable[tuple[Term, Term]],
    reflexive: Iterable[ox.NamedNode],
) -> list[ox.Triple]:
    """The closure triples, sorted: strict pairs by reachability, or-self pairs besides.

    ``subclass_pairs`` are the (sub, super) pairs of every rdfs:subClassOf triple;
    ``reflexive`` the further IRIs that must meet themselves.
    """
    return _closure_triples(Hierarchy(subclass_pairs), reflexive)


def _closure_triples(hierarchy: Hierarchy, reflexive: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    nodes = {term for term in hierarchy.terms if isinstance(term, ox.NamedNode)}
    nodes.update(reflexive)
    strict = ox.NamedNode(STRICT_SUBCLASS)
    or_self = ox.NamedNode(SUBCLASS_OR_SELF)
    counts_for = ox.NamedNode(COUNTS_FOR_OUTCOME)
    triples: set[ox.Triple] = set()
    for node in nodes:
        triples.add(ox.Triple(node, or_self, node))
        triples.add(ox.Triple(node, counts_for, node))
        if _CLINICAL_RESPONSE in hierarchy.strict(node):
            triples.add(ox.Triple(node, counts_for, _CLINICAL_RESPONSE))
        for ancestor in hierarchy.strict(node):
            if isinstance(ancestor, ox.NamedNode):
                triples.add(ox.Triple(node, strict, ancestor))
                triples.add(ox.Triple(node, or_self, ancestor))
    return sorted(triples, key=str)


# ---------------------------------------------------------------- conflict keys (Q11)

_LKG = VOCAB
#: favourable direction -> the directions that oppose it (Q11's VALUES block)
OPPOSING: dict[str, tuple[str, ...]] = {
    _LKG + "Improves": (_LKG + "NoEffect", _LKG + "Worsens", _LKG + "Mixed"),
    _LKG + "NotObserved": (_LKG + "Observed",),
}
_NOT_OBSERVED = _LKG + "NotObserved"
_CLINICAL_RESPONSE = ox.NamedNode(_LKG + "ClinicalResponse")


@dataclass
class _Claim:
    directions: set[str] = field(default_factory=set)
    documents: set[Term] = field(default_factory=set)
    therapies: set[Term] = field(default_factory=set)
    outcomes: set[Term] = field(default_factory=set)
    populations: set[Term] = field(default_factory=set)
    comparators: set[Term] = field(default_factory=set)
    results: set[Term] = field(default_factory=set)
    studies: set[Term] = field(default_factory=set)
    arms: set[Term] = field(default_factory=set)


_SLOTS = {
    _LKG + "sourceDocument": "documents",
    _LKG + "intervention": "therapies",
    _LKG + "outcome": "outcomes",
    _LKG + "population": "populations",
    _LKG + "comparator": "comparators",
    _LKG + "basedOnResult": "results",
}


def _claims(store: ox.Store) -> dict[Term, _Claim]:
    """Every subject with lkg:direction, with what the like-with-like rules read of it."""
    claims: dict[Term, _Claim] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(_LKG + "direction"), None):
        if isinstance(quad.object, ox.NamedNode):
            claims.setdefault(quad.subject, _Claim()).directions.add(quad.object.value)
    for iri, slot in _SLOTS.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(iri), None):
            claim = claims.get(quad.subject)
            if claim is None:
                continue
            getattr(claim, slot).add(quad.object)
    result_of, result_arm = ox.NamedNode(_LKG + "resultOf"), ox.NamedNode(_LKG + "resultArm")
    for claim in claims.values():
        for result in claim.results:
            if not isinstance(result, ox.NamedNode | ox.BlankNode):
                continue
            claim.studies.update(q.object for q in store.quads_for_pattern(result, result_of, None))
            claim.arms.update(q.object for q in store.quads_for_pattern(result, result_arm, None))
    return claims


def _compatible(hierarchy: Hierarchy, mine: set[Term], theirs: set[Term]) -> bool:
    """Rules 2 and 3: one states none, or one value is the other's or a subclass of it."""
    if not mine or not theirs:
        return True
    return any(b in hierarchy.or_self(a) or a in hierarchy.strict(b) for a in mine for b in theirs)


def _outcomes_meet(hierarchy: Hierarchy, a: _Set, b: _Set, narrower_only: bool) -> bool:
    """Rules 1 and 5 for the outcomes: narrower always; broader or both responses unless
    claim A says "not observed"."""
    for oa in a:
        for ob in b:
            if oa in hierarchy.or_self(ob):
                return True  # narrower (or the same): meets for every direction
            if narrower_only:
                continue
            if ob in hierarchy.strict(oa):
                return True  # broader
            strict_a, strict_b = hierarchy.strict(oa), hierarchy.strict(ob)
            if _CLINICAL_RESPONSE in strict_a and _CLINICAL_RESPONSE in strict_b:
                return True  # both under the response hierarchy
    return False


_Set = frozenset[Term]


def conflict_pairs(store: ox.Store, hierarchy: Hierarchy) -> list[tuple[Term, Term]]:
    """(claim A, claim B) for every pair that the like-with-like rules let conflict, sorted."""
    return _conflict_pairs(_claims(store), hierarchy)


#: direction -> therapies -> outcomes -> (populations, comparators) -> claims
_Groups = dict[str, dict[_Set, dict[_Set, dict[tuple[_Set, _Set], list[tuple[Term, _Claim]]]]]]


def _conflict_pairs(claims: dict[Term, _Claim], hierarchy: Hierarchy) -> list[tuple[Term, Term]]:
    """(claim A, claim B) for every pair that the like-with-like rules let conflict, sorted.

    Each rule reads one kind of value of the two claims (therapies, outcomes, populations,
    comparators), so it is decided once per pair of value sets and cached; claims B are
    grouped by those sets in turn, and a group that fails a rule is skipped whole. Rule 4
    (arms of one study) is checked per claim pair.
    """
    groups = _group(claims)
    rules = _LikeWithLike(hierarchy)
    pairs: set[tuple[Term, Term]] = set()
    for favourable, opposing in OPPOSING.items():
        narrower_only = favourable == _NOT_OBSERVED
        for therapies_a, by_outcome_a in groups.get(favourable, {}).items():
            for direction in opposing:
                for therapies_b, by_outcome_b in groups.get(direction, {}).items():
                    if not rules.therapies_meet(therapies_a, therapies_b):
                        continue
                    for outcomes_a, by_context_a in by_outcome_a.items():
                        for outcomes_b, by_context_b in by_outcome_b.items():
                            if not rules.outcomes_meet(outcomes_a, outcomes_b, narrower_only):
                                continue
                            for context_a, claims_a in by_context_a.items():
                                for context_b, claims_b in by_context_b.items():
                                    if not rules.context_compatible(context_a, context_b):
                                        continue
                                    for iri_a, a in claims_a:
                                        for iri_b, b in claims_b:
                                            if a.studies & b.studies and not a.arms & b.arms:
                                                continue  # rule 4: a subgroup difference
                                            pairs.add((iri_a, iri_b))
    return sorted(pairs, key=str)


def _group(claims: dict[Term, _Claim]) -> _Groups:
    """Claims that can take part in a conflict (a document, a therapy and an outcome), by
    direction, then by the value sets each rule reads."""
    groups: _Groups = {}
    for iri, claim in claims.items():
        if not (claim.documents and claim.therapies and claim.outcomes):
            continue
        for direction in claim.directions:
            (
                groups.setdefault(direction, {})
                .setdefault(frozenset(claim.therapies), {})
                .setdefault(frozenset(claim.outcomes), {})
                .setdefault((frozenset(claim.populations), frozenset(claim.comparators)), [])
                .append((iri, claim))
            )
    return groups


class _LikeWithLike:
    """The rules read from value sets (therapies and outcomes meet: rules 1 and 5; populations
    and comparators compatible: rules 2 and 3), each answer cached, since many claim groups
    share the same sets."""

    def __init__(self, hierarchy: Hierarchy) -> None:
        self.hierarchy = hierarchy
        self._therapies: dict[tuple[_Set, _Set], bool] = {}
        self._outcomes: dict[tuple[_Set, _Set, bool], bool] = {}
        self._contexts: dict[tuple[_Set, _Set, _Set, _Set], bool] = {}

    def therapies_meet(self, a: _Set, b: _Set) -> bool:
        """Rules 1 and 5 for the therapies: one of B's is one of A's or under it, or one of
        A's is strictly under one of B's."""
        key = (a, b)
        if key not in self._therapies:
            hierarchy = self.hierarchy
            self._therapies[key] = any(
                tb in hierarchy.or_self(ta) or ta in hierarchy.strict(tb) for ta in a for tb in b
            )
        return self._therapies[key]

    def outcomes_meet(self, a: _Set, b: _Set, narrower_only: bool) -> bool:
        """Rules 1 and 5 for the outcomes (:func:`_outcomes_meet`)."""
        key = (a, b, narrower_only)
        if key not in self._outcomes:
            self._outcomes[key] = _outcomes_meet(self.hierarchy, a, b, narrower_only)
        return self._outcomes[key]

    def context_compatible(self, a: tuple[_Set, _Set], b: tuple[_Set, _Set]) -> bool:
        """Rules 2 and 3: compatible populations and compatible comparators."""
        key = (a[0], b[0], a[1], b[1])
        if key not in self._contexts:
            hierarchy = self.hierarchy
            self._contexts[key] = _compatible(hierarchy, set(a[0]), set(b[0])) and _compatible(
                hierarchy, set(a[1]), set(b[1])
            )
        return self._contexts[key]


# ---------------------------------------------------------------- conflict summaries (Q11)


@dataclass
class ConflictSummary:
    """One row of Q11: the conflicts of one therapy and outcome of the favourable claims."""

    therapy: ox.NamedNode
    outcome: ox.NamedNode
    supporting: set[Term] = field(default_factory=set)
    opposing: set[Term] = field(default_factory=set)
    supporting_documents: set[Term] = field(default_factory=set)
    opposing_documents: set[Term] = field(default_factory=set)
    pairs: set[tuple[Term, Term]] = field(default_factory=set)

    @property
    def example(self) -> tuple[Term, Term]:
        """The lowest favourable claim IRI, and the lowest unfavourable one that meets it."""
        first = min(self.supporting, key=lambda claim: claim.value)
        return first, min((b for a, b in self.pairs if a == first), key=lambda claim: claim.value)

    @property
    def iri(self) -> str:
        """A stable IRI from the therapy and outcome (the pair of IRIs, hashed)."""
        digest = hashlib.sha256(f"{self.therapy.value} {self.outcome.value}".encode()).hexdigest()
        local = [_local_name(self.therapy.value), _local_name(self.outcome.value)]
        return f"{DATA}conflict-{'-'.join(local)}-{digest[:12]}"


def _local_name(iri: str) -> str:
    tail = re.split(r"[/#]", iri)[-1]
    return re.sub(r"[^A-Za-z0-9_]", "_", tail) or "x"


def conflict_summaries(
    claims: dict[Term, _Claim], pairs: Iterable[tuple[Term, Term]], hierarchy: Hierarchy
) -> list[ConflictSummary]:
    """Q11's rows, by therapy and outcome of claim A, from the conflict pairs.

    For each pair, a (therapy of A, outcome of A) takes part when a therapy and an outcome
    of claim B meet them by rules 1 and 5, for a favourable direction of A and an opposing
    direction of B: the therapies when one is the other or a subclass of it; the outcomes
    when B's is A's or narrower, or (unless A says "not observed") broader, or both under
    lkg:ClinicalResponse. This is the join Q11 made over every pair at query time (kept in
    tests/queries/fixtures/q11-pair-key-form.rq, which tests compare with this): its cost
    grew with the number of pairs, about 2 s at 1,000 documents.
    """
    summaries: dict[tuple[Term, Term], ConflictSummary] = {}

    def therapies_meet(ta: Term, tb: Term) -> bool:
        return tb in hierarchy.or_self(ta) or ta in hierarchy.strict(tb)

    def outcomes_meet(oa: Term, ob: Term, narrower_only: bool) -> bool:
        if oa in hierarchy.or_self(ob):
            return True
        if narrower_only:
            return False
        strict_a = hierarchy.strict(oa)
        if ob in strict_a:
            return True
        return _CLINICAL_RESPONSE in strict_a and _CLINICAL_RESPONSE in hierarchy.strict(ob)

    for iri_a, iri_b in pairs:
        a, b = claims[iri_a], claims[iri_b]
        # narrower_only for each favourable direction of A that B opposes
        modes = {
            favourable == _NOT_OBSERVED
            for favourable in a.directions
            if favourable in OPPOSING and b.directions.intersection(OPPOSING[favourable])
        }
        if not modes:
            continue
        therapies_b = [t for t in b.therapies if isinstance(t, ox.NamedNode)]
        outcomes_b = [o for o in b.outcomes if isinstance(o, ox.NamedNode)]
        for ta in a.therapies:
            if not isinstance(ta, ox.NamedNode) or not any(
                therapies_meet(ta, tb) for tb in therapies_b
            ):
                continue
            for oa in a.outcomes:
                if not isinstance(oa, ox.NamedNode) or not any(
                    outcomes_meet(oa, ob, mode) for ob in outcomes_b for mode in modes
                ):
                    continue
                summary = summaries.get((ta, oa))
                if summary is None:
                    summary = summaries[(ta, oa)] = ConflictSummary(ta, oa)
                summary.supporting.add(iri_a)
                summary.opposing.add(iri_b)
                summary.supporting_documents |= a.documents
                summary.opposing_documents |= b.documents
                summary.pairs.add((iri_a, iri_b))
    return [summaries[key] for key in sorted(summaries, key=lambda k: (k[0].value, k[1].value))]


def summary_triples(summaries: Iterable[ConflictSummary]) -> list[ox.Triple]:
    """The lkg:ConflictSummary node of each summary: therapy, outcome, counts, claims, example."""
    triples: list[ox.Triple] = []
    integer = ox.NamedNode(PREFIXES["xsd"] + "integer")
    for summary in summaries:
        node = ox.NamedNode(summary.iri)

        def add(predicate: str, value: Term, node: ox.NamedNode = node) -> None:
            triples.append(ox.Triple(node, ox.NamedNode(_LKG + predicate), value))

        triples.append(ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(CONFLICT_SUMMARY)))
        add("conflictTherapy", summary.therapy)
        add("conflictOutcome", summary.outcome)
        counts = {
            "supportingClaimCount": summary.supporting,
            "supportingDocumentCount": summary.supporting_documents,
            "opposingClaimCount": summary.opposing,
            "opposingDocumentCount": summary.opposing_documents,
            "conflictPairCount": summary.pairs,
        }
        for predicate, members in counts.items():
            add(predicate, ox.Literal(str(len(members)), datatype=integer))
        for claim in sorted(summary.supporting, key=str):
            add("supportingClaim", claim)
        for claim in sorted(summary.opposing, key=str):
            add("opposingClaim", claim)
        example_a, example_b = summary.example
        add("exampleSupportingClaim", example_a)
        add("exampleOpposingClaim", example_b)
    return triples


def _store_closure(store: ox.Store) -> list[ox.Triple]:
    subclass = ox.NamedNode(RDFS_SUBCLASS_OF)
    hierarchy = Hierarchy(
        (quad.subject, quad.object) for quad in store.quads_for_pattern(None, subclass, None)
    )
    reflexive: set[ox.NamedNode] = set()
    for iri in REFLEXIVE_PROPERTIES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(iri), None):
            if isinstance(quad.object, ox.NamedNode):
                reflexive.add(quad.object)
    triples = _closure_triples(hierarchy, reflexive)
    conflicts = ox.NamedNode(CONFLICTS_WITH)
    claims = _claims(store)
    pairs = _conflict_pairs(claims, hierarchy)
    triples += [ox.Triple(a, conflicts, b) for a, b in pairs]
    triples += summary_triples(conflict_summaries(claims, pairs, hierarchy))
    return triples


def add_closure(store: ox.Store) -> list[ox.Triple]:
    """Replace the closure graph of ``store`` with one computed from its data; the triples.

    Stores assembled by hand (tests, benchmarks) call this as the build does.
    """
    graph = ox.NamedNode(CLOSURE_GRAPH)
    if graph in set(store.named_graphs()):
        store.remove_graph(graph)
    triples = _store_closure(store)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return triples


def write_closure_graph(store: ox.Store, directory: Path) -> int:
    """Replace the closure graph in ``store`` and in ``directory/closure.ttl``; its size."""
    triples = add_closure(store)
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    (directory / CLOSURE_FILE).write_bytes(data)
    return len(triples)


def read_closure_file(directory: Path) -> list[ox.Triple]:
    """The closure a build wrote next to its manifest (empty before the first build)."""
    file = directory / CLOSURE_FILE
    if not file.is_file():
        return []
    return list(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))
