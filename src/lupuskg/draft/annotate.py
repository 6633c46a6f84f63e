"""From a source text to proposed claims and results (plain data; the writer makes RDF).

One pass over the sentences. Per sentence: match terms, run NegEx for negation and for
hedges, read the numbers, then propose claims by rules on the kinds of terms present:

- one claim per outcome term (safety, efficacy, barrier, limitation, research gap), and
  one mechanism claim per target cell, so that a sentence naming several targets gives
  several claims sharing one quote;
- a procedure claim for a sentence naming a cell source, a conditioning regimen or a
  donor type but no outcome; a background claim for a disease-only sentence; a historical
  claim for a therapy sentence with a first report or a year;
- the intervention is the most specific therapy of the sentence, else the one of the
  last sentence that named one, else the document's most frequent one; a conventional
  therapy named next to a cell therapy with a comparison word is the comparator.

Numbers become results; each is attached to the claim whose outcome term is nearest to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..namespaces import OBO
from ..namespaces import VOCAB as LKG
from . import cues
from .numbers import Number, numbers, patient_counts, time_points
from .segment import Sentence, sentences
from .terms import Lexicon, Term, defined_abbreviations

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DraftClaim", "DraftResult", "annotate"]

SLE = OBO + "MONDO_0007915"
CELL_THERAPY = LKG + "CellTherapy"
CONVENTIONAL = LKG + "ConventionalTherapy"


@dataclass
class DraftResult:
    """A proposed lkg:Result: one number, its outcome and the sentence it is quoted from."""

    number: Number
    outcome: str
    sentence: Sentence
    time_point: str | None = None


@dataclass
class DraftClaim:
    """A proposed claim with its quote (a sentence) and the results it rests on."""

    kind: str  # EfficacyClaim, SafetyClaim, ...
    sentence: Sentence
    interventions: list[str]
    direction: str
    certainty: str
    population: str | None = None
    outcome: str | None = None
    mechanism: str | None = None
    target_cell: str | None = None
    comparator: str | None = None
    cell_source: str | None = None
    cell_type: str | None = None
    donor_type: str | None = None
    conditioning: str | None = None
    qualifier: str | None = None
    results: list[DraftResult] = field(default_factory=list)
    cue: str = ""  # the term the claim was proposed from, for the statement


#: head nouns that name a mechanism on a target cell ("Treg proliferation")
_MECHANISM_HEADS = {
    "proliferation": LKG + "CellProliferation",
    "expansion": LKG + "CellProliferation",
    "activity": LKG + "CellActivity",
    "activation": LKG + "CellActivity",
    "function": LKG + "CellActivity",
    "differentiation": LKG + "CellDifferentiation",
}


def _pipeline(lexicon: Lexicon) -> Language:
    nlp = lexicon.nlp()
    if "negex" not in nlp.pipe_names:
        import negspacy.negation  # noqa: F401  (registers the "negex" factory)

        nlp.add_pipe("negex", config={"neg_termset": cues.NEGATION_TERMSET})
        nlp.add_pipe(
            "negex",
            name="hedge",
            config={"neg_termset": cues.HEDGE_TERMSET, "extension_name": "hedge"},
        )
    return nlp


@dataclass
class _Parsed:
    sentence: Sentence
    terms: list[Term]
    negated: set[tuple[int, int]]
    hedged: set[tuple[int, int]]


def _parse(lexicon: Lexicon, source: str) -> list[_Parsed]:
    from spacy.tokens import Span

    nlp = _pipeline(lexicon)
    split = sentences(source)
    matcher = lexicon.matcher()
    first = [matcher.terms(nlp.make_doc(s.text), s.start) for s in split]
    extra = defined_abbreviations(source, [t for ts in first for t in ts])
    for iri, words in cues.EVENT_WORDS.items():
        if iri in lexicon.kinds:
            extra.setdefault(iri, set()).update(words)
    matcher = lexicon.matcher(extra)
    parsed = []
    for sentence in split:
        doc = nlp.make_doc(sentence.text)
        terms = _compose_donor(lexicon, matcher.terms(doc, sentence.start))
        spans = []
        for term in terms:
            span = doc.char_span(
                term.start - sentence.start, term.end - sentence.start, label=term.kind
            )
            if span is not None:
                spans.append(span)
        doc.ents = spans
        for _, component in nlp.pipeline:
            doc = component(doc)
        ents: list[Span] = list(doc.ents)
        negated = {
            (sentence.start + e.start_char, sentence.start + e.end_char) for e in ents if e._.negex
        }
        hedged = {
            (sentence.start + e.start_char, sentence.start + e.end_char) for e in ents if e._.hedge
        }
        parsed.append(_Parsed(sentence, terms, negated, hedged))
    return parsed


def _compose_donor(lexicon: Lexicon, terms: list[Term]) -> list[Term]:
    """ "autologous" + "haematopoietic stem cell transplantation": the subclass whose label is
    the donor type's label followed by the therapy's label (lkg:AutologousHSCT)."""
    out: list[Term] = []
    for term in terms:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.kind == "donor"
            and term.kind == "therapy"
            and term.start - previous.end <= 1
        ):
            wanted = (
                f"{lexicon.labels.get(previous.iri, '')} {lexicon.labels.get(term.iri, '')}".lower()
            )
            sub = next(
                (
                    i
                    for i, label in lexicon.labels.items()
                    if label.lower() == wanted and lexicon.is_a(i, term.iri)
                ),
                None,
            )
            if sub is not None:
                out[-1] = Term(
                    sub, "therapy", previous.start, term.end, previous.text + " " + term.text
                )
                continue
        out.append(term)
    return out


def _most_specific(lexicon: Lexicon, iris: list[str]) -> list[str]:
    unique = list(dict.fromkeys(iris))
    return [i for i in unique if not any(o != i and lexicon.is_a(o, i) for o in unique)]


def annotate(lexicon: Lexicon, source: str) -> list[DraftClaim]:
    """Proposed claims for ``source``, in reading order."""
    parsed = _parse(lexicon, source)
    therapy_counts = Counter(
        t.iri
        for p in parsed
        for t in p.terms
        if t.kind == "therapy" and lexicon.is_a(t.iri, CELL_THERAPY)
    )
    dominant = therapy_counts.most_common(1)[0][0] if therapy_counts else None
    condition_counts = Counter(t.iri for p in parsed for t in p.terms if t.kind == "condition")
    default_population = condition_counts.most_common(1)[0][0] if condition_counts else SLE
    default_therapy = [therapy_counts.most_common(1)[0][0]] if therapy_counts else []
    sample_size = _sample_size(parsed)
    claims: list[DraftClaim] = []
    last_therapies: list[str] = default_therapy
    for p in parsed:
        therapies = _most_specific(
            lexicon,
            [
                t.iri
                for t in p.terms
                if t.kind == "therapy" and not lexicon.is_a(t.iri, LKG + "ConditioningRegimen")
            ],
        )
        generic = {LKG + "Therapy"}
        therapies = [t for t in therapies if t not in generic]
        therapies = _procedure_agents(lexicon, p.sentence.text, therapies, last_therapies)
        # "HSCT" in a text mostly about autologous HSCT means the autologous one
        therapies = [
            dominant
            if dominant
            and dominant != t
            and lexicon.is_a(dominant, t)
            and lexicon.is_a(t, CELL_THERAPY)
            else t
            for t in therapies
        ]
        made = _claims_for(lexicon, p, therapies or last_therapies, default_population, sample_size)
        claims.extend(made)
        carried = [
            t for t in therapies if lexicon.is_a(t, CELL_THERAPY) or lexicon.is_a(t, CONVENTIONAL)
        ]
        if carried:
            last_therapies = carried
    return claims


_PROCEDURE = re.compile(
    r"\b(?:condition\w*|mobili[sz]\w*|transplant\w*|regimen\w*|graft\w*|infus\w*|ablat\w*|reinfus\w*)",
    re.IGNORECASE,
)


def _procedure_agents(
    lexicon: Lexicon, text: str, therapies: list[str], last: list[str]
) -> list[str]:
    """Drugs named inside a cell-therapy procedure (conditioning, mobilisation) are not its
    intervention: the cell therapy is, named in the sentence or carried over from before."""
    cell = [t for t in therapies if lexicon.is_a(t, CELL_THERAPY)]
    drugs = [t for t in therapies if lexicon.is_a(t, CONVENTIONAL)]
    if not drugs or cues.COMPARISON.search(text):
        return therapies
    if cell:
        return [t for t in therapies if t not in drugs]
    carried = [t for t in last if lexicon.is_a(t, CELL_THERAPY)]
    if carried and _PROCEDURE.search(text):
        return carried + [t for t in therapies if t not in drugs]
    return therapies


def _sample_size(parsed: list[_Parsed]) -> int | None:
    """The first "N patients ... received/were studied" count of the text."""
    for p in parsed:
        if re.search(
            r"\b(?:received|underwent|studied|enrolled|included|treated|were given)\b",
            p.sentence.text,
        ):
            counts = patient_counts(p.sentence.text)
            if counts:
                return counts[0][2]
    return None


def _claims_for(
    lexicon: Lexicon,
    p: _Parsed,
    therapies: list[str],
    default_population: str,
    sample_size: int | None,
) -> list[DraftClaim]:
    text = p.sentence.text
    terms = p.terms
    kinds = Counter(t.kind for t in terms)
    populations = _most_specific(lexicon, [t.iri for t in terms if t.kind == "condition"])
    population = populations[0] if populations else default_population
    named_therapies = [t for t in terms if t.kind == "therapy"]
    interventions = therapies
    comparator = None
    cell = [i for i in interventions if lexicon.is_a(i, CELL_THERAPY)]
    conventional = [i for i in interventions if lexicon.is_a(i, CONVENTIONAL)]
    if cell and conventional and cues.COMPARISON.search(text):
        interventions, comparator = cell, conventional[0]
    hedged_sentence = bool(p.hedged) or _hedge_anywhere(text)
    certainty = (
        "Speculative"
        if cues.speculative(text)
        else ("Suggested" if hedged_sentence else "Established")
    )
    qualifier = None
    mixed = cues.MIXED.search(text)
    if mixed:
        qualifier = mixed.group(0)

    claim = _Claims(p.sentence, interventions, certainty, population, comparator, qualifier)
    made: list[DraftClaim] = []
    outcomes = [t for t in terms if t.kind == "outcome"]
    outcome_iris = _most_specific(lexicon, [t.iri for t in outcomes])
    seen: set[str] = set()
    for term in outcomes:
        if term.iri not in outcome_iris or term.iri in seen:
            continue
        seen.add(term.iri)
        negated = (term.start, term.end) in p.negated
        made.append(_outcome_claim(lexicon, term, negated, text, claim, interventions))
    made.extend(_mechanism_claims(lexicon, p, claim))
    if not made:
        made.extend(_other_claims(lexicon, p, claim, kinds, named_therapies))
    _attach_results(lexicon, p, made, sample_size)
    return made


@dataclass(frozen=True)
class _Claims:
    """Makes the claims of one sentence: what they share is fixed, the rest is per claim."""

    sentence: Sentence
    interventions: list[str]
    certainty: str
    population: str
    comparator: str | None
    qualifier: str | None

    def __call__(
        self,
        kind: str,
        direction: str,
        *,
        outcome: str | None = None,
        mechanism: str | None = None,
        target_cell: str | None = None,
        cell_source: str | None = None,
        conditioning: str | None = None,
        donor_type: str | None = None,
        cue: str = "",
    ) -> DraftClaim:
        return DraftClaim(
            kind=kind, sentence=self.sentence, interventions=list(self.interventions),
            direction=direction, certainty=self.certainty, population=self.population,
            comparator=self.comparator, qualifier=self.qualifier, outcome=outcome,
            mechanism=mechanism, target_cell=target_cell, cell_source=cell_source,
            conditioning=conditioning, donor_type=donor_type, cue=cue,
        )  # fmt: skip


def _hedge_anywhere(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:may|might|could|promising|potential(?:ly)?|suggest\w*|appear\w*|seem\w*)\b",
            text,
            re.IGNORECASE,
        )
    )


def _outcome_claim(
    lexicon: Lexicon,
    term: Term,
    negated: bool,
    text: str,
    claim: _Claims,
    interventions: list[str],
) -> DraftClaim:
    iri = term.iri
    conventional_only = bool(interventions) and all(
        lexicon.is_a(i, CONVENTIONAL) for i in interventions
    )
    if lexicon.is_a(iri, LKG + "EvidenceGap") or (
        cues.GAP.search(text) and lexicon.is_a(iri, LKG + "SafetyProfile")
    ):
        return claim(
            "ResearchGapClaim",
            "Observed",
            outcome=LKG + "EvidenceGap" if cues.GAP.search(text) else iri,
            cue=term.text,
        )
    if lexicon.is_a(iri, LKG + "Barrier"):
        if lexicon.is_a(iri, LKG + "VariableResponse"):
            return claim("LimitationClaim", "Mixed", outcome=iri, cue=term.text)
        return claim("BarrierClaim", "Observed", outcome=iri, cue=term.text)
    if lexicon.is_a(iri, LKG + "LimitedBenefit") or lexicon.is_a(iri, LKG + "TreatmentIntensity"):
        return claim("LimitationClaim", "Observed", outcome=iri, cue=term.text)
    if lexicon.is_a(iri, LKG + "SafetyOutcome"):
        if conventional_only:
            return claim("LimitationClaim", "Observed", outcome=iri, cue=term.text)
        return claim(
            "SafetyClaim", "NotObserved" if negated else "Observed", outcome=iri, cue=term.text
        )
    bad = any(
        lexicon.is_a(iri, LKG + name)
        for name in ("Relapse", "TreatmentRefractoriness", "DiseaseProgression")
    )
    if bad and (conventional_only or not (cues.REDUCED.search(text) or negated)):
        return claim("LimitationClaim", "Observed", outcome=iri, cue=term.text)
    if negated or cues.NO_EFFECT.search(text):
        direction = "NoEffect"
    elif cues.MIXED.search(text):
        direction = "Mixed"
    elif cues.WORSENS.search(text):
        direction = "Worsens"
    else:
        direction = "Improves"
    kind = "EfficacyClaim"
    if lexicon.kinds.get(iri) != "outcome":
        kind = "BackgroundClaim"
    return claim(kind, direction, outcome=iri, cue=term.text)


def _mechanism_claims(lexicon: Lexicon, p: _Parsed, claim: _Claims) -> list[DraftClaim]:
    text = p.sentence.text
    mechanisms = [t for t in p.terms if t.kind == "mechanism"]
    cells = [t for t in p.terms if t.kind == "cell" and t.iri not in lexicon.therapy_cells]
    made: list[DraftClaim] = []
    if not cells:
        for m in mechanisms:
            made.append(claim("MechanismClaim", "Promotes", mechanism=m.iri, cue=m.text))
        return made
    if not mechanisms and not (cues._PROMOTE.search(text) or cues._INHIBIT.search(text)):
        return made
    for c in cells:
        local = c.start - p.sentence.start
        mechanism = mechanisms[0].iri if mechanisms else None
        after = text[c.end - p.sentence.start :].lower()
        for head, iri in _MECHANISM_HEADS.items():
            if head in after.split(".")[0].split(",")[0][:40] or head in text[:local].lower()[-30:]:
                mechanism = iri
                break
        made.append(
            claim(
                "MechanismClaim",
                cues.mechanism_direction(text, local),
                mechanism=mechanism or LKG + "CellActivity",
                target_cell=c.iri,
                cue=c.text,
            )
        )
    return made


def _other_claims(
    lexicon: Lexicon,
    p: _Parsed,
    claim: _Claims,
    kinds: Counter[str],
    named_therapies: list[Term],
) -> list[DraftClaim]:
    text = p.sentence.text
    terms = p.terms
    sources = [t.iri for t in terms if t.kind == "anatomy"]
    conditioning = [
        t.iri
        for t in terms
        if lexicon.is_a(t.iri, LKG + "ConditioningRegimen") and t.iri != LKG + "ConditioningRegimen"
    ]
    donors = [t.iri for t in terms if t.kind == "donor"]
    made: list[DraftClaim] = []
    if cues.GAP.search(text):
        return [claim("ResearchGapClaim", "Observed", outcome=LKG + "EvidenceGap", cue="")]
    if named_therapies and cues.HISTORY.search(text):
        return [claim("HistoricalClaim", "Observed", cue=named_therapies[0].text)]
    procedure = bool(_PROCEDURE.search(text)) and bool(claim.interventions)
    if sources or conditioning or (donors and named_therapies) or procedure:
        places: list[str | None] = [*sources] or [None]
        for source in places:
            made.append(
                claim(
                    "ProcedureClaim",
                    "Observed",
                    cell_source=source,
                    conditioning=conditioning[0] if conditioning else None,
                    donor_type=donors[0] if donors else None,
                    cue=named_therapies[0].text if named_therapies else "",
                )
            )
        return made
    features = [t for t in terms if t.kind == "feature"]
    if kinds.get("condition") and not named_therapies:
        outcome = features[0].iri if features else None
        made.append(claim("BackgroundClaim", "Observed", outcome=outcome, cue=""))
        made[-1].interventions = []
    return made


def _attach_results(
    lexicon: Lexicon, p: _Parsed, made: list[DraftClaim], sample_size: int | None
) -> None:
    text = p.sentence.text
    if not made:
        return
    found = numbers(text)
    times = time_points(text)
    with_outcome = [(c, c.outcome) for c in made if c.outcome]
    if not with_outcome:
        return
    counts = patient_counts(text)
    # "60% and 75% at 9 and 12 months": as many values as listed time points pair in order
    plain = [
        n for n in found if not n.baseline and n.statistic not in ("MedianValue", "AssociationTest")
    ]
    paired = (
        {n.start: t[2] for n, t in zip(plain, times, strict=False)}
        if len(plain) == len(times) > 1
        else {}
    )
    for number in found:
        if number.statistic == "Percent":
            statistic = "CountProportion"
            if any(lexicon.is_a(outcome, LKG + "Survival") for _, outcome in with_outcome):
                statistic = "SurvivalProbability"
            number = replace(number, statistic=statistic)
        target, outcome = _nearest_claim(p, with_outcome, number.start)
        time_point = None
        if number.baseline:
            time_point = "P0D"
        elif number.start in paired:
            time_point = paired[number.start]
        elif times:
            time_point = min(times, key=lambda t: abs(t[0] - number.start))[2]
        if (
            number.statistic == "MedianValue"
            and time_point
            and number.unit
            and time_point.endswith(number.unit[0])
        ):
            time_point = None
        target.results.append(DraftResult(number, outcome, p.sentence, time_point))
    if found or not sample_size:
        return
    # "one patient experienced X, but no patients experienced Y": each count of the study's
    # patients goes to the next outcome named after it (the subject comes first)
    for start, end, n in counts:
        if n >= sample_size:
            continue
        number = Number("CountProportion", start, end, numerator=n, denominator=sample_size)
        target, outcome = _nearest_claim(p, with_outcome, start, following=True)
        if not any(r.number.statistic == "CountProportion" for r in target.results):
            target.results.append(DraftResult(number, outcome, p.sentence, None))


def _nearest_claim(
    p: _Parsed, claims: list[tuple[DraftClaim, str]], position: int, following: bool = False
) -> tuple[DraftClaim, str]:
    """The (claim, outcome) whose outcome term is the nearest one before the number, else
    after it (``following``: after, else before)."""

    def distance(pair: tuple[DraftClaim, str]) -> tuple[int, int]:
        spans = [t.start - p.sentence.start for t in p.terms if t.iri == pair[1]]
        before = [position - s for s in spans if s <= position]
        after = [s - position for s in spans if s > position]
        first, second = (after, before) if following else (before, after)
        if first:
            return (0, min(first))
        return (1, min(second, default=10**6))

    return min(claims, key=distance)
