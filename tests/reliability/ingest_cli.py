"""Run the ``diurna`` command line with a smaller ingest batch size.

    python ingest_cli.py BATCH_SIZE ingest PATHS --db FILE

``diurna ingest`` has no ``--batch-size`` option; the reliability tests want many small
transactions (so that a kill lands in or between many of them), so this sets the default
batch size of :func:`diurna.jobs.ingest.ingest` and then runs the real entry point.
"""

from __future__ import annotations

import importlib
import sys

from diurna.cli.main import main

if __name__ == "__main__":
    batch_size = int(sys.argv.pop(1))
    job = importlib.import_module("diurna.jobs.ingest")
    defaults = job.ingest.__kwdefaults__
    assert defaults is not None and "batch_size" in defaults
    defaults["batch_size"] = batch_size
    main()
