"""The claims store: reports, claims and reviewers' changes in SQLite or PostgreSQL.

The store URL picks the backend: a file path or `sqlite:///PATH` (the embedded default,
data/claims.sqlite or $POLICE_METRICS_DB) or `postgresql://user@host/db` for a deployment
shared by many processes. `bootstrap(url)` applies migrations and imports the bundled data;
`version(url)` tells a cache whether anything changed since it last looked.
"""

from store.backends import DB_ENV, ERRORS, StoreUnavailable, default_url, locate, redact
from store.bundled import Source, bootstrap, default_sources
from store.repository import (
    DuplicateReport,
    StoreError,
    add_report,
    apply_review,
    connect,
    counts,
    effective_claims,
    find_document,
    get_document,
    opened,
    replace_extraction,
    transaction,
    typed_claims,
    version,
)
from store.review import Review

__all__ = [
    "DB_ENV",
    "ERRORS",
    "DuplicateReport",
    "Review",
    "Source",
    "StoreError",
    "StoreUnavailable",
    "add_report",
    "apply_review",
    "bootstrap",
    "connect",
    "counts",
    "default_sources",
    "default_url",
    "effective_claims",
    "find_document",
    "get_document",
    "locate",
    "opened",
    "redact",
    "replace_extraction",
    "transaction",
    "typed_claims",
    "version",
]
