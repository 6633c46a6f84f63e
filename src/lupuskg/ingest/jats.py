"""PMC JATS XML (``<article>``, or ``<pmc-articleset><article>``): the article's front matter."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..exceptions import MalformedRecordError
from ._text import author_name, initials, iso_date, one_record, require, text_of
from .records import ArticleRecord
from .xmlsafe import local_name

__all__ = ["read_jats"]

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

#: JATS @article-type -> lkg document classes
_TYPES = {
    "research-article": "ResearchArticle",
    "review-article": "ReviewArticle",
    "systematic-review": "SystematicReview",
    "meta-analysis": "SystematicReview",
    "news": "NewsReport",
    "editorial": "PerspectiveArticle",
    "commentary": "PerspectiveArticle",
    "article-commentary": "PerspectiveArticle",
    "letter": "PerspectiveArticle",
    "case-report": "ResearchArticle",
}


def _strip_namespaces(root: ET.Element) -> None:
    """JATS may come with a default namespace; the readers match local names."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = local_name(element.tag)


def read_jats(root: ET.Element) -> ArticleRecord:
    _strip_namespaces(root)
    root, base = one_record(root, "pmc-articleset", "article")
    front = require(root, "front", base)
    meta = require(front, "article-meta", f"{base}/front")
    at = f"{base}/front/article-meta"
    title = text_of(require(meta, "title-group/article-title", at))
    if not title:
        raise MalformedRecordError("empty <article-title>", where=f"{at}/title-group/article-title")
    journal = front.find("journal-meta")
    record = ArticleRecord(
        format="jats",
        title=title,
        authors=_authors(meta, at),
        abstract=_abstract(meta),
        journal=text_of(journal.find("journal-title-group/journal-title"))
        if journal is not None
        else None,
        issn=_issn(journal),
        volume=text_of(meta.find("volume")),
        issue=text_of(meta.find("issue")),
        pages=_pages(meta),
    )
    kind = root.get("article-type") or ""
    record.article_type = _TYPES.get(kind, "ResearchArticle")
    record.article_kind = kind or None
    if kind and kind not in _TYPES:
        record.notes.append(f"JATS article-type {kind!r} is read as a research article; check it.")
    for identifier in meta.findall("article-id"):
        kind_id, value = identifier.get("pub-id-type"), text_of(identifier)
        if not value:
            continue
        if kind_id == "doi":
            record.doi = value
        elif kind_id == "pmid":
            record.pmid = value
        elif kind_id in ("pmc", "pmcid"):
            record.pmcid = value if value.startswith("PMC") else f"PMC{value}"
    _dates(meta, record, at)
    record.license = _license(meta)
    record.keywords = [text for k in meta.findall("kwd-group/kwd") if (text := text_of(k))]
    if not record.abstract:
        record.notes.append("The article has no abstract; the source text is the title only.")
    return record


def _authors(meta: ET.Element, at: str) -> list[str]:
    names = []
    contributors = [
        c
        for c in meta.findall("contrib-group/contrib")
        if c.get("contrib-type", "author") == "author"
    ]
    for index, contributor in enumerate(contributors, 1):
        names.append(
            author_name(
                text_of(contributor.find("collab")),
                text_of(contributor.find("name/surname")),
                initials(text_of(contributor.find("name/given-names"))),
                missing="<name><surname> or <collab>",
                where=f"{at}/contrib-group/contrib[{index}]",
            )
        )
    return names


def _abstract(meta: ET.Element) -> list[tuple[str | None, str]]:
    abstracts = meta.findall("abstract")
    plain = [a for a in abstracts if a.get("abstract-type") is None] or abstracts
    if not plain:
        return []
    abstract = plain[0]
    sections: list[tuple[str | None, str]] = []
    secs = abstract.findall("sec")
    if secs:
        for sec in secs:
            label = text_of(sec.find("title"))
            text = " ".join(t for p in sec.findall("p") if (t := text_of(p)))
            if text:
                sections.append((label, text))
    else:
        for paragraph in abstract.findall("p"):
            if found := text_of(paragraph):
                sections.append((None, found))
    return sections


def _issn(journal: ET.Element | None) -> str | None:
    if journal is None:
        return None
    issns = journal.findall("issn")
    electronic = [
        i
        for i in issns
        if i.get("pub-type") == "epub" or i.get("publication-format") == "electronic"
    ]
    chosen = electronic or issns
    return text_of(chosen[0]) if chosen else None


def _pages(meta: ET.Element) -> str | None:
    first, last = text_of(meta.find("fpage")), text_of(meta.find("lpage"))
    if first:
        return f"{first}-{last}" if last and last != first else first
    return text_of(meta.find("elocation-id"))


def _date(element: ET.Element, where: str) -> str | None:
    return iso_date(
        text_of(element.find("year")),
        text_of(element.find("month")),
        text_of(element.find("day")),
        where,
    )


def _dates(meta: ET.Element, record: ArticleRecord, at: str) -> None:
    dates = meta.findall("pub-date")

    def rank(element: ET.Element) -> int:
        kind = element.get("pub-type") or element.get("date-type") or ""
        electronic = kind == "epub" or element.get("publication-format") == "electronic"
        return 0 if electronic else 1 if kind in ("ppub", "pub", "collection") else 2

    for element in sorted(dates, key=rank):
        issued = _date(element, f"{at}/pub-date")
        if issued:
            record.issued = issued
            break
    years = [y for d in dates if (y := text_of(d.find("year"))) and y.isdigit()]
    record.year = record.issued[:4] if record.issued else (years[0] if years else None)
    for element in meta.findall("history/date"):
        kind = element.get("date-type")
        if kind in ("received", "accepted"):
            setattr(record, kind, _date(element, f"{at}/history/date[@date-type='{kind}']"))


def _license(meta: ET.Element) -> str | None:
    for licence in meta.findall("permissions/license"):
        href = licence.get(XLINK_HREF) or licence.get("href")
        if href:
            return href.strip()
        for child in licence.iter():
            if child.tag == "license_ref" and text_of(child):
                return text_of(child)
    return None
