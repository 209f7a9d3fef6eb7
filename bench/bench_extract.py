"""Extraction speed in characters per second, next to one jieba.lcut pass over the same text.

Not a test: run `make bench` (or `.venv/bin/python bench/bench_extract.py --mb 5`).
The corpus is the seeds' texts repeated into files of about 30 KB each.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import jieba

from extract import extract_files
from extract.documents import read_document
from extract.segmenter import tokenizer

ROOT = Path(__file__).parent.parent


def build_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    """Write seed texts repeated into files; return (files, characters)."""
    texts = [read_document(p).text for p in sorted((ROOT / "seeds").glob("*.txt"))]
    unit = "\n".join(texts)
    per_file = "\n".join([unit] * 3)
    files, chars, size = 0, 0, 0
    while size < megabytes * 1e6:
        (folder / f"doc_{files:05d}.txt").write_text(per_file, encoding="utf-8")
        files, chars, size = files + 1, chars + len(per_file), size + len(per_file.encode())
    return files, chars


def timed(label: str, chars: int, run) -> float:
    """Run once, print characters per second, return the seconds taken."""
    began = time.perf_counter()
    run()
    seconds = time.perf_counter() - began
    print(f"{label:<38}{seconds:8.2f} s {chars / seconds / 1e3:10.0f} k chars/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, chars = build_corpus(folder, args.mb)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        cores = os.cpu_count() or 1
        print(f"corpus: {files} files, {chars:,} characters, {size:.1f} MB; {cores} cores")
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
        tokenizer()  # load dictionaries outside the timings
        jieba.initialize()
        timed("jieba.lcut, one pass, 1 process", chars, lambda: jieba.lcut(text))
        one = timed("extract, 1 process", chars, lambda: extract_files([folder], workers=1))
        many = timed(
            f"extract, {cores} processes", chars, lambda: extract_files([folder], workers=cores)
        )
        print(f"parallel speed-up: {one / many:.2f}x")


if __name__ == "__main__":
    main()
