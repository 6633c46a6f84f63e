"""Random-effects pooling of per-arm proportions on the logit scale.

The arithmetic is statsmodels' ``combine_effects`` (DerSimonian–Laird one-step and
Paule–Mandel iterated estimators of τ²). Two corrections follow the published methods:
statsmodels leaves the DerSimonian–Laird τ² and I² negative when Cochran's Q is below its
degrees of freedom, and both are truncated at zero (the random-effects estimate is then
the fixed-effect one), as DerSimonian and Laird (1986) and Higgins and Thompson (2002) do.
Arms with 0 or n events get the usual 0.5 continuity correction, so their logit exists.

Like with like: every pooled arm contributes one result, and all results share one
statistic type, instrument, time point and outcome class. The one exception is asked for
explicitly: ``across_instruments=True`` (`lupuskg meta --instrument any`) pools results of
one outcome class defined differently (remission as SLEDAI < 3 and remission not defined),
as the Cochrane Handbook (ch. 10) allows when the reviewer chooses it and shows the
heterogeneity; the estimate records that it did (``across_instruments``, ``instruments``). One arm with results for two
narrower outcomes at the same time point (Wang 2014: a major and a partial clinical
response, both out of 40) is refused rather than summed into "any response": the sum is
a total only if the categories exclude each other, which a pair of counts cannot show, so
only a total the document itself records (a result on the broader outcome, which
:func:`lupuskg.synthesis.collect.collect_arms` then keeps instead of its parts) is pooled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..exceptions import IncompatibleMeasuresError, TooFewStudiesError

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "ArmProportion",
    "Estimator",
    "PooledEstimate",
    "instrument_label",
    "logit_effect",
    "pool_proportions",
    "wilson_interval",
]


@dataclass(frozen=True)
class Estimator:
    """A τ² estimator: statsmodels' name for it (``method_re``) and the local name of the
    lkg class that records it as a pooled estimate's lkg:poolingMethod."""

    statsmodels: str
    term: str


#: our name of each τ² estimator (the `lupuskg meta --method` choices) -> what it is
METHODS: dict[str, Estimator] = {
    "DL": Estimator("dl", "DerSimonianLaird"),
    "PM": Estimator("pm", "PauleMandel"),
}
#: the estimator used when none is asked for (library functions and `lupuskg meta`)
DEFAULT_METHOD = "DL"
_Z = 1.959963984540054  # the 97.5% quantile of the standard normal
_INSTRUMENT_HINT = "--instrument, or pool across definitions explicitly with --instrument any"


@dataclass(frozen=True)
class ArmProportion:
    """One arm's events out of patients for one outcome, with where it came from."""

    result: str
    study: str
    arm: str
    document: str
    label: str
    events: int
    total: int
    statistic: str = ""
    instrument: str = ""
    time_point: str = ""
    #: the outcome class of the result (CURIE), which may be narrower than the one asked for
    outcome: str = ""

    @property
    def proportion(self) -> float:
        return self.events / self.total

    def wilson_interval(self) -> tuple[float, float]:
        """The 95% Wilson score interval of this arm's proportion (sound at 0 and n)."""
        return wilson_interval(self.events, self.total)


def wilson_interval(events: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval of events/total (Wilson 1927; sound at 0 and n).

    >>> [round(bound, 4) for bound in wilson_interval(9, 12)]
    [0.4677, 0.9111]
    """
    if total <= 0 or not 0 <= events <= total:
        raise IncompatibleMeasuresError(
            f"{events}/{total} is not a proportion",
            hint="numerator and denominator must satisfy 0 <= numerator <= denominator > 0",
        )
    n, p = total, events / total
    centre = (p + _Z**2 / (2 * n)) / (1 + _Z**2 / n)
    half = _Z * math.sqrt(p * (1 - p) / n + _Z**2 / (4 * n**2)) / (1 + _Z**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class PooledEstimate:
    """A random-effects pooled proportion with its heterogeneity and what went into it."""

    method: str
    estimate: float
    ci_lower: float
    ci_upper: float
    tau2: float
    i2: float
    q: float
    studies: int
    patients: int
    arms: tuple[ArmProportion, ...]
    weights: tuple[float, ...]
    #: pooled across instruments (outcome definitions) on request, not like with like
    across_instruments: bool = False

    @property
    def instruments(self) -> tuple[str, ...]:
        """The instruments of the pooled results, sorted ("" for results that define none)."""
        return tuple(sorted({arm.instrument for arm in self.arms}))


def instrument_label(instrument: str) -> str:
    """How an instrument is shown: its CURIE, or "not defined" for a result without one."""
    return instrument or "not defined"


def logit_effect(events: int, total: int) -> tuple[float, float]:
    """Logit of a proportion and its variance 1/e + 1/(n−e); 0.5 added to both cells at 0 or n."""
    if total <= 0 or not 0 <= events <= total:
        raise IncompatibleMeasuresError(
            f"{events}/{total} is not a proportion",
            hint="numerator and denominator must satisfy 0 <= numerator <= denominator > 0",
        )
    e, f = float(events), float(total - events)
    if events == 0 or events == total:
        e, f = e + 0.5, f + 0.5
    return math.log(e / f), 1 / e + 1 / f


def pool_proportions(
    arms: Sequence[ArmProportion],
    method: str = DEFAULT_METHOD,
    *,
    across_instruments: bool = False,
) -> PooledEstimate:
    """Pool arms from two or more studies; refuses fewer studies or mixed measures.

    ``across_instruments=True`` lets the results differ in instrument (outcome definition)
    only; statistic, time point, outcome class and one result per arm are still required.
    """
    _check_poolable(arms, method, across_instruments)
    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects  # heavy: only when pooling

    effects = [logit_effect(arm.events, arm.total) for arm in arms]
    y = np.array([effect for effect, _ in effects])
    v = np.array([variance for _, variance in effects])
    with np.errstate(invalid="ignore"):  # its HKSJ extras take sqrt of negatives; unused here
        result = combine_effects(y, v, method_re=METHODS[method].statsmodels, use_t=False)
        ci_fe, ci_re = result.conf_int(use_t=False)[:2]
    tau2 = float(result.tau2)
    if tau2 <= 0:  # truncated at zero: random effects reduce to the fixed-effect model
        mean, lower, upper, weights = (
            result.mean_effect_fe,
            ci_fe[0],
            ci_fe[1],
            result.weights_rel_fe,
        )
        tau2 = 0.0
    else:
        mean, lower, upper, weights = (
            result.mean_effect_re,
            ci_re[0],
            ci_re[1],
            result.weights_rel_re,
        )
    q = float(result.q)
    return PooledEstimate(
        method=method,
        estimate=_expit(mean),
        ci_lower=_expit(lower),
        ci_upper=_expit(upper),
        tau2=tau2,
        i2=max(0.0, (q - (len(arms) - 1)) / q) if q > 0 else 0.0,
        q=q,
        studies=len({arm.study for arm in arms}),
        patients=sum(arm.total for arm in arms),
        arms=tuple(arms),
        weights=tuple(float(w) for w in weights),
        across_instruments=across_instruments,
    )


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-float(x)))


def _check_poolable(
    arms: Sequence[ArmProportion], method: str, across_instruments: bool = False
) -> None:
    """Refuse what a random-effects model of one proportion cannot honestly combine."""
    if method not in METHODS:
        raise IncompatibleMeasuresError(
            f"unknown pooling method {method!r}; valid methods: {', '.join(METHODS)}"
        )
    studies = sorted({arm.study for arm in arms})
    if len(studies) < 2:
        found = f"only {len(studies)} study" if studies else "no study"
        raise TooFewStudiesError(
            f"pooling needs results from at least two studies; found {found}"
            + (f" ({studies[0]}, {len(arms)} arm(s))" if studies else ""),
            hint="widen --therapy or --outcome, or drop --timepoint; one study is its own estimate",
        )
    _check_sub_outcomes(arms)
    for attribute, what, option in (
        ("statistic", "statistic types", "a narrower --outcome"),
        ("instrument", "instruments", _INSTRUMENT_HINT),
        ("time_point", "time points", "--timepoint"),
        ("outcome", "outcomes", "--outcome"),
    ):
        if attribute == "instrument" and across_instruments:
            continue
        values = sorted({getattr(arm, attribute) for arm in arms})
        if len(values) > 1:
            shown = ", ".join(
                sorted(map(instrument_label, values))
                if attribute == "instrument"
                else (value or "(none)" for value in values)
            )
            raise IncompatibleMeasuresError(
                f"the matching results mix {what}: {shown}",
                hint=f"pool like with like: choose one with {option}",
            )
    seen: dict[str, str] = {}
    for arm in arms:
        if arm.arm in seen:
            raise IncompatibleMeasuresError(
                f"arm {arm.arm} has two matching results ({seen[arm.arm]}, {arm.result})",
                hint="give --timepoint so that each arm contributes one result",
            )
        seen[arm.arm] = arm.result


def _check_sub_outcomes(arms: Sequence[ArmProportion]) -> None:
    """Refuse an arm with results for several outcomes at one time point and instrument.

    The message lists them with their counts, so the user can pick one with ``--outcome``.
    """
    by_arm: dict[tuple[str, str, str], list[ArmProportion]] = {}
    for arm in arms:
        by_arm.setdefault((arm.arm, arm.time_point, arm.instrument), []).append(arm)
    for (arm_iri, time_point, _), results in by_arm.items():
        outcomes = sorted({result.outcome for result in results})
        if len(outcomes) < 2:
            continue
        listed = ", ".join(
            f"{result.outcome} {result.events}/{result.total} ({result.result})"
            for result in sorted(results, key=lambda r: (r.outcome, r.result))
        )
        at = f" at {time_point}" if time_point else ""
        raise IncompatibleMeasuresError(
            f"arm {arm_iri} has results for {len(outcomes)} narrower outcomes{at}: {listed}; "
            "they are not added up into one proportion: the document records no total "
            "over them, and the categories may overlap",
            hint="pool one outcome at a time: "
            + " or ".join(f"--outcome {outcome}" for outcome in outcomes),
        )
