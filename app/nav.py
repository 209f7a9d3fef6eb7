"""Links between the pages that carry the language (Streamlit's own menu drops the URL)."""

from __future__ import annotations

import streamlit as st

PAGES: list[st.Page] = []  # filled by dashboard.py, in menu order


def links(lang: str) -> None:
    """A row of links to every page, keeping `lang=en` in the address."""
    row = st.container(horizontal=True, key="nav")
    params = {"lang": "en"} if lang == "en" else None
    for page in PAGES:
        row.page_link(page, query_params=params)
