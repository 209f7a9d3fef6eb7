"""Extraction speed in characters per second, beside a jieba.lcut pass over the same text.

Not a test: run `make bench` (or `.venv/bin/python bench/bench_extract.py --mb 3`).
Two corpora: the seeds' texts repeated, and generated report-like text that is not the
seeds (bench/corpus.py: varied figures, places, traditional-script paragraphs, page noise).
For each, jieba and one-process extraction run interleaved, best of --rounds, each
extraction round in a fresh process (no phrase cache carried over); then one parallel run.
Then pathological lines (a long digit run, a long line of commas) whose
speed per character should match prose: time stays linear in input size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus  # noqa: E402
from extract import extract_files, extract_text  # noqa: E402
from extract.documents import read_document  # noqa: E402
from extract.segmenter import tokenizer  # noqa: E402

ROOT = Path(__file__).parent.parent


def seed_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """Write seed texts repeated into files of about 30 KB; return (files, characters)."""
    texts = [read_document(p).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    per_file = "\n".join(["\n".join(texts)] * 3)
    files, chars, size = 0, 0, 0
    while size < megabytes * 1e6:
        (folder / f"doc_{files:05d}.txt").write_text(per_file, encoding="utf-8")
        files, chars, size = files + 1, chars + len(per_file), size + len(per_file.encode())
    return files, chars


def seconds(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def line(label: str, chars: int, taken: float) -> None:
    print(f"  {label:<36}{taken:8.2f} s {chars / taken / 1e3:10.1f} k chars/s")


def _fresh_run(folder: Path) -> float:
    """One-process extraction of the folder, timed in a process whose caches start empty."""
    tokenizer()
    extract_text("预热：全市破获刑事案件12起。", doc_id="warm")  # dictionaries load untimed
    return seconds(lambda: extract_files([folder], workers=1))


def fresh_seconds(folder: Path) -> float:
    """Each round in a new process: no round reuses the phrases an earlier one cached."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_fresh_run, (folder,))


def compare(name: str, folder: Path, files: int, chars: int, rounds: int) -> float:
    """Interleaved jieba and one-process extraction, best of `rounds`; the speed ratio."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
    print(
        f"{name}: {files} files, {chars:,} characters, "
        f"{sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.1f} MB"
    )
    best_jieba = best_extract = float("inf")
    for _ in range(rounds):
        best_jieba = min(best_jieba, seconds(lambda: jieba.lcut(text)))
        best_extract = min(best_extract, fresh_seconds(folder))
    line(f"jieba.lcut, 1 process (best of {rounds})", chars, best_jieba)
    line(f"extract, 1 process (best of {rounds})", chars, best_extract)
    cores = os.cpu_count() or 1
    line(
        f"extract, {cores} processes",
        chars,
        seconds(lambda: extract_files([folder], workers=cores)),
    )
    ratio = best_jieba / best_extract
    print(f"  extract / jieba speed: {ratio:.2f}x")
    return ratio


def stress(prose_chars_per_second: float) -> None:
    """Pathological single lines: characters per second next to prose."""
    print("pathological lines (one document each):")
    for label, text in (
        ("20,000-digit line", "9" * 20_000),
        ("1 MB line of commas", "，" * 1_000_000),
        ("1 MB line of 1、2、3 lists", "1、2、" * 250_000),
        ("one sentence of 2,000 figures", "破获案件12起，" * 2_000),
    ):
        taken = seconds(lambda t=text: extract_text(t, doc_id="stress"))
        line(label, len(text), taken)
    print(f"  (prose, one process: {prose_chars_per_second / 1e3:.1f} k chars/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=3.0, help="size of each corpus in MB")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    args = parser.parse_args()
    tokenizer()  # dictionaries load outside the timings
    jieba.initialize()
    extract_text("预热：全市破获刑事案件12起。", doc_id="warm")
    with tempfile.TemporaryDirectory() as seeds, tempfile.TemporaryDirectory() as generated:
        compare("seeds repeated", Path(seeds), *seed_corpus(Path(seeds), args.mb), args.rounds)
        files, chars = corpus.build(Path(generated), args.mb)
        compare("generated reports (not the seeds)", Path(generated), files, chars, args.rounds)
        prose = chars / fresh_seconds(Path(generated))
    stress(prose)


if __name__ == "__main__":
    main()
