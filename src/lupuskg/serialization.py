"""Turtle whose blocks are sorted by subject IRI, so one new triple is a one-line diff.

rdflib's ``longturtle`` orders subject blocks by how often each subject is referenced,
so adding one ``rdfs:seeAlso`` can move a class hundreds of lines away. This writer keeps
everything else of ``longturtle`` (layout, ``rdf:type`` and ``rdfs:label`` first, then
predicates and objects sorted) and changes only the block order:

1. IRI subjects, sorted by IRI;
2. right after each block, the blank nodes that block references but that cannot be
   written inline (referenced more than once), depth first, sorted by content;
3. at the end, blank-node blocks nobody references (``[] a owl:AllDisjointClasses``),
   sorted by content, each again followed by the blank nodes it owns.

"Sorted by content" uses the node's outgoing triples with blank nodes blanked out, and the
label as a tie-break: labels come from ``to_canonical_graph`` and so are deterministic, but
they hash the whole neighbourhood, and content sorts more stably under small edits.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Node

__all__ = ["sorted_turtle"]


@cache
def _serializer() -> Any:
    """The serializer class, built on first use: rdflib stays out of light CLI paths."""
    from rdflib.plugins.serializers.longturtle import LongTurtleSerializer
    from rdflib.term import BNode

    class SortedTurtleSerializer(LongTurtleSerializer):  # type: ignore[misc]
        """``longturtle`` with blocks in subject-IRI order (see the module docstring)."""

        def orderSubjects(self) -> list[Node]:
            iris = sorted((s for s in self._subjects if not isinstance(s, BNode)), key=str)
            ordered: list[Node] = []
            placed: set[Node] = set()
            for subject in iris:
                self._place(subject, ordered, placed)
            roots = [
                s
                for s in self._subjects
                if isinstance(s, BNode) and s not in placed and self._references[s] == 0
            ]
            for subject in sorted(roots, key=self._content_key):
                self._place(subject, ordered, placed)
            rest = [s for s in self._subjects if s not in placed]  # cycles of blank nodes
            for subject in sorted(rest, key=self._content_key):
                self._place(subject, ordered, placed)
            return ordered

        def _place(self, subject: Node, ordered: list[Node], placed: set[Node]) -> None:
            """Append ``subject``, then the shared blank nodes reachable from it."""
            ordered.append(subject)
            placed.add(subject)
            for owned in sorted(self._shared_below(subject), key=self._content_key):
                if owned not in placed:
                    self._place(owned, ordered, placed)

        def _shared_below(self, subject: Node) -> set[Node]:
            """Blank nodes written as their own block that ``subject`` reaches through inline ones."""
            found: set[Node] = set()
            stack = [subject]
            visited: set[Node] = set()
            while stack:
                node = stack.pop()
                if node in visited:
                    continue
                visited.add(node)
                for obj in self.store.objects(node, None):
                    if not isinstance(obj, BNode) or obj == subject:
                        continue
                    if self._references[obj] > 1:
                        found.add(obj)
                    else:
                        stack.append(obj)
            return found

        def _content_key(self, node: Node) -> tuple[str, str]:
            """Sort key: the node's own triples with blank nodes blanked, then its label."""
            lines = sorted(
                f"{p.n3()} {'[]' if isinstance(o, BNode) else _term(o)}"
                for p, o in self.store.predicate_objects(node)
            )
            return "\n".join(lines), str(node)

    return SortedTurtleSerializer


def _term(node: Node) -> str:
    from rdflib.term import Literal, URIRef

    if isinstance(node, URIRef | Literal):
        return node.n3()
    return str(node)


def sorted_turtle(graph: rdflib.Graph) -> str:
    """The graph as ``longturtle`` text with subject-sorted blocks, using its bound prefixes."""
    stream = io.BytesIO()
    _serializer()(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")
