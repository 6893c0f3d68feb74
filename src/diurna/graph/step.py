"""How the graph stage plugs into ingestion.

* :func:`graph_steps` — the steps to append to the analysis pipeline, after the facts steps
  (they need the parsed Doc, so they must run inside the same pipeline as the NLP step);
* :data:`GRAPH_TABLES` — the per-article tables the writer fills (``relations``);
* :func:`after_ingest` — what to run once an ingest has written its batches: rebuild the
  cross-article event clusters.
"""

from __future__ import annotations

import pyarrow as pa

from diurna.graph.event_dedup import rebuild_clusters
from diurna.graph.relations import RelationStep
from diurna.pipeline import Step
from diurna.store.database import Store
from diurna.store.rows import RowBuilder
from diurna.store.rows_graph import RELATIONS, relation_rows

GRAPH_TABLES: dict[str, tuple[pa.Schema, RowBuilder]] = {"relations": (RELATIONS, relation_rows)}


def graph_steps() -> list[Step]:
    """The graph steps of the analysis pipeline, in order."""
    return [RelationStep()]


def after_ingest(store: Store) -> dict[str, int]:
    """Rebuild ``event_clusters`` and ``event_mentions`` from everything stored."""
    return rebuild_clusters(store)


__all__ = ["GRAPH_TABLES", "after_ingest", "graph_steps"]
