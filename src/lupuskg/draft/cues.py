"""Cue phrases as data: negation and hedging for NegEx (negspacy), and direction words.

negspacy's ``Negex`` component runs twice over the matched terms: once with its own
clinical termset (extended below) for negation, which makes a safety outcome
``NotObserved`` or an efficacy outcome ``NoEffect``, and once with the hedge termset under
the extension name ``hedge`` for ``Suggested``. The rule format is NegEx's: preceding and
following cues scope over the terms of their clause, termination cues ("but", "however")
close it, pseudo cues ("not only") cancel a cue. medspaCy's ConText, the richer choice,
pins spaCy < 3.8 on Python 3.11 and would downgrade spaCy, numpy and thinc; NegEx's
rule format covers the two cue kinds the annotator needs.
"""

from __future__ import annotations

import re

from ..namespaces import VOCAB

__all__ = [
    "EVENT_WORDS",
    "HEDGE_TERMSET",
    "NEGATION_TERMSET",
    "mechanism_direction",
    "speculative",
]


def _negation_termset() -> dict[str, list[str]]:
    from negspacy.termsets import termset

    base: dict[str, list[str]] = termset("en_clinical").get_patterns()
    base["preceding_negations"] = sorted(
        set(base["preceding_negations"])
        | {
            "no patients",
            "none of",
            "no patient",
            "not",
            "without",
            "did not",
            "free of",
            "few if any",
            "neither",
            "nor",
        }
    )
    base["following_negations"] = sorted(
        set(base["following_negations"]) | {"were not observed", "was not observed", "absent"}
    )
    # "progression-free survival": NegEx's following cue "free" would negate the term before it
    base["following_negations"] = [c for c in base["following_negations"] if c != "free"]
    base["termination"] = sorted(set(base["termination"]) | {"but", "however", "although", ";"})
    return base


NEGATION_TERMSET = _negation_termset()

HEDGE_TERMSET: dict[str, list[str]] = {
    "pseudo_negations": ["no doubt", "without doubt"],
    "preceding_negations": [
        "may",
        "might",
        "could",
        "can",
        "possibly",
        "potential",
        "potentially",
        "promising",
        "promise",
        "suggest",
        "suggests",
        "suggested",
        "suggesting",
        "appear",
        "appears",
        "appeared",
        "seem",
        "seems",
        "likely",
        "hope",
        "hopeful",
        "shown promise",
        "is thought",
        "are thought",
        "believed",
    ],
    "following_negations": ["is promising", "are promising", "remains to be confirmed"],
    "termination": ["but", "however", "although", "whereas"],
}


def _words(*cues: str) -> re.Pattern[str]:
    """Any of ``cues`` as a whole word or phrase, in any case.

    A cue may carry its own regular-expression parts (``worsen\\w*``, ``vs\\.?``); the word
    boundaries and the case rule are stated here once, for every cue list below.
    """
    return re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.IGNORECASE)


def _stems(*stems: str) -> re.Pattern[str]:
    """A word that starts with any of ``stems`` (``reduc``: reduce, reduced, reduction)."""
    return re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)


_SPECULATIVE = re.compile(
    r"\b(?:we|the authors)\s+(?:propose|hypothesi[sz]e|speculate)|\bproposed\b|\bspeculat",
    re.IGNORECASE,
)
_PROMOTE = _stems(
    "promot", "enhanc", "increas", "induc", "stimulat", "expan", "boost", "upregulat",
    "up-regulat", "restor",
)  # fmt: skip
_INHIBIT = _stems(
    "inhibit", "suppress", "reduc", "decreas", "block", "downregulat", "down-regulat", "limit",
    "impair", "eliminat",
)  # fmt: skip
MIXED = _words(
    "in some patients", "some patients", "not all patients", "ineffective in", "a subset of",
    "varied", "varies", "vary", "variable",
)  # fmt: skip
WORSENS = _words(r"worse", r"worsen\w*", r"deteriorat\w*", r"aggravat\w*")
NO_EFFECT = _words(
    r"no (?:significant )?(?:difference|change|effect|improvement)",
    r"did not (?:improve|change|differ)",
    r"not (?:significantly )?different",
    r"failed to",
)
#: a bad outcome (relapse, progression) improves only when the text says it was reduced
REDUCED = _words(
    "fewer", "less", "lower", r"reduc\w*", r"decreas\w*", r"prevent\w*", r"avoid\w*",
    "free of", "without",
)  # fmt: skip
#: verb forms of outcome events, which labels (nouns) do not cover; the IRIs are ontology classes
EVENT_WORDS: dict[str, set[str]] = {
    VOCAB + "Death": {"died", "die", "dies", "dying"},
    VOCAB + "Relapse": {"relapsed", "flared"},
    VOCAB + "ClinicalResponse": {"responded", "respond", "responders"},
}

COMPARISON = _words("compared", "versus", r"vs\.?", "than", "over", "relative to")
GAP = re.compile(
    r"\b(?:further|more|longer-term|long-term|larger|future)\s+(?:\w+\s+){0,3}?(?:studies|research|trials|investigation)\b"
    r"|\b(?:needs?|remains?|has|have|is|are) (?:still )?to be (?:confirmed|established|determined|clarified)"
    r"|\b(?:are|is) (?:still )?(?:needed|required|warranted)\b|\bwarrant",
    re.IGNORECASE,
)
HISTORY = re.compile(r"\b(?:first|initial|earliest|pioneer\w*)\b|\b(?:19|20)\d\d\b|\b\d{4}s\b")
DONOR = _words("autologous", "allogeneic", "donor", "own")


def speculative(sentence: str) -> bool:
    """The authors' own untested proposal: "we propose", "speculate"."""
    return bool(_SPECULATIVE.search(sentence))


def mechanism_direction(sentence: str, position: int) -> str:
    """Promotes or Inhibits: the nearest direction verb before ``position`` (else after)."""
    before = [(m.start(), "Promotes") for m in _PROMOTE.finditer(sentence, 0, position)]
    before += [(m.start(), "Inhibits") for m in _INHIBIT.finditer(sentence, 0, position)]
    if before:
        return max(before)[1]
    after = [(m.start(), "Promotes") for m in _PROMOTE.finditer(sentence, position)]
    after += [(m.start(), "Inhibits") for m in _INHIBIT.finditer(sentence, position)]
    return min(after)[1] if after else "Promotes"
