"""Write the claims table as CSV (UTF-8 with BOM, for Excel), JSON Lines or Parquet."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

FORMATS = (".csv", ".jsonl", ".parquet")


def write_bytes(data: bytes, path: str | Path) -> Path:
    """Write a file's bytes atomically."""
    return _atomic(Path(path), lambda tmp: Path(tmp).write_bytes(data))


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write atomically: a crash never leaves a half-written file behind."""
    path = Path(path)
    if path.suffix not in FORMATS:
        raise ValueError(f"{path}: output must end in {', '.join(FORMATS)}")

    def write(tmp: str) -> None:
        if path.suffix == ".csv":
            frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        elif path.suffix == ".jsonl":
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            frame.to_parquet(tmp, index=False)

    return _atomic(path, write)


def _atomic(path: Path, write: Callable[[str], object]) -> Path:
    """Run `write` on a temporary file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes owner-only files; a table is for sharing
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
