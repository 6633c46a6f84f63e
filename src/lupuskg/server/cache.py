"""The endpoint's result cache and its HTTP validators (ETag, If-None-Match, Cache-Control).

The store changes only when `lupuskg build` swaps in a new generation, so a query's answer
is fixed by (the query, the store version, the dataset and format it was asked with). The
cache keeps answers under that key:

- the query part is the worker's normalised parse tree (:attr:`GuardedQuery.normalized`):
  two texts that differ only in whitespace, comments or keyword case share an entry and an
  ETag. Parsing happens in the killable workers, never on the event loop, so the server
  first looks the *exact* text up (an alias to its normalised key, learnt from the worker's
  first answer); a text it has not seen yet runs once on a worker;
- the store version is :func:`store_version` of ``build/current/store``: the generation
  directory the symlink points to, which every build replaces. A worker reports the version
  it answered from, and an answer is kept only when that is still the current version, so a
  rebuild can never serve (or validate) an answer of the previous build.

A third map, in front of both, serves repeated requests without reading them at all
(server/fastpath.py): the raw request (method, path, URL query, content type, Accept and
body bytes) -> the answer's key and the response headers the full path built for it. It
only ever holds requests the full path answered from this cache, so a hit is the answer
the same bytes would get again (same parse, same guard decision, same negotiation); it
points at the answer rather than holding it, so an evicted answer is a miss there too.

The maps are LRU-bounded: by entries, the answers by their total bytes (at most
``ServerLimits.cache_mb``), the raw requests by the bytes of their keys (an eighth of it).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CACHE_CONTROL",
    "CachedAnswer",
    "RawHeaders",
    "RequestKey",
    "ResultCache",
    "if_none_match",
    "store_version",
]

#: answers may be stored but must be revalidated (a rebuild can change them at any time);
#: revalidation is a cheap 304 while the build is unchanged
CACHE_CONTROL = "public, no-cache"


def store_version(store_path: Path | str) -> str:
    """What identifies the store's content: the directory the path resolves to, and its mtime.

    ``build/current`` is a symlink that every build moves to a new generation directory,
    so the directory (device and inode) changes with each build; the mtime covers a store
    given directly (LUPUSKG_STORE) and rewritten in place, and an inode number reused by a
    later generation after pruning. One ``stat`` call (it follows the symlinks): this runs
    on every request, and ``os.path.realpath`` (an ``lstat`` per path component) cost
    30 µs of a cached answer's ~100 µs.
    """
    try:
        found = os.stat(store_path)
    except OSError:
        return f"{os.fspath(store_path)}@missing"
    return f"{found.st_dev}:{found.st_ino}@{found.st_mtime_ns}"


#: ASGI response headers, as the full path's Response built them
RawHeaders = list[tuple[bytes, bytes]]
#: a raw request, as server/fastpath.py keys it: method, path, URL query, content type,
#: Accept, body
RequestKey = tuple[str, str, bytes, bytes, bytes, bytes]


@dataclass(frozen=True)
class _KnownRequest:
    """What a raw request was answered with: the answer's key and both responses' headers."""

    answer_key: tuple[str, str, str]
    ok_headers: RawHeaders
    not_modified_headers: RawHeaders
    size: int


@dataclass(frozen=True)
class CachedAnswer:
    """A successful answer as the client received it."""

    body: bytes
    kind: str
    form: str
    etag: str


def entity_tag(normalized: str, version: str, request_key: str) -> str:
    """A strong ETag for one answer: the query, the store version and the request's options."""
    digest = hashlib.sha256(f"{version}\n{request_key}\n{normalized}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def if_none_match(header: str | None, etag: str) -> bool:
    """True when an If-None-Match header matches ``etag`` (weak comparison, RFC 9110 §13.1.2)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


class ResultCache:
    """Answers by (normalised query, store version, request options); LRU, bounded."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple[str, str, str], CachedAnswer] = OrderedDict()
        self._aliases: OrderedDict[str, str] = OrderedDict()  # exact text -> normalised key
        self._requests: OrderedDict[RequestKey, _KnownRequest] = OrderedDict()
        self._request_bytes = 0
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_bytes > 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._answers)

    def lookup(self, text: str, version: str, request_key: str) -> CachedAnswer | None:
        """The answer kept for this exact text, version and options, if any."""
        if not self.enabled:
            return None
        with self._lock:
            normalized = self._aliases.get(text)
            answer = None
            if normalized is not None:
                self._aliases.move_to_end(text)
                key = (normalized, version, request_key)
                answer = self._answers.get(key)
                if answer is not None:
                    self._answers.move_to_end(key)
            if answer is None:
                self.misses += 1
            else:
                self.hits += 1
            return answer

    def store(
        self,
        text: str,
        normalized: str,
        version: str,
        request_key: str,
        answer: CachedAnswer,
    ) -> None:
        """Keep an answer (too large a body is not kept; old entries are evicted)."""
        if not self.enabled or not normalized or len(answer.body) > self.max_bytes:
            return
        with self._lock:
            self._aliases[text] = normalized
            self._aliases.move_to_end(text)
            while len(self._aliases) > self.max_entries * 4:
                self._aliases.popitem(last=False)
            key = (normalized, version, request_key)
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._answers.popitem(last=False)
                self._bytes -= len(evicted.body)

    def remember_request(
        self,
        request: RequestKey,
        text: str,
        version: str,
        request_key: str,
        ok_headers: RawHeaders,
        not_modified_headers: RawHeaders,
    ) -> None:
        """Note that this raw request got the answer kept for ``text`` (if it is kept)."""
        if not self.enabled:
            return
        size = sum(len(part) for part in request)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            normalized = self._aliases.get(text)
            key = (normalized or "", version, request_key)
            if normalized is None or key not in self._answers:
                return
            previous = self._requests.pop(request, None)
            if previous is not None:
                self._request_bytes -= previous.size
            self._requests[request] = _KnownRequest(key, ok_headers, not_modified_headers, size)
            self._request_bytes += size
            while (
                len(self._requests) > self.max_entries * 4
                or self._request_bytes > self.max_bytes // 8
            ):
                _, evicted = self._requests.popitem(last=False)
                self._request_bytes -= evicted.size

    def answer_request(
        self, request: RequestKey, version: str
    ) -> tuple[CachedAnswer, RawHeaders, RawHeaders] | None:
        """The answer and headers a raw request got from this store version, if still kept."""
        with self._lock:
            known = self._requests.get(request)
            if known is None:
                return None
            answer = self._answers.get(known.answer_key)
            if answer is None or known.answer_key[1] != version:
                del self._requests[request]
                self._request_bytes -= known.size
                return None
            self._requests.move_to_end(request)
            self._answers.move_to_end(known.answer_key)
            self.hits += 1
            return answer, known.ok_headers, known.not_modified_headers
