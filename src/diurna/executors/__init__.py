"""Executors run a pipeline over many articles; steps know nothing of them."""

from diurna.executors.local import LocalExecutor

__all__ = ["LocalExecutor"]
