"""``diurna serve``: the web app (JSON API and pages) over a database, on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from diurna.cli.options import DbOption
from diurna.cli.output import err_console
from diurna.store.database import resolve_db_path


def register(app: typer.Typer) -> None:
    @app.command(
        "serve",
        epilog="[bold]Examples[/bold]\n\n  diurna serve\n"
        "  diurna serve --db news.duckdb --port 8080\n  diurna serve --allow-writes",
    )
    def serve_command(
        db: DbOption = None,
        host: Annotated[
            str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless you mean to "
                                   "share the database on your network.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        allow_writes: Annotated[
            bool, typer.Option("--allow-writes",
                               help="Let 'Try it' save articles to the database when asked.")
        ] = False,
        max_body: Annotated[
            int, typer.Option("--max-body", min=1, help="Largest request body, in bytes.")
        ] = 2_000_000,
    ) -> None:
        """Browse events, actors, stances and a map in a web browser; JSON API under /api."""
        import uvicorn

        from diurna.web import create_app

        path = resolve_db_path(db)
        application = create_app(path, allow_writes=allow_writes, max_body=max_body)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(f"[yellow]warning:[/yellow] listening on {host}: anyone who can "
                              "reach this address can read the database")
        err_console.print(f"Diurna on http://{host}:{port}/ ({path}, "
                          f"{'writes allowed' if allow_writes else 'read-only'})")
        uvicorn.run(application, host=host, port=port, log_level="info")
