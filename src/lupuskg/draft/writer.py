"""Draft claims as RDF: the draft graph of one document, written canonically to graph/drafts/.

IRIs in a draft are ``lkgd:<slug>.draft-claim-NN``, ``.draft-quote-NN`` and
``.draft-result-NN``, so that they never collide with the document's own nodes (the
validator's cross-document rule would flag a twin). The draft points at the document
node and its source text without describing them; it is validated together with the
document file (see :func:`lupuskg.validate.validate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from ..namespaces import DATA, OA, OBO, SOURCE, VOCAB
from .annotate import DraftClaim, DraftResult
from .terms import Lexicon

__all__ = ["DocumentContext", "draft_graph", "statement"]

_ECO = {
    "ReviewArticle": "ECO_0000033",
    "SystematicReview": "ECO_0000033",
    "NewsReport": "ECO_0006016",
    "ResearchArticle": "ECO_0000180",
    "PerspectiveArticle": "ECO_0000204",
}
_VERBS = {
    "Improves": "improves",
    "Worsens": "worsens",
    "NoEffect": "has no effect on",
    "Mixed": "has mixed results on",
    "Observed": "is reported with",
    "NotObserved": "was not followed by",
    "Promotes": "promotes",
    "Inhibits": "inhibits",
}


@dataclass(frozen=True)
class DocumentContext:
    """What the draft takes from the document file (written by `lupuskg new`), if any."""

    slug: str
    article_type: str | None = None  # local name: PerspectiveArticle, ResearchArticle, ...
    study: str | None = None  # the IRI of the one study the document reports

    @property
    def document(self) -> str:
        return f"{DATA}{self.slug}"

    @property
    def evidence_type(self) -> str:
        return OBO + _ECO.get(self.article_type or "", "ECO_0000204")


def document_context(slug: str, document: rdflib.Graph | None) -> DocumentContext:
    """Article type and single study of the document graph (None when absent or ambiguous)."""
    if document is None:
        return DocumentContext(slug)
    node = rdflib.URIRef(f"{DATA}{slug}")
    article = None
    summarised = document.value(node, rdflib.URIRef(VOCAB + "summarisedArticleType"))
    for candidate in [summarised, *document.objects(node, RDF.type)]:
        if candidate is not None and str(candidate).startswith(VOCAB):
            name = str(candidate)[len(VOCAB) :]
            if name in _ECO:
                article = name
                break
    studies = sorted(
        str(s)
        for s in document.subjects(rdflib.URIRef(VOCAB + "reportedIn"), node)
        if (s, RDF.type, rdflib.URIRef(VOCAB + "Study")) in document
    )
    return DocumentContext(slug, article, studies[0] if len(studies) == 1 else None)


def statement(lexicon: Lexicon, claim: DraftClaim) -> str:
    """A plain, clearly machine-made paraphrase for the curator to rewrite."""

    def label(iri: str | None) -> str:
        return lexicon.labels.get(iri or "", (iri or "").rsplit("/", 1)[-1])

    who = " and ".join(label(i) for i in claim.interventions) or label(claim.population)
    what = claim.outcome or claim.target_cell or claim.mechanism or claim.cell_source
    if claim.mechanism and claim.target_cell:
        what_text = f"{label(claim.mechanism)} of {label(claim.target_cell)}"
    elif claim.kind == "ProcedureClaim":
        parts = [label(x) for x in (claim.cell_source, claim.conditioning, claim.donor_type) if x]
        what_text = "a procedure step (" + ", ".join(parts) + ")" if parts else "a procedure step"
    else:
        what_text = label(what) if what else "a fact"
    verb = _VERBS[claim.direction]
    if claim.kind in ("BackgroundClaim", "HistoricalClaim", "ProcedureClaim"):
        verb = "is described with"
    sentence = f"Draft ({claim.kind}): {who} {verb} {what_text}"
    if claim.comparator:
        sentence += f", compared with {label(claim.comparator)}"
    if claim.qualifier:
        sentence += f" ({claim.qualifier})"
    return sentence + "."


_LKG = rdflib.Namespace(VOCAB)
_OA = rdflib.Namespace(OA)
#: makes (or reuses) the quote node of a sentence: start, end, exact text
QuoteMaker = Callable[[int, int, str], rdflib.URIRef]


def _decimal(value: Decimal) -> rdflib.Literal:
    return rdflib.Literal(value, datatype=XSD.decimal)


def _count(value: int) -> rdflib.Literal:
    return rdflib.Literal(str(value), datatype=XSD.nonNegativeInteger)


def _add_present(
    graph: rdflib.Graph,
    node: rdflib.URIRef,
    values: Iterable[tuple[rdflib.URIRef, rdflib.term.Node | None]],
) -> None:
    """One triple per (predicate, object) whose object is there."""
    for predicate, value in values:
        if value is not None:
            graph.add((node, predicate, value))


def _iri(value: str | None) -> rdflib.URIRef | None:
    return rdflib.URIRef(value) if value else None


def draft_graph(
    lexicon: Lexicon, context: DocumentContext, claims: Iterable[DraftClaim]
) -> rdflib.Graph:
    """The draft of one document: claims (marked lkg:Draft), their quotes and results."""
    graph = rdflib.Graph()
    slug = context.slug
    document = rdflib.URIRef(context.document)
    claims = list(claims)
    study = _study(graph, context, document, claims)
    quote_for = _quote_maker(graph, slug)
    result_number = 0
    for number, claim in enumerate(claims, start=1):
        node = rdflib.URIRef(f"{DATA}{slug}.draft-claim-{number:02d}")
        _add_claim(graph, node, lexicon, context, claim, quote_for)
        for result in claim.results:
            result_number += 1
            result_node = rdflib.URIRef(f"{DATA}{slug}.draft-result-{result_number:02d}")
            _add_result(graph, result_node, result, study, document, quote_for)
            graph.add((node, _LKG.basedOnResult, result_node))
    return graph


def _study(
    graph: rdflib.Graph,
    context: DocumentContext,
    document: rdflib.URIRef,
    claims: list[DraftClaim],
) -> rdflib.URIRef:
    """The study results belong to: the document's own, else one drafted beside them
    (described only when some claim has results)."""
    lkg = _LKG
    study = rdflib.URIRef(context.study or f"{DATA}{context.slug}.draft-study")
    if context.study is None and any(c.results for c in claims):
        graph.add((study, RDF.type, lkg.Study))
        graph.add((study, RDFS.label, rdflib.Literal("the study the text reports (drafted)")))
        graph.add((study, lkg.reportedIn, document))
    return study


def _quote_maker(graph: rdflib.Graph, slug: str) -> QuoteMaker:
    """Quote nodes numbered in order of first use; a sentence quoted twice (by a claim and a
    result) gets one node."""
    lkg, oa = _LKG, _OA
    source = rdflib.URIRef(f"{SOURCE}{slug}.txt")
    quotes: dict[tuple[int, int], rdflib.URIRef] = {}

    def quote_for(start: int, end: int, exact: str) -> rdflib.URIRef:
        if (start, end) not in quotes:
            node = rdflib.URIRef(f"{DATA}{slug}.draft-quote-{len(quotes) + 1:02d}")
            graph.add((node, RDF.type, lkg.Quote))
            graph.add((node, oa.exact, rdflib.Literal(exact)))
            graph.add((node, oa.start, _count(start)))
            graph.add((node, oa.end, _count(end)))
            graph.add((node, lkg.inSourceText, source))
            quotes[(start, end)] = node
        return quotes[(start, end)]

    return quote_for


def _add_claim(
    graph: rdflib.Graph,
    node: rdflib.URIRef,
    lexicon: Lexicon,
    context: DocumentContext,
    claim: DraftClaim,
    quote_for: QuoteMaker,
) -> None:
    """One draft claim with its statement, quote and the terms it links (results apart)."""
    lkg = _LKG
    add = graph.add
    add((node, RDF.type, lkg[claim.kind]))
    add((node, lkg.curationStatus, lkg.Draft))
    add((node, lkg.statement, rdflib.Literal(statement(lexicon, claim))))
    add((node, lkg.direction, lkg[claim.direction]))
    add((node, lkg.certainty, lkg[claim.certainty]))
    add((node, lkg.evidenceType, rdflib.URIRef(context.evidence_type)))
    add((node, lkg.sourceDocument, rdflib.URIRef(context.document)))
    sentence = claim.sentence
    add((node, lkg.hasQuote, quote_for(sentence.start, sentence.end, sentence.text)))
    for intervention in claim.interventions:
        add((node, lkg.intervention, rdflib.URIRef(intervention)))
    _add_present(
        graph,
        node,
        (
            (lkg.population, _iri(claim.population)),
            (lkg.outcome, _iri(claim.outcome)),
            (lkg.mechanism, _iri(claim.mechanism)),
            (lkg.targetCell, _iri(claim.target_cell)),
            (lkg.comparator, _iri(claim.comparator)),
            (lkg.cellSource, _iri(claim.cell_source)),
            (lkg.cellType, _iri(claim.cell_type)),
            (lkg.donorType, _iri(claim.donor_type)),
            (lkg.conditioning, _iri(claim.conditioning)),
            (lkg.qualifier, rdflib.Literal(claim.qualifier) if claim.qualifier else None),
            (lkg.aboutStudy, _iri(context.study)),
        ),
    )


def _add_result(
    graph: rdflib.Graph,
    node: rdflib.URIRef,
    result: DraftResult,
    study: rdflib.URIRef,
    document: rdflib.URIRef,
    quote_for: QuoteMaker,
) -> None:
    lkg = _LKG
    number = result.number
    add = graph.add
    add((node, RDF.type, lkg.Result))
    add((node, lkg.outcome, rdflib.URIRef(result.outcome)))
    add((node, lkg.statisticType, lkg[number.statistic]))
    add((node, lkg.resultOf, study))
    add((node, lkg.sourceDocument, document))
    sentence = result.sentence
    add((node, lkg.hasQuote, quote_for(sentence.start, sentence.end, sentence.text)))

    def count(value: int | None) -> rdflib.Literal | None:
        return _count(value) if value is not None else None

    def decimal(value: Decimal | None) -> rdflib.Literal | None:
        return _decimal(value) if value is not None else None

    time_point = result.time_point
    _add_present(
        graph,
        node,
        (
            (lkg.numerator, count(number.numerator)),
            (lkg.denominator, count(number.denominator)),
            (lkg.value, decimal(number.value)),
            (lkg.sd, decimal(number.sd)),
            (lkg.rangeLower, decimal(number.range_lower)),
            (lkg.rangeUpper, decimal(number.range_upper)),
            (lkg.ciLower, decimal(number.ci_lower)),
            (lkg.ciUpper, decimal(number.ci_upper)),
            (lkg.pValue, decimal(number.p_value)),
            (lkg.unit, lkg[number.unit] if number.unit else None),
            (
                lkg.timePoint,
                rdflib.Literal(time_point, datatype=XSD.duration) if time_point else None,
            ),
        ),
    )
