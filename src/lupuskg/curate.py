"""Curation helpers: scaffold a new document from its source text, and quote it exactly.

Offsets are 0-based code points into the UTF-8 text, end exclusive (Python slices), as
the quote shapes and the validator read them. Nothing here prints: the CLI does.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Settings, source_file_path
from .exceptions import (
    CurationError,
    InputError,
    OutputError,
    QuoteNotFoundError,
    SourceEncodingError,
)
from .files import write_file
from .namespaces import SOURCE, turtle_prefixes
from .rdfio import display_path

__all__ = [
    "NewDocument",
    "QuoteMatch",
    "check_slug",
    "find_quote",
    "new_document",
    "quote_turtle",
]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUOTE_ID = re.compile(r"\.quote-(\d+)\b")

#: Turtle allows repeated @prefix lines, so the pasted node parses wherever it lands; `fmt` folds them.
_QUOTE_PREFIXES = turtle_prefixes("lkg", "lkgd", "oa", "xsd")

_TEMPLATE = (
    turtle_prefixes("bibo", "dcterms", "lkg", "lkgd", "rdfs", "xsd")
    + """
lkgd:{slug}
    a lkg:CuratorSummary ;
    dcterms:title "TODO title of the article, verbatim" ;
    lkg:curationNote "TODO: full citation, DOI and PMID; every number checked against the abstract." ;
    lkg:sourceText <{source_iri}> ;
.

lkgd:{slug}.study-01
    a lkg:Study ;
    rdfs:label "TODO what the study is, in a few words" ;
    lkg:reportedIn lkgd:{slug} ;
.

<{source_iri}>
    a lkg:SourceText ;
    dcterms:format "text/plain" ;
    lkg:filePath "{file_path}" ;
    lkg:sha256 "{sha256}" ;
.
"""
)


@dataclass(frozen=True)
class NewDocument:
    """What `new_document` wrote: the two files and the checksum of the source."""

    document: Path
    source: Path
    sha256: str


@dataclass(frozen=True)
class QuoteMatch:
    """Where an exact text sits in a document's source."""

    slug: str
    exact: str
    start: int
    end: int


def decode_utf8(data: bytes, where: str) -> str:
    """The text of ``data``, or SourceEncodingError naming the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceEncodingError(
            f"{where} is not valid UTF-8: byte 0x{data[error.start]:02x} at byte offset "
            f"{error.start} ({error.reason})",
            hint="convert the file to UTF-8 (e.g. `iconv -f latin1 -t utf-8`) and check it by eye",
        ) from error


def check_slug(settings: Settings, slug: str) -> None:
    if not SLUG.fullmatch(slug):
        raise CurationError(
            f"slug {slug!r} is not lower-case letters and digits joined by single hyphens",
            hint="use the first author and year, e.g. 'liang-2010'",
        )
    for path in (settings.documents_dir / f"{slug}.ttl", settings.sources_dir / f"{slug}.txt"):
        if path.exists():
            raise CurationError(
                f"{path.relative_to(settings.root)} already exists; `new` never overwrites",
                hint="pick another slug, or edit the existing document",
            )


def new_document(settings: Settings, slug: str, source: Path) -> NewDocument:
    """Copy ``source`` byte-exact to graph/sources/SLUG.txt and scaffold graph/documents/SLUG.ttl."""
    check_slug(settings, slug)
    try:
        data = source.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror}") from error
    decode_utf8(data, str(source))
    sha256 = hashlib.sha256(data).hexdigest()
    text_path = settings.sources_dir / f"{slug}.txt"
    doc_path = settings.documents_dir / f"{slug}.ttl"
    source_iri = f"{SOURCE}{slug}.txt"
    write_file(text_path, data, source_file_path(slug))
    try:
        write_file(
            doc_path,
            _TEMPLATE.format(
                slug=slug, source_iri=source_iri, sha256=sha256, file_path=source_file_path(slug)
            ),
            display_path(doc_path, settings.root),
        )
    except OutputError:
        text_path.unlink(missing_ok=True)  # all or nothing: `new` can simply be run again
        raise
    return NewDocument(document=doc_path, source=text_path, sha256=sha256)


def _source_text(settings: Settings, slug: str) -> str:
    path = settings.sources_dir / f"{slug}.txt"
    if not path.is_file():
        raise CurationError(
            f"no source text {source_file_path(slug)}",
            hint=f"create the document first: lupuskg new {slug} --source FILE",
        )
    return decode_utf8(path.read_bytes(), source_file_path(slug))


def _nearest(text: str, exact: str, limit: int = 3) -> list[str]:
    """Passages of ``text`` as long as ``exact``, starting at word starts, most similar first."""
    starts = [match.start() for match in re.finditer(r"\S+", text)]
    windows = {text[start : start + len(exact)] for start in starts}
    return difflib.get_close_matches(exact, list(windows), n=limit, cutoff=0.5)


def find_quote(settings: Settings, slug: str, exact: str) -> QuoteMatch:
    """The single occurrence of ``exact`` in SLUG's source, or QuoteNotFoundError."""
    text = _source_text(settings, slug)
    starts = [m.start() for m in re.finditer(re.escape(exact), text)] if exact else []
    if len(starts) == 1:
        return QuoteMatch(slug=slug, exact=exact, start=starts[0], end=starts[0] + len(exact))
    where = source_file_path(slug)
    if starts:
        at = ", ".join(f"[{s}, {s + len(exact)})" for s in starts)
        raise QuoteNotFoundError(
            f"the text occurs {len(starts)} times in {where}, at {at}",
            hint="quote a longer passage so that it occurs exactly once",
        )
    near = _nearest(text, exact)
    listed = "; ".join(repr(n) for n in near) if near else "none"
    raise QuoteNotFoundError(
        f"the text does not occur in {where}; nearest passages: {listed}",
        hint="copy the text verbatim from the source (spaces, curly quotes and typos included)",
    )


def _next_quote_number(settings: Settings, slug: str) -> int:
    path = settings.documents_dir / f"{slug}.ttl"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return max((int(n) for n in QUOTE_ID.findall(text)), default=0) + 1


def _turtle_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def quote_turtle(settings: Settings, slug: str, exact: str) -> str:
    """A ready-to-paste lkg:Quote node (with the prefixes it uses) for the one ``exact``."""
    match = find_quote(settings, slug, exact)
    number = _next_quote_number(settings, slug)
    return (
        f"{_QUOTE_PREFIXES}\n"
        f"lkgd:{slug}.quote-{number:02d}\n"
        "    a lkg:Quote ;\n"
        f'    oa:end "{match.end}"^^xsd:nonNegativeInteger ;\n'
        f"    oa:exact {_turtle_string(match.exact)} ;\n"
        f'    oa:start "{match.start}"^^xsd:nonNegativeInteger ;\n'
        f"    lkg:inSourceText <{SOURCE}{slug}.txt> ;\n"
        ".\n"
    )
