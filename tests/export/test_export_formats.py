"""Every export format parses back to the built dataset, and canonical output is byte-stable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lupuskg.config import Settings
from lupuskg.dataset import load_graphs, load_store_graphs
from lupuskg.export import FORMATS, QUAD_FORMATS, export
from lupuskg.namespaces import VOCAB
from lupuskg.serialization import canonical_trig, canonical_turtle, canonical_turtle_with, merge

RDFLIB_FORMAT = {
    "ttl": "turtle",
    "trig": "trig",
    "nt": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
OX_FORMAT = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(rdflib.XSD.string):  # RDF 1.1: simple literal == xsd:string
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def parse_rdflib(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    """Graphs by IRI ("" for the merged/default graph) as rdflib reads them."""
    if fmt not in QUAD_FORMATS:
        graph = rdflib.Graph()
        graph.parse(data=data, format=RDFLIB_FORMAT[fmt])
        return {"": graph}
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDFLIB_FORMAT[fmt])
    graphs = {}
    for context in dataset.graphs():
        if len(context):
            graphs[str(context.identifier)] = rdflib.Graph() + context
    return graphs


def parse_oxigraph(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    """Graphs by IRI ("" for the default graph) as pyoxigraph reads them."""
    graphs: dict[str, rdflib.Graph] = {}
    for quad in ox.parse(data, format=OX_FORMAT[fmt]):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        graphs.setdefault(name, rdflib.Graph()).add(triple)
    return graphs


def expected(settings: Settings, fmt: str, graph: str | None = None) -> dict[str, rdflib.Graph]:
    graphs = load_graphs(settings, graph)
    if fmt in QUAD_FORMATS and len(graphs) > 1:
        return graphs
    key = "" if fmt not in QUAD_FORMATS else next(iter(graphs))
    if fmt == "jsonld":  # a single graph is written as a plain JSON-LD graph
        key = ""
    return {key: merge(graphs.values())}


def assert_same(got: dict[str, rdflib.Graph], want: dict[str, rdflib.Graph]) -> None:
    assert sorted(got) == sorted(want)
    for name, graph in want.items():
        assert len(got[name]) == len(graph), name
        assert isomorphic(got[name], graph), f"graph {name or 'merged'} differs"


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_parses_back_in_rdflib(dataset: Settings, fmt: str) -> None:
    _, data = export(dataset, fmt)
    assert_same(parse_rdflib(data, fmt), expected(dataset, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_parses_back_in_pyoxigraph(dataset: Settings, fmt: str) -> None:
    _, data = export(dataset, fmt)
    assert_same(parse_oxigraph(data, fmt), expected(dataset, fmt))


@pytest.mark.parametrize("fmt", ["trig", "nq", "ttl"])
def test_one_graph_export_holds_only_that_graph(dataset: Settings, fmt: str) -> None:
    slug = sorted(load_graphs(dataset))[-1].rsplit("/", 1)[-1]
    result, data = export(dataset, fmt, graph=slug)
    assert result.graphs == 1
    assert_same(parse_rdflib(data, fmt), expected(dataset, fmt, slug))


def test_trig_loaded_into_oxigraph_equals_the_built_store(dataset: Settings) -> None:
    """Loaded the way `lupuskg build` loads, the TriG gives the store's own quads back."""
    _, data = export(dataset, "trig")
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TRIG)
    dumped = rdflib.Dataset()
    dumped.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    got = {str(c.identifier): rdflib.Graph() + c for c in dumped.graphs() if len(c)}
    assert_same(got, load_store_graphs(dataset))


def test_jsonld_is_compact_with_our_inline_context(dataset: Settings) -> None:
    _, data = export(dataset, "jsonld")
    document = json.loads(data)
    assert isinstance(document["@context"], dict), "the context must be inline, never a URL"
    assert document["@context"]["lkg"] == "https://w3id.org/lupuskg/vocab/"
    text = data.decode()
    assert '"intervention"' in text and "https://w3id.org/lupuskg/vocab/intervention" not in text


def test_typed_literals_survive_export(fixture_settings: Settings) -> None:
    """The store would turn xsd:nonNegativeInteger into xsd:integer; exports must not."""
    _, data = export(fixture_settings, "nt")
    assert (
        b"<https://w3id.org/lupuskg/id/doc-a.quote-01> <http://www.w3.org/ns/oa#end> "
        b'"65"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n' in data
    )


def test_ntriples_lines_are_sorted_and_unique(dataset: Settings) -> None:
    for fmt in ("nt", "nq"):
        lines = export(dataset, fmt)[1].decode().splitlines()
        assert lines == sorted(set(lines))


_WRITE_ALL = """
import sys
from pathlib import Path
from lupuskg.config import settings
from lupuskg.export import FORMATS, export
project = settings(Path(sys.argv[1]))
for fmt in FORMATS:
    export(project, fmt, out=Path(sys.argv[2]) / ("all." + fmt))
export(project, "trig", nanopubs=True, out=Path(sys.argv[2]) / "nanopubs.trig")
"""


def test_exports_are_byte_identical_across_processes(dataset: Settings, tmp_path: Path) -> None:
    """Two runs with different hash seeds (so different set orders) write the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "LUPUSKG_HOME": str(dataset.root)}
        subprocess.run(
            [sys.executable, "-c", _WRITE_ALL, str(dataset.root), str(out)],
            check=True,
            env=env,
            timeout=300,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == sorted([f"all.{fmt}" for fmt in FORMATS] + ["nanopubs.trig"])
    for name, data in outputs[0].items():
        assert outputs[1][name] == data, f"{name} differs between runs"


def test_export_holds_the_months_the_build_derives(built_settings: Settings) -> None:
    """Documents state durations only; export carries the months the build derives, as the
    store (and so publish) does, in the same document graph."""
    months = [rdflib.URIRef(VOCAB + "followUpMonths"), rdflib.URIRef(VOCAB + "timePointMonths")]
    exported = {
        (graph, s, p, int(o))
        for graph, g in load_graphs(built_settings).items()
        for p in months
        for s, o in g.subject_objects(p)
    }
    stored = {
        (graph, s, p, int(o))
        for graph, g in load_store_graphs(built_settings).items()
        for p in months
        for s, o in g.subject_objects(p)
    }
    assert exported, "no derived months: the comparison would be empty"
    assert exported == stored
    durations = {
        (graph, s)
        for graph, g in load_graphs(built_settings).items()
        for s in g.subjects(rdflib.URIRef(VOCAB + "followUp"))
    }
    with_months = {(graph, s) for graph, s, p, _ in exported if p == months[0]}
    assert durations <= with_months


_AWKWARD = "first line\n\n    PREFIX fake: <urn:x>\n  indented\n\n\nlast"


@pytest.mark.parametrize("writer", ["trig", "turtle"])
def test_multi_line_literals_survive_the_canonical_writers(writer: str) -> None:
    """A long literal with blank, indented and PREFIX-like lines comes back byte for byte."""
    graph = rdflib.Graph()
    subject = rdflib.URIRef(str(VOCAB) + "x")
    graph.add((subject, rdflib.RDFS.comment, rdflib.Literal(_AWKWARD)))
    if writer == "trig":
        parsed = rdflib.Dataset()
        parsed.parse(
            data=canonical_trig({"https://w3id.org/lupuskg/graph/x": graph}), format="trig"
        )
        got = {str(o) for _, _, o, _ in parsed.quads((subject, rdflib.RDFS.comment, None, None))}
    else:
        parsed_graph = rdflib.Graph().parse(data=canonical_turtle(graph), format="turtle")
        got = {str(o) for o in parsed_graph.objects(subject, rdflib.RDFS.comment)}
    assert got == {_AWKWARD}


def test_turtle_and_trig_writers_declare_prefixes_the_same_way() -> None:
    """All three canonical writers write ``@prefix`` lines, are deterministic and round-trip."""
    graph = rdflib.Graph()
    subject = rdflib.URIRef(str(VOCAB) + "x")
    graph.add((subject, rdflib.RDF.type, rdflib.OWL.Class))
    graph.add((subject, rdflib.RDFS.label, rdflib.Literal("x", lang="en")))
    extra = {"ex": "http://example.org/ns#"}
    graph.add((subject, rdflib.URIRef(extra["ex"] + "p"), rdflib.Literal(1)))
    iri = "https://w3id.org/lupuskg/graph/x"
    texts = {
        "turtle": canonical_turtle(graph),
        "turtle_with": canonical_turtle_with(graph, extra),
        "trig": canonical_trig({iri: graph}, extra),
    }
    for name, text in texts.items():
        header = text.split("\n\n", 1)[0].splitlines()
        assert header and all(line.startswith("@prefix ") for line in header), (name, header)
        assert not any(line.startswith("PREFIX ") for line in text.splitlines()), name
    assert "@prefix ex: <http://example.org/ns#> ." in texts["turtle_with"]
    assert "@prefix ex: <http://example.org/ns#> ." in texts["trig"]
    assert canonical_turtle(graph) == texts["turtle"]
    assert canonical_trig({iri: graph}, extra) == texts["trig"]
    for name in ("turtle", "turtle_with"):
        assert isomorphic(rdflib.Graph().parse(data=texts[name], format="turtle"), graph), name
    dataset = rdflib.Dataset()
    dataset.parse(data=texts["trig"], format="trig")
    assert isomorphic(dataset.graph(rdflib.URIRef(iri)), graph)
