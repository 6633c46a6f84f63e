"""Synthetic corpus generator: N valid lupuskg documents built from sentence templates.

Every document follows the modelling contract: a Document with its SourceText, one or
two Studies, and claims of every kind, each with a verbatim Quote whose offsets point
into the generated source text. Class IRIs are read from the project's ontology at run
time, so the corpus exercises the real vocabulary (and the canned queries find rows).
Document ``i`` depends only on ``(seed, i)``: a corpus of 100 is a prefix of 1,000.

Usage: ``python benchmarks/generate.py 1000 --out benchmarks/corpus/1000 [--seed 7]``
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lupuskg.namespaces import CC_BY, DATA, OBO, PREFIXES, SOURCE, VOCAB, curie  # noqa: E402

__all__ = [
    "Vocabulary",
    "generate_corpus",
    "generate_document",
    "main",
    "slug_for",
]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: ECO evidence types named in the contract
ECO_AUTHOR = OBO + "ECO_0000204"
ECO_REFERENCED = OBO + "ECO_0006016"
ECO_CLINICAL = OBO + "ECO_0000180"
ECO_TRACEABLE = OBO + "ECO_0000033"
SLE = OBO + "MONDO_0007915"
LUPUS_NEPHRITIS = OBO + "MONDO_0005556"
T_CELL = OBO + "CL_0000084"
UBERON_SOURCES = {
    OBO + "UBERON_0002371": "bone marrow",
    OBO + "UBERON_0001013": "adipose tissue",
    OBO + "UBERON_0002331": "umbilical cord",
    OBO + "UBERON_0000178": "peripheral blood",
}
PROJECT_PARTS = ("pyproject.toml", "ontology", "queries")


@dataclass(frozen=True)
class Term:
    """An ontology class or individual with the label used in sentences."""

    iri: str
    label: str


@dataclass
class Vocabulary:
    """The ontology terms the templates draw from, read from ontology/ at run time."""

    stem_cell: list[Term]
    msc: list[Term]
    conventional: list[Term]
    conditioning: list[Term]
    efficacy: list[Term]
    safety: list[Term]
    barriers: list[Term]
    mechanisms: list[Term]
    assessments: list[Term]
    designs: list[Term]
    document_types: list[Term]
    conditions: list[Term]
    cells: list[Term]
    t_cells: list[Term]
    claim_types: dict[str, str] = field(default_factory=dict)

    @property
    def stem_cells(self) -> list[Term]:
        """CL cells given in therapies (stem cells); all cells if none is labelled so."""
        return [t for t in self.cells if "stem cell" in t.label] or self.cells

    @property
    def immune_cells(self) -> list[Term]:
        """CL cells a mechanism acts on (everything that is not a stem cell)."""
        return [t for t in self.cells if "stem cell" not in t.label] or self.cells

    @classmethod
    def from_ontology(cls, ontology_dir: Path) -> Vocabulary:
        """Read every class the generator needs from lupuskg.ttl and the import slices."""
        store = ox.Store()
        for path in [
            ontology_dir / "lupuskg.ttl",
            *sorted((ontology_dir / "imports").glob("*.ttl")),
        ]:
            if path.name != "shapes.ttl":
                store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        terms = _TermReader(store)
        stem = terms.below(VOCAB + "StemCellTherapy")
        vocabulary = cls(
            stem_cell=stem,
            msc=terms.below(VOCAB + "MSCTherapy"),
            conventional=terms.below(VOCAB + "ConventionalTherapy"),
            conditioning=terms.below(VOCAB + "ConditioningRegimen"),
            efficacy=terms.below(VOCAB + "EfficacyOutcome"),
            safety=terms.below(VOCAB + "SafetyOutcome"),
            barriers=terms.below(VOCAB + "Barrier"),
            mechanisms=terms.below(VOCAB + "Mechanism"),
            assessments=terms.below(VOCAB + "SafetyAssessment"),
            designs=terms.designs(),
            document_types=terms.below(VOCAB + "Document"),
            conditions=terms.below(SLE, include_root=True)
            + terms.below(LUPUS_NEPHRITIS, include_root=True),
            cells=terms.cells(),
            t_cells=terms.below(T_CELL),
        )
        vocabulary.claim_types = {
            t.iri.rsplit("/", 1)[-1]: t.iri for t in terms.below(VOCAB + "Claim")
        }
        vocabulary.check()
        return vocabulary

    def check(self) -> None:
        """Fail early, naming the missing branch, if the ontology lacks what templates need."""
        empty = [name for name, value in vars(self).items() if not value]
        if empty:
            raise SystemExit(f"ontology has no terms for: {', '.join(empty)}")


class _TermReader:
    """SPARQL over the loaded ontology; sorted results keep the generator deterministic."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _select(self, query: str) -> list[Term]:
        rows = self.store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"PREFIX lkg: <{VOCAB}>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n" + query
        )
        found: dict[str, str] = {}
        for row in rows:
            iri = row["c"].value
            label = row["label"].value if row["label"] is not None else _label_from(iri)
            found.setdefault(iri, label)
        return [Term(iri, _sentence_label(label)) for iri, label in sorted(found.items())]

    def below(self, root: str, *, include_root: bool = False) -> list[Term]:
        path = "rdfs:subClassOf*" if include_root else "rdfs:subClassOf+"
        return self._select(
            f"SELECT ?c ?label WHERE {{ ?c {path} <{root}> . FILTER(isIRI(?c)) "
            "OPTIONAL { ?c rdfs:label ?label } }"
        )

    def designs(self) -> list[Term]:
        return self._select(
            "SELECT ?c ?label WHERE { ?c lkg:evidenceLevel ?level . "
            "OPTIONAL { ?c rdfs:label ?label } }"
        )

    def cells(self) -> list[Term]:
        return self._select(
            f'SELECT ?c ?label WHERE {{ ?c a owl:Class . FILTER(STRSTARTS(STR(?c), "{OBO}CL_")) '
            "OPTIONAL { ?c rdfs:label ?label } }"
        )


def _label_from(iri: str) -> str:
    local = re.split(r"[/#]", iri)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)


def _sentence_label(label: str) -> str:
    """A label for use mid-sentence: lower-case a capitalised first word, keep acronyms."""
    if label[:1].isupper() and label[1:2].islower():
        return label[0].lower() + label[1:]
    return label


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# ---------------------------------------------------------------------------------------
# source text: sentences from templates, quotes are exact substrings with offsets


@dataclass
class Quote:
    exact: str
    start: int
    end: int


class TextBuilder:
    """Accumulates sentences and remembers where each quoted span lands (code points)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, sentence: str, quoted: str | None = None) -> Quote | None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self._append(" ")
        offset = self.length
        self._append(sentence)
        if quoted is None:
            return None
        start = offset + sentence.index(quoted)
        return Quote(quoted, start, start + len(quoted))

    def paragraph(self) -> None:
        self._append("\n")

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts).rstrip() + "\n"


FIRST = [
    "Ana",
    "Wei",
    "María",
    "Kofi",
    "Ingrid",
    "Rahul",
    "Yuki",
    "Olu",
    "Sofia",
    "Jan",
    "Lena",
    "Tomás",
]
LAST = [
    "Chen",
    "García",
    "Okafor",
    "Lindqvist",
    "Sharma",
    "Tanaka",
    "Müller",
    "Rossi",
    "Nguyen",
    "Haddad",
    "Kowalski",
    "O’Brien",
]
VENUES = [
    "Lupus: Open Access",
    "Insights in Stem Cells",
    "Frontiers in Immunology",
    "Clinical and Experimental Medicine",
    "Journal of Synthetic Rheumatology",
    "Stem Cell Reports (synthetic)",
    "Lupus Science & Medicine (synthetic)",
]
PUBLISHERS = ["Synthetic Press", "Open Evidence Publishing", "Frontiers Media S.A.", "Longdom"]
COUNTRIES = ["China", "United States", "Germany", "Brazil", "Japan", "Italy", "Sweden", "India"]
QUALIFIERS = ["in some patients", "in many patients", "in most patients", "in a subset of patients"]
OPENERS = [
    "Systemic lupus erythematosus remains difficult to treat, and many patients relapse.",
    "Stem-cell therapies have attracted growing interest in rheumatology over two decades.",
    "The heterogeneity of lupus complicates the design and comparison of clinical trials.",
    "Patients with refractory disease often exhaust the conventional options within years.",
]
CLOSERS = [
    "Further work will show which patients benefit most.",
    "These observations should be read with the limits of the evidence in mind.",
    "Registries and long-term follow-up will help to settle these questions.",
]

#: certainty -> verb phrase per direction (Improves, NoEffect, Worsens, Mixed); {o} = outcome
CERTAINTY_VERBS = {
    "Established": (
        "improved {o}",
        "did not change {o}",
        "worsened {o}",
        "improved {o} in some patients but not in others",
    ),
    "Suggested": (
        "may improve {o}",
        "may not change {o}",
        "may worsen {o}",
        "may improve {o} in some patients only",
    ),
    "Speculative": (
        "could conceivably improve {o}",
        "could leave {o} unchanged",
        "could conceivably worsen {o}",
        "could help {o} in some patients but not others",
    ),
}
DIRECTIONS = ("Improves", "NoEffect", "Worsens", "Mixed")


@dataclass
class Claim:
    """One claim before serialisation: its class, properties (IRI values) and quote."""

    kind: str
    statement: str
    quote: Quote
    direction: str
    certainty: str
    evidence: str
    values: list[tuple[str, str]]
    study: str | None = None
    qualifier: str | None = None


class DocumentWriter:
    """Builds one document: the Turtle text and the source text, from one random stream."""

    def __init__(self, index: int, vocabulary: Vocabulary, rng: random.Random) -> None:
        self.index = index
        self.v = vocabulary
        self.rng = rng
        self.slug = slug_for(index)
        self.text = TextBuilder()
        self.claims: list[Claim] = []
        self.studies: list[dict[str, object]] = []
        # A stream of its own, so that adding results left every earlier choice unchanged.
        self.results_rng = random.Random(repr(rng.getstate()))

    # ---- pieces of the story ----------------------------------------------------------
    def pick(self, terms: list[Term]) -> Term:
        return self.rng.choice(terms)

    def population(self, study: dict[str, object] | None) -> Term:
        condition = study["condition"] if study else self.pick(self.v.conditions)
        assert isinstance(condition, Term)
        return condition

    def certainty(self) -> str:
        return self.rng.choices(("Established", "Suggested", "Speculative"), (5, 4, 1))[0]

    def add_claim(
        self, kind: str, sentence: str, quoted: str, statement: str, **kw: object
    ) -> None:
        quote = self.text.add(sentence, quoted)
        assert quote is not None
        self.claims.append(Claim(kind=kind, statement=statement, quote=quote, **kw))  # type: ignore[arg-type]

    def study(self) -> dict[str, object]:
        rng = self.rng
        therapy = self.pick(self.v.stem_cell)
        condition = self.pick(self.v.conditions)
        design = self.pick(self.v.designs)
        number = len(self.studies) + 1
        acronym = f"SYN{self.index % 997:03d}{'ABCDEFG'[number]}" if rng.random() < 0.4 else None
        years = rng.randint(1, 12)
        study = {
            "iri": f"{DATA}{self.slug}.study-s{number}",
            "label": f"{acronym or 'Synthetic'} study of {therapy.label} in {condition.label}",
            "acronym": acronym,
            "design": design,
            "country": rng.choice(COUNTRIES),
            "start": rng.randint(1996, 2022),
            "size": rng.randint(5, 400),
            "follow_up": years,
            "therapy": therapy,
            "comparator": self.pick(self.v.conventional) if rng.random() < 0.5 else None,
            "condition": condition,
            "assessments": rng.sample(self.v.assessments, k=min(2, len(self.v.assessments))),
        }
        self.studies.append(study)
        sentence = (
            f"{acronym + ', ' + _article(design.label) if acronym else _article(design.label).title()} "
            f"{design.label} from {study['country']} that began "
            f"in {study['start']}, enrolled {study['size']} patients with {condition.label} who "
            f"received {therapy.label} and were followed for {years} years."
        )
        self.text.add(sentence)
        return study

    def efficacy(
        self,
        study: dict[str, object] | None,
        *,
        contrast: tuple[Term, Term, Term] | None = None,
    ) -> tuple[Term, Term, Term]:
        """An efficacy claim; with ``contrast`` (therapy, outcome, condition) it disagrees.

        Returns the (therapy, outcome, condition) it is about, so that a later claim can
        contradict it: reviews often report earlier results that differ (query Q11).
        """
        therapy = study["therapy"] if study else self.pick(self.v.stem_cell)
        condition = study["condition"] if study else self.pick(self.v.conditions)
        outcome = self.pick(self.v.efficacy)
        if contrast is not None:
            therapy, outcome, condition = contrast
        assert isinstance(therapy, Term) and isinstance(condition, Term)
        if contrast is not None:
            direction = self.rng.choice(DIRECTIONS[1:])
        elif self.index % 4 == 3 and study:
            direction = "Improves"
        else:
            direction = self.rng.choices(DIRECTIONS, (12, 2, 1, 3))[0]
        certainty = self.certainty()
        verb = CERTAINTY_VERBS[certainty][DIRECTIONS.index(direction)]
        clause = (
            f"{therapy.label} {verb.format(o=outcome.label)} in patients with {condition.label}"
        )
        comparator = study.get("comparator") if study else None
        values = [
            ("intervention", therapy.iri),
            ("outcome", outcome.iri),
            ("population", condition.iri),
        ]
        if isinstance(comparator, Term):
            clause += f" compared with {comparator.label}"
            values.append(("comparator", comparator.iri))
        lead = "In that study, " if study else "Across earlier reports, "
        sentence = f"{lead}{clause}."
        self.add_claim(
            "EfficacyClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction=direction,
            certainty=certainty,
            evidence=ECO_CLINICAL if study else ECO_REFERENCED,
            values=values,
            study=str(study["iri"]) if study else None,
            qualifier=self.rng.choice(QUALIFIERS) if direction == "Mixed" else None,
        )
        return therapy, outcome, condition

    def safety(self, study: dict[str, object] | None) -> None:
        therapy = study["therapy"] if study else self.pick(self.v.stem_cell)
        assert isinstance(therapy, Term)
        outcome = self.pick(self.v.safety)
        seen = self.rng.random() < 0.5
        if seen:
            clause = f"{outcome.label} was reported after {therapy.label}"
        else:
            clause = f"no {outcome.label} was observed after {therapy.label}"
        sentence = f"{clause[0].upper()}{clause[1:]} during follow-up."
        self.add_claim(
            "SafetyClaim",
            sentence,
            sentence[:-1],
            sentence,
            direction="Observed" if seen else "NotObserved",
            certainty="Established",
            evidence=ECO_CLINICAL if study else ECO_AUTHOR,
            values=[
                ("intervention", therapy.iri),
                ("outcome", outcome.iri),
                ("population", self.population(study).iri),
            ],
            study=str(study["iri"]) if study else None,
        )

    def mechanism(self) -> None:
        therapy = self.pick(self.v.msc + self.v.stem_cell)
        mechanism = self.pick(self.v.mechanisms)
        cell = self.pick(self.v.t_cells + self.v.immune_cells)
        promotes = self.rng.random() < 0.5
        certainty = self.certainty()
        hedge = "" if certainty == "Established" else "may "
        verb = (
            ("promote" if promotes else "inhibit")
            if hedge
            else ("promotes" if promotes else "inhibits")
        )
        clause = f"{therapy.label} {hedge}{verb} {cell.label} activity through {mechanism.label}"
        sentence = f"Experimental work indicates that {clause}."
        self.add_claim(
            "MechanismClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Promotes" if promotes else "Inhibits",
            certainty=certainty,
            evidence=ECO_TRACEABLE,
            values=[
                ("intervention", therapy.iri),
                ("mechanism", mechanism.iri),
                ("targetCell", cell.iri),
                ("population", self.population(None).iri),
            ],
        )

    def limitation(self) -> None:
        therapy = self.pick(self.v.conventional)
        outcome = self.pick(self.v.safety)
        clause = (
            f"{therapy.label} brings limited benefit and causes {outcome.label} in severe disease"
        )
        sentence = f"However, {clause}."
        self.add_claim(
            "LimitationClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Observed",
            certainty="Established",
            evidence=ECO_AUTHOR,
            values=[
                ("intervention", therapy.iri),
                ("outcome", outcome.iri),
                ("population", self.population(None).iri),
            ],
        )

    def barrier(self) -> None:
        therapy = self.pick(self.v.stem_cell)
        barrier = self.pick(self.v.barriers)
        clause = f"{barrier.label} limits the wider use of {therapy.label}"
        sentence = f"In practice, {clause}."
        self.add_claim(
            "BarrierClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Observed",
            certainty="Suggested",
            evidence=ECO_AUTHOR,
            values=[("intervention", therapy.iri), ("outcome", barrier.iri)],
        )

    def procedure(self) -> None:
        therapy = self.pick(self.v.stem_cell)
        source_iri, source_label = self.rng.choice(sorted(UBERON_SOURCES.items()))
        conditioning = self.pick(self.v.conditioning)
        donor = self.rng.choice(("Autologous", "Allogeneic"))
        cell = self.pick(self.v.stem_cells)
        clause = (
            f"for {therapy.label}, {donor.lower()} {cell.label} preparations are obtained from the "
            f"{source_label} after {conditioning.label}"
        )
        sentence = f"Briefly, {clause}."
        self.add_claim(
            "ProcedureClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Observed",
            certainty="Established",
            evidence=ECO_AUTHOR,
            values=[
                ("intervention", therapy.iri),
                ("cellSource", source_iri),
                ("donorType", VOCAB + donor),
                ("cellType", cell.iri),
                ("conditioning", conditioning.iri),
                ("population", self.population(None).iri),
            ],
        )

    def history(self) -> None:
        therapy = self.pick(self.v.stem_cell)
        condition = self.pick(self.v.conditions)
        year = self.rng.randint(1990, 2015)
        clause = f"the first reports of {therapy.label} in {condition.label} appeared in {year}"
        sentence = f"Historically, {clause}."
        self.add_claim(
            "HistoricalClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Observed",
            certainty="Established",
            evidence=ECO_TRACEABLE,
            values=[("intervention", therapy.iri), ("population", condition.iri)],
        )

    def gap(self) -> None:
        therapy = self.pick(self.v.stem_cell)
        outcome = self.pick(self.v.efficacy + self.v.safety)
        clause = f"longer-term studies of {therapy.label} are needed to confirm its effect on {outcome.label}"
        sentence = f"Finally, {clause}."
        self.add_claim(
            "ResearchGapClaim",
            sentence,
            clause,
            f"{clause[0].upper()}{clause[1:]}.",
            direction="Observed",
            certainty="Suggested",
            evidence=ECO_AUTHOR,
            values=[("intervention", therapy.iri), ("outcome", outcome.iri)],
        )

    # ---- the whole document -------------------------------------------------------------
    def write(self) -> tuple[str, str]:
        """Compose the source text and return (turtle, source text)."""
        rng = self.rng
        self.text.add(rng.choice(OPENERS))
        pool: list[Callable[[], object]] = [
            self.history,
            self.limitation,
            self.mechanism,
            self.barrier,
            self.procedure,
            self.gap,
            lambda: self.efficacy(None),
            lambda: self.safety(None),
        ]
        before, after = rng.sample(pool, k=rng.choice((2, 3))), []
        if len(before) == 3:
            after = [before.pop()]
        for step in before:
            step()
        self.text.paragraph()
        study = self.study()
        about = self.efficacy(study)
        self.safety(study)
        self.text.paragraph()
        if self.index % 4 == 3:
            self.efficacy(None, contrast=about)
        for step in after:
            step()
        self.text.add(rng.choice(CLOSERS))
        source = self.text.text()
        return self.turtle(source), source

    def turtle(self, source: str) -> str:
        doc = f"{DATA}{self.slug}"
        out = TurtleWriter()
        rng = self.rng
        year = rng.randint(2000, 2024)
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]
        title = f"Stem-cell therapy for lupus: synthetic report {self.index}"
        venue = rng.choice(VENUES)
        volume, issue = str(rng.randint(1, 30)), str(rng.randint(1, 12))
        doi = f"10.5555/lupuskg.synth.{self.index}"
        source_iri = f"{SOURCE}{self.slug}.txt"
        out.subject(
            doc,
            [
                ("a", [self.pick(self.v.document_types).iri]),
                ("dcterms:title", [literal(title)]),
                ("dcterms:creator", [literal(a) for a in sorted(set(authors))]),
                ("lkg:venue", [literal(venue)]),
                ("bibo:volume", [literal(volume)]),
                ("bibo:issue", [literal(issue)]),
                ("bibo:doi", [literal(doi)]),
                (
                    "dcterms:issued",
                    [
                        literal(
                            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "xsd:date"
                        )
                    ],
                ),
                ("dcterms:license", [CC_BY]),
                ("dcterms:publisher", [literal(rng.choice(PUBLISHERS))]),
                (
                    "dcterms:bibliographicCitation",
                    [
                        literal(
                            f"{', '.join(authors)} ({year}). {title}. {venue} {volume}({issue}). doi:{doi}"
                        )
                    ],
                ),
                ("lkg:sourceText", [source_iri]),
            ],
        )
        out.subject(
            source_iri,
            [
                ("a", [VOCAB + "SourceText"]),
                ("lkg:sha256", [literal(hashlib.sha256(source.encode("utf-8")).hexdigest())]),
                ("dcterms:format", [literal("text/plain")]),
                ("lkg:filePath", [literal(f"graph/sources/{self.slug}.txt")]),
            ],
        )
        for study in self.studies:
            self.study_turtle(out, study, doc)
        results = 0
        for number, claim in enumerate(self.claims, start=1):
            result = None
            if claim.study and claim.kind in ("EfficacyClaim", "SafetyClaim"):
                results += 1
                result = f"{DATA}{self.slug}.result-{results:02d}"
                self.result_turtle(out, claim, result, number, doc)
            self.claim_turtle(out, claim, number, doc, source_iri, result)
        return out.text()

    def result_turtle(
        self, out: TurtleWriter, claim: Claim, iri: str, number: int, doc: str
    ) -> None:
        """The count behind a study's efficacy or safety claim, on the study's one arm.

        Real primary studies report numbers per arm; without them the arm-level queries
        (Table 1, forest plot, time course, adverse events per arm) would be measured on
        empty answers.
        """
        study = next(s for s in self.studies if s["iri"] == claim.study)
        size, months = int(str(study["size"])), 12 * int(str(study["follow_up"]))
        rng = self.results_rng
        if claim.direction == "NotObserved":
            numerator = 0
        elif claim.kind == "SafetyClaim":
            numerator = rng.randint(1, max(1, size // 4))
        else:
            numerator = rng.randint(0, size)
        point = rng.choice([m for m in (3, 6, 12, 24, 60) if m <= months])
        outcome = next(value for prop, value in claim.values if prop == "outcome")
        out.subject(
            iri,
            [
                ("a", [VOCAB + "Result"]),
                ("lkg:outcome", [outcome]),
                ("lkg:statisticType", [VOCAB + "CountProportion"]),
                ("lkg:numerator", [literal(str(numerator), "xsd:nonNegativeInteger")]),
                ("lkg:denominator", [literal(str(size), "xsd:nonNegativeInteger")]),
                ("lkg:timePoint", [literal(f"P{point}M", "xsd:duration")]),
                ("lkg:resultArm", [f"{claim.study}.arm"]),
                ("lkg:resultOf", [claim.study]),
                ("lkg:sourceDocument", [doc]),
                ("lkg:hasQuote", [f"{DATA}{self.slug}.quote-{number:02d}"]),
            ],
        )

    def study_turtle(self, out: TurtleWriter, study: dict[str, object], doc: str) -> None:
        design, therapy, condition = study["design"], study["therapy"], study["condition"]
        assert (
            isinstance(design, Term) and isinstance(therapy, Term) and isinstance(condition, Term)
        )
        assessments = study["assessments"]
        assert isinstance(assessments, list)
        pairs = [
            ("a", [VOCAB + "Study"]),
            ("rdfs:label", [literal(str(study["label"]))]),
            ("lkg:studyDesign", [design.iri]),
            ("lkg:country", [literal(str(study["country"]))]),
            ("lkg:startYear", [literal(str(study["start"]), "xsd:gYear")]),
            ("lkg:sampleSize", [literal(str(study["size"]), "xsd:nonNegativeInteger")]),
            ("lkg:followUp", [literal(f"P{study['follow_up']}Y", "xsd:duration")]),
            (
                "lkg:followUpMonths",
                [literal(str(int(study["follow_up"]) * 12), "xsd:nonNegativeInteger")],
            ),
            ("lkg:intervention", [therapy.iri]),
            ("lkg:population", [condition.iri]),
            ("lkg:safetyAssessment", [t.iri for t in assessments]),
            ("lkg:reportedIn", [doc]),
        ]
        pairs.append(("lkg:hasArm", [f"{study['iri']}.arm"]))
        if study["acronym"]:
            pairs.append(("lkg:acronym", [literal(str(study["acronym"]))]))
        comparator = study["comparator"]
        if isinstance(comparator, Term):
            pairs.append(("lkg:comparator", [comparator.iri]))
        out.subject(str(study["iri"]), pairs)
        out.subject(
            f"{study['iri']}.arm",
            [
                ("a", [VOCAB + "StudyArm"]),
                ("rdfs:label", [literal(f"{therapy.label} arm")]),
                ("lkg:armRole", [VOCAB + "ExperimentalArm"]),
                ("lkg:armIntervention", [f"{study['iri']}.intervention"]),
                ("lkg:numberAnalysed", [literal(str(study["size"]), "xsd:nonNegativeInteger")]),
            ],
        )
        out.subject(
            f"{study['iri']}.intervention",
            [("a", [VOCAB + "InterventionSpecification"]), ("lkg:therapy", [therapy.iri])],
        )

    def claim_turtle(
        self,
        out: TurtleWriter,
        claim: Claim,
        number: int,
        doc: str,
        source: str,
        result: str | None = None,
    ) -> None:
        claim_iri = f"{DATA}{self.slug}.claim-{number:02d}"
        quote_iri = f"{DATA}{self.slug}.quote-{number:02d}"
        pairs: list[tuple[str, list[str]]] = [
            ("a", [self.v.claim_types.get(claim.kind, VOCAB + claim.kind)]),
            ("lkg:statement", [literal(claim.statement)]),
            ("lkg:direction", [VOCAB + claim.direction]),
            ("lkg:certainty", [VOCAB + claim.certainty]),
            ("lkg:evidenceType", [claim.evidence]),
            ("lkg:sourceDocument", [doc]),
            ("lkg:hasQuote", [quote_iri]),
        ]
        grouped: dict[str, list[str]] = {}
        for prop, value in claim.values:
            grouped.setdefault(f"lkg:{prop}", []).append(value)
        pairs += list(grouped.items())
        if claim.study:
            pairs.append(("lkg:aboutStudy", [claim.study]))
        if result:
            pairs.append(("lkg:basedOnResult", [result]))
        if claim.qualifier:
            pairs.append(("lkg:qualifier", [literal(claim.qualifier)]))
        out.subject(claim_iri, pairs)
        out.subject(
            quote_iri,
            [
                ("a", [VOCAB + "Quote"]),
                ("oa:exact", [literal(claim.quote.exact)]),
                ("oa:start", [literal(str(claim.quote.start), "xsd:nonNegativeInteger")]),
                ("oa:end", [literal(str(claim.quote.end), "xsd:nonNegativeInteger")]),
                ("lkg:inSourceText", [source]),
            ],
        )


# ---------------------------------------------------------------------------------------
# Turtle output (plain string building: fast, and the prefix block matches the contract)

_LITERAL = "\x00lit\x00"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def literal(value: str, datatype: str | None = None) -> str:
    """A Turtle literal token, marked so the writer does not treat it as an IRI."""
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in value)
    return f'{_LITERAL}"{escaped}"' + (f"^^{datatype}" if datatype else "")


class TurtleWriter:
    """One subject block per node, IRIs shortened with the shared prefix map."""

    def __init__(self) -> None:
        self.lines = [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()]
        self.lines.append("")

    def term(self, value: str) -> str:
        if value.startswith(_LITERAL):
            return value[len(_LITERAL) :]
        if value == "a" or (":" in value and not value.startswith(("http://", "https://"))):
            return value
        return curie(value)

    def subject(self, iri: str, pairs: Iterable[tuple[str, list[str]]]) -> None:
        body = " ;\n    ".join(
            f"{self.term(p)} {', '.join(self.term(v) for v in values)}"
            for p, values in pairs
            if values
        )
        self.lines.append(f"{self.term(iri)}\n    {body} .\n")

    def text(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------------------------


def slug_for(index: int) -> str:
    """The document slug of synthetic document ``index`` (sorts in generation order)."""
    return f"synth-{index:05d}"


def generate_document(index: int, vocabulary: Vocabulary, seed: int = 0) -> tuple[str, str, str]:
    """(slug, turtle, source text) of document ``index``; depends only on seed and index."""
    rng = random.Random(f"{seed}:{index}")
    writer = DocumentWriter(index, vocabulary, rng)
    turtle, source = writer.write()
    return writer.slug, turtle, source


def copy_project_parts(target: Path, project: Path = ROOT) -> None:
    """Copy what a build reads besides the documents: pyproject, ontology, queries."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = project / part
        destination = target / part
        if destination.is_dir():
            shutil.rmtree(destination)
        if source.is_dir():
            shutil.copytree(source, destination)
        elif source.is_file():
            shutil.copy2(source, destination)


def generate_corpus(count: int, out: Path, *, seed: int = 0, project: Path = ROOT) -> Path:
    """Write a complete project directory with ``count`` synthetic documents; return it."""
    copy_project_parts(out, project)
    documents, sources = out / "graph" / "documents", out / "graph" / "sources"
    for folder in (documents, sources):
        if folder.is_dir():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    vocabulary = Vocabulary.from_ontology(out / "ontology")
    for index in range(count):
        slug, turtle, source = generate_document(index, vocabulary, seed)
        (documents / f"{slug}.ttl").write_text(turtle, encoding="utf-8")
        (sources / f"{slug}.txt").write_text(source, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="project directory to (re)write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="where ontology/ and queries/ come from"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate_corpus(args.count, args.out, seed=args.seed, project=args.project)
    print(f"wrote {args.count} documents to {args.out} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
