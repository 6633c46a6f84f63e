"""Drafting one document of the project: read its source, write graph/drafts/SLUG.ttl."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF

from ..config import Settings
from ..curate import _source_text
from ..exceptions import CurationError
from ..namespaces import OA, VOCAB
from ..rdfio import display_path, parse_graph
from ..serialization import canonical_turtle
from .annotate import annotate
from .terms import Lexicon, load_lexicon
from .writer import document_context, draft_graph

__all__ = [
    "DraftOutcome",
    "draft_document",
    "draft_for_text",
    "project_lexicon",
    "quote_span",
]

_LKG = rdflib.Namespace(VOCAB)
_OA = rdflib.Namespace(OA)


@dataclass(frozen=True)
class DraftOutcome:
    """What `draft_document` wrote."""

    path: Path
    claims: int
    results: int
    quotes: int


def project_lexicon(settings: Settings) -> Lexicon:
    files = [settings.ontology_file, *sorted(settings.imports_dir.glob("*.ttl"))]
    return _lexicon(tuple(files), tuple(path.stat().st_mtime_ns for path in files))


@cache
def _lexicon(files: tuple[Path, ...], _stamps: tuple[int, ...]) -> Lexicon:
    return load_lexicon(files)


def _document_graph(settings: Settings, slug: str) -> rdflib.Graph | None:
    path = settings.documents_dir / f"{slug}.ttl"
    if not path.is_file():
        return None
    return parse_graph(path, display_path(path, settings.root))


def quote_span(graph: rdflib.Graph, quote: rdflib.term.Node) -> tuple[int, int] | None:
    """The (oa:start, oa:end) offsets of a quote; None unless both are integer literals."""
    start, end = graph.value(quote, _OA.start), graph.value(quote, _OA.end)
    if not isinstance(start, rdflib.Literal) or not isinstance(end, rdflib.Literal):
        return None
    start_value, end_value = start.toPython(), end.toPython()
    if not isinstance(start_value, int) or not isinstance(end_value, int):
        return None
    return start_value, end_value


def _quoted_by_claims(document: rdflib.Graph) -> list[tuple[int, int]]:
    """Spans of the quotes the document's claims already cite."""
    if not any(document.subjects(_LKG.statement, None)):
        return []
    quotes = set(document.objects(None, _LKG.hasQuote))
    return [span for quote in quotes if (span := quote_span(document, quote)) is not None]


def draft_for_text(
    settings: Settings,
    slug: str,
    text: str,
    document: rdflib.Graph | None = None,
    *,
    skip: list[tuple[int, int]] | None = None,
) -> rdflib.Graph:
    """The draft graph for ``text`` as the source of document ``slug`` (nothing written).

    Sentences overlapping a span of ``skip`` (the quotes of claims already in the
    document) are not drafted again.
    """
    lexicon = project_lexicon(settings)
    claims = [
        claim
        for claim in annotate(lexicon, text)
        if not any(claim.sentence.start < e and s < claim.sentence.end for s, e in skip or ())
    ]
    return draft_graph(lexicon, document_context(slug, document), claims)


def draft_document(settings: Settings, slug: str) -> DraftOutcome:
    """Annotate graph/sources/SLUG.txt and write graph/drafts/SLUG.ttl (replacing a draft)."""
    text = _source_text(settings, slug)
    document = _document_graph(settings, slug)
    if document is None:
        raise CurationError(
            f"no document file graph/documents/{slug}.ttl for the draft to point at",
            hint=f"start the document first: lupuskg new {slug} --source FILE",
        )
    graph = draft_for_text(settings, slug, text, document, skip=_quoted_by_claims(document))
    out = settings.drafts_dir / f"{slug}.ttl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(canonical_turtle(graph), encoding="utf-8")
    claims = sum(1 for _ in graph.subjects(_LKG.curationStatus, _LKG.Draft))
    return DraftOutcome(
        path=out,
        claims=claims,
        results=sum(1 for _ in graph.subjects(RDF.type, _LKG.Result)),
        quotes=sum(1 for _ in graph.subjects(RDF.type, _LKG.Quote)),
    )
