"""namespaces.compress is curies' compression of PREFIXES, without importing curies.

The hot path (every table cell of `lupuskg query`) compresses IRIs by the longest
namespace of :data:`lupuskg.namespaces.PREFIXES`; curies, built from the same map, is the
reference. Both must give the same CURIE (or none) for every IRI of the project's data,
its ontology, and a generated corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmark_modules import load_benchmark

from lupuskg.namespaces import PREFIXES, compress, converter

ROOT = Path(__file__).resolve().parents[1]
SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _reference(iri: str) -> str | None:
    """compress() as it was written on curies: its CURIE, refused if the local name needs escapes."""
    compressed = converter().compress(iri)
    if compressed is None:
        return None
    _, _, local = compressed.partition(":")
    return compressed if SAFE_LOCAL.fullmatch(local) else None


def _iris(files: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for path in files:
        rdf_format = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.TRIG
        for quad in ox.parse(path=str(path), format=rdf_format):
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, ox.NamedNode):
                    found.add(term.value)
                elif isinstance(term, ox.Literal):
                    found.add(term.datatype.value)
    return found


def _generated(root: Path) -> Iterator[Path]:
    module = load_benchmark("generate")
    project = module.generate_corpus(30, root / "project", seed=5)
    yield from sorted((project / "graph" / "documents").glob("*.ttl"))


def _assert_agree(iris: set[str]) -> None:
    differ = {
        iri: (compress(iri), _reference(iri)) for iri in iris if compress(iri) != _reference(iri)
    }
    assert differ == {}
    # the comparison is not vacuous: most IRIs compress, and some do not
    assert sum(compress(iri) is not None for iri in iris) > len(iris) / 2


def test_compress_agrees_with_curies_on_the_data_and_the_ontology() -> None:
    files = [*sorted((ROOT / "graph").rglob("*.ttl")), *sorted((ROOT / "ontology").rglob("*.ttl"))]
    iris = _iris(files) | set(PREFIXES.values())
    assert len(iris) > 1000
    _assert_agree(iris)


def test_compress_agrees_with_curies_on_a_generated_corpus(tmp_path: Path) -> None:
    _assert_agree(_iris(_generated(tmp_path)))


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (PREFIXES["lkg"] + "Claim", "lkg:Claim"),
        (PREFIXES["lkg"], None),  # no local name
        (PREFIXES["lkg"] + "a/b", None),  # needs an escape
        (PREFIXES["lkg"] + "end.", None),
        ("urn:example:nothing", None),
    ],
)
def test_compress_refuses_what_would_need_escaping(iri: str, expected: str | None) -> None:
    assert compress(iri) == expected == _reference(iri)
