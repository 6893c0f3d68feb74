"""Write docs/cli-reference.md from the help of every ``diurna`` command.

    .venv/bin/python scripts/gen_cli_reference.py           # rewrite the file
    .venv/bin/python scripts/gen_cli_reference.py --check   # exit 1 if it is out of date

The help is rendered in-process (Typer's CliRunner) at a fixed width and without colour, so the
file is the same on every machine; a test runs ``--check``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Typer reads the terminal settings when it is imported: fix them first.
os.environ.update({"TERMINAL_WIDTH": "100", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
os.environ.pop("FORCE_COLOR", None)

from typer.testing import CliRunner

from diurna.cli.main import app

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "cli-reference.md"
HEADER = """# Command-line reference

Generated from `diurna --help` and `diurna COMMAND --help` by `scripts/gen_cli_reference.py`;
do not edit it by hand. After changing a command, regenerate it:

```console
$ .venv/bin/python scripts/gen_cli_reference.py
```

Every command that reads the database takes `--db PATH` (default: `$DIURNA_DB`, else
`./diurna.duckdb`). Formats, columns and conventions of the exports: [formats.md](formats.md).
"""


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="diurna")
    if result.exit_code != 0:
        raise SystemExit(f"diurna {' '.join(args)} --help failed: {result.output}")
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n")


def reference() -> str:
    commands = sorted(c.name or "" for c in app.registered_commands)
    parts = [HEADER, "## Commands\n", "\n".join(f"- [`diurna {c}`](#diurna-{c})"
                                                  for c in commands) + "\n"]
    parts.append(f"## diurna\n\n```text\n{help_text([])}\n```\n")
    for command in commands:
        parts.append(f"## diurna {command}\n\n```text\n{help_text([command])}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = reference()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(REPO)} is out of date: run "
                  "'.venv/bin/python scripts/gen_cli_reference.py'")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
