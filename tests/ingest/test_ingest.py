"""`lupuskg ingest`: each fixture format becomes a draft that validates, with its metadata.

The fixtures in ``fixtures/`` are invented records in the structure of a PubMed efetch
file, a PMC JATS article and a ClinicalTrials.gov API v2 study (identifiers are fake:
PMID 990000xx, DOI prefix 10.5555, NCT999999xx).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from lupuskg.canonical import format_file
from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.exceptions import (
    CurationError,
    MalformedRecordError,
    UnsafeXMLError,
    UnsupportedFormatError,
)
from lupuskg.ingest import draft_for, ingest
from lupuskg.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PUBMED = FIXTURES / "pubmed-efetch.xml"
JATS = FIXTURES / "pmc-jats.xml"
CTGOV = FIXTURES / "ctgov-v2.json"

LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")
LKGD = rdflib.Namespace("https://w3id.org/lupuskg/id/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")


def _graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def _strings(graph: rdflib.Graph, node: rdflib.URIRef, predicate: rdflib.URIRef) -> set[str]:
    return {str(value) for value in graph.objects(node, predicate)}


def _one(graph: rdflib.Graph, node: rdflib.URIRef, predicate: rdflib.URIRef) -> str:
    values = _strings(graph, node, predicate)
    assert len(values) == 1, (predicate, values)
    return values.pop()


def _ordered_authors(graph: rdflib.Graph, doc: rdflib.URIRef) -> list[str]:
    rows = [
        (int(graph.value(a, LKG.authorPosition)), str(graph.value(a, LKG.authorName)))
        for a in graph.objects(doc, LKG.hasAuthorship)
    ]
    return [name for _position, name in sorted(rows)]


def _ingest_and_validate(settings: Settings, path: Path, slug: str | None = None) -> rdflib.Graph:
    made = ingest(settings, path, slug)
    report = validate(settings, [made.document], jobs=1, cache=False)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus} {r.path} {r.message}" for r in violations)
    assert not format_file(made.document, settings, check=True).changed, "draft is not canonical"
    text = made.source.read_bytes()
    graph = _graph(made.document)
    source = graph.value(LKGD[made.slug], LKG.sourceText)
    assert str(graph.value(source, LKG.sha256)) == hashlib.sha256(text).hexdigest()
    return graph


def test_pubmed_record_becomes_a_valid_draft_with_complete_metadata(
    temp_project: Settings,
) -> None:
    graph = _ingest_and_validate(temp_project, PUBMED)
    doc = LKGD["okonkwo-2024"]
    assert (doc, rdflib.RDF.type, LKG.ResearchArticle) in graph
    assert _ordered_authors(graph, doc) == [
        "Okonkwo AN",
        "Müller J",
        "Tanaka H",
        "Fixture Lupus Study Group",
    ]
    assert _one(graph, doc, LKG.venue) == "Journal of Fixture Rheumatology"
    assert _one(graph, doc, BIBO.volume) == "12"
    assert _one(graph, doc, BIBO.issue) == "3"
    assert _one(graph, doc, BIBO.pages) == "201-209"
    assert _one(graph, doc, BIBO.doi) == "10.5555/lupuskg.fixture.001"
    assert _one(graph, doc, BIBO.pmid) == "99000001"
    assert _one(graph, doc, LKG.pmcid) == "PMC9900001"
    assert _one(graph, doc, DCT.issued) == "2024-01-15"  # the electronic date, not the print month
    assert _one(graph, doc, DCT.dateSubmitted) == "2023-09-04"
    assert _one(graph, doc, DCT.dateAccepted) == "2023-12-20"
    assert _strings(graph, doc, LKG.keyword) == {"stromal cells", "renal response"}
    assert _strings(graph, doc, LKG.meshHeading) == {
        "Lupus Nephritis",
        "Mesenchymal Stem Cell Transplantation",
        "Humans",
    }
    assert (doc, DCT.license, None) not in graph  # PubMed states no licence
    text = (temp_project.sources_dir / "okonkwo-2024.txt").read_text(encoding="utf-8")
    assert text.startswith("Umbilical cord mesenchymal stromal cells added")
    assert "\n\nRESULTS: Eleven of the 20 patients" in text
    assert "despite two courses" in text  # inline <i> kept as text


def test_jats_article_becomes_a_valid_draft_with_licence_and_keywords(
    temp_project: Settings,
) -> None:
    graph = _ingest_and_validate(temp_project, JATS)
    doc = LKGD["da-silva-2023"]
    assert (doc, rdflib.RDF.type, LKG.ReviewArticle) in graph
    # the editor is not an author; the consortium is
    assert _ordered_authors(graph, doc) == [
        "da Silva MC",
        "Nguyen VA",
        "Fixture Cell Therapy Consortium",
    ]
    assert _one(graph, doc, DCT.license) == "https://creativecommons.org/licenses/by/4.0/"
    assert _one(graph, doc, LKG.pmcid) == "PMC9900002"
    assert _one(graph, doc, BIBO.pmid) == "99000002"
    assert _one(graph, doc, BIBO.doi) == "10.5555/lupuskg.fixture.002"
    assert _one(graph, doc, BIBO.pages) == "1122334"
    assert _one(graph, doc, BIBO.issn) == "1999-0003"
    assert _one(graph, doc, DCT.issued) == "2023-05-08"
    assert _strings(graph, doc, LKG.keyword) == {
        "CAR T cells",
        "mesenchymal stromal cells",
        "systemic lupus erythematosus",
    }
    text = (temp_project.sources_dir / "da-silva-2023.txt").read_text(encoding="utf-8")
    assert "The body is not ingested" not in text
    assert "Summary: We describe, in made-up terms" in text


def test_ctgov_record_maps_design_arms_and_outcomes(temp_project: Settings) -> None:
    graph = _ingest_and_validate(temp_project, CTGOV)
    doc, study = LKGD["nct99999901"], LKGD["nct99999901.study"]
    assert (doc, rdflib.RDF.type, LKG.TrialRegistryRecord) in graph
    assert _one(graph, study, DCT.identifier) == "NCT99999901"
    assert _one(graph, study, LKG.registration) == "https://clinicaltrials.gov/study/NCT99999901"
    assert _one(graph, study, LKG.acronym) == "FIX-LN"
    assert graph.value(study, LKG.studyDesign) == OBO.OBI_0004001
    assert graph.value(study, LKG.allocation) == LKG.Randomised
    assert graph.value(study, LKG.blinding) == LKG.DoubleBlind
    assert graph.value(study, LKG.controlType) == LKG.PlaceboControl
    assert _strings(graph, study, LKG.trialPhase) == {"Phase 1", "Phase 2"}
    assert _one(graph, study, LKG.sampleSize) == "14"
    assert _one(graph, study, LKG.overallStatus) == "Terminated"
    assert graph.value(study, LKG.terminatedEarly).toPython() is True
    assert _one(graph, study, LKG.enrolmentStart) == "2021-03"
    assert _one(graph, study, LKG.primaryCompletion) == "2023-06-30"
    assert _one(graph, study, LKG.studyCompletion) == "2023-12"
    assert _strings(graph, study, LKG.registeredCondition) == {
        "Lupus Nephritis",
        "Systemic Lupus Erythematosus",
    }
    assert set(graph.objects(study, LKG.population)) == {OBO.MONDO_0005556, OBO.MONDO_0007915}
    assert _strings(graph, study, LKG.primaryEndpoint) == {"Renal response (time frame: 12 months)"}
    assert _strings(graph, study, LKG.secondaryEndpoint) == {
        "SLEDAI-2K change from baseline (time frame: 6 and 12 months)",
        "Adverse events (time frame: 12 months)",
    }
    assert _one(graph, study, LKG.centreCount) == "2"
    assert _strings(graph, study, LKG.country) == {"Nowhereland", "Elsewhereland"}
    assert set(graph.objects(study, LKG.intervention)) == {LKG.UCMSCTherapy}
    assert set(graph.objects(study, LKG.comparator)) == {LKG.Placebo}
    arms = {str(graph.value(a, rdflib.RDFS.label)): a for a in graph.objects(study, LKG.hasArm)}
    assert set(arms) == {"Stromal cells", "Placebo"}
    assert graph.value(arms["Stromal cells"], LKG.armRole) == LKG.ExperimentalArm
    assert graph.value(arms["Placebo"], LKG.armRole) == LKG.PlaceboComparatorArm
    cells = graph.value(arms["Stromal cells"], LKG.armIntervention)
    assert graph.value(cells, LKG.therapy) == LKG.UCMSCTherapy
    assert graph.value(cells, LKG.donorType) == LKG.Allogeneic
    assert graph.value(cells, LKG.route) == LKG.IntravenousRoute
    placebo = graph.value(arms["Placebo"], LKG.armIntervention)
    assert graph.value(placebo, LKG.therapy) == LKG.Placebo
    for arm in arms.values():  # given in both arms: background of an add-on design
        assert graph.value(arm, LKG.backgroundTherapy) == LKG.StandardImmunosuppressiveRegimen
    assert _strings(graph, doc, LKG.meshHeading) == {
        "Lupus Nephritis",
        "Lupus Erythematosus, Systemic",
    }
    assert _one(graph, doc, DCT.issued) == "2020-11-16"
    assert _one(graph, doc, DCT.modified) == "2024-04-25"
    text = (temp_project.sources_dir / "nct99999901.txt").read_text(encoding="utf-8")
    for part in ("Brief summary: ", "Design: ", "Arms:\n- Stromal cells", "Primary outcomes:\n"):
        assert part in text


def test_estimated_enrolment_and_unmatched_interventions_are_flagged_not_guessed(
    temp_project: Settings, tmp_path: Path
) -> None:
    record = json.loads(CTGOV.read_text(encoding="utf-8"))
    design = record["protocolSection"]["designModule"]
    design["enrollmentInfo"] = {"count": 40, "type": "ESTIMATED"}
    record["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"
    record["protocolSection"]["armsInterventionsModule"]["interventions"][0]["name"] = "XYZ-101"
    record["protocolSection"]["armsInterventionsModule"]["interventions"][0]["description"] = None
    record["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["interventionNames"] = [
        "Biological: XYZ-101",
        "Drug: Standard of care",
    ]
    path = tmp_path / "estimated.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    graph = _ingest_and_validate(temp_project, path, "fixture-estimated")
    study = LKGD["fixture-estimated.study"]
    assert (study, LKG.sampleSize, None) not in graph
    assert _one(graph, study, LKG.anticipatedEnrolment) == "40"
    assert (study, LKG.terminatedEarly, None) not in graph
    unmatched = LKGD["fixture-estimated.intervention-01"]
    assert graph.value(unmatched, LKG.therapy) == LKG.Therapy
    assert any("XYZ-101" in note for note in _strings(graph, unmatched, LKG.curationNote))


def test_slug_option_and_existing_slug_refused(temp_project: Settings) -> None:
    made = ingest(temp_project, PUBMED, "okonkwo-2024-fixture")
    assert made.document.name == "okonkwo-2024-fixture.ttl"
    assert made.authors == 4
    with pytest.raises(CurationError, match="already exists"):
        ingest(temp_project, PUBMED, "okonkwo-2024-fixture")


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", ["hostile-billion-laughs.xml", "hostile-external-entity.xml"])
def test_hostile_xml_is_refused_before_any_expansion(name: str, temp_project: Settings) -> None:
    before = sorted(temp_project.root.glob("graph/*/*"))
    with pytest.raises(UnsafeXMLError, match="nothing was expanded"):
        ingest(temp_project, FIXTURES / name)
    assert sorted(temp_project.root.glob("graph/*/*")) == before  # nothing written


@pytest.mark.timeout(20)
def test_an_unboundable_entity_bomb_is_refused_so_it_was_never_expanded() -> None:
    """10**40 characters could never be built: finishing at all proves nothing expanded."""
    levels = ['<!ENTITY a0 "ha">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 41)
    ]
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [' + "".join(levels) + "]>"
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>"
        "<ArticleTitle>&a40;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>"
    ).encode()
    with pytest.raises(UnsafeXMLError):
        draft_for(bomb, "bomb.xml")


def test_a_public_dtd_line_is_accepted_but_never_fetched() -> None:
    """PubMed files name their DTD by URL; 127.0.0.1:9 would refuse a fetch."""
    data = PUBMED.read_bytes().replace(
        b"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd", b"http://127.0.0.1:9/x.dtd"
    )
    fmt, slug, _draft = draft_for(data, "pubmed.xml")
    assert (fmt, slug) == ("pubmed", "okonkwo-2024")


def test_an_entity_reference_without_declaration_is_an_error_not_a_lookup() -> None:
    data = b"<PubmedArticleSet><PubmedArticle>&xxe;</PubmedArticle></PubmedArticleSet>"
    with pytest.raises(MalformedRecordError, match="undefined entity"):
        draft_for(data, "x.xml")


@pytest.mark.parametrize(
    ("data", "error", "where"),
    [
        (b"<PubmedArticleSet><PubmedArticle>", MalformedRecordError, "x:1:"),
        (
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
            b"<Article></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            MalformedRecordError,
            "PubmedArticleSet/PubmedArticle/MedlineCitation/Article/ArticleTitle",
        ),
        (b"<PubmedArticleSet></PubmedArticleSet>", MalformedRecordError, "PubmedArticleSet"),
        (b"<article><front></front></article>", MalformedRecordError, "article/front/article-meta"),
        (b"<rss><channel/></rss>", UnsupportedFormatError, "<rss>"),
        (b'{"studies": []}', MalformedRecordError, "$.studies"),
        (b'{"hits": 3}', UnsupportedFormatError, "$.protocolSection"),
        (
            b'{"protocolSection": {}}',
            MalformedRecordError,
            "$.protocolSection.identificationModule",
        ),
        (b"%PDF-1.4", UnsupportedFormatError, "neither XML nor JSON"),
        (b'{"protocolSection": ', MalformedRecordError, "line 1"),
    ],
)
def test_malformed_or_unsupported_input_names_the_element_or_json_path(
    data: bytes, error: type[Exception], where: str
) -> None:
    with pytest.raises(error) as raised:
        draft_for(data, "x")
    assert where in str(raised.value)


def test_wrong_json_types_name_their_path() -> None:
    record = json.loads(CTGOV.read_text(encoding="utf-8"))
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "fourteen"
    with pytest.raises(MalformedRecordError) as raised:
        draft_for(json.dumps(record).encode(), "x.json")
    assert raised.value.where == "$.protocolSection.designModule.enrollmentInfo.count"
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 14
    record["protocolSection"]["armsInterventionsModule"]["armGroups"][1]["label"] = ""
    with pytest.raises(MalformedRecordError) as raised:
        draft_for(json.dumps(record).encode(), "x.json")
    assert raised.value.where == "$.protocolSection.armsInterventionsModule.armGroups[1].label"


def test_cli_ingests_and_fails_cleanly(temp_project: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["ingest", str(CTGOV)])
    assert done.exit_code == 0, done.output
    assert "as ctgov" in done.output
    assert (temp_project.documents_dir / "nct99999901.ttl").is_file()
    broken = tmp_path / "broken.json"
    broken.write_text('{"protocolSection": {"identificationModule": {}}}', encoding="utf-8")
    failed = runner.invoke(main, ["ingest", str(broken)])
    assert failed.exit_code == 2
    assert "$.protocolSection.identificationModule.nctId" in failed.output
    hostile = runner.invoke(main, ["ingest", str(FIXTURES / "hostile-external-entity.xml")])
    assert hostile.exit_code == 2
    assert "refused" in hostile.output
    assert "root:" not in hostile.output  # /etc/passwd was never read
