"""The parts of the validation cache that exist for speed must never change a result.

- the shapes' translated SPARQL, stored across runs (``queries`` blob): a stored query
  is the same algebra as a freshly translated one, a broken blob is a miss, and a query
  that cannot be stored exactly is not stored at all;
- file digests remembered by ``stat`` signature (:class:`DigestMemo`): an unchanged file
  is not read again, a rewritten one always is, even with its mtime put back.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import types
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from rdflib.plugins.sparql.parserutils import CompValue, Expr

import lupuskg.validate as validate_module
from lupuskg.config import Settings
from lupuskg.validate import open_cache, validate
from lupuskg.validation import cache as cache_module
from lupuskg.validation import shapes as shapes_module
from lupuskg.validation.cache import DigestMemo
from lupuskg.validation.shapes import (
    dump_queries,
    load_queries,
    parsed_queries,
    query_text_key,
)

NEWS = "cem-ucmsc-news"


@pytest.fixture(autouse=True)
def _pyshacl_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored SPARQL queries are pyshacl's (rdflib algebra): pyshacl-turbo, the default
    engine, parses none, so these checks run on the pyshacl engine."""
    from lupuskg.validation.engines import ENGINE_VARIABLE

    monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl")


def _same(fresh: Any, stored: Any, where: str = "query") -> None:
    """Structural equality of rdflib query objects, evaluation functions included."""
    assert type(fresh) is type(stored), f"{where}: {type(fresh)} vs {type(stored)}"
    if isinstance(fresh, CompValue):
        fresh_attrs = {k: v for k, v in vars(fresh).items() if k != "_evalfn"}
        stored_attrs = {k: v for k, v in vars(stored).items() if k != "_evalfn"}
        _same(fresh_attrs, stored_attrs, f"{where}.attributes")
        fresh_fn, stored_fn = vars(fresh).get("_evalfn"), vars(stored).get("_evalfn")
        assert (fresh_fn is None) == (stored_fn is None), f"{where}: evaluation function lost"
        if fresh_fn is not None:
            assert isinstance(stored_fn, types.MethodType)
            assert stored_fn.__func__ is fresh_fn.__func__, where
            assert stored_fn.__self__ is stored, f"{where}: bound to another node"
        assert list(OrderedDict.keys(fresh)) == list(OrderedDict.keys(stored)), where
        for key in OrderedDict.keys(fresh):
            _same(OrderedDict.__getitem__(fresh, key), OrderedDict.__getitem__(stored, key),
                  f"{where}/{key}")  # fmt: skip
    elif isinstance(fresh, (list, tuple)):
        assert len(fresh) == len(stored), where
        for index, (a, b) in enumerate(zip(fresh, stored, strict=True)):
            _same(a, b, f"{where}[{index}]")
    elif isinstance(fresh, dict):
        assert fresh.keys() == stored.keys(), where
        for key in fresh:
            _same(fresh[key], stored[key], f"{where}{{{key}}}")
    elif type(fresh).__module__.startswith(("rdflib.plugins.sparql", "pyparsing")) and hasattr(
        fresh, "__dict__"
    ):
        _same(vars(fresh), vars(stored), f"{where}@")
    else:
        assert fresh == stored, f"{where}: {fresh!r} != {stored!r}"


def _make_invalid(settings: Settings) -> None:
    """Two mistakes caught by SPARQL-based constraints (FILTERs with functions)."""
    path = settings.documents_dir / f"{NEWS}.ttl"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("lkg:intervention lkg:UCMSCTherapy", "lkg:intervention lkg:Relapse", 1)
    edited = edited.replace("lkg:intervention lkg:MSCTherapy", "lkg:intervention lkg:NoSuchTerm")
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def test_stored_queries_are_the_same_algebra_as_fresh_ones(validation_project: Settings) -> None:
    _make_invalid(validation_project)
    shapes_module._QUERY_CACHE.clear()
    validate(validation_project, jobs=1, cache=False)
    fresh = parsed_queries()
    assert len(fresh) > 10
    stored = load_queries(dump_queries(fresh))
    assert stored.keys() == fresh.keys()
    for key, query in fresh.items():
        _same(query.algebra, stored[key].algebra)
        assert stored[key].prologue.base == query.prologue.base
        assert dict(stored[key].prologue.namespace_manager.namespaces()) == dict(
            query.prologue.namespace_manager.namespaces()
        )


def test_results_with_stored_queries_equal_results_with_fresh_ones(
    validation_project: Settings,
) -> None:
    _make_invalid(validation_project)
    shapes_module._QUERY_CACHE.clear()
    fresh = validate(validation_project, jobs=1, cache=False)
    assert any(r.severity == "Violation" for r in fresh.results)
    data = dump_queries(parsed_queries())
    shapes_module._QUERY_CACHE.clear()
    shapes_module.preload_queries(load_queries(data))
    from_stored = validate(validation_project, jobs=1, cache=False)
    assert from_stored.results == fresh.results


def test_a_broken_query_blob_is_a_miss(validation_project: Settings) -> None:
    _make_invalid(validation_project)
    first = validate(validation_project, jobs=1)
    store = open_cache(validation_project)
    assert store.blob_path("queries").is_file()
    store.blob_path("queries").write_bytes(b"\x80\x05not a pickle")
    for entry in (validation_project.build_dir / "validation-cache").glob("*/*.json"):
        entry.unlink()
    shapes_module._QUERY_CACHE.clear()
    again = validate(validation_project, jobs=1)
    assert again.cached == 0
    assert again.results == first.results


def test_a_query_that_cannot_be_stored_exactly_is_not_stored() -> None:
    node = Expr("Unstorable", lambda _self, _ctx: None)
    key = ("SELECT * {}", None, ())
    with pytest.raises(pickle.PicklingError):
        dump_queries({key: node})


def test_worker_processes_leave_their_queries_in_the_shared_blob(
    validation_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_module, "PARALLEL_THRESHOLD", 1)
    shapes_module._QUERY_CACHE.clear()
    validate(validation_project, jobs=2)
    store = open_cache(validation_project)
    assert store.part_blobs("queries") == []
    data = store.load_blob_bytes("queries")
    assert data is not None
    assert len(load_queries(data)) > 10


def test_an_ontology_change_revalidates_everything(validation_project: Settings) -> None:
    validate(validation_project, jobs=1)
    ontology = validation_project.ontology_file
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert validate(validation_project, jobs=1).cached == 0


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    hashed: list[Path] = []
    original = cache_module.file_digest

    def counting(path: Path) -> str:
        hashed.append(Path(path))
        return original(path)

    monkeypatch.setattr(cache_module, "file_digest", counting)
    return hashed


def test_unchanged_files_are_not_read_again(
    validation_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**18))  # trust every signature match
    validate(validation_project, jobs=1)
    hashed = _count_hashing(monkeypatch)
    report = validate(validation_project, jobs=1)
    assert report.cached == 2
    assert not [path for path in hashed if path.parent.name in ("documents", "sources")]


def test_a_same_size_rewrite_with_its_mtime_put_back_is_validated_again(
    validation_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**18))  # even with the memo trusting
    validate(validation_project, jobs=1)
    path = validation_project.documents_dir / f"{NEWS}.ttl"
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    edited = text.replace('"P6Y"^^xsd:duration', '"P6Q"^^xsd:duration', 1)
    assert len(edited) == len(text) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = validate(validation_project, jobs=1)
    assert report.cached == 1
    assert any(r.path == "lkg:followUp" and r.file.endswith(f"{NEWS}.ttl") for r in report.results)


def _signature(path: Path) -> list[int]:
    info = os.stat(path)
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def test_a_digest_taken_right_after_a_write_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "doc.ttl"
    path.write_bytes(b"real bytes")
    real = hashlib.sha256(b"real bytes").hexdigest()
    info = os.stat(path)
    changed_at = max(info.st_mtime_ns, info.st_ctime_ns)
    memo = DigestMemo(tmp_path)
    # as if hashed in the same clock tick as a write the signature cannot tell apart
    memo._entries[str(path)] = [*_signature(path), "0" * 64, changed_at + 1]
    assert memo.digest(path) == real
    # hashed well after the last change: the remembered digest stands (the memo's purpose)
    memo._entries[str(path)] = [*_signature(path), "0" * 64, changed_at + 3 * 10**9]
    assert memo.digest(path) == "0" * 64


def test_a_corrupt_digest_memo_is_empty(tmp_path: Path) -> None:
    (tmp_path / DigestMemo.FILE).write_text("{not json", encoding="utf-8")
    path = tmp_path / "doc.ttl"
    path.write_bytes(b"x")
    assert DigestMemo(tmp_path).digest(path) == hashlib.sha256(b"x").hexdigest()
    assert DigestMemo(tmp_path).digest(tmp_path / "absent.ttl") == "missing"


def test_prefix_order_does_not_split_the_query_table() -> None:
    body = "\n\n    SELECT $this WHERE { $this a lkg:Claim }\n"
    one = (
        "PREFIX lkg: <https://w3id.org/lupuskg/vocab/>\nPREFIX oa: <http://www.w3.org/ns/oa#>"
        + body
    )
    other = (
        "PREFIX oa: <http://www.w3.org/ns/oa#>\nPREFIX lkg: <https://w3id.org/lupuskg/vocab/>"
        + body
    )
    assert query_text_key(one) == query_text_key(other)
    assert query_text_key(one).endswith(body.lstrip("\n"))


def test_a_prefix_declared_twice_keeps_its_order() -> None:
    first = "PREFIX p: <http://a/>\nPREFIX p: <http://b/>\nSELECT * { ?s p:x ?o }"
    second = "PREFIX p: <http://b/>\nPREFIX p: <http://a/>\nSELECT * { ?s p:x ?o }"
    assert query_text_key(first) == first
    assert query_text_key(first) != query_text_key(second)


def test_a_new_process_finds_every_query_of_the_last_one(validation_project: Settings) -> None:
    """The shapes' prefixes come in hash-seed order; the table must not miss on that."""
    import subprocess
    import sys

    _make_invalid(validation_project)
    script = (
        "import sys; from lupuskg.config import settings; import lupuskg.validate as v; "
        "from lupuskg.validation import shapes as s; import rdflib.plugins.sparql.parser as p; "
        "n = []; parse = s.parseQuery; s.parseQuery = lambda q: n.append(q) or parse(q); "
        "v.validate(settings(), jobs=1); print(len(n))"
    )
    env = dict(os.environ, LUPUSKG_HOME=str(validation_project.root))
    counts = []
    for seed in ("1", "2", "3"):
        for entry in (validation_project.build_dir / "validation-cache").glob("*/*.json"):
            entry.unlink()  # every document is validated again, queries come from the blob
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        counts.append(int(done.stdout.split()[-1]))
    assert counts[0] > 10  # the first process parses the shapes' queries
    assert counts[1:] == [0, 0], counts
