"""Per-step cost of Diurna's pipelines on the benchmark corpus.

    .venv/bin/python bench/profile_steps.py                      # 200 articles
    .venv/bin/python bench/profile_steps.py --articles 500
    .venv/bin/python bench/profile_steps.py --cprofile places    # top functions of one step

Reads the first N articles of the benchmark corpus (``bench/corpus/2000``). If it is missing,
``.venv/bin/python bench/run.py`` builds it before it starts measuring (stop it once
``bench/corpus/2000/.complete`` exists); ``bench/run.py --quick`` builds ``bench/corpus/200``
instead, for ``--corpus bench/corpus/200``. Runs every prepare step and every analysis step
separately, batch by batch as :class:`~diurna.pipeline.Pipeline` does, and prints CPU seconds
(``time.process_time``: what to compare, since other work on the machine makes wall time noisy)
and wall seconds per step. The model and every step's resources are loaded first, on two articles
outside the measured set, so the table shows steady-state costs; the ``load`` column is the CPU
those two articles took. ``--cprofile`` inflates the cost of spaCy's Cython generators
(``Doc.text``, iterating a Doc): confirm a gain without it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from diurna.article import Article, Failure  # noqa: E402
from diurna.pipeline import (  # noqa: E402
    RUNNABLE,
    BatchStep,
    Pipeline,
    Step,
    analyse_pipeline,
    prepare_pipeline,
)
from diurna.readers import ReadOptions, read_paths  # noqa: E402

DEFAULT_CORPUS = HERE / "corpus" / "2000"
BATCH = 64  # the NLP step's nlp.pipe batch size
WARMUP = 2


def read_articles(corpus: Path, n: int) -> list[Article]:
    shards = sorted(corpus.glob("*.jsonl"))
    if not shards:
        raise SystemExit(
            f"no corpus at {corpus}: build it with `.venv/bin/python bench/run.py --quick` "
            "(bench/corpus/200) or `bench/run.py` (bench/corpus/2000); both build the corpus "
            "before measuring, so you may stop them once it is written"
        )
    out: list[Article] = []
    for item in read_paths(shards, ReadOptions()):
        if isinstance(item, Failure):
            continue
        out.append(item)
        if len(out) >= n:
            break
    return out


class Timer:
    """CPU and wall seconds per step name, and an optional profiler around one step."""

    def __init__(self, profile_step: str | None) -> None:
        self.cpu: defaultdict[str, float] = defaultdict(float)
        self.wall: defaultdict[str, float] = defaultdict(float)
        self.order: list[str] = []
        self.profile_step = profile_step
        self.profiler = cProfile.Profile()

    def run(self, step: Step, articles: Sequence[Article]) -> None:
        runnable = [a for a in articles if a.status in RUNNABLE]
        if not runnable:
            return
        if step.name not in self.order:
            self.order.append(step.name)
        profiling = step.name == self.profile_step
        cpu, wall = time.process_time(), time.perf_counter()
        if profiling:
            self.profiler.enable()
        if isinstance(step, BatchStep):
            step.batch(runnable)
        else:
            for article in runnable:
                step(article)
        if profiling:
            self.profiler.disable()
        self.cpu[step.name] += time.process_time() - cpu
        self.wall[step.name] += time.perf_counter() - wall


def run(articles: list[Article], prepare: Pipeline, analyse: Pipeline, timer: Timer) -> None:
    for i in range(0, len(articles), BATCH):
        batch = articles[i : i + BATCH]
        for pipeline in (prepare, analyse):
            for step in pipeline.steps:
                timer.run(step, batch)
        for article in batch:
            article.doc = None


def report(
    timer: Timer, warm: Timer, read: tuple[float, float], n: int, prepare: Pipeline
) -> None:
    prepare_names = set(prepare.names)
    rows = [("read", *read, 0.0)]
    rows += [(name, timer.cpu[name], timer.wall[name], warm.cpu[name]) for name in timer.order]
    print(f"{n} articles; seconds per step (load: CPU of the {WARMUP} warm-up articles)\n")
    print(f"{'step':<12} {'cpu':>8} {'wall':>8} {'load':>8}")
    for name, cpu, wall, load in rows:
        tag = "  (prepare)" if name in prepare_names else ""
        print(f"{name:<12} {cpu:8.2f} {wall:8.2f} {load:8.2f}{tag}")
    other_cpu = sum(row[1] for row in rows if row[0] != "nlp")
    other_wall = sum(row[2] for row in rows if row[0] != "nlp")
    print(f"{'non-parse':<12} {other_cpu:8.2f} {other_wall:8.2f}  (read, prepare, analysis - nlp)")
    if timer.cpu["nlp"]:
        print(f"non-parse / nlp (cpu): {other_cpu / timer.cpu['nlp']:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles to measure")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    parser.add_argument("--cprofile", metavar="STEP", help="profile one step (e.g. places)")
    parser.add_argument("--top", type=int, default=30, help="functions to list with --cprofile")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (or tottime)")
    args = parser.parse_args()

    cpu, wall = time.process_time(), time.perf_counter()
    articles = read_articles(args.corpus, args.articles + WARMUP)
    read = (time.process_time() - cpu, time.perf_counter() - wall)
    warmup, measured = articles[args.articles :], articles[: args.articles]

    prepare, analyse = prepare_pipeline(), analyse_pipeline(None)
    warm = Timer(None)
    run(warmup, prepare, analyse, warm)  # the model and resources load here

    timer = Timer(args.cprofile)
    run(measured, prepare, analyse, timer)
    report(timer, warm, read, len(measured), prepare)
    if args.cprofile:
        if args.cprofile not in timer.order:
            raise SystemExit(f"no step {args.cprofile!r}; steps: {', '.join(timer.order)}")
        print(f"\ncProfile of step {args.cprofile!r}:")
        pstats.Stats(timer.profiler).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
