"""Large inputs stream through: a 1 GB JSONL and a multi-GB WARC, read without being loaded.

    .venv/bin/python bench/large_inputs.py                    # 1 GB JSONL, 2 GB WARC
    .venv/bin/python bench/large_inputs.py --jsonl-gb 0.1 --warc-gb 0.2   # a quick look

Generates the files in a temporary folder (``--keep DIR`` to keep them), then, each in a fresh
subprocess so that peak RSS belongs to one measurement:

* ``read``: every article of the file through the public reader (``read_paths``), as the
  streamed ingest's driver reads it;
* ``plan+pieces``: the sharded ingest's planning (byte ranges on line or record boundaries) and
  reading every piece, as the workers of a sharded ingest read them.

Both count articles and failures, and report seconds, MB/s and peak RSS. Analysis is not run:
parsing a gigabyte of news takes hours on one core and is measured by ``bench/run.py``; this
benchmark shows that reading and cutting stay flat in memory however large the file. Writes
``bench/LARGE.md``.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PARAGRAPH = ("Delegations from the two governments met in the capital on {day} and agreed to "
             "reopen the border crossing, officials said, after weeks of talks. ")


def make_jsonl(path: Path, gigabytes: float) -> int:
    target = int(gigabytes * 1024**3)
    written = n = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            line = json.dumps({"id": f"j{n}", "title": f"Report {n}",
                               "text": PARAGRAPH.format(day=f"day {n}") * 25}) + "\n"
            out.write(line)
            written += len(line)
            n += 1
    return n


def make_warc(path: Path, gigabytes: float) -> int:
    """A crawl-like mix: each page is a request record, an HTML response of about 20 KB, and a
    binary response (an image or PDF of 0.5 MB) that the reader reports and skips. Real crawls
    are mostly such records; and an HTML page costs ~10 ms in trafilatura, so a WARC of only
    HTML would measure the extractor, not the streaming."""
    import random

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    target = int(gigabytes * 1024**3)
    rng = random.Random(7)
    blob = rng.randbytes(512 * 1024)
    n = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        while out.tell() < target:
            url = f"https://news.example.test/{n}"
            request = StatusAndHeaders(f"GET /{n} HTTP/1.1", [], is_http_request=True)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=request))
            body = (f"<html><head><title>Report {n}</title></head><body><article>"
                    + "".join(f"<p>{PARAGRAPH.format(day=f'day {n}.{k}')}</p>" for k in range(80))
                    + "</article></body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))
            image = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")],
                                     protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"{url}.pdf", "response", payload=io.BytesIO(blob[n % 1024:] + blob[:n % 1024]),
                http_headers=image))
            n += 1
    return n


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, how: str, piece_mb: float) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "src"))
    from diurna.article import Failure
    from diurna.readers import ReadOptions, read_paths
    from diurna.readers.ranges import plan_pieces, read_piece

    started = time.perf_counter()
    articles = failures = pieces = 0
    if how == "read":
        items = read_paths([path], ReadOptions())
    else:
        planned = plan_pieces(path, int(piece_mb * 1024 * 1024))
        pieces = len(planned)
        items = (item for piece in planned for item in read_piece(piece, ReadOptions()))
    for item in items:
        if isinstance(item, Failure):
            failures += 1
        else:
            articles += 1
    seconds = time.perf_counter() - started
    size_mb = path.stat().st_size / 1024**2
    return {"articles": articles, "failures": failures, "pieces": pieces, "seconds": seconds,
            "mb_per_s": size_mb / seconds, "peak_rss_mb": peak_rss_mb(), "size_mb": size_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl-gb", type=float, default=1.0)
    parser.add_argument("--warc-gb", type=float, default=2.0)
    parser.add_argument("--piece-mb", type=float, default=8.0)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--out", type=Path, default=HERE / "LARGE.md")
    parser.add_argument("--only", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print("RESULT " + json.dumps(measure(args.file, args.only, args.piece_mb)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for name, gb, make in (("big.jsonl", args.jsonl_gb, make_jsonl),
                               ("big.warc", args.warc_gb, make_warc)):
            path = folder / name
            if not path.exists():
                print(f"… writing {path} ({gb} GB)", file=sys.stderr, flush=True)
                make(path, gb)
            files.append(path)
        rows = []
        for path in files:
            for how in ("read", "plan+pieces"):
                print(f"… {how} {path.name}", file=sys.stderr, flush=True)
                proc = subprocess.run(
                    [sys.executable, __file__, "--only", how, "--file", str(path),
                     "--piece-mb", str(args.piece_mb)],
                    capture_output=True, text=True, check=False)
                line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")),
                            None)
                if line is None:
                    raise SystemExit(f"{how} {path} failed:\n{proc.stderr[-3000:]}")
                rows.append((path.name, how, json.loads(line[7:])))
    lines = [
        "# Large inputs",
        "",
        f"Run: `python bench/large_inputs.py --jsonl-gb {args.jsonl_gb} --warc-gb "
        f"{args.warc_gb}` on {time.strftime('%Y-%m-%d')}. Reading only (no analysis); each "
        "row in a fresh process; peak RSS is the process's maximum resident set.",
        "",
        "| file | size (MB) | how | articles | failures | pieces | seconds | MB/s | "
        "peak RSS (MB) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, how, r in rows:
        lines.append(
            f"| {name} | {r['size_mb']:,.0f} | {how} | {r['articles']:,} | {r['failures']} | "
            f"{r['pieces'] or ''} | {r['seconds']:.1f} | {r['mb_per_s']:.1f} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
