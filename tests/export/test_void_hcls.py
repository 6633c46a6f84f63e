"""The release VoID against the HCLS dataset-description profile (W3C HCLS note, as tabled
by its MUST / MUST NOT rows for the summary, version and distribution levels)."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import RDF, URIRef

DCT = rdflib.Namespace("http://purl.org/dc/terms/")
DCTYPES = rdflib.Namespace("http://purl.org/dc/dcmitype/")
PAV = rdflib.Namespace("http://purl.org/pav/")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")

SUMMARY_MUST = [DCT.title, DCT.description, DCT.publisher, PAV.hasCurrentVersion]
SUMMARY_MUST_NOT = [VOID.dataDump, DCT.creator]
VERSION_MUST = [
    DCT.title,
    DCT.description,
    DCT.creator,
    DCT.publisher,
    DCT.isVersionOf,
    DCT.hasDistribution,
    PAV.version,
]
VERSION_MUST_NOT = [VOID.dataDump]
DISTRIBUTION_MUST = [
    DCT.title,
    DCT.description,
    DCT.creator,
    DCT.publisher,
    DCT["format"],
    DCT.license,
]


def hcls_violations(g: rdflib.Graph) -> list[str]:
    problems = []
    summaries = [s for s in g.subjects(DCT.hasVersion, None) if (s, RDF.type, DCTYPES.Dataset) in g]
    if len(summaries) != 1:
        return [f"expected one summary-level dctypes:Dataset, found {len(summaries)}"]
    summary = summaries[0]
    for p in SUMMARY_MUST:
        if g.value(summary, p) is None:
            problems.append(f"summary lacks {p}")
    problems += [f"summary has {p}" for p in SUMMARY_MUST_NOT if g.value(summary, p) is not None]
    for version in g.objects(summary, DCT.hasVersion):
        if (version, RDF.type, DCTYPES.Dataset) not in g:
            problems.append("version level is not a dctypes:Dataset")
        problems += [f"version lacks {p}" for p in VERSION_MUST if g.value(version, p) is None]
        problems += [
            f"version has {p}" for p in VERSION_MUST_NOT if g.value(version, p) is not None
        ]
        for dist in g.objects(version, DCT.hasDistribution):
            if (dist, RDF.type, DCAT.Distribution) not in g:
                problems.append(f"{dist} is not a dcat:Distribution")
            problems += [f"{dist} lacks {p}" for p in DISTRIBUTION_MUST if g.value(dist, p) is None]
            if (dist, RDF.type, VOID.Dataset) in g:
                for p in (VOID.dataDump, VOID.triples):
                    if g.value(dist, p) is None:
                        problems.append(f"RDF distribution {dist} lacks {p}")
    return problems


def test_release_void_meets_the_hcls_profile(release) -> None:  # type: ignore[no-untyped-def]
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    assert hcls_violations(g) == []
    rdf_dumps = [d for d in g.subjects(RDF.type, VOID.Dataset) if g.value(d, VOID.dataDump)]
    assert rdf_dumps, "no distribution carries the statistics"


def test_hcls_check_catches_a_missing_field(release) -> None:  # type: ignore[no-untyped-def]
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    dist = next(g.objects(None, DCT.hasDistribution))
    g.remove((dist, DCT["format"], None))
    summary = next(g.subjects(DCT.hasVersion, None))
    g.add((summary, DCT.creator, URIRef("https://w3id.org/lupuskg/")))
    found = hcls_violations(g)
    assert f"{dist} lacks {DCT['format']}" in found and f"summary has {DCT.creator}" in found


# ---------------------------------------------------------------- the same rows as SHACL

#: ontology/hcls-shapes.ttl: the MUST and MUST NOT rows of the HCLS note's tables for the
#: summary, version and distribution levels (W3C HCLS dataset descriptions, 2015; rows as
#: tabulated by the note's authors in micheldumontier/hcls-shex), one property shape each;
#: and, as sh:Warning, the SHOULD rows the description states (the two *ShouldShape*s).
HCLS_SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "hcls-shapes.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def shacl_results(g: rdflib.Graph, severity: rdflib.URIRef | None = None) -> set[tuple[str, str]]:
    """(focus node, message) of the HCLS shapes' results, by pySHACL with those shapes only:
    every result, or only those of ``severity`` (the SHOULD rows are ``sh:Warning``)."""
    import pyshacl

    shapes = rdflib.Graph().parse(HCLS_SHAPES)
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes)
    assert isinstance(report, rdflib.Graph)
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if severity is None or report.value(r, SH.resultSeverity) == severity
    }


def shacl_violations(g: rdflib.Graph) -> set[tuple[str, str]]:
    """Every result, whatever its severity: "0 violations" also means 0 warnings."""
    return shacl_results(g)


def shacl_warnings(g: rdflib.Graph) -> set[tuple[str, str]]:
    """Only the ``sh:Warning`` results: the SHOULD rows."""
    return shacl_results(g, SH.Warning)


def test_release_void_against_the_hcls_shapes(release) -> None:  # type: ignore[no-untyped-def]
    """0 violations at every level (issue 15 part 5: 8 on the version level before), and
    the shapes did reach each level: one summary, one version, every distribution."""
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    assert shacl_violations(g) == set()
    (version,) = g.subjects(DCT.isVersionOf, None)
    assert len(list(g.subjects(DCT.hasVersion, None))) == 1
    assert len(list(g.objects(version, DCT.hasDistribution))) == len(release.files) - 2


def test_statistics_sit_on_the_rdf_distributions(release) -> None:  # type: ignore[no-untyped-def]
    """The HCLS note puts VoID statistics, subsets and vocabularies on the RDF
    distributions; the summary and version levels are not void:Datasets."""
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    (version,) = g.subjects(DCT.isVersionOf, None)
    (summary,) = g.subjects(DCT.hasVersion, None)
    for node in (summary, version):
        assert (node, RDF.type, VOID.Dataset) not in g
        found = {p for _, p, _ in g.triples((node, None, None)) if str(p).startswith(VOID)}
        assert found <= {VOID.sparqlEndpoint}, (node, found)
    assert g.value(version, VOID.sparqlEndpoint) is None  # the summary states it
    dumps = sorted(d for d in g.objects(version, DCT.hasDistribution) if g.value(d, VOID.dataDump))
    assert [str(d).rsplit("/", 1)[-1] for d in dumps] == [
        "lupuskg.jsonld",
        "lupuskg.nt",
        "lupuskg.trig",
        "lupuskg.ttl",
    ]
    for dump in dumps:
        assert (dump, RDF.type, VOID.Dataset) in g and (dump, RDF.type, DCAT.Distribution) in g
        for p in (VOID.triples, VOID.entities, VOID.distinctSubjects, VOID.properties):
            assert g.value(dump, p) is not None, (dump, p)
        assert list(g.objects(dump, VOID.vocabulary)) and list(g.objects(dump, VOID.classPartition))
    (trig,) = (d for d in dumps if str(d).endswith(".trig"))
    assert set(g.objects(trig, VOID.subset)) >= set(g.objects(version, DCT.hasPart))


def test_hcls_shapes_give_exact_messages_for_a_broken_void(release) -> None:  # type: ignore[no-untyped-def]
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    (version,) = g.subjects(DCT.isVersionOf, None)
    (summary,) = g.subjects(DCT.hasVersion, None)
    dist = sorted(g.objects(version, DCT.hasDistribution))[0]
    before = shacl_violations(g)
    g.remove((dist, DCT["format"], None))
    g.remove((dist, DCT.title, None))
    g.add((dist, DCT.title, rdflib.Literal("no language tag")))
    g.remove((summary, RDF.type, DCTYPES.Dataset))
    g.add((summary, DCT.creator, URIRef("https://w3id.org/lupuskg/")))
    g.remove((version, PAV.version, None))
    g.add((version, VOID.triples, rdflib.Literal(1)))
    new = shacl_violations(g) - before
    assert new == {
        (str(version), "HCLS version level MUST NOT use void:triples"),
        (str(dist), "HCLS distribution level MUST use dcterms:format with an IRI or an xsd:string"),
        (str(dist), "HCLS distribution level MUST use dcterms:title with a language-tagged string"),
        (str(summary), "HCLS summary level MUST be a dctypes:Dataset"),
        (str(summary), "HCLS summary level MUST NOT use dcterms:creator"),
        (str(version), "HCLS version level MUST use pav:version with an xsd:string"),
    }


# ------------------------------------------------------ the SHOULD rows we state, as warnings

LEXVO_ENG = URIRef("http://lexvo.org/id/iso639-3/eng")
FREQ_IRREGULAR = URIRef("http://purl.org/cld/freq/irregular")


def test_release_void_states_the_hcls_should_rows(release) -> None:  # type: ignore[no-untyped-def]
    """The SHOULD rows that are facts of the project: English literals (lexvo, as the
    note's examples), releases cut irregularly (when documents are added) and made with
    lupuskg, a release of the software described in the VoID itself; 0 warnings."""
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    (version,) = g.subjects(DCT.isVersionOf, None)
    (summary,) = g.subjects(DCT.hasVersion, None)
    assert shacl_warnings(g) == set()
    assert list(g.objects(summary, DCT.accrualPeriodicity)) == [FREQ_IRREGULAR]
    assert list(g.objects(version, DCT.language)) == [LEXVO_ENG]
    (software,) = g.objects(version, PAV.createdWith)
    number = str(g.value(version, PAV.version))
    assert software == URIRef(f"https://w3id.org/lupuskg/software/lupuskg/{number}")
    assert g.value(software, RDF.type) == URIRef("https://schema.org/SoftwareApplication")
    assert str(g.value(software, URIRef("https://schema.org/softwareVersion"))) == number
    assert g.value(summary, DCT.language) is None and g.value(summary, PAV.createdWith) is None


def test_hcls_should_shapes_warn_with_exact_messages(release) -> None:  # type: ignore[no-untyped-def]
    g = rdflib.Graph().parse(release.directory / "void.ttl")
    (version,) = g.subjects(DCT.isVersionOf, None)
    (summary,) = g.subjects(DCT.hasVersion, None)
    g.remove((summary, DCT.accrualPeriodicity, None))
    g.remove((version, DCT.language, None))
    g.add((version, DCT.language, rdflib.Literal("en")))  # a literal, not a lexvo IRI
    g.remove((version, PAV.createdWith, None))
    assert shacl_warnings(g) == {
        (str(summary), "HCLS summary level SHOULD use dcterms:accrualPeriodicity with an IRI"),
        (str(version), "HCLS version level SHOULD use dcterms:language with an IRI"),
        (str(version), "HCLS version level SHOULD use pav:createdWith with an IRI"),
    }
    assert all(  # warnings, not violations: the MUST rows still pass
        "SHOULD" in message for _, message in shacl_violations(g)
    )
