"""A cache of per-document validation outcomes under ``build/validation-cache/``.

It is a layer around the per-document validation call, whatever engine makes it: the
caller looks an outcome up before validating a file and stores it afterwards. An entry
is valid while nothing it was computed from has changed:

- the document's bytes (its SHA-256) and its display path (results carry the path and
  line numbers);
- the *context*: ontology, imports, shapes, reference table, the validation code itself,
  the engine name and the cache format (hashed once per run, see :func:`context_key`);
- the source texts the document's checks read (their paths are recorded in the entry
  and re-hashed on every lookup, so editing a source invalidates only its documents).

Entries are JSON files written to a temporary name and renamed into place, so that
concurrent runs (a ``validate`` next to a ``build``) never see half an entry; the last
writer wins, and both wrote the same thing. A corrupt or unreadable entry is a miss.

A *blob* per context saves the fixed start-up cost of a run with few misses: the
parsed ontology skeleton and shapes (parsing the Turtle took about a third of
re-validating one document). It is a pickle of two rdflib graphs, named by the context
key and written the same atomic way; it lives in the project's own build directory,
which is trusted like the code itself. Any failure to read it is a miss. (Pickling the
shapes' translated SPARQL as well was tried and dropped: rdflib's algebra did not
always survive the round trip with the plain pickler; a second blob, ``queries``, holds
them written by :func:`lupuskg.validation.shapes.dump_queries`, which stores them exactly
or not at all.)
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_FORMAT",
    "RACY_NS",
    "UNREAD_PREFIX",
    "DigestMemo",
    "ValidationCache",
    "context_key",
    "file_digest",
]

#: bump when the layout of a stored outcome changes
CACHE_FORMAT = 2

#: a remembered digest is trusted only for a file left unchanged this long before it was
#: hashed (coarse file-system clocks: a write within the same tick keeps the timestamps)
RACY_NS = 2_000_000_000

#: the stand-in digest of a dependency that does not exist
_MISSING = "missing"

#: marks a dependency that must not be read (a source path outside graph/sources/):
#: an entry holding one is never reused, so nothing outside the sources is ever hashed
UNREAD_PREFIX = "!unread:"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or ``"missing"`` when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _MISSING


def context_key(inputs: Iterable[Path], *, engine: str, extra: Iterable[str] = ()) -> str:
    """One digest of everything every document's validation depends on.

    ``inputs`` are files (ontology, imports, shapes, reference table, code); each
    contributes its name and bytes, a missing one contributes ``missing``.
    """
    digest = hashlib.sha256(f"lupuskg-validation-cache/{CACHE_FORMAT}\0{engine}\0".encode())
    for item in extra:
        digest.update(item.encode() + b"\0")
    for path in inputs:
        digest.update(path.name.encode() + b"\0" + file_digest(path).encode() + b"\0")
    return digest.hexdigest()


class DigestMemo:
    """SHA-256 digests of files remembered by their ``stat`` signature.

    Hashing every document and source on every run was most of a run with nothing to
    validate (about 2,000 files at 1,000 documents). A digest is reused when the file's
    device, inode, size, mtime and ctime are all unchanged, and only when the file had
    been left alone for :data:`RACY_NS` before it was hashed (as git does for "racily
    clean" entries): otherwise a write in the same clock tick as the hashing could go
    unseen. ctime cannot be set back by tools that restore mtime (``touch -d``, ``cp -p``,
    ``rsync -t``), so such a rewrite is hashed again. A missing or corrupt memo file is
    empty; writing it is best effort, like the rest of the cache.
    """

    FILE = "digests.json"

    def __init__(self, directory: Path) -> None:
        self.path = directory / self.FILE
        self._entries: dict[str, list[int | str]] = {}
        self._changed = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("format") == CACHE_FORMAT:
                entries = loaded.get("files")
                if isinstance(entries, dict):
                    self._entries = entries
        except (OSError, ValueError):
            pass

    def digest(self, path: Path) -> str:
        """SHA-256 of a file's bytes (or ``"missing"``), from the memo when it is safe."""
        name = str(path)
        try:
            info = os.stat(path)
        except OSError:
            return _MISSING
        signature = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        known = self._entries.get(name)
        if (
            isinstance(known, list)
            and len(known) == 7
            and known[:5] == signature
            and isinstance(known[5], str)
            and isinstance(known[6], int)
            and known[6] - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS
        ):
            return known[5]
        hashed_at = time.time_ns()
        digest = file_digest(path)
        if digest != _MISSING:
            self._entries[name] = [*signature, digest, hashed_at]
            self._changed = True
        return digest

    def save(self) -> None:
        if self._changed:
            data = {"format": CACHE_FORMAT, "files": self._entries}
            _write_atomically(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
            self._changed = False


@dataclass
class ValidationCache:
    """Entries of one context under ``directory``; see the module docstring."""

    directory: Path
    context: str
    root: Path
    memo: DigestMemo | None = None

    def digest(self, path: Path) -> str:
        """A file's SHA-256, through the memo when there is one."""
        return self.memo.digest(path) if self.memo is not None else file_digest(path)

    def key(self, shown: str, digest: str) -> str:
        """The entry name of a document with this display path and this SHA-256."""
        return hashlib.sha256(
            self.context.encode() + b"\0" + shown.encode() + b"\0" + digest.encode()
        ).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored outcome, or None when absent, unreadable or out of date."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
            return None
        dependencies = entry.get("dependencies")
        outcome = entry.get("outcome")
        if not isinstance(dependencies, dict) or not isinstance(outcome, dict):
            return None
        for relative, recorded in dependencies.items():
            if relative.startswith(UNREAD_PREFIX):
                return None
            if self.digest(self.root / relative) != recorded:
                return None
        return outcome

    def put(self, key: str, outcome: Mapping[str, Any], dependencies: Iterable[str]) -> None:
        """Store an outcome with the digests of the files (relative to root) it read.

        Write errors are ignored: a cache that cannot be written only costs time.
        """
        entry = {
            "format": CACHE_FORMAT,
            "dependencies": {
                relative: _MISSING
                if relative.startswith(UNREAD_PREFIX)
                else self.digest(self.root / relative)
                for relative in sorted(dependencies)
            },
            "outcome": dict(outcome),
        }
        _write_atomically(self._path(key), json.dumps(entry, separators=(",", ":")).encode("utf-8"))

    def blob_path(self, name: str) -> Path:
        return self.directory / f"{name}-{self.context}.pickle"

    def load_blob(self, name: str) -> Any:
        """A pickled object of this context, or None."""
        try:
            with self.blob_path(name).open("rb") as stream:
                return pickle.load(stream)
        except Exception:
            return None

    def save_blob(self, name: str, value: Any) -> None:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return
        self.save_blob_bytes(name, data)

    def part_blobs(self, name: str) -> list[Path]:
        """Blobs named ``name.<part>`` of this context (e.g. one per worker process)."""
        try:
            return sorted(self.directory.glob(f"{name}.*-{self.context}.pickle"))
        except OSError:
            return []

    def load_blob_bytes(self, name: str) -> bytes | None:
        """The stored bytes of a blob of this context (its own serialisation), or None."""
        try:
            return self.blob_path(name).read_bytes()
        except OSError:
            return None

    def save_blob_bytes(self, name: str, data: bytes) -> None:
        _write_atomically(self.blob_path(name), data)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename; errors are ignored."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name[:8]}-", suffix=".tmp", dir=target.parent
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
