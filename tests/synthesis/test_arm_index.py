"""ArmIndex (one Q21 run for the whole build) gives what collect_arms (one Q21 run per pair) gives.

The build pools every therapy and outcome pair through ArmIndex; `lupuskg meta` and the
Python API call collect_arms. Both must return the same arms, in the same order, for
every pair the build pools and for broader classes (the hierarchy tests of Q21), on the
seeds, on the synthesis fixtures and on a generated corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmark_modules import load_benchmark

from lupuskg.config import Settings
from lupuskg.exceptions import SynthesisError
from lupuskg.namespaces import PREFIXES
from lupuskg.queries import run_sparql
from lupuskg.store import open_store
from lupuskg.synthesis.collect import ArmIndex, collect_arms
from lupuskg.synthesis.derived import _PAIRS

LKG = PREFIXES["lkg"]
#: broader classes, so that the subclass tests of Q21 match more than the exact class
BROADER_THERAPIES = [LKG + "ArmTreatment", LKG + "StemCellTherapy", LKG + "MSCTherapy"]
BROADER_OUTCOMES = [LKG + "Outcome", LKG + "EfficacyOutcome", LKG + "SafetyOutcome"]


def _pairs(store: ox.Store) -> list[tuple[str, str]]:
    exact = [(str(r["therapy"]), str(r["outcome"])) for r in run_sparql(store, _PAIRS).to_records()]
    therapies = sorted({t for t, _ in exact}) + BROADER_THERAPIES
    outcomes = sorted({o for _, o in exact}) + BROADER_OUTCOMES
    return [(t, o) for t in therapies for o in outcomes]


def _arms_or_error(call: Callable[..., object], *args: object, **kwargs: object) -> object:
    try:
        return call(*args, **kwargs)
    except SynthesisError as error:
        return ("SynthesisError", str(error))


def _assert_same(settings: Settings) -> int:
    store = open_store(settings)
    index = ArmIndex(store, settings=settings)
    pairs = _pairs(store)
    compared = 0
    for therapy, outcome in pairs:
        by_index = _arms_or_error(index.arms, therapy, outcome)
        by_query = _arms_or_error(collect_arms, store, therapy, outcome, settings=settings)
        assert by_index == by_query, (therapy, outcome)
        compared += isinstance(by_query, list) and len(by_query) > 0
    return compared


def test_same_arms_on_the_seeds(built_settings: Settings) -> None:
    assert _assert_same(built_settings) > 0


def test_same_arms_on_the_synthesis_fixtures(synthesis_settings: Settings) -> None:
    assert _assert_same(synthesis_settings) > 0


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
    project_builder: Callable[[Path], AbstractContextManager[Settings]],
) -> Iterator[Settings]:
    module = load_benchmark("generate")
    root = module.generate_corpus(40, tmp_path_factory.mktemp("arms") / "project", seed=7)
    with project_builder(root) as project:
        yield project


def test_same_arms_on_a_generated_corpus(generated: Settings) -> None:
    assert _assert_same(generated) > 10
