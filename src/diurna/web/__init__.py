"""The Diurna web app: a read-only JSON API and server-rendered pages over a database.

Start it with ``diurna serve`` or build it with :func:`diurna.web.app.create_app`.
See ``docs/web.md``.
"""

from __future__ import annotations

from diurna.web.app import create_app

__all__ = ["create_app"]
