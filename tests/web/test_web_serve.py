"""``diurna serve``: its options, and the app behind a real uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner

from diurna.cli import serve


def _app() -> typer.Typer:
    app = typer.Typer()
    serve.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command, so that "serve" is a subcommand
        pass

    return app


def test_serve_binds_localhost_read_only_by_default(examples_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = CliRunner().invoke(_app(), ["serve", "--db", str(examples_path)])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    assert calls[0]["app"].state.backend.allow_writes is False

    result = CliRunner().invoke(_app(), ["serve", "--db", str(examples_path), "--port", "8123",
                                         "--allow-writes"])
    assert result.exit_code == 0, result.output
    assert calls[1]["port"] == 8123 and calls[1]["app"].state.backend.allow_writes is True


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_real_server(examples_path: Path) -> None:
    import uvicorn

    from diurna.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(examples_path), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/api/events", params={"limit": 1}).json()["total"] > 0
        assert "<svg" in httpx.get(f"{base}/map").text
    finally:
        server.should_exit = True
        thread.join(timeout=10)
