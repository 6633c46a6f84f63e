"""Numeric patterns: counts and proportions, percentages, means (SD), medians (range), time points.

Each pattern gives plain data (:class:`Number`) with the character span it was read from;
the annotator attaches an outcome and a study and the writer turns it into a lkg:Result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

__all__ = ["Number", "count_word", "numbers", "time_points"]

_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
_COUNT = r"(?:\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_NUM = r"\d+(?:\.\d+)?"
_UNIT = {"day": "D", "week": "W", "month": "M", "year": "Y"}
#: a time unit word (singular; patterns add the optional plural s)
_UNIT_WORD = "(?:" + "|".join(_UNIT) + ")"
#: "3 to 18", "3-18", "3–18": a range's lower and upper values
_RANGE = rf"(?P<lo>{_NUM})\s*(?:to|-|–)\s*(?P<hi>{_NUM})"

_FRACTION = re.compile(
    rf"\b(?P<n>{_COUNT})\s*(?:of|out of|/)\s*(?:the\s+|these\s+|all\s+)?(?P<d>\d+|{_COUNT})\b"
    rf"(?:[^()\d]{{0,40}}?\(\s*(?P<p>{_NUM})\s*%)?",
    re.IGNORECASE,
)
_PLUS_MINUS = r"(?:±|\+/-|\+/−)"
_MEAN_CHANGE = re.compile(
    rf"(?P<a>{_NUM})\s*{_PLUS_MINUS}\s*(?P<asd>{_NUM})\s*(?:to|->|→)\s*(?P<b>{_NUM})\s*{_PLUS_MINUS}\s*(?P<bsd>{_NUM})"
)
_MEAN = re.compile(rf"(?P<v>{_NUM})\s*(?P<pct>%)?\s*{_PLUS_MINUS}\s*(?P<sd>{_NUM})\s*%?")
_PERCENT = re.compile(rf"(?P<v>{_NUM})\s*%")
_MEDIAN = re.compile(
    rf"\bmedian\b[^.;]{{0,60}}?\b(?:was|of|at|after)?\s*(?P<v>{_NUM})\s*(?P<u>{_UNIT_WORD})s?"
    rf"(?:[^.;\d]{{0,30}}?range(?:\s+of)?\s+{_RANGE})?",
    re.IGNORECASE,
)
_AFTER_RANGE = re.compile(
    rf"\bafter\s+(?P<v>{_NUM})\s*(?P<u>{_UNIT_WORD})s?\s*\(\s*range\s+{_RANGE}\)",
    re.IGNORECASE,
)
_P_VALUE = re.compile(r"\b[Pp]\s*=\s*(?P<v>0?\.\d+)")
_CI = re.compile(rf"95\s*%\s*CI[,:]?\s*(?P<lo>{_NUM})\s*(?:to|-|–|,)\s*(?P<hi>{_NUM})")
_TIME = re.compile(
    rf"\b(?:at|after|by|over|within)\s+(?P<list>{_COUNT}(?:\s*(?:,|and|or)\s*{_COUNT})*)\s+(?P<u>{_UNIT_WORD})s?\b"
    rf"|\b(?P<one>{_COUNT})[- ](?P<u2>{_UNIT_WORD})\b",
    re.IGNORECASE,
)
_PATIENTS = re.compile(
    rf"\b(?P<n>{_COUNT})\s+(?:\w+\s+){{0,2}}?(?:patients?|participants?|subjects?|people|children|women|men)\b",
    re.IGNORECASE,
)


def count_word(text: str) -> int | None:
    """``"12"`` or ``"twelve"`` as 12; None for anything else."""
    lowered = text.lower()
    if lowered.isdigit():
        return int(lowered)
    return _WORDS.get(lowered)


@dataclass(frozen=True)
class Number:
    """One reported number and what kind of statistic it is."""

    statistic: str  # CountProportion, MeanValue, MedianValue, AssociationTest
    start: int
    end: int
    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    unit: str | None = None  # Percent, Month, ...
    sd: Decimal | None = None
    range_lower: Decimal | None = None
    range_upper: Decimal | None = None
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    p_value: Decimal | None = None
    time_point: str | None = None  # xsd:duration
    baseline: bool = False


def _duration(amount: int | Decimal, unit: str) -> str:
    unit = unit.lower()
    if unit == "month" and int(amount) >= 12 and int(amount) == amount:
        years, months = divmod(int(amount), 12)
        return f"P{years}Y" + (f"{months}M" if months else "")
    return f"P{amount}{_UNIT[unit]}"


def time_points(text: str) -> list[tuple[int, int, str]]:
    """Every time point stated in ``text``: (start, end, xsd:duration)."""
    found = []
    for match in _TIME.finditer(text):
        unit = match.group("u") or match.group("u2")
        listed = match.group("list") or match.group("one")
        for word in re.findall(_COUNT, listed, flags=re.IGNORECASE):
            amount = count_word(word)
            if amount is not None and amount > 0:
                found.append((match.start(), match.end(), _duration(amount, unit)))
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def numbers(text: str) -> list[Number]:
    """The numbers of one sentence, in text order; each span is read by one pattern only."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def take(number: Number) -> None:
        found.append(number)
        taken.append((number.start, number.end))

    for m in _MEAN_CHANGE.finditer(text):
        take(Number("MeanValue", m.start(), m.end(), value=Decimal(m["a"]), sd=Decimal(m["asd"]),
                    baseline=True))  # fmt: skip
        take(Number("MeanValue", m.start(), m.end(), value=Decimal(m["b"]), sd=Decimal(m["bsd"])))
    for m in _MEDIAN.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        take(_median(m))
    for m in _AFTER_RANGE.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            take(_median(m))
    for m in _FRACTION.finditer(text):
        n, d = count_word(m["n"]), count_word(m["d"])
        if n is None or d is None or n > d or d == 0 or _overlaps(taken, m.start(), m.end()):
            continue
        if re.match(rf"\s*{_UNIT_WORD}", text[m.end() :], re.IGNORECASE):
            continue  # "1 of 6 months" is a time, not a fraction
        value = Decimal(m["p"]) if m["p"] else None
        take(Number("CountProportion", m.start(), m.end(), numerator=n, denominator=d,
                    value=value, unit="Percent" if value is not None else None))  # fmt: skip
    for m in _MEAN.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m["pct"]:  # "82.4% +/- 9.2%": an estimate with a spread of unstated kind
            take(Number("Percent", m.start(), m.end(), value=Decimal(m["v"]), unit="Percent"))
        else:
            take(
                Number("MeanValue", m.start(), m.end(), value=Decimal(m["v"]), sd=Decimal(m["sd"]))
            )
    for m in _PERCENT.finditer(text):
        if _overlaps(taken, m.start(), m.end()) or text[max(0, m.start() - 7) : m.start()].endswith(
            ("95", "95 ")
        ):
            continue
        if re.match(r"\s*CI", text[m.end() :]):
            continue
        take(Number("Percent", m.start(), m.end(), value=Decimal(m["v"]), unit="Percent"))
    for m in _P_VALUE.finditer(text):
        take(Number("AssociationTest", m.start(), m.end(), p_value=Decimal(m["v"])))
    found.sort(key=lambda number: number.start)
    return [_with_ci(text, number) for number in found]


def _median(m: re.Match[str]) -> Number:
    lo, hi = m["lo"], m["hi"]
    return Number(
        "MedianValue",
        m.start(),
        m.end(),
        value=Decimal(m["v"]),
        unit=m["u"].capitalize(),
        range_lower=Decimal(lo) if lo else None,
        range_upper=Decimal(hi) if hi else None,
    )


def _with_ci(text: str, number: Number) -> Number:
    """A 95% CI written within a few characters after the number belongs to it."""
    if number.value is None:
        return number
    m = _CI.search(text, number.end, number.end + 25)
    if m is None:
        return number
    return replace(number, ci_lower=Decimal(m["lo"]), ci_upper=Decimal(m["hi"]))


def patient_counts(text: str) -> list[tuple[int, int, int]]:
    """``N patients`` mentions: (start, end, N)."""
    found = []
    for m in _PATIENTS.finditer(text):
        n = count_word(m["n"])
        if n is not None:
            found.append((m.start(), m.end(), n))
    return found
