"""Q18 follows the Cell Ontology hierarchy: a new T-cell subclass changes the answer."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from lupuskg.build import input_files
from lupuskg.closure import add_closure
from lupuskg.config import Settings
from lupuskg.queries import embedded_runner, execute

FIXTURE = Path(__file__).parent / "fixtures" / "new-t-cell-subset.ttl"
NEW_CELL = "https://w3id.org/lupuskg/vocab/TestFollicularHelperTCell"
NEW_CLAIM = "https://w3id.org/lupuskg/id/test-doc.claim-01"


def _store(settings: Settings, *, with_fixture: bool) -> ox.Store:
    store = ox.Store()
    for path, graph in input_files(settings):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    if with_fixture:
        store.load(
            path=str(FIXTURE),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode("https://w3id.org/lupuskg/graph/test-doc"),
        )
    add_closure(store)  # as `lupuskg build` does: the queries join on the closure
    return store


def _q18(settings: Settings, store: ox.Store) -> list[dict[str, object]]:
    return execute(  # the query's own columns, without the …Label lookup
        "Q18", settings=settings, runner=embedded_runner(store), labels=False
    )[2].to_records()


def test_new_t_cell_subclass_is_found(built_settings: Settings) -> None:
    before = _q18(built_settings, _store(built_settings, with_fixture=False))
    after = _q18(built_settings, _store(built_settings, with_fixture=True))
    added = [row for row in after if row not in before]
    assert added == [
        {
            "intervention": "https://w3id.org/lupuskg/vocab/UCMSCTherapy",
            "targetCell": NEW_CELL,
            "targetCellLabel": "test follicular helper T cell",
            "mechanism": "https://w3id.org/lupuskg/vocab/CellActivity",
            "direction": "https://w3id.org/lupuskg/vocab/Inhibits",
            "claim": NEW_CLAIM,
            "doc": "https://w3id.org/lupuskg/id/test-doc",
            "quote": "UC-MSCs inhibit follicular helper T cells.",
        }
    ]
    assert all(row in after for row in before)


def test_query_text_names_no_t_cell_subset() -> None:
    """The hierarchy, not a list: only the root T cell class appears in Q18."""
    from lupuskg.queries import load_catalog

    text = load_catalog(Path(__file__).resolve().parents[2] / "queries")["Q18"].sparql
    assert "obo:CL_0000084" in text
    for subset in ("CL_0000815", "CL_0000899", "CL_0000545", "CL_0000546"):
        assert subset not in text
