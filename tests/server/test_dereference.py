"""Every own IRI dereferences on `lupuskg serve`, by content negotiation (issue 15, part 3).

A private project is built and released into its own release-dir, the real server is
started on a free loopback port, and every IRI under the base that the store, the release
files (data, ontology, queries, nanopublications, shapes, VoID) and the served VoID
mention is mapped to its local URL and fetched twice: as a browser asks and as an RDF
client asks. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from serve_helpers import Server, serving

from lupuskg.config import Settings
from lupuskg.namespaces import BASE, ONTOLOGY_IRI
from lupuskg.release import write_release
from lupuskg.server.documents import local_path
from lupuskg.store import open_store
from lupuskg.void import describe_current

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_CLIENT = "text/turtle,application/trig;q=0.95,application/rdf+xml;q=0.9,*/*;q=0.1"
IMPORT_IRI = BASE + "ontology/imports/obo-import.owl"
VOID_ENDPOINT = "http://rdfs.org/ns/void#sparqlEndpoint"
_TEXT = {".rq", ".jsonld", ".json", ".md", ".html", ".xml"}
_IN_TEXT = re.compile(re.escape(BASE) + r"[^\s\"'<>(){}\[\]`,\\]*")
_SYNTAX = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES}


class Released:
    def __init__(self, settings: Settings, bundle: Path, server: Server) -> None:
        self.settings, self.bundle, self.server = settings, bundle, server


@pytest.fixture(scope="module", name="released")
def dereference_server(
    project_copier: Callable[[Path], Path],
    project_builder: Callable[[Path], AbstractContextManager[Settings]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Released]:
    """A built project with its release bundle in its release-dir, served."""
    root = project_copier(tmp_path_factory.mktemp("dereference") / "project")
    with project_builder(root) as settings:
        bundle = write_release(settings).directory
        for server in serving(settings, tmp_path_factory.mktemp("serve-deref") / "serve.log"):
            yield Released(settings, bundle, server)


def _terms(quad: ox.Quad) -> Iterator[str]:
    for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
        if isinstance(term, ox.NamedNode):
            yield term.value
        elif isinstance(term, ox.Literal):
            yield term.datatype.value


def own_iris(released: Released) -> set[str]:
    """Every IRI under the base in the store, the bundle's RDF files and the served VoID."""
    found: set[str] = set()
    quads = list(open_store(released.settings))
    for path in sorted(released.bundle.rglob("*")):
        if path.suffix in _SYNTAX:
            quads += list(ox.parse(path=str(path), format=_SYNTAX[path.suffix]))
    for path in sorted(released.bundle.rglob("*")):  # queries, JSON-LD context, docs
        if path.suffix in _TEXT:
            found.update(_IN_TEXT.findall(path.read_text(encoding="utf-8", errors="replace")))
    void = httpx.get(released.server.base + "/.well-known/void", timeout=60)
    assert void.status_code == 200, void.text
    quads += list(ox.parse(void.content, format=ox.RdfFormat.TURTLE))
    for quad in quads:
        found.update(iri for iri in _terms(quad) if iri.startswith(BASE))
    return found


def test_every_own_iri_dereferences(released: Released) -> None:
    iris = own_iris(released)
    paths = sorted({path for iri in iris if (path := local_path(iri)) is not None})
    kinds = Counter(path.split("/")[1] for path in paths)
    for kind in ("vocab", "id", "graph", "np", "query", "source", "release", "dataset", "ontology"):
        assert kinds[kind], f"the crawl found no /{kind}/ IRI; found {dict(kinds)}"
    statuses: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    raw_blank_nodes: list[str] = []
    with httpx.Client(base_url=released.server.base, timeout=60) as client:
        for path in paths:
            for name, accept in (("browser", BROWSER), ("rdf", RDF_CLIENT)):
                response = client.get(path, headers={"Accept": accept})
                statuses[(name, response.status_code)] += 1
                if not 200 <= response.status_code < 400:
                    failures.append(f"{response.status_code} {name} {path}: {response.text[:80]!r}")
                elif (
                    name == "browser"
                    and path.startswith("/vocab/")
                    and re.search(r">_:[A-Za-z0-9]", response.text)
                ):
                    raw_blank_nodes.append(path)
    shown = "\n".join(failures[:60])
    assert not failures, (
        f"{len(failures)} of {2 * len(paths)} requests for {len(paths)} own IRIs failed "
        f"({dict(statuses)}):\n{shown}"
    )
    assert not raw_blank_nodes, f"class pages show raw blank nodes: {raw_blank_nodes[:20]}"


def _get(released: Released, path: str, accept: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(released.server.base + path, headers=headers, timeout=60)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:200]}"
    return response


def test_a_nanopublication_is_its_four_graphs(released: Released) -> None:
    store = open_store(released.settings)
    claim = next(
        row["c"].value
        for row in store.query(
            "SELECT ?c WHERE { GRAPH ?g { ?c <https://w3id.org/lupuskg/vocab/statement> ?s } } "
            "ORDER BY ?c LIMIT 1"
        )
    )
    np = BASE + "np/" + claim.removeprefix(BASE + "id/")
    response = _get(released, local_path(np) or "", "application/trig")
    assert response.headers["content-type"].startswith("application/trig")
    graphs = {q.graph_name.value for q in ox.parse(response.content, format=ox.RdfFormat.TRIG)}
    assert graphs == {f"{np}#{role}" for role in ("Head", "assertion", "provenance", "pubinfo")}
    page = _get(released, local_path(np) or "", BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    assert f'href="/id/{claim.removeprefix(BASE + "id/")}"' in page.text


def test_a_named_graph_serves_all_its_triples(released: Released) -> None:
    graph = BASE + "graph/carl-2024"
    response = _get(released, "/graph/carl-2024", "text/turtle")
    served = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    stored = list(
        open_store(released.settings).quads_for_pattern(None, None, None, ox.NamedNode(graph))
    )
    assert len(served) == len(stored) > 0


def test_files_are_served_as_themselves(released: Released) -> None:
    source = _get(released, "/source/carl-2024.txt", BROWSER)
    assert source.headers["content-type"].startswith("text/plain")
    assert source.content == (released.settings.sources_dir / "carl-2024.txt").read_bytes()
    version = released.settings.version
    release = _get(released, f"/release/{version}/data/lupuskg.ttl")
    assert release.headers["content-type"].startswith("text/turtle")
    assert release.content == (released.bundle / "data" / "lupuskg.ttl").read_bytes()
    escape = httpx.get(
        released.server.base + f"/release/{version}/../../pyproject.toml", timeout=30
    )
    assert escape.status_code == 404


def test_a_query_iri_shows_a_page_or_its_sparql(released: Released) -> None:
    page = _get(released, "/query/Q05", BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    assert "<pre>" in page.text and "SELECT" in page.text
    text = _get(released, "/query/Q05", "application/sparql-query")
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert 'filename="Q05.rq"' in text.headers["content-disposition"]
    assert "VALUES" in text.text
    metadata = _get(released, "/query/Q03", "text/turtle")
    subjects = {q.subject.value for q in ox.parse(metadata.content, format=ox.RdfFormat.TURTLE)}
    assert BASE + "query/Q03#therapy" in subjects  # the parameter is part of the document


def test_the_question_list_opens_pages_and_answers_link_locally(released: Released) -> None:
    entries = _get(released, "/api/queries", "application/json").json()
    assert all(entry["page"] == "/query/" + entry["id"] for entry in entries)
    answer = _get(released, "/api/queries/Q05", BROWSER)
    assert answer.headers["content-type"].startswith("text/html")
    assert "<table" in answer.text and 'href="/id/' in answer.text
    assert 'href="https://w3id.org/' not in answer.text
    machine = _get(released, "/api/queries/Q05")
    assert machine.headers["content-type"].startswith("application/sparql-results+json")
    assert machine.headers["content-disposition"] == 'inline; filename="Q05.srj"'


def test_restrictions_read_as_manchester_syntax(released: Released) -> None:
    page = _get(released, "/vocab/Claim", BROWSER).text
    text = re.sub(r"<[^>]+>", "", page)
    assert "has quote some quote" in text
    assert "source document exactly 1 document" in text
    remission = re.sub(r"<[^>]+>", "", _get(released, "/vocab/Quote", BROWSER).text)
    assert "Used in class expressions" in remission


def test_the_ontology_iri_serves_the_whole_ontology(released: Released) -> None:
    source = list(ox.parse(path=str(released.settings.ontology_file), format=ox.RdfFormat.TURTLE))
    for path in ("/ontology", "/ontology/" + released.settings.version + "/lupuskg.owl"):
        with urllib.request.urlopen(
            released.server.base + path, timeout=60
        ) as response:  # no Accept
            assert response.headers["content-type"].startswith("application/rdf+xml")
            served = list(ox.parse(response.read(), format=ox.RdfFormat.RDF_XML))
        assert len(served) == len(source)
    merged = _get(released, "/ontology?imports=merge", "text/turtle")
    triples = list(ox.parse(merged.content, format=ox.RdfFormat.TURTLE))
    assert not [t for t in triples if t.predicate.value.endswith("#imports")]
    assert any(t.subject.value == "http://purl.obolibrary.org/obo/MAXO_0000747" for t in triples)
    module = _get(released, local_path(IMPORT_IRI) or "", "text/turtle")
    imported = list(ox.parse(module.content, format=ox.RdfFormat.TURTLE))
    on_disk = list(
        ox.parse(
            path=str(released.settings.imports_dir / "obo-import.ttl"), format=ox.RdfFormat.TURTLE
        )
    )
    assert len(imported) == len(on_disk)


def test_owlready2_loads_the_ontology_from_the_local_server(
    released: Released, monkeypatch: pytest.MonkeyPatch
) -> None:
    owlready2 = pytest.importorskip("owlready2")
    real = urllib.request.urlopen
    fetched: list[str] = []

    def local_only(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        target = url if isinstance(url, str) else url.full_url
        assert target.startswith(released.server.base), f"owlready2 went online: {target}"
        fetched.append(target)
        return real(url, *args, timeout=60)

    monkeypatch.setattr(urllib.request, "urlopen", local_only)
    monkeypatch.setattr(owlready2, "onto_path", [])
    world = owlready2.World()
    base = released.server.base
    world.get_ontology(IMPORT_IRI).load(url=base + local_path(IMPORT_IRI))
    ontology = world.get_ontology(ONTOLOGY_IRI).load(url=base + "/ontology")
    assert [o.base_iri.rstrip("#") for o in ontology.imported_ontologies] == [IMPORT_IRI]
    assert world["http://purl.obolibrary.org/obo/MAXO_0000747"] is not None
    assert world[BASE + "vocab/UCMSCTherapy"].label
    assert fetched == [base + local_path(IMPORT_IRI), base + "/ontology"]


def test_void_states_an_endpoint_only_when_one_is_known(released: Released) -> None:
    served = _get(released, "/.well-known/void", "application/n-triples")
    endpoints = {
        t.object.value
        for t in ox.parse(served.content, format=ox.RdfFormat.N_TRIPLES)
        if t.predicate.value == VOID_ENDPOINT
    }
    assert endpoints == {released.server.base + "/sparql"}
    released_void = ox.parse(path=str(released.bundle / "void.ttl"), format=ox.RdfFormat.TURTLE)
    assert not [t for t in released_void if t.predicate.value == VOID_ENDPOINT]
    plain = describe_current(released.settings)
    assert not list(plain.triples((None, rdflib.URIRef(VOID_ENDPOINT), None)))
    announced = describe_current(released.settings, "http://127.0.0.1:9/sparql")
    values = {str(o) for o in announced.objects(None, rdflib.URIRef(VOID_ENDPOINT))}
    assert values == {"http://127.0.0.1:9/sparql"}


def _owlapi(*args: str) -> dict[str, str]:
    """Run the OWL API (bundled in owlready2's HermiT.jar) on a Java source file; its report."""
    owlready2 = pytest.importorskip("owlready2")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH")
    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    source = Path(__file__).with_name("owlapi") / "LoadFromServer.java"
    done = subprocess.run(
        [java, "-cp", str(jar), str(source), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def test_the_owl_api_loads_the_ontology_and_its_import_from_the_server(released: Released) -> None:
    base = released.server.base
    mapped = _owlapi(
        ONTOLOGY_IRI,
        ONTOLOGY_IRI,
        base + "/ontology",
        IMPORT_IRI,
        base + (local_path(IMPORT_IRI) or ""),
    )
    assert mapped["iri"] == ONTOLOGY_IRI
    assert mapped["imports"] == "1"
    assert int(mapped["closure_axioms"]) > int(mapped["axioms"]) > 0
    merged = _owlapi(base + "/ontology?imports=merge")
    assert merged["iri"] == ONTOLOGY_IRI and merged["imports"] == "0"
    assert int(merged["axioms"]) > int(mapped["axioms"])
