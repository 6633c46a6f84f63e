"""The SHACL engine behind validation: pyshacl-turbo (the default) or pyshacl.

Both take the same call (``validate(data, shacl_graph=..., focus_nodes=...)``) and give a
W3C validation report as an rdflib graph, which :mod:`lupuskg.validation.shapes` turns
into records. pyshacl-turbo (PyPI ``pyshacl-turbo``, a Rust engine with pySHACL's API) is
the default because the two agree on every report: tests/validate/test_validate_engines.py
compares them on the seeds and the whole bad-input corpus, result by result (severity,
file, line, focus, path, constraint, value, message, hint), and it is several times
faster (benchmarks/results/validation-engines.md). pyshacl stays selectable with
``LUPUSKG_SHACL_ENGINE=pyshacl`` or ``lupuskg validate --engine pyshacl``, and is used
when pyshacl-turbo is not installed and no engine was asked for.

The choice is read from the environment so that it reaches the validation worker
processes unchanged. It is independent of the per-document validation cache.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, cast

from ..exceptions import ValidationEngineError

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "ENGINE_VARIABLE",
    "FALLBACK_ENGINE",
    "engine_name",
    "run_engine",
]

#: engine name -> the module that provides ``validate``
ENGINES: dict[str, str] = {"pyshacl": "pyshacl", "turbo": "pyshacl_turbo"}
DEFAULT_ENGINE = "turbo"
#: the engine used when none is asked for and the default is not installed
FALLBACK_ENGINE = "pyshacl"
ENGINE_VARIABLE = "LUPUSKG_SHACL_ENGINE"


def engine_name(name: str | None = None) -> str:
    """The engine to use: ``name``, else $LUPUSKG_SHACL_ENGINE, else pyshacl-turbo if it is
    installed, else pyshacl. An engine asked for by name must be installed (run_engine
    says so); only the default falls back."""
    asked = name or os.environ.get(ENGINE_VARIABLE)
    if not asked:
        installed = importlib.util.find_spec(ENGINES[DEFAULT_ENGINE]) is not None
        return DEFAULT_ENGINE if installed else FALLBACK_ENGINE
    chosen = asked.strip().lower()
    if chosen not in ENGINES:
        raise ValidationEngineError(
            f"unknown SHACL engine {chosen!r}",
            hint=f"use one of: {', '.join(ENGINES)} (in --engine or ${ENGINE_VARIABLE})",
        )
    return chosen


class _Engine(Protocol):
    """What both engine modules offer: pySHACL's ``validate``, giving (conforms, report
    graph, report text) when no serialisation is asked for."""

    def validate(
        self,
        data_graph: rdflib.Graph,
        *,
        shacl_graph: rdflib.Graph,
        inference: str,
        allow_warnings: bool,
        allow_infos: bool,
        focus_nodes: list[rdflib.term.Node],
    ) -> tuple[bool, rdflib.Graph, str]: ...


def _module(name: str) -> _Engine:
    try:
        # a module found by name is a ModuleType to mypy; both engines implement _Engine
        return cast(_Engine, importlib.import_module(ENGINES[name]))
    except ImportError as error:
        raise ValidationEngineError(
            f"the SHACL engine {name!r} is not installed ({error})",
            hint="pip install pyshacl-turbo, or choose pyshacl (--engine pyshacl)",
        ) from None


def run_engine(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    focus: Sequence[rdflib.term.Node],
    engine: str | None = None,
) -> rdflib.Graph:
    """The validation report graph of ``data`` against ``shapes`` for the focus nodes."""
    name = engine_name(engine)
    module = _module(name)
    _conforms, report, _text = module.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        focus_nodes=list(focus),
    )
    return report
