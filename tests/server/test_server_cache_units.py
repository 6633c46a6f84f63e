"""The result cache's bounds and the HTTP validator helpers, without a server."""

from __future__ import annotations

import os
from pathlib import Path

from lupuskg.server.cache import (
    CachedAnswer,
    ResultCache,
    entity_tag,
    if_none_match,
    store_version,
)
from lupuskg.server.limits import ServerLimits
from lupuskg.server.safety import guard_query


def _answer(size: int, etag: str = '"e"') -> CachedAnswer:
    return CachedAnswer(b"x" * size, "select", "SELECT", etag)


def test_lookup_goes_through_the_exact_text_to_the_normalised_key() -> None:
    cache = ResultCache(max_entries=4, max_bytes=1000)
    assert cache.lookup("q1", "v1", "opts") is None
    cache.store("q1", "norm", "v1", "opts", _answer(3))
    assert cache.lookup("q1", "v1", "opts") == _answer(3)
    assert cache.lookup("q1", "v2", "opts") is None, "another store version is another answer"
    assert cache.lookup("q1", "v1", "csv") is None, "other request options are another answer"
    cache.store("q1 respelt", "norm", "v1", "opts", _answer(3))
    assert len(cache) == 1, "two spellings of one parse tree share one entry"
    assert (cache.hits, cache.misses) == (1, 3)


def test_cache_is_bounded_by_entries_and_bytes() -> None:
    cache = ResultCache(max_entries=2, max_bytes=10)
    cache.store("a", "na", "v", "o", _answer(4))
    cache.store("b", "nb", "v", "o", _answer(4))
    cache.lookup("a", "v", "o")  # a is now the most recently used
    cache.store("c", "nc", "v", "o", _answer(4))
    assert len(cache) == 2 and cache.size_bytes == 8
    assert cache.lookup("b", "v", "o") is None, "the least recently used entry is evicted"
    assert cache.lookup("a", "v", "o") is not None
    cache.store("d", "nd", "v", "o", _answer(9))
    assert cache.size_bytes <= 10 and len(cache) == 1
    cache.store("e", "ne", "v", "o", _answer(11))  # larger than the whole cache: not kept
    assert cache.lookup("e", "v", "o") is None and cache.size_bytes <= 10


def test_disabled_cache_keeps_nothing() -> None:
    cache = ResultCache(max_entries=0, max_bytes=10)
    cache.store("a", "na", "v", "o", _answer(1))
    assert cache.lookup("a", "v", "o") is None and len(cache) == 0


def test_if_none_match() -> None:
    tag = entity_tag("norm", "v1", "opts")
    assert tag != entity_tag("norm", "v2", "opts") != entity_tag("other", "v1", "opts")
    assert if_none_match(tag, tag)
    assert if_none_match(f'"a", W/{tag}', tag)
    assert if_none_match("*", tag)
    assert not if_none_match(None, tag)
    assert not if_none_match('"a", "b"', tag)


def test_store_version_follows_the_current_symlink(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name / "store").mkdir(parents=True)
    current = tmp_path / "current"
    current.symlink_to("one")
    first = store_version(current / "store")
    assert store_version(current / "store") == first
    temporary = tmp_path / ".current"
    temporary.symlink_to("two")
    os.replace(temporary, current)
    assert store_version(current / "store") != first


def test_guard_normalises_layout_comments_and_case_only() -> None:
    limits = ServerLimits()
    one = guard_query("SELECT ?s WHERE { ?s a <http://e/C> }", limits)
    two = guard_query("# comment\nselect ?s\nwhere {?s  a  <http://e/C>}", limits)
    three = guard_query("SELECT ?s WHERE { ?s a <http://e/D> }", limits)
    assert one.normalized and one.normalized == two.normalized
    assert three.normalized != one.normalized
