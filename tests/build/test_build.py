"""The build: one named graph per document, atomic swaps, precise errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lupuskg.build import build
from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.exceptions import ParseError
from lupuskg.namespaces import ONTOLOGY_GRAPH, document_graph
from lupuskg.store import open_store, read_manifest


def _slugs(settings: Settings) -> list[str]:
    """The documents of the project, as the build finds them (never a hard-coded list)."""
    return [path.stem for path in settings.document_files()]


def _graphs(settings: Settings) -> set[str]:
    store = open_store(settings)
    return {graph.value for graph in store.named_graphs()}


def test_every_document_is_its_own_named_graph(built_settings: Settings) -> None:
    expected = {ONTOLOGY_GRAPH} | {document_graph(slug) for slug in _slugs(built_settings)}
    # plus the graphs the build derives (closure, pooled estimates), listed in the manifest
    expected |= {entry["graph"] for entry in read_manifest(built_settings)["derived"]}
    # and the sparql-examples graph for the store's clients (lupuskg.examples)
    expected |= {entry["graph"] for entry in read_manifest(built_settings)["served"]}
    assert _graphs(built_settings) == expected


def test_manifest_counts_claims_studies_and_quotes(built_settings: Settings) -> None:
    graphs = {entry["graph"]: entry for entry in read_manifest(built_settings)["graphs"]}
    slugs = _slugs(built_settings)
    assert slugs, "the project has no documents"
    for slug in slugs:
        entry = graphs[document_graph(slug)]
        assert entry["claims"] > 0, slug
        assert entry["quotes"] > 0, slug
    assert graphs[ONTOLOGY_GRAPH]["claims"] == 0


def test_store_opens_read_only(built_settings: Settings) -> None:
    store = open_store(built_settings)
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))


def test_broken_file_fails_with_line_and_keeps_last_good_store(temp_project: Settings) -> None:
    build(temp_project, validate=False)
    before = (temp_project.build_dir / "current").resolve()
    triples_before = len(open_store(temp_project))
    broken = temp_project.documents_dir / "carl-2024.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[20] = lines[20] + ' "unterminated'
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ParseError) as caught:
        build(temp_project, validate=False)

    assert caught.value.location.path == "graph/documents/carl-2024.ttl"
    assert caught.value.location.line == 21
    assert (temp_project.build_dir / "current").resolve() == before
    assert len(open_store(temp_project)) == triples_before


def test_cli_reports_broken_file_and_exits_2(temp_project: Settings) -> None:
    broken = temp_project.documents_dir / "rajoe-2023.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nlkgd:x lkg:y .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--no-validate"])
    assert result.exit_code == 2
    assert "graph/documents/rajoe-2023.ttl:" in result.output
    assert "malformed RDF" in result.output


def test_rebuild_swaps_generation(temp_project: Settings) -> None:
    first = build(temp_project, validate=False)
    second = build(temp_project, validate=False)
    assert first.generation != second.generation
    assert (temp_project.build_dir / "current").resolve().name == second.generation
    assert second.triples == first.triples
