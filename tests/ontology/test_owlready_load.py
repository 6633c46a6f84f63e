"""`lupuskg.ontology.load()`: owlready2 users get the ontology and its import module with
no network (a fetch would fail the test), and the imported OBO terms are there."""

from __future__ import annotations

import urllib.request

import owlready2
import pytest

from lupuskg.config import Settings
from lupuskg.ontology import load

ONTOLOGY = "https://w3id.org/lupuskg/ontology"
IMPORT = "https://w3id.org/lupuskg/ontology/imports/obo-import.owl"


def test_load_resolves_the_import_offline(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"owlready2 went online: {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(owlready2, "onto_path", [])
    world = owlready2.World()
    ontology = load(built_settings, world=world)
    assert ontology.base_iri.rstrip("/#") == ONTOLOGY
    assert [o.base_iri.rstrip("#") for o in ontology.imported_ontologies] == [IMPORT]
    hsct = world["http://purl.obolibrary.org/obo/MAXO_0000747"]  # from the import module
    assert hsct is not None and "hematopoietic stem cell transplantation" in hsct.label
    therapy = world["https://w3id.org/lupuskg/vocab/UCMSCTherapy"]
    assert therapy is not None and therapy.label
