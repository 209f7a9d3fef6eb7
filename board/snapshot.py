"""Prepared frames kept on disk between server starts: parquet files named by a key of
everything the frame depends on, so a key never names an outdated frame."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

KEEP = 3  # snapshots kept: the newest few (a dataset and the versions just before it)
PREFIX, SUFFIX = "dataset-", ".parquet"
log = logging.getLogger(__name__)


def key(parts: Sequence[object]) -> str:
    """A file-name-safe digest of `parts` and of the libraries that write and read the file."""
    text = json.dumps([*parts, pd.__version__, pa.__version__], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def path_for(folder: Path, name: str) -> Path:
    """The file of the snapshot `name` (a key) in `folder`."""
    return folder / f"{PREFIX}{name}{SUFFIX}"


def read(folder: Path, name: str) -> pd.DataFrame | None:
    """The frame saved under `name`; None when there is none or it cannot be read (logged)."""
    path = path_for(folder, name)
    if not path.exists():
        return None
    try:
        return pd.read_parquet(path)
    except Exception as err:  # a truncated or foreign file is rebuilt, never fatal
        log.warning("ignoring unreadable snapshot %s: %s", path, err)
        return None


def write(folder: Path, name: str, frame: pd.DataFrame) -> bool:
    """Save `frame` under `name` (whole or not at all); False when the folder is not
    writable. Older snapshots beyond KEEP are deleted."""
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{PREFIX}", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            frame.to_parquet(fh, index=True)
        os.replace(tmp, path_for(folder, name))  # readers see the old or the new file, whole
        tmp = None
    except OSError as err:  # e.g. a read-only deployment: run without the cache
        log.info("dataset snapshot not saved in %s: %s", folder, err)
        return False
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    prune(folder, keep=name)
    return True


def prune(folder: Path, keep: str) -> None:
    """Delete all but the KEEP newest snapshots in `folder` (never `keep`)."""
    files = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"), key=_mtime_ns, reverse=True)
    for old in [f for f in files if f != path_for(folder, keep)][KEEP - 1 :]:
        try:
            old.unlink()
        except OSError as err:
            log.info("old snapshot %s not deleted: %s", old, err)


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
