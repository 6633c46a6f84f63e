"""Records -> a source text and a draft document graph in the lupuskg model.

The source text is what the document's quotes will point into: the title and the
abstract sections of an article, or the summary, design, arms and outcomes of a
registry record, one paragraph each. The draft has complete metadata and, for a
registry record, the study with its design, arms and interventions; claims and
results are left to the curator (the validator warns until there is one).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from ..config import source_file_path
from ..namespaces import DATA, OBO, PREFIXES, SOURCE, VOCAB
from . import mapping
from .records import (
    ArticleRecord,
    RegistryArm,
    RegistryIntervention,
    RegistryOutcome,
    TrialRecord,
)
from .study import StudyStub, article_study

__all__ = ["Draft", "article_draft", "trial_draft"]

DCT = rdflib.Namespace(PREFIXES["dcterms"])
BIBO = rdflib.Namespace(PREFIXES["bibo"])
LKG = rdflib.Namespace(VOCAB)

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^[1-9][0-9]*$")
_PMCID = re.compile(r"^PMC[0-9]+$")


@dataclass
class Draft:
    """The source text (exact bytes to write) and the document graph."""

    text: str
    graph: rdflib.Graph


def _literal_date(value: str) -> rdflib.Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return rdflib.Literal(value, datatype=datatype)


def _source_node(graph: rdflib.Graph, slug: str, text: str) -> rdflib.URIRef:
    source = rdflib.URIRef(f"{SOURCE}{slug}.txt")
    graph.add((source, RDF.type, LKG.SourceText))
    graph.add((source, DCT["format"], rdflib.Literal("text/plain")))
    graph.add((source, LKG.filePath, rdflib.Literal(source_file_path(slug))))
    graph.add((source, LKG.sha256, rdflib.Literal(hashlib.sha256(text.encode()).hexdigest())))
    return source


def _authorships(graph: rdflib.Graph, doc: rdflib.URIRef, slug: str, authors: list[str]) -> None:
    for position, name in enumerate(authors, 1):
        node = rdflib.URIRef(f"{DATA}{slug}.author-{position:02d}")
        graph.add((doc, DCT.creator, rdflib.Literal(name)))
        graph.add((doc, LKG.hasAuthorship, node))
        graph.add((node, RDF.type, LKG.Authorship))
        graph.add((node, LKG.authorName, rdflib.Literal(name)))
        graph.add(
            (node, LKG.authorPosition, rdflib.Literal(position, datatype=XSD.positiveInteger))
        )


def _strings(
    graph: rdflib.Graph, node: rdflib.URIRef, predicate: rdflib.URIRef, values: list[str]
) -> None:
    for value in dict.fromkeys(values):
        graph.add((node, predicate, rdflib.Literal(value)))


def article_text(record: ArticleRecord) -> str:
    paragraphs = [record.title]
    for label, text in record.abstract:
        paragraphs.append(f"{label}: {text}" if label else text)
    return "\n\n".join(paragraphs) + "\n"


def article_draft(record: ArticleRecord, slug: str) -> Draft:
    text = article_text(record)
    graph = rdflib.Graph()
    doc = rdflib.URIRef(DATA + slug)
    graph.add((doc, RDF.type, LKG[record.article_type]))
    graph.add((doc, DCT.title, rdflib.Literal(record.title)))
    graph.add((doc, LKG.sourceText, _source_node(graph, slug, text)))
    _authorships(graph, doc, slug, record.authors)
    notes = list(record.notes)
    for predicate, value in (
        (LKG.venue, record.journal),
        (BIBO.issn, record.issn),
        (BIBO.volume, record.volume),
        (BIBO.issue, record.issue),
        (BIBO.pages, record.pages),
    ):
        if value:
            graph.add((doc, predicate, rdflib.Literal(value)))
    for predicate, value, pattern, name in (
        (BIBO.doi, record.doi, _DOI, "DOI"),
        (BIBO.pmid, record.pmid, _PMID, "PMID"),
        (LKG.pmcid, record.pmcid, _PMCID, "PMCID"),
    ):
        if value and pattern.match(value):
            graph.add((doc, predicate, rdflib.Literal(value)))
        elif value:
            notes.append(f"The record's {name} {value!r} is malformed and was left out.")
    if record.issued:
        graph.add((doc, DCT.issued, rdflib.Literal(record.issued, datatype=XSD.date)))
    elif record.year:
        graph.add((doc, LKG.publicationYear, rdflib.Literal(record.year, datatype=XSD.gYear)))
        notes.append(f"The record gives no full publication date; {record.year} is its year.")
    if record.received:
        graph.add((doc, DCT.dateSubmitted, rdflib.Literal(record.received, datatype=XSD.date)))
    if record.accepted:
        graph.add((doc, DCT.dateAccepted, rdflib.Literal(record.accepted, datatype=XSD.date)))
    if record.license and record.license.startswith(("http://", "https://")):
        graph.add((doc, DCT.license, rdflib.URIRef(record.license)))
    elif record.license:
        notes.append(f"The licence is stated as {record.license!r}, not as an IRI.")
    _strings(graph, doc, LKG.keyword, record.keywords)
    _strings(graph, doc, LKG.meshHeading, record.mesh)
    stub, study_notes = article_study(record)
    notes += study_notes
    if stub is not None:
        _article_study(graph, doc, slug, record, stub)
    origin = "PubMed record" if record.format == "pubmed" else "PMC JATS article"
    ident = f"PMID {record.pmid}" if record.pmid else (record.pmcid or record.doi or "")
    notes.insert(
        0,
        f"Draft written by `lupuskg ingest` from the {origin} {ident}".rstrip()
        + "; the source text is its title and abstract. Add studies and claims, each with its quote.",
    )
    _strings(graph, doc, LKG.curationNote, notes)
    return Draft(text, graph)


def _article_study(
    graph: rdflib.Graph, doc: rdflib.URIRef, slug: str, record: ArticleRecord, stub: StudyStub
) -> None:
    """The study node of an article draft: only what the record states (see .study)."""
    study = rdflib.URIRef(f"{DATA}{slug}.study")
    graph.add((study, RDF.type, LKG.Study))
    graph.add((study, RDFS.label, rdflib.Literal(f"Study reported in: {record.title}")))
    graph.add((study, LKG.reportedIn, doc))
    if stub.design:
        graph.add((study, LKG.studyDesign, rdflib.URIRef(stub.design)))
    if stub.allocation:
        graph.add((study, LKG.allocation, rdflib.URIRef(stub.allocation)))
    for phase in stub.phases:
        graph.add((study, LKG.trialPhase, rdflib.Literal(phase)))
    if stub.multicentre:
        graph.add((study, LKG.multicentre, rdflib.Literal(True)))
    for number in stub.registrations:
        graph.add(
            (study, LKG.registration, rdflib.URIRef(f"https://clinicaltrials.gov/study/{number}"))
        )
        graph.add((study, DCT.identifier, rdflib.Literal(number)))
    for population in stub.populations:
        graph.add((study, LKG.population, rdflib.URIRef(population)))
    _strings(graph, study, LKG.curationNote, stub.notes)


def _registry_words(value: str | None) -> str:
    """CT.gov enumeration values as words: ACTIVE_NOT_RECRUITING -> 'Active not recruiting'."""
    if not value:
        return ""
    if value == "NA":
        return "Not applicable"
    words = value.replace("_", " ").lower()
    words = re.sub(r"phase(\d)", r"phase \1", words)
    return words[:1].upper() + words[1:]


def _outcome_lines(title: str, outcomes: list[RegistryOutcome]) -> list[str]:
    if not outcomes:
        return []
    lines = [f"{title}:"]
    for outcome in outcomes:
        line = f"- {outcome.text()}"
        if outcome.description:
            line += f": {outcome.description}"
        lines.append(line)
    return ["\n".join(lines)]


def trial_text(record: TrialRecord) -> str:
    paragraphs = [record.brief_title]
    if record.official_title and record.official_title != record.brief_title:
        paragraphs.append(record.official_title)
    if record.summary:
        paragraphs.append(f"Brief summary: {record.summary}")
    design = [
        f"{label}: {value}"
        for label, value in (
            ("study type", _registry_words(record.study_type)),
            ("phase", ", ".join(_registry_words(p) for p in record.phases)),
            ("allocation", _registry_words(record.allocation)),
            ("intervention model", _registry_words(record.intervention_model)),
            ("masking", _registry_words(record.masking)),
            (
                "enrolment",
                f"{record.enrolment} ({_registry_words(record.enrolment_type).lower()})"
                if record.enrolment is not None
                else "",
            ),
        )
        if value
    ]
    if design:
        paragraphs.append("Design: " + "; ".join(design) + ".")
    if record.conditions:
        paragraphs.append("Conditions: " + "; ".join(record.conditions) + ".")
    if record.arms:
        lines = ["Arms:"]
        for arm in record.arms:
            line = f"- {arm.label}"
            if arm.kind:
                line += f" ({_registry_words(arm.kind).lower()})"
            if arm.description:
                line += f": {arm.description}"
            if arm.intervention_names:
                line += f" Interventions: {'; '.join(arm.intervention_names)}."
            lines.append(line)
        paragraphs.append("\n".join(lines))
    paragraphs += _outcome_lines("Primary outcomes", record.primary_outcomes)
    paragraphs += _outcome_lines("Secondary outcomes", record.secondary_outcomes)
    return "\n\n".join(paragraphs) + "\n"


def trial_draft(record: TrialRecord, slug: str) -> Draft:
    text = trial_text(record)
    graph = rdflib.Graph()
    doc = rdflib.URIRef(DATA + slug)
    registry = rdflib.URIRef(f"https://clinicaltrials.gov/study/{record.nct_id}")
    notes = [
        f"Draft written by `lupuskg ingest` from the ClinicalTrials.gov record {record.nct_id}; "
        "the source text is its summary, design, arms and outcomes. Add claims and results, "
        "each with its quote."
    ]
    graph.add((doc, RDF.type, LKG.TrialRegistryRecord))
    graph.add((doc, DCT.title, rdflib.Literal(record.official_title or record.brief_title)))
    graph.add((doc, DCT.publisher, rdflib.Literal("ClinicalTrials.gov")))
    graph.add((doc, RDFS.seeAlso, registry))
    graph.add((doc, LKG.sourceText, _source_node(graph, slug, text)))
    for predicate, value in (
        (DCT.issued, record.first_posted),
        (DCT.dateSubmitted, record.first_submitted),
        (DCT.modified, record.last_update),
    ):
        if value and len(value) == 10:
            graph.add((doc, predicate, rdflib.Literal(value, datatype=XSD.date)))
    if record.sponsor:
        notes.append(f"Lead sponsor: {record.sponsor}.")
    _strings(graph, doc, LKG.keyword, record.keywords)
    _strings(graph, doc, LKG.meshHeading, record.mesh)

    study = rdflib.URIRef(f"{DATA}{slug}.study")
    study_notes: list[str] = []
    graph.add((study, RDF.type, LKG.Study))
    graph.add((study, RDFS.label, rdflib.Literal(record.brief_title)))
    graph.add((study, LKG.reportedIn, doc))
    graph.add((study, LKG.registration, registry))
    graph.add((study, DCT.identifier, rdflib.Literal(record.nct_id)))
    if record.acronym:
        graph.add((study, LKG.acronym, rdflib.Literal(record.acronym)))
    _design(graph, study, record, study_notes)
    _dates(graph, study, record)
    _conditions(graph, study, record)
    arms = _arms(graph, study, slug, record, study_notes)
    _control(graph, study, record, arms)
    for outcome in record.primary_outcomes:
        graph.add((study, LKG.primaryEndpoint, rdflib.Literal(outcome.text())))
    for outcome in record.secondary_outcomes:
        graph.add((study, LKG.secondaryEndpoint, rdflib.Literal(outcome.text())))
    for country in record.countries:
        graph.add((study, LKG.country, rdflib.Literal(country)))
    if record.facilities:
        graph.add(
            (
                study,
                LKG.centreCount,
                rdflib.Literal(record.facilities, datatype=XSD.positiveInteger),
            )
        )
        graph.add((study, LKG.multicentre, rdflib.Literal(record.facilities > 1)))
    _strings(graph, doc, LKG.curationNote, notes)
    _strings(graph, study, LKG.curationNote, study_notes)
    return Draft(text, graph)


def _design(
    graph: rdflib.Graph, study: rdflib.URIRef, record: TrialRecord, notes: list[str]
) -> None:
    if record.study_type == "INTERVENTIONAL":
        design = (
            OBO + "OBI_0004001"
            if record.allocation == "RANDOMIZED"
            else VOCAB + "ClinicalTrialDesign"
        )
        graph.add((study, LKG.studyDesign, rdflib.URIRef(design)))
    elif record.study_type:
        notes.append(
            f"Registered as study type {record.study_type}; choose lkg:studyDesign from the publication."
        )
    for phase in record.phases:
        graph.add((study, LKG.trialPhase, rdflib.Literal(_registry_words(phase))))
    allocation = mapping.ALLOCATION.get(record.allocation or "")
    if allocation:
        graph.add((study, LKG.allocation, rdflib.URIRef(allocation)))
    blinding = mapping.blinding_for(record.masking)
    if blinding:
        graph.add((study, LKG.blinding, rdflib.URIRef(blinding)))
        if record.masking in ("TRIPLE", "QUADRUPLE"):
            masked = ", ".join(_registry_words(w).lower() for w in record.who_masked)
            notes.append(
                f"Registered masking is {record.masking.lower()} ({masked}); recorded as double blind."
            )
    if record.enrolment is not None:
        count = rdflib.Literal(record.enrolment, datatype=XSD.nonNegativeInteger)
        if record.enrolment_type == "ACTUAL":
            graph.add((study, LKG.sampleSize, count))
        else:
            graph.add((study, LKG.anticipatedEnrolment, count))
    if record.status:
        graph.add((study, LKG.overallStatus, rdflib.Literal(_registry_words(record.status))))
        if record.status == "TERMINATED":
            graph.add((study, LKG.terminatedEarly, rdflib.Literal(True)))
            if record.why_stopped:
                notes.append(f"Why stopped, as registered: {record.why_stopped}")


def _dates(graph: rdflib.Graph, study: rdflib.URIRef, record: TrialRecord) -> None:
    for predicate, value in (
        (LKG.enrolmentStart, record.start),
        (LKG.primaryCompletion, record.primary_completion),
        (LKG.studyCompletion, record.completion),
    ):
        if value:
            graph.add((study, predicate, _literal_date(value)))


def _conditions(graph: rdflib.Graph, study: rdflib.URIRef, record: TrialRecord) -> None:
    for condition in record.conditions:
        graph.add((study, LKG.registeredCondition, rdflib.Literal(condition)))
        population = mapping.population_for(condition)
        if population:
            graph.add((study, LKG.population, rdflib.URIRef(population)))


@dataclass
class _Interventions:
    """The registered interventions, by every name an arm may call them (lowercase)."""

    nodes: dict[str, rdflib.URIRef] = field(default_factory=dict)
    therapies: dict[str, str] = field(default_factory=dict)
    #: given in every arm: the background therapy of an add-on design, not what is compared
    background: dict[str, str] = field(default_factory=dict)


def _names(item: RegistryIntervention) -> list[str]:
    """The names an arm may list an intervention by: bare, or after its kind as the registry
    prints it ("Biological: MSC") or raw ("BIOLOGICAL: MSC")."""
    kind = item.kind
    return [
        n.lower()
        for n in (item.name, f"{_registry_words(kind)}: {item.name}", f"{kind}: {item.name}")
    ]


def _arm_names(arm: RegistryArm, record: TrialRecord) -> list[str]:
    """Lowercase names of the arm's interventions: those the arm lists, then those that list
    the arm (registries fill in either side, or both)."""
    listed = [name.lower() for name in arm.intervention_names]
    return listed + [i.name.lower() for i in record.interventions if arm.label in i.arm_labels]


def _arms(
    graph: rdflib.Graph, study: rdflib.URIRef, slug: str, record: TrialRecord, notes: list[str]
) -> dict[str, tuple[rdflib.URIRef, str | None]]:
    """Arms and interventions; returns arm label -> (arm node, registered arm type)."""
    known = _interventions(graph, slug, record, notes)
    arms: dict[str, tuple[rdflib.URIRef, str | None]] = {}
    for number, arm in enumerate(record.arms, 1):
        node = rdflib.URIRef(f"{DATA}{slug}.arm-{number:02d}")
        _arm(graph, study, node, arm, notes)
        names = _arm_names(arm, record)
        used = [known.nodes[name] for name in names if name in known.nodes]
        for intervention in dict.fromkeys(used):
            graph.add((node, LKG.armIntervention, intervention))
        for therapy in sorted({known.background[n] for n in names if n in known.background}):
            graph.add((node, LKG.backgroundTherapy, rdflib.URIRef(therapy)))
        arms[arm.label] = (node, arm.kind)
        comparator = arm.kind in ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "ACTIVE_COMPARATOR")
        for therapy in {known.therapies[n] for n in names if n in known.therapies}:
            compared = comparator or therapy == VOCAB + "Placebo"
            graph.add(
                (study, LKG.comparator if compared else LKG.intervention, rdflib.URIRef(therapy))
            )
    if not record.arms:
        for therapy in dict.fromkeys(known.therapies.values()):
            predicate = LKG.comparator if therapy == VOCAB + "Placebo" else LKG.intervention
            graph.add((study, predicate, rdflib.URIRef(therapy)))
    return arms


def _interventions(
    graph: rdflib.Graph, slug: str, record: TrialRecord, notes: list[str]
) -> _Interventions:
    """One lkg:InterventionSpecification per registered intervention, except one given in
    every arm of a multi-arm trial (not placebo), which is background therapy instead."""
    known = _Interventions()
    labels = {arm.label for arm in record.arms}
    for number, item in enumerate(record.interventions, 1):
        therapy, matched = mapping.therapy_for(item.name, item.description)
        if len(labels) > 1 and labels <= set(item.arm_labels) and therapy != VOCAB + "Placebo":
            known.background.update(dict.fromkeys(_names(item), therapy))
            detail = f" ({item.description})" if item.description else ""
            notes.append(
                f"{item.name!r}{detail} is given in every arm and is recorded as lkg:backgroundTherapy."
            )
            continue
        node = rdflib.URIRef(f"{DATA}{slug}.intervention-{number:02d}")
        _intervention(graph, node, item, therapy, matched)
        for key in _names(item):
            known.nodes[key] = node
            known.therapies[key] = therapy
    return known


def _intervention(
    graph: rdflib.Graph,
    node: rdflib.URIRef,
    item: RegistryIntervention,
    therapy: str,
    matched: bool,
) -> None:
    """The specification of one intervention: therapy class, donor, route, product detail."""
    graph.add((node, RDF.type, LKG.InterventionSpecification))
    graph.add((node, RDFS.label, rdflib.Literal(f"{_registry_words(item.kind)}: {item.name}")))
    graph.add((node, LKG.therapy, rdflib.URIRef(therapy)))
    details = f"{item.name} {item.description or ''}"
    if therapy != VOCAB + "Placebo":
        donor = mapping.donor_for(details)
        if donor:
            graph.add((node, LKG.donorType, rdflib.URIRef(donor)))
    route = mapping.route_for(details)
    if route:
        graph.add((node, LKG.route, rdflib.URIRef(route)))
    if item.description:
        graph.add((node, LKG.productDetail, rdflib.Literal(item.description)))
    if not matched:
        note = (
            f"No therapy class matched {item.name!r}; replace lkg:Therapy with the specific class."
        )
        graph.add((node, LKG.curationNote, rdflib.Literal(note)))


def _arm(
    graph: rdflib.Graph,
    study: rdflib.URIRef,
    node: rdflib.URIRef,
    arm: RegistryArm,
    notes: list[str],
) -> None:
    """One lkg:StudyArm with its role; an unknown arm type gets a placeholder role and a note."""
    graph.add((study, LKG.hasArm, node))
    graph.add((node, RDF.type, LKG.StudyArm))
    graph.add((node, RDFS.label, rdflib.Literal(arm.label)))
    role = mapping.ARM_ROLES.get(arm.kind or "")
    if role is None:
        role = VOCAB + "ExperimentalArm"
        note = f"Registered arm type {arm.kind or 'missing'}; lkg:ExperimentalArm is a placeholder, check it."
        graph.add((node, LKG.curationNote, rdflib.Literal(note)))
    elif arm.kind == "SHAM_COMPARATOR":
        notes.append(
            f"Arm {arm.label!r} is a sham comparator, recorded as a placebo comparator arm."
        )
    graph.add((node, LKG.armRole, rdflib.URIRef(role)))


def _control(
    graph: rdflib.Graph,
    study: rdflib.URIRef,
    record: TrialRecord,
    arms: dict[str, tuple[rdflib.URIRef, str | None]],
) -> None:
    kinds = {kind for _node, kind in arms.values()}
    if kinds & {"PLACEBO_COMPARATOR", "SHAM_COMPARATOR"}:
        control = "PlaceboControl"
    elif "ACTIVE_COMPARATOR" in kinds:
        control = "ActiveControl"
    elif record.intervention_model == "SINGLE_GROUP" or (
        kinds == {"EXPERIMENTAL"} and len(arms) == 1
    ):
        control = "NoControl"
    else:
        return
    graph.add((study, LKG.controlType, LKG[control]))
