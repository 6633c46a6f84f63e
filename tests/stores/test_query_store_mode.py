"""`lupuskg query` answers from the on-disk store or an in-memory copy, with equal rows."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lupuskg.config import Settings
from lupuskg.exceptions import BuildError
from lupuskg.queries import embedded_runner, execute
from lupuskg.store import MEMORY_CROSSOVER_QUERIES, QUERY_STORE_ENV, open_query_store


def _is_in_memory(store: ox.Store) -> bool:
    """A read-only RocksDB store refuses writes; an in-memory copy accepts them."""
    probe = ox.Quad(
        ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")
    )
    try:
        store.add(probe)
    except (OSError, RuntimeError):  # pyoxigraph: only read-write instances take writes
        return False
    store.remove(probe)
    return True


def test_auto_mode_copies_only_for_runs_of_many_queries(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(QUERY_STORE_ENV, raising=False)
    assert not _is_in_memory(open_query_store(built_settings))
    assert _is_in_memory(open_query_store(built_settings, queries=MEMORY_CROSSOVER_QUERIES))
    monkeypatch.setenv(QUERY_STORE_ENV, "disk")
    assert not _is_in_memory(open_query_store(built_settings, queries=100))
    monkeypatch.setenv(QUERY_STORE_ENV, "memory")
    assert _is_in_memory(open_query_store(built_settings))
    monkeypatch.setenv(QUERY_STORE_ENV, "fast")
    with pytest.raises(BuildError, match="not a store mode"):
        open_query_store(built_settings)


@pytest.mark.parametrize("query_id", ["Q01", "Q11", "Q20", "Q23"])
def test_memory_and_disk_answer_alike(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch, query_id: str
) -> None:
    answers = []
    for mode in ("disk", "memory"):
        monkeypatch.setenv(QUERY_STORE_ENV, mode)
        runner = embedded_runner(open_query_store(built_settings))
        answers.append(execute(query_id, settings=built_settings, runner=runner)[2])
    assert len(answers[0]) > 0
    assert answers[0].rows == answers[1].rows
