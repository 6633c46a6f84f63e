"""The ontology itself: parses everywhere, is consistent under HermiT, and covers the contract."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from lupuskg.config import Settings, settings
from lupuskg.ontology import ReasonerResult, read_reference_table, resolve_imports, run_hermit

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
MAIN = ONTOLOGY / "lupuskg.ttl"
IMPORT = ONTOLOGY / "imports" / "obo-import.ttl"
REFERENCE = ONTOLOGY / "reference" / "obo-terms.tsv"
LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
OIO = rdflib.Namespace("http://www.geneontology.org/formats/oboInOwl#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SCHEMA = rdflib.Namespace("https://schema.org/")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/lupuskg/ontology")
IMPORT_IRI = rdflib.URIRef("https://w3id.org/lupuskg/ontology/imports/obo-import.owl")

#: every lkg: local name the modelling contract fixes; renaming one breaks the documents
_CONTRACT = """
Document PerspectiveArticle ReviewArticle NewsReport ResearchArticle SourceText Study StudyDesign
ComparativeStudyDesign ClinicalTrialDesign CaseReportDesign NarrativeReviewDesign
ExpertOpinionDesign Claim EfficacyClaim SafetyClaim MechanismClaim LimitationClaim BarrierClaim
BackgroundClaim HistoricalClaim ProcedureClaim ResearchGapClaim Quote Therapy StemCellTherapy
AutologousHSCT MSCTherapy UCMSCTherapy BMMSCTherapy ADMSCTherapy ModifiedMSCTherapy
ConventionalTherapy AntimalarialTherapy CyclophosphamideTherapy MycophenolateMofetilTherapy
AzathioprineTherapy StandardImmunosuppressiveRegimen ConditioningRegimen
HighDoseChemotherapyConditioning TotalBodyIrradiationConditioning
HighDoseImmunosuppressiveConditioning CombinationTherapy DonorType Autologous Allogeneic
Mechanism ImmuneReset ImmuneAblation ImmuneReconstitution EliminationOfAutoreactiveCells
Immunomodulation AntiInflammatoryEffect TissueRepair PreventionOfImmuneMediatedDamage
CellProliferation CellActivity Immunosuppression HematopoieticDifferentiation SevereSLE
RefractorySLE RefractoryLupusNephritis HematologicMalignancy Outcome EfficacyOutcome Remission
CompleteRemission SustainedRemission DiseaseActivity ResponseRate Relapse
NeedForImmunosuppressants RenalFunction Proteinuria Survival SignsAndSymptoms DiseaseProgression
TherapeuticBenefit SafetyOutcome TreatmentRelatedMortality Infection AdverseEvent SideEffects
WarmSensationWithDizziness Headache Nausea Vomiting ProcedureRisk DrugIntolerance Malignancy
Barrier CostBarrier AvailabilityBarrier PatientSelectionRequirement VariableResponse
LongTermTreatmentRequirement SafetyAssessment BloodTest UrinalysisTest LiverFunctionTest
Electrocardiography ChestRadiography WhiteBloodCellCount PlateletCount TumourMarkerTest Direction
Improves Worsens NoEffect Mixed Observed NotObserved Promotes Inhibits Certainty Established
Suggested Speculative intervention comparator outcome mechanism targetCell cellSource donorType
cellType conditioning population direction certainty evidenceType aboutStudy sourceDocument
hasQuote statement qualifier curationNote inSourceText acronym studyDesign country startYear
endYear periodLabel sampleSize followUp safetyAssessment reportedIn citationTitle venue
sourceText sha256 filePath evidenceLevel usesCellType
"""
CONTRACT_TERMS = _CONTRACT.split()

#: abbreviation -> the term that must carry it as an exact synonym
ABBREVIATIONS = {
    "HSCT": OBO.MAXO_0000747,
    "SLE": OBO.MONDO_0007915,
    "LN": OBO.MONDO_0005556,
    "Treg": OBO.CL_0000815,
    "Th17": OBO.CL_0000899,
    "MSC": OBO.CL_0000134,
    "UC-MSC": OBO.CL_0002569,
    "BM-MSC": OBO.CL_0002540,
    "AD-MSC": OBO.CL_0002570,
    "TRM": LKG.TreatmentRelatedMortality,
    "MMF": LKG.MycophenolateMofetilTherapy,
    "ATG": LKG.AntiThymocyteGlobulin,
    "G-CSF": LKG.GCSF,
    "HCQ": LKG.Hydroxychloroquine,
    "CAR-T": LKG.CARTCellTherapy,
    "SLEDAI-2000": LKG.SLEDAI2K,
    "anti-dsDNA": LKG.AntiDsDNA,
    "C3": LKG.C3Level,
    "OS": LKG.OverallSurvival,
    "PFS": LKG.ProgressionFreeSurvival,
    "RR": LKG.RiskRatio,
    "HR": LKG.HazardRatio,
    "NMA": LKG.NonMyeloablative,
}

_DECLARED = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def own_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    terms = {s for t in (*_DECLARED, OWL.NamedIndividual) for s in graph.subjects(RDF.type, t)}
    return {t for t in terms if isinstance(t, rdflib.URIRef) and t.startswith(str(LKG))}


def obo_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    nodes = {node for triple in graph for node in triple}
    return {n for n in nodes if isinstance(n, rdflib.URIRef) and n.startswith(str(OBO))}


@pytest.mark.parametrize("path", [MAIN, IMPORT], ids=["main", "import"])
def test_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    by_rdflib = rdflib.Graph().parse(path)
    by_oxigraph = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(by_rdflib) == len(by_oxigraph) > 100


def test_header(merged: rdflib.Graph) -> None:
    def one(predicate: rdflib.URIRef) -> rdflib.term.Node:
        return merged.value(ONTOLOGY_IRI, predicate, any=False)

    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in merged
    # the version is stated once, in pyproject.toml; the ontology header must agree with it
    version = settings(ROOT).version
    assert (str(one(OWL.versionInfo)), str(one(OWL.versionIRI))) == (
        version,
        f"{ONTOLOGY_IRI}/{version}/lupuskg.owl",
    ), (
        f'ontology/lupuskg.ttl: set owl:versionInfo "{version}" and owl:versionIRI '
        f"<{ONTOLOGY_IRI}/{version}/lupuskg.owl>, the version in pyproject.toml"
    )
    assert str(one(DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert one(DCTERMS.title) and one(DCTERMS.description) and one(DCTERMS.creator)
    for predicate in (DCTERMS.created, DCTERMS.modified):
        assert one(predicate).datatype == XSD.date
    assert one(OWL.imports) == IMPORT_IRI


def test_catalog_resolves_the_import_offline() -> None:
    namespace = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    root = ET.parse(ONTOLOGY / "catalog-v001.xml").getroot()
    mapping = {e.attrib["name"]: e.attrib["uri"] for e in root.iter(f"{namespace}uri")}
    target = ONTOLOGY / mapping[str(IMPORT_IRI)]
    assert target.resolve() == IMPORT.resolve()
    assert (IMPORT_IRI, RDF.type, OWL.Ontology) in rdflib.Graph().parse(target)


def test_reference_table_is_a_byte_copy_of_the_shared_one() -> None:
    shared = ROOT.parent / "shared" / "reference" / "obo-terms.tsv"
    if not shared.is_file():
        pytest.skip("the shared reference folder exists only on the project machine")
    assert REFERENCE.read_bytes() == shared.read_bytes()


def test_hermit_consistent_without_unsatisfiable_classes(hermit: ReasonerResult) -> None:
    assert not hermit.java_missing
    assert hermit.consistent
    assert hermit.unsatisfiable == []
    assert hermit.seconds < 60


def test_contract_terms_are_declared(merged: rdflib.Graph) -> None:
    missing = [name for name in CONTRACT_TERMS if LKG[name] not in own_terms(merged)]
    assert not missing, f"declare these contract terms in ontology/lupuskg.ttl: {missing}"


def test_every_own_term_has_label_and_definition(merged: rdflib.Graph) -> None:
    bad = sorted(
        term.n3(merged.namespace_manager)
        for term in own_terms(merged)
        if merged.value(term, RDFS.label) is None or merged.value(term, OBO.IAO_0000115) is None
    )
    assert not bad, f"add rdfs:label and obo:IAO_0000115 to: {bad}"


def test_own_labels_and_definitions_are_english(merged: rdflib.Graph) -> None:
    for term in own_terms(merged):
        for predicate in (RDFS.label, OBO.IAO_0000115):
            for value in merged.objects(term, predicate):
                assert value.language == "en", f"{term} {predicate}: tag it @en"


def test_reused_obo_labels_match_reference(merged: rdflib.Graph) -> None:
    reference = read_reference_table(REFERENCE)
    for term in obo_terms(merged):
        label, confidence = reference[str(term)]
        assert confidence != "unverified", f"{term} is unverified in obo-terms.tsv"
        assert {str(x) for x in merged.objects(term, RDFS.label)} == {label}, term


def test_import_module_declares_every_obo_term_the_main_file_uses() -> None:
    main, imported = rdflib.Graph().parse(MAIN), rdflib.Graph().parse(IMPORT)
    declared = {s for t in _DECLARED for s in imported.subjects(RDF.type, t)}
    assert obo_terms(main) - declared == set()


def test_main_file_never_relabels_obo_terms() -> None:
    main = rdflib.Graph().parse(MAIN)
    relabelled = [t for t in obo_terms(main) if (t, RDFS.label, None) in main]
    assert relabelled == [], "labels of OBO terms live only in the import module"


@pytest.mark.parametrize(("abbreviation", "term"), sorted(ABBREVIATIONS.items()))
def test_abbreviations_are_exact_synonyms(
    merged: rdflib.Graph, abbreviation: str, term: rdflib.URIRef
) -> None:
    synonyms = {str(s) for s in merged.objects(term, OIO.hasExactSynonym)}
    assert abbreviation in synonyms


@pytest.mark.parametrize(
    ("enumeration", "members"),
    [
        ("DonorType", {"Autologous", "Allogeneic"}),
        ("Certainty", {"Established", "Suggested", "Speculative"}),
        (
            "Direction",
            {"Improves", "Worsens", "NoEffect", "Mixed"}
            | {"Observed", "NotObserved", "Promotes", "Inhibits"},
        ),
        ("AllocationType", {"Randomised", "NonRandomised"}),
        ("BlindingType", {"OpenLabel", "SingleBlind", "DoubleBlind"}),
        (
            "ControlType",
            {"PlaceboControl", "ActiveControl", "NoControl", "SelfControlledBeforeAfter"},
        ),
        (
            "ArmRole",
            {"ExperimentalArm", "ActiveComparatorArm", "PlaceboComparatorArm"}
            | {"NoInterventionArm", "SelfControlledBaselineArm"},
        ),
    ],
)
def test_enumerations_are_closed_and_distinct(
    merged: rdflib.Graph, enumeration: str, members: set[str]
) -> None:
    expected = {LKG[name] for name in members}
    (equivalent,) = merged.objects(LKG[enumeration], OWL.equivalentClass)
    one_of = set(rdflib.collection.Collection(merged, merged.value(equivalent, OWL.oneOf)))
    assert one_of == expected
    assert set(merged.subjects(RDF.type, LKG[enumeration])) == expected
    distinct = [
        set(rdflib.collection.Collection(merged, merged.value(node, OWL.distinctMembers)))
        for node in merged.subjects(RDF.type, OWL.AllDifferent)
    ]
    assert expected in distinct


def test_study_designs_carry_integer_evidence_levels(merged: rdflib.Graph) -> None:
    levels = {
        str(design): level.toPython()
        for design, level in merged.subject_objects(LKG.evidenceLevel)
        if level.datatype == XSD.integer
    }
    assert levels == {
        str(OBO.OBI_0004001): 1,
        str(LKG.ComparativeStudyDesign): 2,
        str(LKG.ClinicalTrialDesign): 3,
        str(OBO.OBI_0002674): 4,
        str(LKG.CaseReportDesign): 5,
        str(LKG.NarrativeReviewDesign): 6,
        str(LKG.ExpertOpinionDesign): 7,
        str(LKG.SystematicReviewDesign): 1,
        str(LKG.CohortStudyDesign): 3,
        str(LKG.RegistryStudyDesign): 3,
    }


def test_t_cell_subsets_are_found_through_the_cl_hierarchy(merged: rdflib.Graph) -> None:
    rows = merged.query(
        "SELECT ?cell WHERE { ?cell rdfs:subClassOf+ obo:CL_0000084 }",
        initNs={"rdfs": RDFS, "obo": OBO},
    )
    subsets = {str(row.cell).rsplit("_", 1)[1] for row in rows}
    assert subsets == {"0000815", "0000792", "0000899", "0000545", "0000546"}


def test_properties_have_domain_and_range(merged: rdflib.Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    props = {p for kind in kinds for p in merged.subjects(RDF.type, kind)} & own_terms(merged)
    bad = [p for p in props if None in (merged.value(p, RDFS.domain), merged.value(p, RDFS.range))]
    assert not bad, f"give these properties rdfs:domain and rdfs:range: {sorted(bad)}"


def test_contract_datatypes(merged: rdflib.Graph) -> None:
    """OWL ranges stay inside the OWL 2 datatype map; schema:rangeIncludes names the rest."""
    ranges = {"sampleSize": XSD.nonNegativeInteger, "statement": XSD.string, "sha256": XSD.string}
    assert {name: merged.value(LKG[name], RDFS.range) for name in ranges} == ranges
    outside = {"followUp": XSD.duration, "startYear": XSD.gYear, "endYear": XSD.gYear}
    for name, datatype in outside.items():
        assert merged.value(LKG[name], RDFS.range) == RDFS.Literal
        assert merged.value(LKG[name], SCHEMA.rangeIncludes) == datatype
    assert merged.value(LKG.curationNote, RDFS.subPropertyOf) == rdflib.SKOS.editorialNote


def _probe(graph: rdflib.Graph, name: str, *parents: rdflib.URIRef) -> rdflib.URIRef:
    probe = LKG["Probe" + name]
    graph.add((probe, RDF.type, OWL.Class))
    for parent in parents:
        graph.add((probe, RDFS.subClassOf, parent))
    return probe


def test_disjointness_axioms_bite(real_settings: Settings, merged: rdflib.Graph, hermit) -> None:  # type: ignore[no-untyped-def]
    """Classes below two disjoint classes must be unsatisfiable; claim kinds may overlap."""
    graph = rdflib.Graph() + merged
    must_fail = {
        _probe(graph, "StemConventional", LKG.StemCellTherapy, LKG.ConventionalTherapy),
        _probe(graph, "HsctMsc", OBO.MAXO_0000747, LKG.MSCTherapy),
        _probe(graph, "UcBm", LKG.UCMSCTherapy, LKG.BMMSCTherapy),
        _probe(graph, "BmAd", LKG.BMMSCTherapy, LKG.ADMSCTherapy),
        _probe(graph, "AutoAllo", LKG.AutologousHSCT, OBO.MAXO_0001479),
        _probe(graph, "EfficacySafety", LKG.EfficacyOutcome, LKG.SafetyOutcome),
        _probe(graph, "SafetyBarrier", LKG.SafetyOutcome, LKG.Barrier),
        _probe(graph, "ClaimQuote", LKG.Claim, LKG.Quote),
        _probe(graph, "DocumentStudy", LKG.Document, LKG.Study),
    }
    _probe(graph, "EfficacySafetyClaim", LKG.EfficacyClaim, LKG.SafetyClaim)
    _probe(graph, "ModifiedUc", LKG.ModifiedMSCTherapy, LKG.UCMSCTherapy)
    result = run_hermit(real_settings, graph)
    assert result.consistent
    assert set(result.unsatisfiable) == {str(p) for p in must_fail}


def test_import_closure_is_resolved_from_the_catalog(real_settings: Settings) -> None:
    assert resolve_imports(real_settings) == [MAIN, IMPORT.resolve()]


def test_remission_and_response_rate_meet_under_clinical_response(merged: rdflib.Graph) -> None:
    """Q10/Q11 compare outcomes through this parent (issue 11, part 8)."""
    rows = merged.query(
        "SELECT ?outcome WHERE { ?outcome rdfs:subClassOf+ lkg:ClinicalResponse }",
        initNs={"rdfs": RDFS, "lkg": LKG},
    )
    below = {str(row.outcome).rsplit("/", 1)[1] for row in rows}
    assert {"Remission", "ResponseRate", "CompleteRemission", "PartialRemission"} <= below
    assert {"MajorClinicalResponse", "PartialClinicalResponse", "SustainedRemission"} <= below


def test_placebo_is_a_comparator_never_a_therapy(merged: rdflib.Graph) -> None:
    ask = "ASK { lkg:Placebo rdfs:subClassOf* lkg:Therapy }"
    assert not merged.query(ask, initNs={"rdfs": RDFS, "lkg": LKG}).askAnswer
    ask = "ASK { lkg:Placebo rdfs:subClassOf+ lkg:ArmTreatment }"
    assert merged.query(ask, initNs={"rdfs": RDFS, "lkg": LKG}).askAnswer
