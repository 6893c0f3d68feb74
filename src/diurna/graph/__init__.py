"""The knowledge graph: lasting relations between actors, stances, and cross-article events.

* :mod:`diurna.graph.relations` — the ``relations`` pipeline step (member_of, signatory_of,
  beneficiary_of, holds_office, recognizes / does_not_recognize, annexed, occupies, sanctions,
  at_war_with, allied_with), each relation with its sentence as evidence;
* :mod:`diurna.graph.treaties` — treaties and agreements as actors of kind ``treaty``;
* :mod:`diurna.graph.stance` — who recognises an entity and who does not, across articles;
* :mod:`diurna.graph.event_dedup` — one cluster per real-world event reported many times.

See docs/knowledge-graph.md.
"""

PREDICATES = (
    "member_of", "allied_with", "signatory_of", "beneficiary_of", "holds_office", "recognizes",
    "does_not_recognize", "annexed", "occupies", "sanctions", "at_war_with",
)
"""Every predicate the relations step writes."""
