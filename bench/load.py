"""Load test of ``diurna serve``: concurrent clients against the JSON API and the pages.

    .venv/bin/python bench/load.py                          # 50 clients, 30 s, examples/
    .venv/bin/python bench/load.py --db news.duckdb --clients 20 --seconds 10
    .venv/bin/python bench/load.py --while-ingest 200       # an ingest writes meanwhile
    .venv/bin/python bench/load.py --out bench/LOAD.md      # keep the table

It

1. takes the database given with ``--db`` or builds one: ``diurna ingest examples/`` into a
   temporary folder (a copy of ``--db`` is served with ``--while-ingest``, so the ingest never
   writes to the original);
2. starts a real ``diurna serve`` (one uvicorn process, as users run it) on a free loopback
   port, its log in the temporary folder;
3. runs ``--clients`` virtual users with asyncio and httpx, each with its own connection,
   each sending its next request as soon as the last one is answered, for ``--seconds``; they
   cycle through a fixed mix of API endpoints and HTML pages (:data:`MIX`);
4. with ``--while-ingest N``: starts ``diurna ingest`` of N generated articles (the texts of
   ``examples/`` with shuffled sentences, see :func:`write_corpus`) into the served database
   when the clients start, and keeps the load on until the ingest has finished;
5. prints a markdown table (and writes it to ``--out``): per endpoint and in all, the
   requests, the errors (any answer but 2xx, and failed connections) and their rate, the
   throughput, and the latency percentiles p50/p90/p99 and the maximum, in milliseconds.

Latency is wall clock from sending a request to reading the whole answer, measured in the
client, so it includes the time a request queues in the server. The clients run on the same
machine as the server and take CPU from it: on a small machine the numbers are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLES = REPO / "examples"
DIURNA = Path(sys.executable).with_name("diurna")

# (label, path): what each virtual user asks for, in turn; clients start at different places.
MIX: list[tuple[str, str]] = [
    ("api events", "/api/events?limit=50"),
    ("api events filtered", "/api/events?actor=KAZ&limit=20"),
    ("api articles", "/api/articles?limit=100"),
    ("api actors", "/api/actors?limit=50"),
    ("api stance", "/api/stance?entity=KAZ"),
    ("api timeline", "/api/timeline"),
    ("api relations", "/api/relations?limit=50"),
    ("api counts", "/api/counts?limit=50"),
    ("page overview", "/"),
    ("page events", "/events"),
    ("page stance", "/stance?entity=UKRDPR"),
    ("page map", "/map"),
]


@dataclass
class Tally:
    """What one kind of request got: each latency (seconds), statuses, failed connections."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failed: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.failed

    @property
    def errors(self) -> int:
        return self.failed + sum(n for status, n in self.statuses.items()
                                 if not 200 <= status < 300)

    def add(self, other: Tally) -> None:
        self.latencies.extend(other.latencies)
        self.statuses.update(other.statuses)
        self.failed += other.failed


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (``share`` in 0..1)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(tally: Tally, seconds: float) -> dict[str, Any]:
    values = sorted(tally.latencies)
    ms = {name: round(1000 * percentile(values, share), 1)
          for name, share in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99))}
    return {
        "requests": tally.requests,
        "errors": tally.errors,
        "error_rate": tally.errors / tally.requests if tally.requests else 0.0,
        "throughput": tally.requests / seconds if seconds > 0 else 0.0,
        **ms,
        "max": round(1000 * values[-1], 1) if values else float("nan"),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "failed_connections": tally.failed,
    }


# -- the server, the database and the ingest ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_db(folder: Path) -> Path:
    """examples/ ingested into a new database in ``folder`` (by the real command)."""
    db = folder / "examples.duckdb"
    subprocess.run([str(DIURNA), "ingest", str(EXAMPLES), "--db", str(db), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL, timeout=600)
    return db


def write_corpus(n: int, path: Path, seed: int = 20241129) -> Path:
    """``n`` distinct articles as JSONL: texts of examples/ with their sentences shuffled
    within paragraphs, and a closing line that makes each one unique."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for line in (EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("text"):
            texts.append(record["text"])
    sentence = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            paragraphs = []
            for paragraph in rng.choice(texts).split("\n\n"):
                parts = sentence.split(paragraph.strip())
                rng.shuffle(parts)
                paragraphs.append(" ".join(parts))
            paragraphs.append(f"The load test filed this as report number {i}.")
            out.write(json.dumps({"id": f"load-{seed}-{i:05d}", "title": f"Report {i}",
                                  "text": "\n\n".join(paragraphs)}) + "\n")
    return path


def count_articles(db: Path) -> int:
    sys.path.insert(0, str(REPO / "src"))
    from diurna.store import Store

    with Store(db, read_only=True) as store:
        return len(store.known_ids())


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(DIURNA), "serve", "--db", str(db), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"diurna serve exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/api/articles?limit=1", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"diurna serve did not answer within {limit:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a process this script started (and its group), politely first."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


# -- the clients --------------------------------------------------------------------------------


async def user(number: int, base: str, until: asyncio.Event,
               tallies: dict[str, Tally]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        turn = number  # users start at different places in the mix
        while not until.is_set():
            label, path = MIX[turn % len(MIX)]
            turn += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
                await response.aread()
            except httpx.HTTPError:
                tallies[label].failed += 1
                await asyncio.sleep(0.05)
                continue
            tallies[label].latencies.append(time.perf_counter() - started)
            tallies[label].statuses[response.status_code] += 1


async def load(base: str, clients: int, seconds: float,
               ingest: subprocess.Popen[bytes] | None) -> tuple[dict[str, Tally], float]:
    """Run the users for ``seconds``, or until the ingest has finished if it is longer."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    until = asyncio.Event()
    started = time.perf_counter()
    tasks = [asyncio.create_task(user(i, base, until, tallies)) for i in range(clients)]
    await asyncio.sleep(seconds)
    while ingest is not None and ingest.poll() is None:
        await asyncio.sleep(0.2)
    until.set()
    await asyncio.gather(*tasks)
    return tallies, time.perf_counter() - started


# -- the report ---------------------------------------------------------------------------------


def markdown(rows: dict[str, dict[str, Any]], header: list[str]) -> str:
    lines = [*header, "",
             "| endpoint | requests | errors | error rate | throughput (req/s) | p50 (ms) "
             "| p90 (ms) | p99 (ms) | max (ms) |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for label, row in rows.items():
        name = f"**{label}**" if label == "all" else f"{label} `{dict(MIX).get(label, '')}`"
        lines.append(
            f"| {name} | {row['requests']} | {row['errors']} | {100 * row['error_rate']:.2f}% "
            f"| {row['throughput']:.1f} | {row['p50']:.1f} | {row['p90']:.1f} "
            f"| {row['p99']:.1f} | {row['max']:.1f} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    import duckdb

    return (f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="database to serve (default: examples/ "
                        "ingested into a temporary folder)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent users (50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration (30)")
    parser.add_argument("--while-ingest", type=int, default=0, metavar="N",
                        help="ingest N generated articles into the served database meanwhile")
    parser.add_argument("--out", type=Path, help="write the markdown report here too")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON here")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")

    with tempfile.TemporaryDirectory(prefix="diurna-load-") as tmp:
        folder = Path(tmp)
        if args.db is None:
            print("building the database: diurna ingest examples/ ...", file=sys.stderr)
            db = build_db(folder)
            source = "examples/ ingested"
        elif args.while_ingest:
            db = folder / args.db.name
            shutil.copy(args.db, db)  # the ingest writes to a copy, never to the original
            source = f"a copy of {args.db}"
        else:
            db, source = args.db, str(args.db)
        before = count_articles(db)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port, folder / "serve.log")
        ingest = None
        ingest_line = ""
        try:
            wait_ready(base, server, folder / "serve.log")
            if args.while_ingest:
                corpus = write_corpus(args.while_ingest, folder / "ingest.jsonl")
                with (folder / "ingest.log").open("wb") as out:
                    ingest = subprocess.Popen(
                        [str(DIURNA), "ingest", str(corpus), "--db", str(db), "--quiet"],
                        stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            ingest_started = time.perf_counter()
            print(f"{args.clients} clients for {args.seconds:g} s against {base} ...",
                  file=sys.stderr)
            tallies, seconds = asyncio.run(load(base, args.clients, args.seconds, ingest))
            if ingest is not None:
                code = ingest.wait()
                took = time.perf_counter() - ingest_started
                after = count_articles(db)  # read-only: fine beside the server
                ingest_line = (f"While the load ran, `diurna ingest` of {args.while_ingest} "
                               f"articles into the served database: exit {code}, "
                               f"{took:.1f} s, articles {before} → {after}.")
                if code != 0:
                    print((folder / "ingest.log").read_text(errors="replace")[-2000:],
                          file=sys.stderr)
        finally:
            if ingest is not None and ingest.poll() is None:
                os.killpg(ingest.pid, signal.SIGKILL)
                ingest.wait()
            stop(server)

    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    rows = {label: summary(tallies[label], seconds) for label, _ in MIX if label in tallies}
    rows["all"] = summary(total, seconds)
    command = " ".join(["bench/load.py", *(argv if argv is not None else sys.argv[1:])])
    header = [
        "# Load test: `diurna serve`",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{command.strip()}`: "
        f"{args.clients} concurrent clients for {seconds:.1f} s against one `diurna serve` "
        f"process on loopback, serving {source} ({before} articles). Machine: {machine()}; "
        "the clients share it with the server.",
    ]
    if ingest_line:
        header += ["", ingest_line]
    statuses = ", ".join(f"{k}: {v}" for k, v in rows["all"]["statuses"].items())
    report = markdown(rows, header) + (
        f"\nAnswers by status: {statuses}; failed connections: "
        f"{rows['all']['failed_connections']}. Latency: from sending a request to reading "
        "the whole answer, measured by the client (queueing in the server included). Errors: "
        "any answer but 2xx, and failed connections.\n")
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"seconds": seconds, "clients": args.clients,
                                         "ingest": ingest_line, "rows": rows}, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
