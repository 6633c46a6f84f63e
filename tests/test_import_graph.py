"""The package's import graph: no cycles, and imports inside functions only where deliberate.

Read from the source with ``ast`` (nothing is imported), so the graph includes the imports
that run late, inside functions, which a cycle checker working on ``sys.modules`` misses.
``if TYPE_CHECKING:`` blocks are left out: they never run.

Run as a script for the figures: ``python tests/test_import_graph.py``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "lupuskg"

#: modules whose functions may import anything lazily, and why
LAZY_MODULES = {
    # Every command imports the CLI package; each command module is imported only when its
    # command runs (LazyGroup), and inside it rdflib, rich, the web server and the heavy
    # library modules are imported by the command function that needs them: `lupuskg --help`,
    # `lupuskg <command> --help` and `lupuskg fmt --check` stay fast. What is light (the
    # standard library, LIGHT below) is imported at module level (test below).
    f"{PACKAGE}.cli": "startup time of the command line",
}
#: our modules that import nothing heavy (no rdflib, no pyoxigraph): never worth a late import
LIGHT = {
    f"{PACKAGE}.config",
    f"{PACKAGE}.exceptions",
    f"{PACKAGE}.files",
    f"{PACKAGE}.namespaces",
    f"{PACKAGE}.server.limits",
    f"{PACKAGE}.validation.engines",
}
#: package __init__ modules (exact names) that import their submodules on first use
LAZY_PACKAGES = {
    # `import lupuskg` (done by every command) must not load stores, SHACL or statsmodels
    # for the Python API functions it offers
    PACKAGE: "the Python API imports its use case when called",
    # query worker processes import lupuskg.server.worker, and so this package: they must
    # not load Starlette and the whole application
    f"{PACKAGE}.server": "worker processes must not import the application",
}
#: heavy third-party packages (0.3 s or more to import) that one feature uses; any module
#: may import them in the function that needs them
LAZY_LIBRARIES = {
    "curies": "CURIE converter, built on first use",
    "negspacy": "negation cues of the drafting annotator",
    "pysbd": "sentence splitting of the drafting annotator",
    "spacy": "term matching of the drafting annotator",
    "matplotlib": "forest plots",
    "nanopub": "nanopublication checks",
    "numpy": "pooled estimates",
    "owlready2": "HermiT reasoner",
    "pandas": "pooled estimates, QueryResult.to_dataframe()",
    "pyshacl": "SHACL validation",
    "rich": "terminal tables",
    "SPARQLWrapper": "remote endpoints",
    "statsmodels": "pooled estimates",
}
#: (module, imported package) pairs with their own reason
LAZY_PAIRS = {
    (f"{PACKAGE}.server.worker", "anyio"): "the pool runs in the server; its worker processes "
    "import this module and never need anyio",
    (f"{PACKAGE}.config", "importlib"): "importlib.metadata (about 40 ms) only for the version; "
    "every command imports config, few ask for the version",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the lupuskg module imported, or a third-party module name
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _walk(other, in_function)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function
        inner = in_function or isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        yield from _walk(child, inner)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@cache
def imports() -> tuple[Import, ...]:
    """Every runtime import statement in the package, one entry per imported module."""
    modules = _modules()
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _walk(tree, False):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(module, path.name == "__init__.py", node)
                # `from . import x` imports the submodule x when there is one
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in dict.fromkeys(targets):
                found.append(Import(module, target, node.lineno, in_function))
    return tuple(found)


def command_imports() -> tuple[Import, ...]:
    """The imports the CLI does by name (``importlib.import_module``) when a command runs:
    one edge from ``lupuskg.cli`` to each module of its COMMANDS table."""
    path = SRC / PACKAGE / "cli" / "__init__.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            names = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(n, ast.Name) and n.id == "COMMANDS" for n in names):
                assert node.value is not None
                table: dict[str, tuple[str, str]] = ast.literal_eval(node.value)
                return tuple(
                    Import(f"{PACKAGE}.cli", target.split(":")[0], node.lineno, True)
                    for target, _help in table.values()
                )
    raise AssertionError(f"no COMMANDS table in {path}")


def cycles(edges: Iterable[Import]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if edge.target.split(".")[0] == PACKAGE and edge.target != edge.module:
            graph.setdefault(edge.module, set()).add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def _allowed(module: str, target: str = "") -> bool:
    """Whether ``module`` may import ``target`` inside a function."""
    top = target.split(".")[0]
    return (
        any(module == prefix or module.startswith(prefix + ".") for prefix in LAZY_MODULES)
        or module in LAZY_PACKAGES
        or top in LAZY_LIBRARIES
        or (module, top) in LAZY_PAIRS
    )


def test_no_import_cycles() -> None:
    found = cycles([*imports(), *command_imports()])
    assert found == [], (
        "import cycles (counting imports inside functions): "
        + "; ".join(" <-> ".join(component) for component in found)
        + ". Move the shared part into a lower module that both import."
    )


def test_function_level_imports_only_where_deliberate() -> None:
    late = [
        f"{edge.module}:{edge.line} imports {edge.target}"
        for edge in imports()
        if edge.in_function and not _allowed(edge.module, edge.target)
    ]
    assert late == [], (
        "imports inside functions; import at module level, or add the module or library "
        "to LAZY_MODULES, LAZY_PACKAGES, LAZY_LIBRARIES or LAZY_PAIRS with the reason:\n"
        + "\n".join(late)
    )


def _habit(edge: Import) -> bool:
    """A late import that saves nothing: the standard library or one of our LIGHT modules."""
    top = edge.target.split(".")[0]
    light = edge.target in LIGHT or (top in sys.stdlib_module_names and top != "__future__")
    return edge.in_function and light and (edge.module, top) not in LAZY_PAIRS


def test_no_late_import_of_what_is_light() -> None:
    habits = [f"{e.module}:{e.line} imports {e.target}" for e in imports() if _habit(e)]
    assert habits == [], (
        "imports inside functions of modules that cost nothing to import; move them to the "
        "top of the module:\n" + "\n".join(habits)
    )


def test_the_commands_table_is_read() -> None:
    targets = {edge.target for edge in command_imports()}
    assert {f"{PACKAGE}.cli.query", f"{PACKAGE}.cli.publish"} <= targets
    assert all(target in _modules() for target in targets)


def test_the_checker_sees_cycles_and_late_imports() -> None:
    """The two checks above can fail: a late import closing a loop is both."""
    edges = [Import("lupuskg.a", "lupuskg.b", 1, False), Import("lupuskg.b", "lupuskg.a", 9, True)]
    assert cycles(edges) == [["lupuskg.a", "lupuskg.b"]]
    assert not _allowed("lupuskg.b", "lupuskg.a") and not _allowed("lupuskg.server.app", "rdflib")
    assert _allowed("lupuskg.cli.query", "rdflib") and _allowed("lupuskg.validate", "pyshacl")
    assert _habit(Import("lupuskg.cli.x", "os", 3, True))
    assert _habit(Import("lupuskg.cli.x", "lupuskg.config", 3, True))
    assert not _habit(Import("lupuskg.config", "importlib.metadata", 3, True))
    assert not _habit(Import("lupuskg.cli.x", "lupuskg.validate", 3, True))


if __name__ == "__main__":
    every = imports()
    late = [edge for edge in every if edge.in_function]
    print(f"import statements inside functions: {len({(e.module, e.line) for e in late})}")
    cli = {(e.module, e.line) for e in late if e.module.startswith(f"{PACKAGE}.cli")}
    print(f"  in {PACKAGE}.cli (lazy on purpose): {len(cli)}")
    listed = {(e.module, e.line) for e in late if _allowed(e.module, e.target)} - cli
    print(f"  elsewhere, listed with a reason: {len(listed)}")
    print(
        f"  elsewhere, not listed: "
        f"{len({(e.module, e.line) for e in late if not _allowed(e.module, e.target)})}"
    )
    found = cycles([*every, *command_imports()])
    print(f"import cycles (with the CLI's imports by name): {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    sys.exit(0)
