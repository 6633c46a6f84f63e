"""Therapy and outcome names given by people, resolved to ontology IRIs.

The canned queries' resolver is reused (labels, synonyms, CURIEs, IRIs; a final
"therapy" may be left out), so `lupuskg meta --therapy UC-MSC` accepts what
`lupuskg query Q05 --param therapy=UC-MSC` accepts, with the same error messages.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..queries import CannedQuery, Parameter, _Lookup, embedded_runner, resolve_value

__all__ = ["resolve_term"]

_KINDS = {"therapy": "Therapy", "outcome": "Outcome", "population": "Condition"}


def resolve_term(store: ox.Store, kind: str, value: str, command: str = "meta") -> str:
    """The IRI of a therapy, outcome or population named by label, synonym, CURIE or IRI."""
    value_type = PREFIXES["lkg"] + _KINDS[kind]
    parameter = Parameter(iri="", name=kind, value_type=value_type, default=None, comment="")
    query = CannedQuery(
        id=command,
        iri="",
        title=command,
        question="",
        keywords=(),
        sparql="",
        parameters=(parameter,),
        path=Path(command),
    )
    return str(resolve_value(query, parameter, value, _Lookup(embedded_runner(store))).value)
