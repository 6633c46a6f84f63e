"""Evidence synthesis from the graph: pooled estimates, certainty profiles, an evidence gap map.

One module per job: ``pooling`` (random-effects arithmetic), ``collect`` (the SPARQL that
gathers per-arm results), ``forest`` (plots and input tables), ``derived`` (the derived
named graph), ``profile`` (GRADE-style certainty) and ``gapmap`` (the HTML map).
"""

from __future__ import annotations

from .pooling import ArmProportion, PooledEstimate, pool_proportions

__all__ = ["ArmProportion", "PooledEstimate", "pool_proportions"]
