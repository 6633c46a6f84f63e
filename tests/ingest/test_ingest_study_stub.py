"""The study stub of PubMed and JATS drafts: what the record states about the study, no more.

Each fixture record's whole draft is compared, as a graph (isomorphism), with its golden
file in tests/expected/ingest/ (rewritten by ``./scripts/test.sh --update-expected``);
the tests below it say which parts of the stub come from which part of the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from lupuskg.config import Settings
from lupuskg.ingest import draft_for, ingest
from lupuskg.rdfio import canonical_turtle
from lupuskg.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDS = {
    "pubmed-efetch": FIXTURES / "pubmed-efetch.xml",
    "pubmed-rct": FIXTURES / "pubmed-rct.xml",
    "pmc-jats": FIXTURES / "pmc-jats.xml",
    "ctgov-v2": FIXTURES / "ctgov-v2.json",
}
LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")
LKGD = rdflib.Namespace("https://w3id.org/lupuskg/id/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def _draft(name: str) -> tuple[str, rdflib.Graph]:
    _kind, slug, draft = draft_for(RECORDS[name].read_bytes(), str(RECORDS[name]))
    # as written to graph/documents/: canonical Turtle, read back
    return slug, rdflib.Graph().parse(data=canonical_turtle(draft.graph), format="turtle")


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_draft_matches_its_golden_graph(name: str, golden: Any) -> None:
    _slug, drafted = _draft(name)
    expected_name = f"ingest/{name}.ttl"
    if golden.update:
        golden.path(expected_name).parent.mkdir(parents=True, exist_ok=True)
        golden.rewrite(expected_name, canonical_turtle(drafted).encode("utf-8"))
        return
    path = golden.path(expected_name)
    assert path.is_file(), f"{path} is missing: run ./scripts/test.sh --update-expected"
    expected = rdflib.Graph().parse(path, format="turtle")
    if not isomorphic(drafted, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(drafted))
        lines = [f"- {t}" for t in sorted(missing)] + [f"+ {t}" for t in sorted(extra)]
        pytest.fail(f"draft of {name} differs from {path.name}:\n" + "\n".join(lines[:40]))


def _study(graph: rdflib.Graph, slug: str) -> rdflib.URIRef:
    return LKGD[f"{slug}.study"]


def test_an_rct_record_states_design_allocation_phase_centres_and_registration() -> None:
    slug, graph = _draft("pubmed-rct")
    study = _study(graph, slug)
    assert (study, rdflib.RDF.type, LKG.Study) in graph
    assert (study, LKG.reportedIn, LKGD[slug]) in graph
    assert set(graph.objects(study, LKG.studyDesign)) == {OBO.OBI_0004001}
    assert set(graph.objects(study, LKG.allocation)) == {LKG.Randomised}
    assert {str(p) for p in graph.objects(study, LKG.trialPhase)} == {"Phase 2"}
    assert graph.value(study, LKG.multicentre) == rdflib.Literal(True)
    assert set(graph.objects(study, LKG.registration)) == {
        rdflib.URIRef("https://clinicaltrials.gov/study/NCT09900004")
    }
    assert {str(i) for i in graph.objects(study, DCT.identifier)} == {"NCT09900004"}
    assert set(graph.objects(study, LKG.population)) == {OBO.MONDO_0007915}
    # stated only in the text: left to the curator, and the stub says so
    for predicate in (LKG.sampleSize, LKG.followUp, LKG.hasArm, LKG.intervention):
        assert (study, predicate, None) not in graph, predicate
    notes = " ".join(str(n) for n in graph.objects(study, LKG.curationNote))
    assert "lkg:sampleSize" in notes and "lkg:hasArm" in notes
    doc_notes = " ".join(str(n) for n in graph.objects(LKGD[slug], LKG.curationNote))
    assert "'NCT-not-a-number'" in doc_notes  # a malformed number is reported, not kept
    assert "10.5555/fixture.data.004" not in doc_notes + notes  # a data bank, not a registry


def test_a_record_without_a_design_gets_no_study_but_a_note() -> None:
    slug, graph = _draft("pubmed-efetch")  # publication type: Journal Article only
    assert not set(graph.subjects(rdflib.RDF.type, LKG.Study))
    notes = " ".join(str(n) for n in graph.objects(LKGD[slug], LKG.curationNote))
    assert "states no study design (publication types: Journal Article)" in notes


def test_a_jats_review_is_a_study_of_its_own() -> None:
    slug, graph = _draft("pmc-jats")
    study = _study(graph, slug)
    assert set(graph.objects(study, LKG.studyDesign)) == {LKG.NarrativeReviewDesign}
    assert (study, LKG.allocation, None) not in graph
    assert (study, LKG.multicentre, None) not in graph


@pytest.mark.parametrize(
    ("types", "design", "extra"),
    [
        (["Journal Article", "Case Reports"], LKG.CaseReportDesign, "OBI_0002674"),
        (["Review", "Systematic Review"], LKG.SystematicReviewDesign, None),
        (["Meta-Analysis"], LKG.SystematicReviewDesign, None),
        (["Clinical Trial"], LKG.ClinicalTrialDesign, None),
        (["Comparative Study"], LKG.ComparativeStudyDesign, None),
        (["Observational Study"], None, None),
    ],
)
def test_publication_types_map_to_designs(
    types: list[str], design: rdflib.URIRef | None, extra: str | None
) -> None:
    data = RECORDS["pubmed-rct"].read_text(encoding="utf-8")
    start, end = data.index("<PublicationTypeList>"), data.index("</PublicationTypeList>")
    listed = "".join(f"<PublicationType>{t}</PublicationType>" for t in types)
    data = data[:start] + f"<PublicationTypeList>{listed}" + data[end:]
    data = data.replace("<DataBankName>ClinicalTrials.gov", "<DataBankName>figshare")
    _kind, slug, draft = draft_for(data.encode("utf-8"), "record.xml")
    study = LKGD[f"{slug}.study"]
    if design is None:
        assert not set(draft.graph.subjects(rdflib.RDF.type, LKG.Study))
        return
    assert set(draft.graph.objects(study, LKG.studyDesign)) == {design}
    assert (study, LKG.allocation, None) not in draft.graph  # randomised only for an RCT
    if extra:
        assert extra in " ".join(str(n) for n in draft.graph.objects(study, LKG.curationNote))


@pytest.mark.parametrize("name", ["pubmed-rct", "pmc-jats"])
def test_drafts_with_a_study_stub_validate(name: str, temp_project: Settings) -> None:
    made = ingest(temp_project, RECORDS[name])
    report = validate(temp_project, [made.document], jobs=1, cache=False)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus} {r.path} {r.message}" for r in violations)
