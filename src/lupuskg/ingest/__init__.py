"""`lupuskg ingest FILE`: a PubMed, PMC JATS or ClinicalTrials.gov record -> source + draft.

- :mod:`.detect` decides the format from the content;
- :mod:`.xmlsafe` parses XML refusing internal DTD subsets, entities and external references;
- :mod:`.pubmed`, :mod:`.jats`, :mod:`.ctgov` read one format each into :mod:`.records`;
- :mod:`.mapping` maps registry words onto lupuskg terms;
- :mod:`.draft` writes the source text and the document graph.

Library code raises :class:`~lupuskg.exceptions.IngestError` subclasses; nothing prints.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..curate import check_slug
from ..exceptions import InputError
from ..rdfio import canonical_turtle
from .ctgov import read_ctgov
from .detect import FORMATS, detect
from .draft import DCT, Draft, article_draft, trial_draft
from .jats import read_jats
from .pubmed import read_pubmed
from .records import ArticleRecord, TrialRecord

__all__ = ["FORMATS", "Ingested", "draft_for", "ingest", "suggested_slug"]


@dataclass(frozen=True)
class Ingested:
    """What `ingest` wrote."""

    format: str
    slug: str
    document: Path
    source: Path
    authors: int


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def suggested_slug(record: ArticleRecord | TrialRecord) -> str:
    """first-author-year for articles, the lower-case NCT number for registry records."""
    if isinstance(record, TrialRecord):
        return record.nct_id.lower()
    family = record.authors[0].rsplit(" ", 1)[0] if record.authors else ""
    parts = [part for part in (_ascii(family), record.year or "") if part]
    return "-".join(parts) or (f"pmid-{record.pmid}" if record.pmid else "untitled")


def draft_for(data: bytes, where: str, slug: str | None = None) -> tuple[str, str, Draft]:
    """(format, slug, draft) for the bytes of a record; nothing is written."""
    detected = detect(data, where)
    record: ArticleRecord | TrialRecord
    if detected.format == "pubmed":
        record = read_pubmed(detected.content)
    elif detected.format == "jats":
        record = read_jats(detected.content)
    else:
        record = read_ctgov(detected.content)
    chosen = slug or suggested_slug(record)
    if isinstance(record, TrialRecord):
        return detected.format, chosen, trial_draft(record, chosen)
    return detected.format, chosen, article_draft(record, chosen)


def ingest(settings: Settings, path: Path, slug: str | None = None) -> Ingested:
    """Read ``path``, then write graph/sources/SLUG.txt and graph/documents/SLUG.ttl."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from error
    kind, chosen, draft = draft_for(data, str(path), slug)
    check_slug(settings, chosen)
    text_path = settings.sources_dir / f"{chosen}.txt"
    doc_path = settings.documents_dir / f"{chosen}.ttl"
    text_path.parent.mkdir(parents=True, exist_ok=True)
    doc_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_bytes(draft.text.encode("utf-8"))
    doc_path.write_text(canonical_turtle(draft.graph), encoding="utf-8")
    authors = len(set(draft.graph.objects(None, DCT.creator)))
    return Ingested(kind, chosen, doc_path, text_path, authors)
