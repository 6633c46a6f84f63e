"""lupuskg: a knowledge graph of the evidence on stem-cell therapy for lupus.

Notebook users start with :func:`query`, which runs a canned evidence query on the
embedded store and returns typed rows.
"""

from __future__ import annotations

from typing import Any

from .config import package_version
from .exceptions import (
    BuildError,
    InputError,
    LupusKGError,
    OntologyError,
    ParseError,
    QueryError,
    UnknownParameterError,
    UnknownQueryError,
    ValidationFailed,
)

__all__ = [
    "BuildError",
    "InputError",
    "LupusKGError",
    "OntologyError",
    "ParseError",
    "QueryError",
    "UnknownParameterError",
    "UnknownQueryError",
    "ValidationFailed",
    "evidence_map",
    "meta",
    "profile",
    "query",
]


def __getattr__(name: str) -> Any:
    """``lupuskg.__version__``, read from the installed metadata on first use only."""
    if name == "__version__":
        version = package_version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def query(query_id: str, /, **params: Any) -> Any:
    """Run canned query ``query_id`` on the embedded store; parameters by name."""
    from .queries import run_canned  # lazy: keeps `import lupuskg` cheap

    return run_canned(query_id, **params)


def meta(outcome: str, therapy: str, /, **options: Any) -> Any:
    """Pool one outcome for one therapy across studies (see :mod:`lupuskg.synthesis.meta`)."""
    from .synthesis.meta import meta as run_meta

    return run_meta(outcome, therapy, **options)


def profile(therapy: str, /, **options: Any) -> Any:
    """GRADE-style certainty profile of a therapy (see :mod:`lupuskg.synthesis.profile`)."""
    from .synthesis.profile import profile as run_profile

    return run_profile(therapy, **options)


def evidence_map(**options: Any) -> Any:
    """Therapies × outcomes evidence gap map (see :mod:`lupuskg.synthesis.gapmap`)."""
    from .synthesis.gapmap import evidence_map as run_map

    return run_map(**options)
