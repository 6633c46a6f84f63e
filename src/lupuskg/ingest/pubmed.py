"""PubMed efetch XML (``PubmedArticleSet/PubmedArticle``): one article per file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..exceptions import MalformedRecordError
from ._text import author_name, initials, iso_date, one_record, require, text_of
from .records import ArticleRecord

__all__ = ["read_pubmed"]

#: PubMed publication types -> lkg document classes (the first match wins)
_TYPES = (
    ("Systematic Review", "SystematicReview"),
    ("Meta-Analysis", "SystematicReview"),
    ("Review", "ReviewArticle"),
    ("News", "NewsReport"),
    ("Editorial", "PerspectiveArticle"),
    ("Comment", "PerspectiveArticle"),
)


def read_pubmed(root: ET.Element) -> ArticleRecord:
    """The one article of a PubmedArticleSet (or a bare PubmedArticle)."""
    article_element, base = one_record(
        root,
        "PubmedArticleSet",
        "PubmedArticle",
        hint="fetch one PMID per file (efetch.fcgi?db=pubmed&id=PMID&retmode=xml)",
    )
    citation = require(article_element, "MedlineCitation", base)
    where = f"{base}/MedlineCitation"
    article = require(citation, "Article", where)
    at = f"{where}/Article"
    title = text_of(require(article, "ArticleTitle", at))
    if not title:
        raise MalformedRecordError("empty <ArticleTitle>", where=f"{at}/ArticleTitle")
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    record = ArticleRecord(
        format="pubmed",
        title=title,
        authors=_authors(article, at),
        abstract=_abstract(article),
        journal=text_of(journal.find("Title")) if journal is not None else None,
        issn=text_of(journal.find("ISSN")) if journal is not None else None,
        volume=text_of(issue.find("Volume")) if issue is not None else None,
        issue=text_of(issue.find("Issue")) if issue is not None else None,
        pages=_pages(article),
        pmid=text_of(require(citation, "PMID", where)),
    )
    record.article_type = _article_type(article)
    record.publication_types = [
        text for t in article.findall("PublicationTypeList/PublicationType") if (text := text_of(t))
    ]
    record.registrations = _registrations(article)
    _identifiers(article_element, article, record)
    _dates(article_element, article, issue, record, at)
    record.keywords = [
        text for k in citation.findall("KeywordList/Keyword") if (text := text_of(k))
    ]
    record.mesh = [
        text
        for heading in citation.findall("MeshHeadingList/MeshHeading")
        if (text := text_of(heading.find("DescriptorName")))
    ]
    copyright_ = text_of(article.find("Abstract/CopyrightInformation"))
    if copyright_:
        record.notes.append(f"The PubMed record states: {copyright_}")
    if not record.abstract:
        record.notes.append("The PubMed record has no abstract; the source text is the title only.")
    return record


def _authors(article: ET.Element, at: str) -> list[str]:
    names = []
    for index, author in enumerate(article.findall("AuthorList/Author"), 1):
        if author.get("ValidYN", "Y") == "N":
            continue
        names.append(
            author_name(
                text_of(author.find("CollectiveName")),
                text_of(author.find("LastName")),
                text_of(author.find("Initials")) or initials(text_of(author.find("ForeName"))),
                missing="<LastName> or <CollectiveName>",
                where=f"{at}/AuthorList/Author[{index}]",
            )
        )
    return names


def _abstract(article: ET.Element) -> list[tuple[str | None, str]]:
    sections = []
    for part in article.findall("Abstract/AbstractText"):
        text = text_of(part)
        if text:
            sections.append((part.get("Label"), text))
    return sections


def _pages(article: ET.Element) -> str | None:
    start = text_of(article.find("Pagination/StartPage"))
    end = text_of(article.find("Pagination/EndPage"))
    if start:
        return f"{start}-{end}" if end and end != start else start
    medline = text_of(article.find("Pagination/MedlinePgn"))
    if medline:
        return medline
    for location in article.findall("ELocationID"):
        if location.get("EIdType") == "pii":
            return text_of(location)
    return None


def _article_type(article: ET.Element) -> str:
    types = {text_of(t) for t in article.findall("PublicationTypeList/PublicationType")}
    for name, cls in _TYPES:
        if name in types:
            return cls
    return "ResearchArticle"


def _registrations(article: ET.Element) -> list[str]:
    """ClinicalTrials.gov numbers in the record's DataBankList (other banks hold data sets)."""
    numbers = []
    for bank in article.findall("DataBankList/DataBank"):
        if text_of(bank.find("DataBankName")) != "ClinicalTrials.gov":
            continue
        for accession in bank.findall("AccessionNumberList/AccessionNumber"):
            if number := text_of(accession):
                numbers.append(number)
    return list(dict.fromkeys(numbers))


def _identifiers(article_element: ET.Element, article: ET.Element, record: ArticleRecord) -> None:
    for identifier in article_element.findall("PubmedData/ArticleIdList/ArticleId"):
        kind, value = identifier.get("IdType"), text_of(identifier)
        if kind == "doi" and value:
            record.doi = value
        elif kind == "pmc" and value:
            record.pmcid = value if value.startswith("PMC") else f"PMC{value}"
    if record.doi is None:
        for location in article.findall("ELocationID"):
            if location.get("EIdType") == "doi":
                record.doi = text_of(location)


def _dates(
    article_element: ET.Element,
    article: ET.Element,
    issue: ET.Element | None,
    record: ArticleRecord,
    at: str,
) -> None:
    def full(element: ET.Element | None, where: str) -> str | None:
        if element is None:
            return None
        return iso_date(
            text_of(element.find("Year")),
            text_of(element.find("Month")),
            text_of(element.find("Day")),
            where,
        )

    electronic = next(
        (d for d in article.findall("ArticleDate") if d.get("DateType") == "Electronic"), None
    )
    pub_date = issue.find("PubDate") if issue is not None else None
    record.issued = full(electronic, f"{at}/ArticleDate") or full(
        pub_date, f"{at}/Journal/JournalIssue/PubDate"
    )
    if pub_date is not None:
        year = text_of(pub_date.find("Year")) or (text_of(pub_date.find("MedlineDate")) or "")[:4]
        record.year = year if year.isdigit() else None
    if record.year is None and record.issued:
        record.year = record.issued[:4]
    history = article_element.findall("PubmedData/History/PubMedPubDate")
    for status, attribute in (("received", "received"), ("accepted", "accepted")):
        element = next((d for d in history if d.get("PubStatus") == status), None)
        setattr(record, attribute, full(element, f"PubmedData/History/PubMedPubDate[{status}]"))
