"""`lupuskg draft SLUG --accept claim-03,claim-07`: move reviewed draft claims into the document.

Each accepted claim gets the next free ``claim-NN`` of the document and loses its
``lkg:curationStatus lkg:Draft``; its quote reuses a document quote with the same
offsets or becomes the next ``quote-NN``; its results become ``result-NN``. What is
accepted leaves the draft (quotes and a drafted study stay while other drafts use them).
Both files are rewritten in canonical Turtle, as `lupuskg fmt` writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import RDF

from ..config import Settings
from ..exceptions import CurationError
from ..namespaces import DATA, VOCAB
from ..rdfio import display_path, parse_graph
from ..serialization import canonical_turtle
from .run import quote_span

__all__ = ["AcceptOutcome", "accept_claims", "parse_claim_ids"]

_ID = re.compile(r"(?:draft-)?claim-(\d+)|(\d+)")


@dataclass(frozen=True)
class AcceptOutcome:
    """Which draft claims became which document claims."""

    document: Path
    draft: Path
    renamed: dict[str, str]  # draft claim local id -> document claim local id
    remaining: int


def parse_claim_ids(text: str) -> list[int]:
    """``"claim-03,claim-07"`` (or ``draft-claim-3``, ``3``) as [3, 7]."""
    numbers = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = _ID.fullmatch(part)
        if match is None:
            raise CurationError(
                f"{part!r} is not a draft claim id", hint="write e.g. --accept claim-03,claim-07"
            )
        numbers.append(int(match.group(1) or match.group(2)))
    if not numbers:
        raise CurationError("no claim ids to accept", hint="write e.g. --accept claim-03,claim-07")
    return numbers


def _next(graph: rdflib.Graph, slug: str, kind: str) -> int:
    pattern = re.compile(re.escape(f"{DATA}{slug}.{kind}-") + r"(\d+)$")
    numbers = [int(m.group(1)) for s in set(graph.subjects()) if (m := pattern.match(str(s)))]
    return max(numbers, default=0) + 1


_LKG = rdflib.Namespace(VOCAB)
_Quotes = dict[tuple[int, int], rdflib.term.Node]


def accept_claims(settings: Settings, slug: str, ids: Sequence[int]) -> AcceptOutcome:
    """Move draft claims ``ids`` of SLUG into graph/documents/SLUG.ttl."""
    lkg = _LKG
    draft_path = settings.drafts_dir / f"{slug}.ttl"
    doc_path = settings.documents_dir / f"{slug}.ttl"
    for path, how in ((draft_path, f"lupuskg draft {slug}"), (doc_path, f"lupuskg new {slug}")):
        if not path.is_file():
            raise CurationError(
                f"no {display_path(path, settings.root)}", hint=f"run `{how}` first"
            )
    draft = parse_graph(draft_path, display_path(draft_path, settings.root))
    document = parse_graph(doc_path, display_path(doc_path, settings.root))
    wanted = _wanted(draft, slug, ids, display_path(draft_path, settings.root))
    doc_quotes: _Quotes = {
        span: q
        for q in document.subjects(RDF.type, lkg.Quote)
        if (span := quote_span(document, q)) is not None
    }
    plan = _Renaming(document, slug, doc_quotes)
    for claim in wanted:
        plan.claim(draft, claim)
    _copy(draft, document, plan.rename, doc_quotes)
    for node in plan.moved:
        draft.remove((node, None, None))
    _drop_orphans(draft, lkg)
    doc_path.write_text(canonical_turtle(document), encoding="utf-8")
    draft_path.write_text(canonical_turtle(draft), encoding="utf-8")
    remaining = sum(1 for _ in draft.subjects(lkg.curationStatus, lkg.Draft))
    return AcceptOutcome(doc_path, draft_path, plan.renamed, remaining)


def _wanted(draft: rdflib.Graph, slug: str, ids: Sequence[int], shown: str) -> list[rdflib.URIRef]:
    """The draft claims asked for; any that the draft does not hold is refused, with the list
    of the draft claims there are."""
    lkg = _LKG
    available = sorted(str(s) for s in draft.subjects(lkg.curationStatus, lkg.Draft))
    wanted = [rdflib.URIRef(f"{DATA}{slug}.draft-claim-{n:02d}") for n in ids]
    missing = [str(w)[len(DATA) + len(slug) + 1 :] for w in wanted if str(w) not in available]
    if missing:
        listed = ", ".join(a[len(DATA) + len(slug) + 7 :] for a in available) or "none"
        raise CurationError(
            f"{', '.join(missing)} not in {shown}", hint=f"draft claims left: {listed}"
        )
    return wanted


class _Renaming:
    """Where each accepted draft node goes in the document: the document's next free
    ``claim-NN``, ``result-NN`` or ``study-NN``, and for a quote, the document quote with
    the same offsets or the next ``quote-NN``."""

    def __init__(self, document: rdflib.Graph, slug: str, doc_quotes: _Quotes) -> None:
        self.slug = slug
        self.doc_quotes = doc_quotes
        self.counters = {
            kind: _next(document, slug, kind) for kind in ("claim", "quote", "result", "study")
        }
        #: draft node -> document node
        self.rename: dict[rdflib.term.Node, rdflib.term.Node] = {}
        #: draft nodes that leave the draft (claims and results; quotes may be shared)
        self.moved: set[rdflib.term.Node] = set()
        #: draft claim local id -> document claim local id
        self.renamed: dict[str, str] = {}

    def new_iri(self, kind: str) -> rdflib.URIRef:
        iri = rdflib.URIRef(f"{DATA}{self.slug}.{kind}-{self.counters[kind]:02d}")
        self.counters[kind] += 1
        return iri

    def claim(self, draft: rdflib.Graph, claim: rdflib.URIRef) -> None:
        """Rename one claim, its quotes, its results with their quotes and drafted study."""
        lkg, rename = _LKG, self.rename
        rename[claim] = self.new_iri("claim")
        self.moved.add(claim)
        self.renamed[f"claim-{str(claim).rsplit('-', 1)[1]}"] = str(rename[claim]).rsplit(".", 1)[1]
        for quote in draft.objects(claim, lkg.hasQuote):
            _quote(draft, quote, self.doc_quotes, rename, self.new_iri)
        for result in draft.objects(claim, lkg.basedOnResult):
            if result in rename:
                continue
            rename[result] = self.new_iri("result")
            self.moved.add(result)
            for quote in draft.objects(result, lkg.hasQuote):
                _quote(draft, quote, self.doc_quotes, rename, self.new_iri)
            study = draft.value(result, lkg.resultOf)
            if study is not None and (study, RDF.type, lkg.Study) in draft and study not in rename:
                rename[study] = self.new_iri("study")


def _copy(
    draft: rdflib.Graph,
    document: rdflib.Graph,
    rename: dict[rdflib.term.Node, rdflib.term.Node],
    doc_quotes: _Quotes,
) -> None:
    """Add the renamed nodes' triples to the document, without the draft status; a quote the
    document already has is not copied again."""

    def mapped(term: rdflib.term.Node) -> rdflib.term.Node:
        return rename.get(term, term)

    copied = {node for node in rename if (node, None, None) in draft}
    for node in copied:
        if node in doc_quotes.values():
            continue
        for p, o in draft.predicate_objects(node):
            if p == _LKG.curationStatus:
                continue
            if rename[node] in doc_quotes.values():
                break  # the document already has this quote
            document.add((mapped(node), p, mapped(o)))


def _quote(
    draft: rdflib.Graph,
    quote: rdflib.term.Node,
    doc_quotes: _Quotes,
    rename: dict[rdflib.term.Node, rdflib.term.Node],
    new_iri: Callable[[str], rdflib.URIRef],
) -> None:
    if quote in rename:
        return
    key = quote_span(draft, quote)
    found = doc_quotes.get(key) if key is not None else None
    rename[quote] = found or new_iri("quote")


def _drop_orphans(draft: rdflib.Graph, lkg: rdflib.Namespace) -> None:
    """Quotes and a drafted study that no draft node refers to any more."""
    for kind in (lkg.Quote, lkg.Study):
        for node in list(draft.subjects(RDF.type, kind)):
            if not any(True for _ in draft.subjects(None, node)):
                draft.remove((node, None, None))
