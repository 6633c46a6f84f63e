"""The annotator's drafts of fixed sentences, one per cue kind, against golden Turtle.

Graphs are compared with rdflib's isomorphism, not as text. Regenerate a golden file
with ``pytest tests/draft --update-expected`` (files in tests/expected/draft/) and review its diff triple by triple.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from lupuskg.config import Settings
from lupuskg.draft import draft_for_text
from lupuskg.draft.segment import sentences
from lupuskg.serialization import canonical_turtle

LKG = Namespace("https://w3id.org/lupuskg/vocab/")
LKGD = Namespace("https://w3id.org/lupuskg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SLUG = "fixture-2026"

#: one text per cue kind; the first sentence of some names the therapy the next refers to
CASES = {
    "negation": (
        "Nine patients with refractory SLE received umbilical cord mesenchymal stem cell "
        "transplantation. One patient experienced a warm sensation with dizziness following the "
        "transplantation, but no patients experienced headaches, nausea, or vomiting."
    ),
    "hedge": "Mesenchymal stem cell therapy may reduce disease activity in lupus nephritis.",
    "numbers": (
        "After autologous HSCT, complete remission was reached by 13 of 40 (32.5%) patients, and "
        "disease activity fell from 12.2 ± 3.3 to 3.2 ± 2.8."
    ),
    "time-points": (
        "Remission rates after UC-MSC transplantation were 60% and 75% at 9 and 12 months."
    ),
    "multiple-targets": (
        "MSC therapy promotes Th2 and Treg proliferation and inhibits Th1, Th17 and B cells."
    ),
}


def _document() -> Graph:
    """What `lupuskg new` scaffolds, filled in: a curator summary of a research article."""
    graph = Graph()
    doc, study = LKGD[SLUG], LKGD[f"{SLUG}.study-01"]
    graph.add((doc, RDF.type, LKG.CuratorSummary))
    graph.add((doc, LKG.summarisedArticleType, LKG.ResearchArticle))
    graph.add((study, RDF.type, LKG.Study))
    graph.add((study, LKG.reportedIn, doc))
    return graph


def _draft(project_root: Path, text: str) -> Graph:
    from lupuskg.config import settings

    project: Settings = settings(project_root)
    return draft_for_text(project, SLUG, text, _document())


@pytest.mark.parametrize("case", sorted(CASES))
def test_draft_matches_golden(case: str, project_root: Path, golden: Any) -> None:
    # as written to graph/drafts/: canonical Turtle, read back
    drafted = Graph().parse(
        data=canonical_turtle(_draft(project_root, CASES[case])), format="turtle"
    )
    name = f"draft/{case}.ttl"
    path = golden.path(name)
    if golden.update:
        golden.rewrite(name, canonical_turtle(drafted).encode("utf-8"))
        return
    expected = Graph().parse(path, format="turtle")
    if not isomorphic(drafted, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(drafted))
        lines = [f"- {t}" for t in sorted(missing)] + [f"+ {t}" for t in sorted(extra)]
        pytest.fail(f"draft of {case!r} differs from {path.name}:\n" + "\n".join(lines[:40]))


def _claims(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(LKG.curationStatus, LKG.Draft))  # type: ignore[arg-type]


def test_negation_splits_seen_from_not_seen(project_root: Path) -> None:
    graph = _draft(project_root, CASES["negation"])
    directions = {
        str(graph.value(c, LKG.outcome)).rsplit("/", 1)[1]: str(
            graph.value(c, LKG.direction)
        ).rsplit("/", 1)[1]
        for c in _claims(graph)
        if graph.value(c, LKG.outcome) is not None
    }
    assert directions == {
        "WarmSensationWithDizziness": "Observed",
        "Headache": "NotObserved",
        "Nausea": "NotObserved",
        "Vomiting": "NotObserved",
    }
    assert {graph.value(c, LKG.intervention) for c in _claims(graph)} == {LKG.UCMSCTherapy}


def test_hedge_is_suggested(project_root: Path) -> None:
    graph = _draft(project_root, CASES["hedge"])
    (claim,) = _claims(graph)
    assert graph.value(claim, LKG.certainty) == LKG.Suggested
    assert graph.value(claim, LKG.direction) == LKG.Improves
    assert graph.value(claim, LKG.population) == URIRef(
        "http://purl.obolibrary.org/obo/MONDO_0005556"
    )


def test_numbers_become_results(project_root: Path) -> None:
    graph = _draft(project_root, CASES["numbers"])
    results = {
        (graph.value(r, LKG.statisticType), graph.value(r, LKG.numerator), graph.value(r, LKG.denominator),
         graph.value(r, LKG.value), graph.value(r, LKG.sd), graph.value(r, LKG.timePoint))
        for r in graph.subjects(RDF.type, LKG.Result)
    }  # fmt: skip
    assert (LKG.CountProportion, Literal(13), Literal(40)) in {r[:3] for r in results} or any(
        r[0] == LKG.CountProportion and int(r[1]) == 13 and int(r[2]) == 40 and float(r[3]) == 32.5
        for r in results
    )
    means = sorted((float(r[3]), float(r[4]), str(r[5])) for r in results if r[0] == LKG.MeanValue)
    assert means == [(3.2, 2.8, "None"), (12.2, 3.3, "P0D")]


def test_time_points_pair_with_values(project_root: Path) -> None:
    graph = _draft(project_root, CASES["time-points"])
    pairs = sorted(
        (str(graph.value(r, LKG.timePoint)), float(graph.value(r, LKG.value)))  # type: ignore[arg-type]
        for r in graph.subjects(RDF.type, LKG.Result)
    )
    assert pairs == [("P1Y", 75.0), ("P9M", 60.0)]


def test_multiple_targets_give_one_claim_each(project_root: Path) -> None:
    graph = _draft(project_root, CASES["multiple-targets"])
    cl = "http://purl.obolibrary.org/obo/"
    found = {
        (
            str(graph.value(c, LKG.targetCell))[len(cl) :],
            str(graph.value(c, LKG.direction)).rsplit("/", 1)[1],
        )
        for c in _claims(graph)
    }
    assert found == {
        ("CL_0000546", "Promotes"),
        ("CL_0000815", "Promotes"),
        ("CL_0000545", "Inhibits"),
        ("CL_0000899", "Inhibits"),
        ("CL_0000236", "Inhibits"),
    }
    quotes = {graph.value(c, LKG.hasQuote) for c in _claims(graph)}
    assert len(quotes) == 1


def test_every_drafted_quote_is_verbatim_at_its_offsets(project_root: Path) -> None:
    """Over every source text of the project: text[start:end] == oa:exact, for each draft quote."""
    from lupuskg.config import settings

    project = settings(project_root)
    checked = 0
    for source in sorted(project.sources_dir.glob("*.txt")):
        text = source.read_bytes().decode("utf-8")
        graph = draft_for_text(project, source.stem, text, None)
        for quote in graph.subjects(RDF.type, LKG.Quote):
            start, end = int(graph.value(quote, OA.start)), int(graph.value(quote, OA.end))  # type: ignore[arg-type]
            exact = str(graph.value(quote, OA.exact))
            assert text[start:end] == exact, f"{source.name} [{start}, {end}): {exact!r}"
            assert exact == exact.strip() and exact
            checked += 1
    assert checked > 50


def test_sentences_cover_the_text_in_order() -> None:
    text = "Heading line\nFirst sentence here. Second one, with 2.5 mg.\n\nLast line without stop"
    found = sentences(text)
    assert [s.text for s in found] == [
        "Heading line",
        "First sentence here.",
        "Second one, with 2.5 mg.",
        "Last line without stop",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)
