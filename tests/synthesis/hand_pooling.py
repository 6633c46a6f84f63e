"""DerSimonian–Laird on logit proportions written out by hand: the tests' independent check.

One copy for every synthesis test, so the pooled numbers of the library are always compared
with the same formulas (DerSimonian & Laird 1986), never with statsmodels or with output.
"""

from __future__ import annotations

import math

#: the 97.5% standard-normal quantile
Z = 1.959963984540054


def expit(x: float) -> float:
    """The inverse of the logit."""
    return 1 / (1 + math.exp(-x))


def dersimonian_laird(counts: list[tuple[int, int]]) -> dict[str, float]:
    """Pool (events, patients) pairs: logit y_i, v_i = 1/e + 1/(n-e), w_i = 1/v_i.

    0.5 is added to both cells of an arm with 0 or n events; Cochran's Q gives the
    method-of-moments τ², truncated at zero, and a normal 95% interval on the logit scale.
    """
    ys, vs = [], []
    for events, total in counts:
        e, f = float(events), float(total - events)
        if events in (0, total):
            e, f = e + 0.5, f + 0.5
        ys.append(math.log(e / f))
        vs.append(1 / e + 1 / f)
    w = [1 / v for v in vs]
    fixed = sum(wi * yi for wi, yi in zip(w, ys, strict=True)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, ys, strict=True))
    df = len(ys) - 1
    c = sum(w) - sum(wi**2 for wi in w) / sum(w)
    tau2 = max(0.0, (q - df) / c)
    w_re = [1 / (v + tau2) for v in vs]
    mean = sum(wi * yi for wi, yi in zip(w_re, ys, strict=True)) / sum(w_re)
    se = math.sqrt(1 / sum(w_re))
    return {
        "estimate": expit(mean),
        "ci_lower": expit(mean - Z * se),
        "ci_upper": expit(mean + Z * se),
        "tau2": tau2,
        "i2": max(0.0, (q - df) / q) if q > 0 else 0.0,
        "patients": float(sum(total for _, total in counts)),
    }
