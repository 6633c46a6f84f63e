"""Per-document coverage checks: every graph/coverage/<slug>/<fact>.rq ASK is true on the build.

A check is data beside its document (see graph/coverage/README.md), so adding a document
never means editing this file: the runner finds whatever checks exist. A document without
checks is allowed; a check without a document is not.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from lupuskg.config import Settings
from lupuskg.store import open_store

ROOT = Path(__file__).resolve().parents[2]
COVERAGE = ROOT / "graph" / "coverage"
DOCUMENTS = ROOT / "graph" / "documents"
CHECKS = sorted(COVERAGE.glob("*/*.rq"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("check", CHECKS, ids=[_id(c) for c in CHECKS])
def test_coverage_check_holds(built_settings: Settings, check: Path) -> None:
    ask = check.read_text(encoding="utf-8")
    answer = open_store(built_settings).query(ask, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QueryBoolean), f"{_where(check)} is not an ASK query"
    assert bool(answer), (
        f"{_where(check)}: false on the built graph; the fact it checks is missing or "
        f"encoded differently in graph/documents/{check.parent.name}.ttl. The ASK was:\n{ask}"
    )


@pytest.mark.parametrize("check", CHECKS, ids=[_id(c) for c in CHECKS])
def test_coverage_check_is_an_ask_about_its_document(check: Path) -> None:
    ask = check.read_text(encoding="utf-8")
    assert prepareQuery(ask).algebra.name == "AskQuery", f"{_where(check)} is not an ASK query"
    assert check.parent.name in ask, (
        f"{_where(check)} never names its document {check.parent.name}: "
        "move it to the folder of the document whose fact it checks"
    )


def test_every_coverage_folder_belongs_to_a_document() -> None:
    folders = sorted(p for p in COVERAGE.iterdir() if p.is_dir()) if COVERAGE.is_dir() else []
    orphans = [_where(p) for p in folders if not (DOCUMENTS / f"{p.name}.ttl").is_file()]
    assert orphans == [], f"coverage folders without a graph/documents/<slug>.ttl: {orphans}"
