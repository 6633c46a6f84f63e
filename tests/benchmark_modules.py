"""Import a script of ``benchmarks/`` from a test: one way, for every test that needs one.

The benchmark scripts are not a package (they run as ``python benchmarks/<name>.py`` and
import their siblings by plain name), so a test loads each by file path, once per session,
with ``benchmarks/`` on ``sys.path`` for those sibling imports.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as module ``lupuskg_bench_<name>`` (loaded on first use)."""
    module_name = f"lupuskg_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
