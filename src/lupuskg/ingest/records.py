"""What ingest reads out of a record, independent of its format.

The format readers (:mod:`.pubmed`, :mod:`.jats`, :mod:`.ctgov`) fill these; the draft
writer (:mod:`.draft`) turns them into a source text and a document graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ArticleRecord", "RegistryArm", "RegistryIntervention", "RegistryOutcome", "TrialRecord"]


@dataclass
class ArticleRecord:
    """A journal article from PubMed or PMC: metadata and its title and abstract."""

    format: str  # "pubmed" | "jats"
    title: str
    authors: list[str]
    #: (section label or None, paragraph text) in document order
    abstract: list[tuple[str | None, str]]
    #: lkg class local name: ResearchArticle, ReviewArticle, SystematicReview, ...
    article_type: str = "ResearchArticle"
    journal: str | None = None
    issn: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    #: ISO dates (YYYY-MM-DD) when complete; year alone when that is all there is
    issued: str | None = None
    year: str | None = None
    received: str | None = None
    accepted: str | None = None
    license: str | None = None
    keywords: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: PubMed publication types, as printed ("Randomized Controlled Trial", ...)
    publication_types: list[str] = field(default_factory=list)
    #: trial registration numbers listed by the record (PubMed DataBankList)
    registrations: list[str] = field(default_factory=list)
    #: the JATS @article-type, as printed
    article_kind: str | None = None


@dataclass
class RegistryIntervention:
    kind: str  # BIOLOGICAL, DRUG, PROCEDURE, ...
    name: str
    description: str | None
    arm_labels: list[str]


@dataclass
class RegistryArm:
    label: str
    kind: str | None  # EXPERIMENTAL, PLACEBO_COMPARATOR, ...
    description: str | None
    intervention_names: list[str]


@dataclass
class RegistryOutcome:
    measure: str
    time_frame: str | None
    description: str | None

    def text(self) -> str:
        return (
            f"{self.measure} (time frame: {self.time_frame})" if self.time_frame else self.measure
        )


@dataclass
class TrialRecord:
    """A ClinicalTrials.gov study record (API v2)."""

    nct_id: str
    brief_title: str
    official_title: str | None
    acronym: str | None
    summary: str | None
    study_type: str | None
    phases: list[str]
    allocation: str | None
    intervention_model: str | None
    masking: str | None
    who_masked: list[str]
    enrolment: int | None
    enrolment_type: str | None  # ACTUAL | ESTIMATED
    status: str | None
    why_stopped: str | None
    start: str | None
    primary_completion: str | None
    completion: str | None
    first_submitted: str | None
    first_posted: str | None
    last_update: str | None
    sponsor: str | None
    conditions: list[str]
    keywords: list[str]
    mesh: list[str]
    arms: list[RegistryArm]
    interventions: list[RegistryIntervention]
    primary_outcomes: list[RegistryOutcome]
    secondary_outcomes: list[RegistryOutcome]
    countries: list[str]
    facilities: int
