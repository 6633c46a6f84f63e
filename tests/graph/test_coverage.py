"""Every item of design §3 is in the built graph: one SPARQL ASK per item, on the real store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lupuskg.config import Settings
from lupuskg.store import open_store

sys.path.insert(0, str(Path(__file__).parent))
from coverage_cases import COVERAGE_CASES


@pytest.mark.parametrize(("case_id", "ask"), COVERAGE_CASES, ids=[c[0] for c in COVERAGE_CASES])
def test_design_item_is_encoded(built_settings: Settings, case_id: str, ask: str) -> None:
    store = open_store(built_settings)
    answer = store.query(ask, use_default_graph_as_union=True)
    assert bool(answer), f"{case_id}: not found in the built graph; the ASK was:\n{ask}"


def test_cases_cover_every_seed() -> None:
    prefixes = {case_id.split("-", 1)[0] for case_id, _ in COVERAGE_CASES}
    assert prefixes == {"carl", "rajoe", "cem", "frontiers"}
