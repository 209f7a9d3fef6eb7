"""Many files to one claims table, in parallel across the machine's cores."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.claim import COLUMNS
from extract.documents import SUFFIXES, DocumentError, one_line, read_document
from extract.pipeline import ExtractionTimeout, extract_document

PARALLEL_FROM = 8  # below this many files a process pool costs more than it saves


@dataclass
class BatchResult:
    """The claims of every file that went through, and why the others did not."""

    claims: pd.DataFrame
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    documents: int = 0

    @property
    def errors(self) -> list[str]:
        """One line per file that did not go through: `path: reason`."""
        return [one_line(f"{path}: {reason}") for path, reason in self.failures]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the report files inside folders (sorted, recursive)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found


# Errors travel as (path, reason) strings: DocumentError itself does not survive pickling
# between processes.
def _rows_of(
    path: Path, hints: dict[str, str], time_limit: float | None = None
) -> tuple[list[dict[str, object]], tuple[str, str] | None]:
    try:
        doc = read_document(path, **hints)
        return [c.to_row() for c in extract_document(doc, time_limit=time_limit)], None
    except ExtractionTimeout as err:
        return [], (str(path), err.reason)  # the file, not the doc_id it was given
    except DocumentError as err:
        return [], (err.path, err.reason)


def _results(
    paths: list[Path], hints: dict[str, str], workers: int, time_limit: float | None
) -> Iterator[tuple[list[dict[str, object]], tuple[str, str] | None]]:
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        yield from (_rows_of(p, hints, time_limit) for p in paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(
            _rows_of, paths, [hints] * len(paths), [time_limit] * len(paths), chunksize=4
        )


def extract_files(
    paths: Iterable[str | Path],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    time_limit: float | None = None,
    **hints: str,
) -> BatchResult:
    """Read and extract every file; bad files are reported, the rest still go through.

    `time_limit` is the seconds each file may take (default: limits.time_limit of its size).
    """
    files = expand_paths(paths)
    workers = workers or os.cpu_count() or 1
    rows: list[dict[str, object]] = []
    result = BatchResult(pd.DataFrame(columns=list(COLUMNS)))
    for done, (file_rows, error) in enumerate(_results(files, hints, workers, time_limit), start=1):
        rows.extend(file_rows)
        if error:
            result.failures.append(error)
        else:
            result.documents += 1
        if progress:
            progress(done, len(files))
    if rows:
        result.claims = pd.DataFrame(rows, columns=list(COLUMNS))
    return result


def read_claims(paths: Iterable[str | Path], **hints: str) -> pd.DataFrame:
    """The claims of the files as a DataFrame; raises on the first unreadable file."""
    result = extract_files(paths, **hints)
    if result.failures:
        raise DocumentError(*result.failures[0])
    return result.claims


def progress_bar(stream=sys.stderr) -> Callable[[int, int], None]:  # noqa: B008
    """A one-line progress bar for many files (silent below PARALLEL_FROM files)."""

    def show(done: int, total: int) -> None:
        if total < PARALLEL_FROM:
            return
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files{end}")
        stream.flush()

    return show
