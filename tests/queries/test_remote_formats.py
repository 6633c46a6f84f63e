"""lupuskg.remote names SPARQLWrapper's answer formats without importing it: same values."""

from __future__ import annotations

import SPARQLWrapper

from lupuskg import remote


def test_format_names_are_sparqlwrappers() -> None:
    assert (remote._JSON, remote._TURTLE) == (SPARQLWrapper.JSON, SPARQLWrapper.TURTLE)
