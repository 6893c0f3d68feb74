"""Does a speed change keep every output record? Extract a fixed set of texts and compare.

    .venv/bin/python bench/snapshot.py --out /tmp/before.jsonl
    ... change the code ...
    .venv/bin/python bench/snapshot.py --out /tmp/after.jsonl --compare /tmp/before.jsonl

The texts are the first ``--articles`` articles of the benchmark corpus (``bench/run.py`` builds
it), the project's examples and the texts of ``eval/gold/*.jsonl`` (and of ``../shared/eval``
where present): varied news, one-sentence gold items and long articles. Each is run through
:func:`diurna.jobs.extract.extract_paths`, the records are written one per line, and with
``--compare`` the first differing records are printed side by side, field by field. Exit 1 when
anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from diurna.jobs.extract import extract_paths  # noqa: E402

DEFAULT_CORPUS = HERE / "corpus" / "2000"


def gold_texts(folder: Path) -> list[dict[str, Any]]:
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                item = json.loads(line)
                if isinstance(item.get("text"), str) and item["text"].strip():
                    records.append({"id": f"{path.stem}-{n:04d}", "text": item["text"],
                                    **({"published": item["published"]}
                                       if item.get("published") else {})})
    return records


def inputs(corpus: Path, articles: int, workdir: Path) -> list[Path]:
    paths: list[Path] = []
    shards = sorted(corpus.glob("*.jsonl"))
    if shards and articles:
        taken = workdir / "corpus.jsonl"
        with open(taken, "w", encoding="utf-8") as out:
            n = 0
            for shard in shards:
                with open(shard, encoding="utf-8") as fh:
                    for line in fh:
                        if n >= articles:
                            break
                        out.write(line)
                        n += 1
        paths.append(taken)
    paths.append(REPO / "examples")
    gold = gold_texts(REPO / "eval" / "gold")
    shared = REPO.parent / "shared" / "eval"
    if shared.is_dir():
        gold += gold_texts(shared)
    gold_file = workdir / "gold.jsonl"
    with open(gold_file, "w", encoding="utf-8") as out:
        for record in gold:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    paths.append(gold_file)
    return paths


def _key(record: dict[str, Any]) -> str:
    return str(record.get("id"))


def compare(new: list[dict[str, Any]], old_path: Path, shown: int = 5) -> int:
    with open(old_path, encoding="utf-8") as fh:
        old = {_key(r): r for r in map(json.loads, fh)}
    differing = 0
    for record in new:
        before = old.pop(_key(record), None)
        if before == record:
            continue
        differing += 1
        if differing > shown:
            continue
        print(f"--- {_key(record)}")
        if before is None:
            print("    new record")
            continue
        for field in sorted(set(before) | set(record)):
            if before.get(field) != record.get(field):
                print(f"    {field}:\n      before {json.dumps(before.get(field))[:600]}\n"
                      f"      after  {json.dumps(record.get(field))[:600]}")
    differing += len(old)
    for missing in list(old)[:shown]:
        print(f"--- {missing}: missing")
    print(f"{differing} of {len(new)} records differ")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        records = list(extract_paths(inputs(args.corpus, args.articles, Path(tmp)),
                                     model=args.model))
    for record in records:  # the temporary folder's name is not part of the output
        if isinstance(record.get("source"), str):
            record["source"] = Path(record["source"].split(":")[0]).name + (
                record["source"][len(record["source"].split(":")[0]):])
    with open(args.out, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(records)} records written to {args.out}")
    if args.compare:
        sys.exit(1 if compare(records, args.compare) else 0)


if __name__ == "__main__":
    main()
