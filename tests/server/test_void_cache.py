"""The server's VoID is computed once per build and release bundle, not per request.

``Documents.void`` (behind ``/.well-known/void`` and the ``/dataset/...`` pages) keys its
one description on the build (the store generation), the endpoint it states and the
bundle's files; a release written while the server runs, or a new build, makes it
describe again, and the answer stays the graph ``lupuskg release`` writes.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import lupuskg.server.documents as documents_module
from lupuskg.build import build
from lupuskg.config import Settings
from lupuskg.release import write_release
from lupuskg.server.documents import Documents

ENDPOINT = "http://127.0.0.1:9/sparql"


def _graph(triples: list[ox.Triple]) -> rdflib.Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def test_void_is_described_once_per_build_and_bundle(
    temp_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(temp_project, validate=False)
    calls: list[str | None] = []
    real = documents_module.describe_current

    def counting(settings: Settings, endpoint_url: str | None = None) -> rdflib.Graph:
        calls.append(endpoint_url)
        return real(settings, endpoint_url)

    monkeypatch.setattr(documents_module, "describe_current", counting)
    documents = Documents(temp_project)
    first = documents.void(ENDPOINT)
    for _ in range(5):
        assert documents.void(ENDPOINT) is first
    documents.extras(ENDPOINT)  # the dereferencing store reuses the same description
    assert calls == [ENDPOINT]

    bundle = write_release(temp_project, endpoint_url=ENDPOINT).directory
    described = documents.void(ENDPOINT)
    assert calls == [ENDPOINT, ENDPOINT], "a release written meanwhile is described again"
    assert isomorphic(_graph(described), rdflib.Graph().parse(bundle / "void.ttl"))
    assert documents.void(ENDPOINT) is described and len(calls) == 2

    build(temp_project, validate=False)  # a new generation of the store
    documents.void(ENDPOINT)
    assert len(calls) == 3
