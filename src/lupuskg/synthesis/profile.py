"""Certainty profiles: one row per outcome of a therapy, rated by documented GRADE-style rules.

The rules, applied in this order (each moves the rating down one level at most):

- **start**: high when any study behind the outcome is randomised (``lkg:allocation
  lkg:Randomised`` or a randomised-trial design), low otherwise (GRADE's start for
  observational evidence);
- **risk of bias**: down when no claim rests on study data at all, only on reviews,
  expert opinion or author statements (evidence level 6 or worse, or no study);
- **inconsistency**: down when the claims point both ways (improves vs no effect,
  worsens or mixed; observed vs not observed, Q11's rule) or a pooled I² exceeds 50%;
- **indirectness**: down when a population is neither SLE nor lupus nephritis (found
  through the condition hierarchy, e.g. a systemic-sclerosis population);
- **imprecision**: down when fewer than 100 patients are known in all, or a pooled
  95% CI is wider than 0.30.

Levels are high, moderate, low and very low; the rating never goes below very low.
Each row lists the rules that moved it and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import pyoxigraph as ox

from ..config import settings as project_settings
from ..namespaces import PREFIXES
from ..queries import run_sparql
from ..results import compact
from ..store import open_store
from .frames import data_frame
from .progress import ProgressHook, tracked
from .terms import resolve_term

__all__ = [
    "COLUMNS",
    "LEVELS",
    "CertaintyProfile",
    "Evidence",
    "ProfileRow",
    "Rule",
    "profile",
    "profile_rows",
    "rate",
]

LEVELS = ("very low", "low", "moderate", "high")
_LKG = PREFIXES["lkg"]
_POSITIVE = {"lkg:Improves"}
_NEGATIVE = {"lkg:NoEffect", "lkg:Worsens", "lkg:Mixed"}
_RCT_DESIGNS = {"obo:OBI_0004001"}
_MIN_PATIENTS = 100
_MAX_CI_WIDTH = 0.30
_MAX_I2 = 0.5
_STUDY_EVIDENCE_LEVEL = 5  # case report or better: the claim rests on patient data


@dataclass(frozen=True)
class Evidence:
    """One claim about the therapy and outcome, with what is known of its study."""

    claim: str
    document: str
    direction: str = ""
    population: str = ""
    direct: bool = True
    study: str = ""
    design: str = ""
    evidence_level: int | None = None
    randomised: bool = False
    sample_size: int | None = None


@dataclass(frozen=True)
class Rule:
    """One rule that moved (or set) the rating, and why."""

    name: str
    change: int
    reason: str


@dataclass
class ProfileRow:
    """The certainty profile of one outcome."""

    outcome: str
    claims: int
    documents: int
    studies: int
    patients: int
    designs: list[str]
    directions: dict[str, int]
    consistency: str
    populations: list[str]
    directness: str
    imprecision: str
    certainty: str
    rules: list[Rule] = field(default_factory=list)
    i2: float | None = None
    ci_width: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (CSV, JSON, a data frame); keys are :data:`COLUMNS`."""
        return {
            "outcome": self.outcome,
            "claims": self.claims,
            "documents": self.documents,
            "studies": self.studies,
            "patients": self.patients,
            "designs": "; ".join(self.designs),
            "directions": "; ".join(f"{k} {v}" for k, v in sorted(self.directions.items())),
            "consistency": self.consistency,
            "populations": "; ".join(self.populations),
            "directness": self.directness,
            "imprecision": self.imprecision,
            "certainty": self.certainty,
            "rules": "; ".join(f"{r.name} ({r.change:+d}): {r.reason}" for r in self.rules),
        }


#: the columns of a profile table, in order (``ProfileRow.as_dict`` keys)
COLUMNS = (
    "outcome",
    "claims",
    "documents",
    "studies",
    "patients",
    "designs",
    "directions",
    "consistency",
    "populations",
    "directness",
    "imprecision",
    "certainty",
    "rules",
)


@dataclass(frozen=True)
class CertaintyProfile(Sequence[ProfileRow]):
    """The rated rows of one therapy, most certain first; a sequence of :class:`ProfileRow`."""

    therapy: str
    rows: tuple[ProfileRow, ...]

    @overload
    def __getitem__(self, index: int) -> ProfileRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ProfileRow]: ...

    def __getitem__(self, index: int | slice) -> ProfileRow | Sequence[ProfileRow]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ProfileRow]:
        return iter(self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain record per outcome (the CSV and JSON rows of `lupuskg profile`)."""
        return [row.as_dict() for row in self.rows]

    def to_dataframe(self) -> Any:
        """The profile as a pandas DataFrame, one row per outcome; ``attrs["therapy"]`` is the CURIE."""
        return data_frame(self.to_records(), COLUMNS, therapy=compact(self.therapy))


def _studies(evidence: Sequence[Evidence]) -> dict[str, Evidence]:
    return {item.study: item for item in evidence if item.study}


def _patients(evidence: Sequence[Evidence]) -> int:
    return sum(item.sample_size or 0 for item in _studies(evidence).values())


def _conflict(evidence: Sequence[Evidence]) -> str:
    directions = {item.direction for item in evidence}
    if directions & _POSITIVE and directions & _NEGATIVE:
        return "conflicting: " + " vs ".join(sorted(directions & (_POSITIVE | _NEGATIVE)))
    if {"lkg:Observed", "lkg:NotObserved"} <= directions:
        return "conflicting: lkg:NotObserved vs lkg:Observed"
    return ""


def rate(
    evidence: Sequence[Evidence], i2: float | None = None, ci_width: float | None = None
) -> tuple[str, list[Rule]]:
    """The certainty of one outcome's evidence and the rules that set it."""
    studies = _studies(evidence).values()
    randomised = [item.study for item in studies if item.randomised]
    if randomised:
        rules = [Rule("start", 0, f"high: randomised study {compact(sorted(randomised)[0])}")]
        level = 3
    else:
        rules = [Rule("start", 0, "low: no randomised study (observational or no study data)")]
        level = 1
    rules += _downgrades(evidence, i2, ci_width)
    level = max(0, level + sum(rule.change for rule in rules))
    return LEVELS[level], rules


def _downgrades(
    evidence: Sequence[Evidence], i2: float | None, ci_width: float | None
) -> list[Rule]:
    rules = []
    levels = [item.evidence_level for item in evidence if item.study and item.evidence_level]
    if not levels or min(levels) > _STUDY_EVIDENCE_LEVEL:
        rules.append(
            Rule(
                "risk of bias",
                -1,
                "no claim rests on study data (reviews, opinion or statements only)",
            )
        )
    conflict = _conflict(evidence)
    if conflict or (i2 is not None and i2 > _MAX_I2):
        reason = conflict or f"pooled I² {100 * (i2 or 0):.0f}% > {100 * _MAX_I2:.0f}%"
        rules.append(Rule("inconsistency", -1, reason))
    indirect = sorted({item.population for item in evidence if item.population and not item.direct})
    if indirect:
        rules.append(Rule("indirectness", -1, f"population not SLE or LN: {', '.join(indirect)}"))
    patients = _patients(evidence)
    if patients < _MIN_PATIENTS:
        rules.append(Rule("imprecision", -1, f"{patients} patients known (< {_MIN_PATIENTS})"))
    elif ci_width is not None and ci_width > _MAX_CI_WIDTH:
        rules.append(
            Rule("imprecision", -1, f"pooled 95% CI width {ci_width:.2f} > {_MAX_CI_WIDTH}")
        )
    return rules


_EVIDENCE = f"""
PREFIX lkg: <{_LKG}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX obo: <{PREFIXES["obo"]}>
SELECT DISTINCT ?therapy ?claim ?outcome ?document ?direction ?population ?direct
       ?study ?design ?level ?allocation ?size
WHERE {{
  ?claim lkg:intervention ?claimTherapy ; lkg:outcome ?outcome ; lkg:sourceDocument ?document .
  ?claimTherapy rdfs:subClassOf* ?therapy .
  OPTIONAL {{ ?claim lkg:direction ?direction }}
  OPTIONAL {{
    ?claim lkg:population ?population .
    BIND(EXISTS {{
      VALUES ?lupus {{ obo:MONDO_0007915 obo:MONDO_0005556 }}
      ?population rdfs:subClassOf* ?lupus
    }} AS ?direct)
  }}
  OPTIONAL {{
    ?claim lkg:aboutStudy ?study .
    OPTIONAL {{ ?study lkg:studyDesign ?design . OPTIONAL {{ ?design lkg:evidenceLevel ?level }} }}
    OPTIONAL {{ ?study lkg:allocation ?allocation }}
    OPTIONAL {{ ?study lkg:sampleSize|lkg:patientCount ?size }}
  }}
}}
ORDER BY ?outcome ?claim
"""

_POOLED = f"""
PREFIX lkg: <{_LKG}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT ?therapy ?outcome ?i2 ?lower ?upper WHERE {{
  ?estimate a lkg:PooledEstimate ; lkg:poolingMethod lkg:DerSimonianLaird ;
    lkg:therapy ?estimateTherapy ; lkg:outcome ?outcome ;
    lkg:iSquared ?i2 ; lkg:ciLower ?lower ; lkg:ciUpper ?upper .
  ?estimateTherapy rdfs:subClassOf* ?therapy .
}}
"""


def collect_evidence(store: ox.Store, therapy: str) -> dict[str, list[Evidence]]:
    """Claims about the therapy (and its subclasses), by outcome CURIE."""
    records = run_sparql(store, _EVIDENCE, {"therapy": ox.NamedNode(therapy)}).to_records()
    by_outcome: dict[str, list[Evidence]] = {}
    for row in records:
        design = compact(str(row["design"])) if row["design"] else ""
        by_outcome.setdefault(compact(str(row["outcome"])), []).append(
            Evidence(
                claim=str(row["claim"]),
                document=str(row["document"]),
                direction=compact(str(row["direction"])) if row["direction"] else "",
                population=compact(str(row["population"])) if row["population"] else "",
                direct=row["direct"] is not False,
                study=str(row["study"] or ""),
                design=design,
                evidence_level=int(row["level"]) if row["level"] is not None else None,
                randomised=design in _RCT_DESIGNS or row["allocation"] == _LKG + "Randomised",
                sample_size=int(row["size"]) if row["size"] is not None else None,
            )
        )
    return by_outcome


def _pooled(store: ox.Store, therapy: str) -> dict[str, tuple[float, float]]:
    """Largest pooled I² and CI width per outcome (DerSimonian–Laird, derived graph)."""
    found: dict[str, tuple[float, float]] = {}
    for row in run_sparql(store, _POOLED, {"therapy": ox.NamedNode(therapy)}).to_records():
        outcome = compact(str(row["outcome"]))
        i2, width = float(row["i2"]), float(row["upper"]) - float(row["lower"])
        old = found.get(outcome, (0.0, 0.0))
        found[outcome] = (max(old[0], i2), max(old[1], width))
    return found


def profile_rows(
    store: ox.Store, therapy: str, progress: ProgressHook | None = None
) -> list[ProfileRow]:
    """One rated row per outcome, most certain first, then by outcome."""
    if progress:
        progress("querying claims", 0, 1)
    pooled = _pooled(store, therapy)
    by_outcome = collect_evidence(store, therapy)
    if progress:
        progress("querying claims", 1, 1)
    rows = [
        _row(outcome, evidence, *pooled.get(outcome, (None, None)))
        for outcome, evidence in tracked(
            by_outcome.items(), len(by_outcome), "rating outcomes", progress
        )
    ]
    return sorted(rows, key=lambda row: (-LEVELS.index(row.certainty), row.outcome))


def _row(
    outcome: str, evidence: list[Evidence], i2: float | None, ci_width: float | None
) -> ProfileRow:
    certainty, rules = rate(evidence, i2, ci_width)
    claims = {item.claim: item for item in evidence}.values()
    directions: dict[str, int] = {}
    for item in claims:
        directions[item.direction or "(none)"] = directions.get(item.direction or "(none)", 0) + 1
    populations = sorted({item.population for item in evidence if item.population})
    indirect = [item.population for item in evidence if item.population and not item.direct]
    patients = _patients(evidence)
    return ProfileRow(
        outcome=outcome,
        claims=len(claims),
        documents=len({item.document for item in evidence}),
        studies=len(_studies(evidence)),
        patients=patients,
        designs=_ranked_designs(evidence),
        directions=directions,
        consistency=_conflict(evidence) or ("consistent" if len(claims) > 1 else "single claim"),
        populations=populations,
        directness="indirect" if indirect else ("direct" if populations else "unstated"),
        imprecision=f"n={patients}"
        + (f", CI width {ci_width:.2f}" if ci_width is not None else "")
        + (f", I² {100 * i2:.0f}%" if i2 is not None else ""),
        certainty=certainty,
        rules=rules,
        i2=i2,
        ci_width=ci_width,
    )


def _ranked_designs(evidence: Iterable[Evidence]) -> list[str]:
    """Designs by evidence level, best first (level 1 = randomised trial)."""
    designs = {(item.evidence_level or 99, item.design) for item in evidence if item.design}
    return [
        f"{design} (level {level})" if level != 99 else design for level, design in sorted(designs)
    ]


def profile(
    therapy: str, *, settings: Any = None, progress: ProgressHook | None = None
) -> CertaintyProfile:
    """The Python API: ``lupuskg.profile("HSCT").to_dataframe()``, one rated row per outcome."""
    store = open_store(settings or project_settings())
    iri = resolve_term(store, "therapy", therapy, command="profile")
    return CertaintyProfile(iri, tuple(profile_rows(store, iri, progress)))
