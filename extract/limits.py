"""Bounds on every input, one set for the CLI, the upload page and their messages.

A report is hostile until read: each limit keeps the time or memory of one step
proportional to what the README promises (20 MB files), whatever the file holds.
"""

from __future__ import annotations

import math
import os

MB = 1024 * 1024

# Files as uploaded or read from disk (README: "20 MB at most"; Streamlit's maxUploadSize).
MAX_BYTES = 20 * MB
# A .docx is a zip: its members are checked before anything is inflated.
MAX_UNPACKED_BYTES = 100 * MB
MAX_PACK_RATIO = 100  # uncompressed / compressed; real Word files stay below 20
MAX_ZIP_MEMBERS = 5_000
# Text taken from any format (characters): a 20 MB UTF-8 file of Chinese is ~7 M.
MAX_TEXT_CHARS = 10_000_000
MAX_PDF_PAGES = 2_000
# HTML: start tags parsed before the page is refused (a 300-page report has ~20,000).
MAX_HTML_ELEMENTS = 200_000
# A "sentence" without 。！？ or line break is cut into pieces of at most this many
# characters (the seeds' longest sentence has 227), so work per number stays bounded.
MAX_SENTENCE_CHARS = 1_000
# YAML front matter: the whole block and each value.
MAX_FRONT_MATTER_CHARS = 10_000
MAX_FIELD_CHARS = {
    "title": 500,
    "source": 2_000,
    "url": 2_000,
    "publisher": 200,
    "province": 20,
    "city": 30,
    "published": 20,
    "report_year": 10,
    "doc_id": 200,
    "original_sha256": 64,
}
# Extraction time per document: a base plus so much per million characters (prose
# extracts at ~50,000 characters a second on one core, so this leaves a wide margin).
TIME_LIMIT_ENV = "POLICE_METRICS_TIME_LIMIT"
TIME_BASE_SECONDS = 60.0
TIME_PER_MILLION_CHARS = 60.0


def megabytes(size: int) -> str:
    """A size in the unit of the messages and the README (MB of 1024 × 1024 bytes)."""
    return f"{size / MB:.0f} MB" if size % MB == 0 else f"{size / MB:.1f} MB"


def time_limit(chars: int) -> float:
    """Seconds a document of `chars` characters may take: $POLICE_METRICS_TIME_LIMIT if set."""
    try:
        setting = float(os.environ.get(TIME_LIMIT_ENV) or "nan")
    except ValueError:  # a malformed setting falls back to the default, not to no limit
        setting = math.nan
    if 0 < setting < math.inf:
        return setting
    return TIME_BASE_SECONDS + TIME_PER_MILLION_CHARS * chars / 1e6
