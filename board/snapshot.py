"""Prepared frames kept on disk between server starts: parquet files named by a key of
everything the frame depends on, so a key never names an outdated frame."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa

KEEP = 3  # snapshots kept: the newest few (a dataset and the versions just before it)
PREFIX, SUFFIX = "dataset-", ".parquet"
HOUR = 3600 * 10**9  # in nanoseconds
TEXT_SUFFIX = ".text"  # beside a snapshot: its search text (UTF-8), written before it
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


def read_text(folder: Path, name: str) -> str | None:
    """The text saved beside snapshot `name`; None when there is none or it is not UTF-8."""
    try:
        return path_for(folder, name).with_suffix(TEXT_SUFFIX).read_bytes().decode()
    except (OSError, UnicodeDecodeError) as err:
        log.info("no search text for snapshot %s: %s", name, err)
        return None


def write(folder: Path, name: str, frame: pd.DataFrame, text: str | None = None) -> bool:
    """Save `frame` (and `text` beside it) under `name`, each file whole or not at all;
    False when the folder is not writable. Older snapshots beyond KEEP are deleted."""
    path = path_for(folder, name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if text is not None:  # first: a snapshot found has its text, or never had one
            _replace(path.with_suffix(TEXT_SUFFIX), lambda fh: fh.write(text.encode()))
        # index=None: a RangeIndex kept as one, not written out as a column of numbers
        _replace(path, lambda fh: frame.to_parquet(fh, index=None))
    except OSError as err:  # e.g. a read-only deployment: run without the cache
        log.info("dataset snapshot not saved in %s: %s", folder, err)
        return False
    prune(folder, keep=name)
    return True


def _replace(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write `path` through a temporary file renamed over it: readers see the old file or
    the new one, whole."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # Not mkstemp: its files are private (0600); this one gets the umask's mode, like any
    # file the server writes, so whoever may read the data may read its snapshot.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(folder: Path, keep: str) -> None:
    """Delete all but the KEEP newest snapshots in `folder` (never `keep`), texts left
    without their snapshot and abandoned temporary files."""
    files = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"), key=_mtime_ns, reverse=True)
    old = [f for f in files if f != path_for(folder, keep)][KEEP - 1 :]
    kept = {f.with_suffix(TEXT_SUFFIX) for f in files if f not in old}
    texts = [t for t in folder.glob(f"{PREFIX}*{TEXT_SUFFIX}") if t not in kept]
    # Temporary files of a writer that died; a live writer's are younger than an hour.
    dead = [t for t in folder.glob(f".{PREFIX}*.tmp") if _mtime_ns(t) < time.time_ns() - HOUR]
    for path in [*old, *texts, *dead]:
        try:
            path.unlink(missing_ok=True)
        except OSError as err:
            log.info("old snapshot file %s not deleted: %s", path, err)


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
