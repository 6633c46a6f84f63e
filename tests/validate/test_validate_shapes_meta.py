"""The shapes themselves: valid SHACL, a curator message and hint on every constraint, canonical."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from lupuskg.rdfio import canonical_turtle
from lupuskg.validation.shapes import constraint_count, shape_count

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "ontology" / "shapes.ttl"
SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")
CONSTRAINT_PARAMETERS = [
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.pattern, SH["in"],
    SH.closed, SH.lessThan, SH.minLength, LKG.subClassOf, LKG.declaredClass,
]  # fmt: skip


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES)


def test_shapes_conform_to_shacl_for_shacl(shapes: rdflib.Graph) -> None:
    """pyshacl ships the W3C SHACL-for-SHACL shapes graph (shsh); ours must conform to it."""
    assert SHACL_SHACL.is_file()
    conforms, _graph, text = pyshacl.validate(shapes, shacl_graph=rdflib.Graph().parse(SHACL_SHACL))
    assert conforms, text


def test_meta_shacl_option_accepts_the_shapes(shapes: rdflib.Graph) -> None:
    data = rdflib.Graph()
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def _holders(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.objects(None, SH.property))


def test_every_constraint_has_a_message_and_a_hint(shapes: rdflib.Graph) -> None:
    missing = []
    for holder in _holders(shapes):
        constrained = any((holder, p, None) in shapes for p in CONSTRAINT_PARAMETERS)
        explained = shapes.value(holder, SH.message) and shapes.value(holder, SH.description)
        if constrained and not explained:
            missing.append(shapes.value(holder, SH.path) or holder)
    for constraint in shapes.objects(None, SH.sparql):
        if not shapes.value(constraint, SH.message) or not shapes.value(constraint, SH.description):
            missing.append(constraint)
    assert missing == []


def test_severities_of_the_issue(shapes: rdflib.Graph) -> None:
    """A missing DOI is a warning; a claim without source or quote is a violation."""

    def severity(path: rdflib.URIRef, parameter: rdflib.URIRef) -> rdflib.term.Node | None:
        for holder in shapes.subjects(SH.path, path):
            if (holder, parameter, None) in shapes:
                return shapes.value(holder, SH.severity, default=SH.Violation)
        return None

    assert severity(rdflib.URIRef("http://purl.org/ontology/bibo/doi"), SH.minCount) == SH.Warning
    assert severity(LKG.sourceDocument, SH.minCount) == SH.Violation
    assert severity(LKG.hasQuote, SH.minCount) == SH.Violation


def test_counts(shapes: rdflib.Graph) -> None:
    assert shape_count(shapes) >= 100
    assert constraint_count(shapes) > 120


def test_shapes_file_is_canonical() -> None:
    assert SHAPES.read_text(encoding="utf-8") == canonical_turtle(rdflib.Graph().parse(SHAPES))
