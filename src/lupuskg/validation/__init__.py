"""The parts of `lupuskg validate`, one responsibility per module.

- ``results``: the result and report types, CURIE rendering and the W3C report graph;
- ``locate``: which line of a Turtle file first describes a node;
- ``shapes``: SHACL (pyshacl) of one document together with the ontology;
- ``quotes``: quotes checked against their source texts, and other per-file checks in Python;
- ``crossdoc``: rules that need every document at once.

The public entry point is :func:`lupuskg.validate.validate`.
"""

from __future__ import annotations

__all__: list[str] = []
