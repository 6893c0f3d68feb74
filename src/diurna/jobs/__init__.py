"""Top-level jobs that compose readers, pipelines, executors and the store."""
