"""Records as pandas data frames, for notebooks (pandas arrives with statsmodels).

pandas is imported only when a frame is asked for, so `import lupuskg` stays cheap; if it
is missing the caller gets a typed error that says how to install it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..exceptions import SynthesisError

__all__ = ["data_frame"]


def data_frame(records: Sequence[Mapping[str, Any]], columns: Sequence[str], **attrs: Any) -> Any:
    """A ``pandas.DataFrame`` of ``records`` with ``columns`` in this order (also when empty).

    ``attrs`` go to ``DataFrame.attrs`` (e.g. the pooled estimate beside its inputs).
    """
    try:
        import pandas as pd
    except ImportError as error:  # pragma: no cover - statsmodels depends on pandas
        raise SynthesisError(
            "data frames need pandas, which is not installed",
            hint="pip install pandas (it normally comes with statsmodels)",
        ) from error
    frame = pd.DataFrame.from_records(list(records), columns=list(columns))
    frame.attrs.update(attrs)
    return frame
