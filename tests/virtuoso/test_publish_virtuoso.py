"""`lupuskg publish` into a real Virtuoso sends the exported graphs with their datatypes (issue 15.9)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from publish_helpers import (
    XSD_NNI,
    exported,
    local_datatype_counts,
    remote_datatype_counts,
    remote_triple_counts,
)

from lupuskg.config import Settings
from lupuskg.publish import StoreCredentialsError, publish, state_file

pytestmark = pytest.mark.virtuoso


def test_publish_into_virtuoso_keeps_graphs_and_datatypes(
    built_settings: Settings, virtuoso
) -> None:
    state_file(built_settings).unlink(missing_ok=True)
    local = exported(built_settings)
    result = publish(built_settings, virtuoso.graph_store, user="dba", password="dba")
    assert result.graphs[0].graph.endswith("/ontology")
    assert sorted(item.graph for item in result.graphs) == sorted(local)
    counts = remote_triple_counts(virtuoso.sparql)
    assert {iri: counts.get(iri) for iri in local} == {iri: len(g) for iri, g in local.items()}
    there = remote_datatype_counts(virtuoso.sparql, set(local))
    here = local_datatype_counts(local)
    nni_here = {key: n for key, n in here.items() if key[1] == XSD_NNI}
    nni_there = {key: n for key, n in there.items() if key[1] == XSD_NNI}
    assert nni_here and nni_there == nni_here
    assert there == here


def test_wrong_password_changes_nothing_on_virtuoso(built_settings: Settings, virtuoso) -> None:
    with pytest.raises(StoreCredentialsError, match="nothing was sent"):
        publish(built_settings, virtuoso.graph_store, user="dba", password="wrong")
