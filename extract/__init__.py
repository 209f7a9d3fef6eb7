"""Quantitative claims from Chinese police-reform reports, as tidy rows (CLAIMS.md)."""

from extract.batch import BatchResult, extract_files, read_claims
from extract.claim import COLUMNS, Claim
from extract.documents import Document, DocumentError, read_document
from extract.pipeline import extract_document, extract_text

__all__ = [
    "COLUMNS",
    "BatchResult",
    "Claim",
    "Document",
    "DocumentError",
    "extract_document",
    "extract_files",
    "extract_text",
    "read_claims",
    "read_document",
]
