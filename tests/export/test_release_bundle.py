"""The release bundle: layout, reproducibility, checksums, VoID counts and shapes, docs, CHANGES."""

from __future__ import annotations

import hashlib
import html
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from export_project import FIXTURE, build_copy

from lupuskg.build import build
from lupuskg.config import Settings
from lupuskg.dataset import load_graphs
from lupuskg.exceptions import BuildError
from lupuskg.export import export
from lupuskg.namespaces import GRAPH, ONTOLOGY_GRAPH
from lupuskg.release import write_release
from lupuskg.serialization import merge
from lupuskg.store import read_manifest

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "void-shapes.ttl"

REQUIRED = [
    "CHANGES.md",
    "SHA256SUMS",
    "data/context.jsonld",
    "data/lupuskg-nanopubs.trig",
    "data/lupuskg.jsonld",
    "data/lupuskg.nt",
    "data/lupuskg.trig",
    "data/lupuskg.ttl",
    "docs/index.html",
    "ontology/lupuskg.owl",
    "ontology/lupuskg.ttl",
    "queries/queries.ttl",
    "void.ttl",
]


def hashes(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def void_graph(release) -> rdflib.Graph:  # type: ignore[no-untyped-def]
    graph = rdflib.Graph()
    graph.parse(release.directory / "void.ttl")
    return graph


def integer(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return int(values[0])


def test_bundle_has_the_required_files(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    paths = {f.path for f in release.files}
    assert release.directory.name == f"lupuskg-{dataset.version}"
    assert set(REQUIRED) <= paths
    imports = {f"ontology/imports/{p.name}" for p in dataset.imports_dir.glob("*.ttl")}
    assert imports <= paths
    rq = {p for p in paths if p.startswith("queries/") and p.endswith(".rq")}
    assert len(rq) == len(list(dataset.queries_dir.glob("*.ttl")))


def test_two_releases_are_byte_identical(release, dataset: Settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A second release, from a new process with another hash seed, has the same bytes."""
    env = {**os.environ, "PYTHONHASHSEED": "7", "LUPUSKG_HOME": str(dataset.root)}
    command = [
        sys.executable,
        "-m",
        "lupuskg.cli",
        "release",
        "-o",
        str(tmp_path),
        "--endpoint-url",
        "http://127.0.0.1:7878/sparql",
    ]
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from lupuskg.cli import main; sys.exit(main())",
            *command[3:],
        ],
        check=True,
        env=env,
        timeout=600,
        capture_output=True,
    )
    first, second = hashes(release.directory), hashes(tmp_path / release.directory.name)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_sha256sums_match_the_files(release) -> None:  # type: ignore[no-untyped-def]
    lines = (release.directory / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    actual = hashes(release.directory)
    del actual["SHA256SUMS"]
    assert listed == actual


def test_void_distributions_match_the_files(release) -> None:  # type: ignore[no-untyped-def]
    graph = void_graph(release)
    described = {}
    for dist in graph.subjects(rdflib.RDF.type, DCAT.Distribution):
        (title,) = graph.objects(dist, rdflib.DCTERMS.title)
        (checksum,) = graph.objects(dist, SPDX.checksum)
        (value,) = graph.objects(checksum, SPDX.checksumValue)
        assert (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256) in graph
        described[str(title)] = (integer(graph, dist, DCAT.byteSize), str(value))
    expected = {}
    for path in sorted(release.directory.rglob("*")):
        name = path.relative_to(release.directory).as_posix()
        if path.is_file() and name not in ("void.ttl", "SHA256SUMS"):
            data = path.read_bytes()
            expected[name] = (len(data), hashlib.sha256(data).hexdigest())
    assert described == expected


def test_void_triple_counts_equal_the_real_counts(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    graph = void_graph(release)
    recorded = read_manifest(dataset)
    manifest = {g["graph"]: g["triples"] for g in recorded["graphs"] + recorded["derived"]}
    graphs = load_graphs(dataset)
    (dataset_node,) = graph.subjects(rdflib.DCTERMS.isVersionOf, None)
    subsets = {}
    for subset in graph.objects(dataset_node, rdflib.DCTERMS.hasPart):
        (name,) = graph.objects(subset, SD.name)
        subsets[str(name)] = integer(graph, subset, VOID.triples)
    assert subsets == manifest == {iri: len(g) for iri, g in graphs.items()}
    merged = rdflib.Graph()
    merged.parse(release.directory / "data" / "lupuskg.nt")
    dumps = list(graph.subjects(VOID.dataDump, None))
    assert len(dumps) == 4
    for dump in dumps:  # HCLS: the statistics are on the RDF distributions
        assert integer(graph, dump, VOID.triples) == len(merged) == len(merge(graphs.values()))
    classes = {
        graph.value(p, VOID["class"]): integer(graph, p, VOID.entities)
        for p in graph.objects(dumps[0], VOID.classPartition)
    }
    assert classes == {
        c: len(set(merged.subjects(rdflib.RDF.type, c)))
        for c in set(merged.objects(None, rdflib.RDF.type))
    }


def test_void_linkset_counts_equal_a_sparql_count(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    """Links to OBO, counted again independently with SPARQL over the exported N-Triples."""
    graph = void_graph(release)
    store = ox.Store()
    store.load(
        (release.directory / "data" / "lupuskg.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES
    )
    query = """
    SELECT ?prefix (COUNT(*) AS ?n) WHERE {
      ?s ?p ?o .
      FILTER(isIRI(?o) && STRSTARTS(STR(?s), "https://w3id.org/lupuskg/")
             && STRSTARTS(STR(?o), "http://purl.obolibrary.org/obo/"))
      BIND(UCASE(STRBEFORE(STRAFTER(STR(?o), "http://purl.obolibrary.org/obo/"), "_")) AS ?prefix)
    } GROUP BY ?prefix"""
    counted = {row["prefix"].value: int(row["n"].value) for row in store.query(query)}
    described = {}
    for linkset in graph.subjects(rdflib.RDF.type, VOID.Linkset):
        (target,) = graph.objects(linkset, VOID.objectsTarget)
        prefix = str(target).rsplit("/", 1)[-1].removesuffix(".owl").upper()
        described[prefix] = integer(graph, linkset, VOID.triples)
    assert described == counted
    assert "CL" in described


def test_void_conforms_to_the_shapes(release) -> None:  # type: ignore[no-untyped-def]
    conforms, _, text = pyshacl.validate(
        void_graph(release), shacl_graph=str(SHAPES), advanced=True
    )
    assert conforms, text


def test_void_shapes_catch_a_missing_checksum(release) -> None:  # type: ignore[no-untyped-def]
    graph = void_graph(release)
    graph.remove((None, SPDX.checksumValue, None))
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=str(SHAPES), advanced=True)
    assert not conforms
    paths = set(report.objects(None, rdflib.SH.resultPath))
    # the node shape reports it, and the distribution and dataset shapes that nest it
    assert paths == {SPDX.checksumValue, SPDX.checksum, DCAT.distribution}


def test_void_announces_the_endpoint_and_licence(release) -> None:  # type: ignore[no-untyped-def]
    graph = void_graph(release)
    (dataset_node,) = graph.subjects(rdflib.DCTERMS.isVersionOf, None)
    (summary,) = graph.subjects(rdflib.DCTERMS.hasVersion, None)
    # HCLS: the SPARQL endpoint is stated on the summary level (SHOULD NOT below it)
    assert list(graph.subject_objects(VOID.sparqlEndpoint)) == [
        (summary, rdflib.URIRef("http://127.0.0.1:7878/sparql"))
    ]
    assert (
        dataset_node,
        rdflib.DCTERMS.license,
        rdflib.URIRef("http://creativecommons.org/licenses/by/4.0/"),
    ) in graph


def test_pylode_html_mentions_every_own_class(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    page = html.unescape((release.directory / "docs" / "index.html").read_text(encoding="utf-8"))
    ontology = load_graphs(dataset, "ontology")[ONTOLOGY_GRAPH]
    classes = {
        c
        for c in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Class)
        if isinstance(c, rdflib.URIRef) and str(c).startswith("https://w3id.org/lupuskg/vocab/")
    }
    assert classes
    missing = [
        str(c)
        for c in sorted(classes)
        if str(c) not in page
        and not any(str(label) in page for label in ontology.objects(c, rdflib.RDFS.label))
    ]
    assert missing == []


def test_query_rq_files_hold_the_select_text(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    queries = rdflib.Graph()
    queries.parse(release.directory / "queries" / "queries.ttl")
    from lupuskg.queries import bind_values, catalog, default_bindings

    canned = {query.sparql.strip(): query for query in catalog(dataset).values()}
    texts = {str(t).strip() for t in queries.objects(None, rdflib.SH.select)}
    expected = {
        bind_values(canned[text].sparql, default_bindings(canned[text])).strip()
        if text in canned
        else text
        for text in texts
    }
    written = {
        "\n".join(line for line in p.read_text().splitlines() if not line.startswith("#")).strip()
        if p.read_text().startswith("# ")
        else p.read_text().strip()
        for p in (release.directory / "queries").glob("*.rq")
    }
    assert texts and expected == written


def test_changes_lists_a_triple_added_to_a_document(tmp_path: Path) -> None:
    project = build_copy(FIXTURE, tmp_path / "project")
    first = write_release(project, tmp_path / "v1")
    assert "No previous release" in (first.directory / "CHANGES.md").read_text()
    document = project.documents_dir / "doc-a.ttl"
    with document.open("a", encoding="utf-8") as fh:
        fh.write('\nlkgd:doc-a lkg:curationNote "added for the CHANGES test" .\n')
    with pytest.raises(BuildError, match="inputs changed since the last build: doc-a"):
        export(project, "ttl")
    build(project, validate=False)
    second = write_release(project, tmp_path / "v2", previous=first.directory)
    changes = (second.directory / "CHANGES.md").read_text()
    assert "| doc-a | 1 | 0 |" in changes
    assert "| doc-b | 0 | 0 |" in changes
    assert (
        "<https://w3id.org/lupuskg/id/doc-a> <https://w3id.org/lupuskg/vocab/curationNote> "
        '"added for the CHANGES test" .' in changes
    )
    [change] = [c for c in second.changes if c.graph == GRAPH + "doc-a"]
    assert len(change.added) == 1 and change.removed == []


def test_release_cli_prints_the_files_and_where_the_bundle_is(
    fixture_settings: Settings, tmp_path: Path
) -> None:
    from lupuskg.cli import main

    result = CliRunner().invoke(
        main, ["release", "-o", str(tmp_path)], env={"LUPUSKG_HOME": str(fixture_settings.root)}
    )
    assert result.exit_code == 0, result.output
    assert "data/lupuskg.trig" in result.output
    assert "3 nanopublications" in result.output
    bundle = tmp_path / f"lupuskg-{version('lupuskg')}"
    assert f"release bundle written to {bundle}" in result.output.replace("\n", "")
    # off a terminal: one plain line per finished step on stderr, no bar, no escapes
    from lupuskg.release import RELEASE_STEPS

    lines = [line for line in result.stderr.splitlines() if line.startswith("release: ")]
    assert [line.split(" (", 1)[0].removeprefix("release: ") for line in lines] == list(
        RELEASE_STEPS
    )
    assert "release: data dumps (4/4, " in result.stderr and "\x1b[" not in result.stderr
    assert "release: " not in result.stdout


def test_release_reports_each_step_and_prints_nothing(
    fixture_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lupuskg.release import RELEASE_STEPS

    calls: list[tuple[str, int, int]] = []
    write_release(fixture_settings, tmp_path, progress=lambda *call: calls.append(call))
    assert capsys.readouterr() == ("", "")
    steps = list(dict.fromkeys(step for step, _, _ in calls))
    assert steps == list(RELEASE_STEPS)
    for name in steps:
        done = [d for step, d, _ in calls if step == name]
        (total,) = {t for step, _, t in calls if step == name}
        assert done == sorted(done) and done[0] == 0 and done[-1] == total, (name, done)


def test_release_draws_a_bar_on_a_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    from lupuskg.cli.progress import progress_output

    with progress_output(tty=True, plain=True, prefix="release: ") as hook:
        assert hook is not None
        for done in range(5):
            hook("data dumps", done, 4)
    drawn = capfd.readouterr().err
    assert "release: data dumps" in drawn and "4/4" in drawn and "\x1b[" in drawn
    assert "(4/4, " not in drawn  # the bar, not the plain lines


def test_export_cli_rejects_an_unknown_graph(fixture_settings: Settings) -> None:
    from lupuskg.cli import main

    result = CliRunner().invoke(
        main, ["export", "--graph", "nope"], env={"LUPUSKG_HOME": str(fixture_settings.root)}
    )
    assert result.exit_code == 2
    assert "error: no graph 'nope' in the dataset" in result.output
    assert "hint: use one of: closure, doc-a, doc-b, ontology" in result.output


def test_export_cli_writes_a_file(fixture_settings: Settings, tmp_path: Path) -> None:
    from lupuskg.cli import main

    out = tmp_path / "doc-b.trig"
    result = CliRunner().invoke(
        main,
        ["export", "--graph", "doc-b", "-o", str(out)],
        env={"LUPUSKG_HOME": str(fixture_settings.root)},
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export(fixture_settings, "trig", graph="doc-b")[1]
