"""The study an article reports, from what its PubMed or JATS record states about it.

A PubMed record classifies the article by NLM publication types ("Randomized Controlled
Trial", "Clinical Trial, Phase II", "Multicenter Study", "Case Reports", ...) and may list
its trial registrations (``DataBankList``); a JATS article has only its ``article-type``.
Those are the whole basis of the study stub: its design, allocation (randomised only for
a randomised trial), phases, multicentre flag, registration and, from the MeSH headings,
its population. Sample size, follow-up and arms are stated only in the text, so they
are left to the curator and the stub's curation note says so; nothing is read out of
the abstract's prose.

A record that states no design (a plain "Journal Article") gets no study: the draft's
note asks the curator to add the one the text reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..namespaces import OBO, VOCAB
from . import mapping
from .records import ArticleRecord

__all__ = ["StudyStub", "article_study"]

L = VOCAB

#: PubMed publication types -> study design, strongest evidence first (the first match wins)
_PUBMED_DESIGNS: tuple[tuple[str, str], ...] = (
    ("Systematic Review", L + "SystematicReviewDesign"),
    ("Meta-Analysis", L + "SystematicReviewDesign"),
    ("Randomized Controlled Trial", OBO + "OBI_0004001"),
    ("Pragmatic Randomized Controlled Trial", OBO + "OBI_0004001"),
    ("Equivalence Trial", L + "ComparativeStudyDesign"),
    ("Controlled Clinical Trial", L + "ComparativeStudyDesign"),
    ("Clinical Trial, Phase I", L + "ClinicalTrialDesign"),
    ("Clinical Trial, Phase II", L + "ClinicalTrialDesign"),
    ("Clinical Trial, Phase III", L + "ClinicalTrialDesign"),
    ("Clinical Trial, Phase IV", L + "ClinicalTrialDesign"),
    ("Clinical Trial", L + "ClinicalTrialDesign"),
    ("Comparative Study", L + "ComparativeStudyDesign"),
    ("Case Reports", L + "CaseReportDesign"),
    ("Review", L + "NarrativeReviewDesign"),
)

#: randomised designs: the publication type itself states allocation by chance
_RANDOMISED = {"Randomized Controlled Trial", "Pragmatic Randomized Controlled Trial"}

#: PubMed phase publication types -> lkg:trialPhase values allowed by the shapes
_PHASES = {
    "Clinical Trial, Phase I": "Phase 1",
    "Clinical Trial, Phase II": "Phase 2",
    "Clinical Trial, Phase III": "Phase 3",
    "Clinical Trial, Phase IV": "Phase 4",
}

#: types that describe a study whose design class the ontology does not name
_UNMAPPED_STUDY_TYPES = ("Observational Study", "Clinical Trial Protocol", "Clinical Study")

#: JATS @article-type -> study design
_JATS_DESIGNS = {
    "case-report": L + "CaseReportDesign",
    "review-article": L + "NarrativeReviewDesign",
    "systematic-review": L + "SystematicReviewDesign",
    "meta-analysis": L + "SystematicReviewDesign",
}

_NCT = re.compile(r"^NCT[0-9]{8}$")


@dataclass
class StudyStub:
    """What the record states about the study the article reports."""

    design: str | None = None
    allocation: str | None = None
    phases: list[str] = field(default_factory=list)
    multicentre: bool = False
    #: ClinicalTrials.gov numbers (NCT + 8 digits)
    registrations: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def article_study(record: ArticleRecord) -> tuple[StudyStub | None, list[str]]:
    """The study stub (None when the record states no design) and notes for the document."""
    if record.format == "pubmed":
        stub, document_notes = _from_pubmed(record)
    else:
        stub, document_notes = _from_jats(record)
    if stub is None:
        return None, document_notes
    for heading in record.mesh:
        population = mapping.population_for(heading)
        if population and population not in stub.populations:
            stub.populations.append(population)
    if stub.populations:
        stub.notes.append(
            "lkg:population is read from the record's MeSH headings; narrow it "
            "(e.g. lkg:RefractorySLE) if the text states more."
        )
    stub.notes.append(
        "Study stub written by `lupuskg ingest`: add lkg:sampleSize, lkg:followUp, "
        "lkg:intervention, lkg:comparator and the arms (lkg:hasArm) as the text states them; "
        "the record has no structured field for them (graph/README.md §3 and §10)."
    )
    return stub, document_notes


def _from_pubmed(record: ArticleRecord) -> tuple[StudyStub | None, list[str]]:
    types = list(dict.fromkeys(record.publication_types))
    design_type = next((name for name, _iri in _PUBMED_DESIGNS if name in types), None)
    registrations = [number for number in record.registrations if _NCT.match(number)]
    notes: list[str] = []
    for number in record.registrations:
        if number not in registrations:
            notes.append(
                f"The record lists {number!r} under ClinicalTrials.gov, which is not an NCT "
                "number (NCT and 8 digits); it was left out."
            )
    unmapped = [name for name in _UNMAPPED_STUDY_TYPES if name in types]
    if design_type is None and not registrations:
        listed = ", ".join(types) if types else "none"
        return None, [
            *notes,
            f"The record states no study design (publication types: {listed}); add the "
            "lkg:Study the text reports, with its design (graph/README.md §3).",
        ]
    stub = StudyStub(registrations=registrations)
    if design_type is not None:
        stub.design = dict(_PUBMED_DESIGNS)[design_type]
        stub.notes.append(
            f"lkg:studyDesign is read from the PubMed publication type {design_type!r}."
        )
        if design_type == "Case Reports":
            stub.notes.append(
                "PubMed's Case Reports type also covers small series: use obo:OBI_0002674 "
                "(case series) if the text reports several patients."
            )
    else:
        stub.notes.append(
            "The record states no study design; choose lkg:studyDesign from the text "
            "(graph/README.md §3)."
        )
    if design_type in _RANDOMISED:
        stub.allocation = L + "Randomised"
    stub.phases = [phase for name, phase in _PHASES.items() if name in types]
    stub.multicentre = "Multicenter Study" in types
    for name in unmapped:
        stub.notes.append(
            f"PubMed also types the article as {name!r}; check the design against the text."
        )
    return stub, notes


def _from_jats(record: ArticleRecord) -> tuple[StudyStub | None, list[str]]:
    kind = record.article_kind or ""
    design = _JATS_DESIGNS.get(kind)
    if design is None:
        return None, [
            f"The JATS article-type ({kind or 'none'}) states no study design; add the "
            "lkg:Study the text reports, with its design (graph/README.md §3)."
        ]
    stub = StudyStub(design=design)
    stub.notes.append(f"lkg:studyDesign is read from the JATS article-type {kind!r}.")
    return stub, []
