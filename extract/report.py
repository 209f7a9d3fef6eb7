"""A document's metadata as given or inferred, and its claims as a table."""

from __future__ import annotations

import pandas as pd

from extract import regions, years
from extract.claim import COLUMNS
from extract.documents import Document
from extract.pipeline import extract_document

METADATA = ("title", "published", "province", "city", "source", "publisher")


def infer_metadata(doc: Document) -> dict[str, str]:
    """Title, date, province and city as given, else as the extractor infers them."""
    province, city = regions.document_region(doc.title, doc.text, doc.province, doc.city)
    first_line = next((line.strip() for line in doc.text.splitlines() if line.strip()), "")
    return {
        "title": doc.title or first_line[:80],
        "published": doc.published or years.published_date(doc.text),
        "province": province,
        "city": city,
        "source": doc.source,
        "publisher": doc.publisher,
    }


def extracted_claims(doc: Document, time_limit: float | None = None) -> pd.DataFrame:
    """The extractor's claims of a document as rows of COLUMNS; ExtractionTimeout if too slow."""
    rows = [claim.to_row() for claim in extract_document(doc, time_limit=time_limit)]
    return pd.DataFrame(rows, columns=list(COLUMNS)) if rows else pd.DataFrame(columns=COLUMNS)
