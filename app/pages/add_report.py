"""The 添加报告 / Add report page: upload a report, review its claims, save them to the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import store
from app import nav, state
from board import filters as flt
from board import i18n
from board.add_report import (
    DATE,
    MAX_MB,
    UPLOAD_TYPES,
    editor_frame,
    label,
    provinces,
    unit_choices,
)
from board.safe_text import inert
from extract.claim import APPROX, CATEGORIES, DIRECTIONS, KINDS
from extract.documents import DocumentError
from extract.metadata import validate_metadata
from store import add
from store.export import export_zip

PREPARED = "_add_prepared"  # (upload file id, add.Prepared, extraction number) under review
ROUND = "_add_round"  # bumped after a save: a fresh uploader and editor
FLASH = "_add_flash"  # the message of the last save, shown once after the rerun


def column_config(claims: pd.DataFrame, lang: str) -> dict[str, object]:
    """Pickers for coded columns, whole years, the sentence read-only, the claim id hidden."""
    cc, head = st.column_config, (lambda c: label(c, lang, "columns"))
    year = {"min_value": 1949, "max_value": 2100, "step": 1, "format": "%d"}
    return {
        "category": cc.SelectboxColumn(
            head("category"),
            options=["", *CATEGORIES],
            format_func=lambda c: i18n.category(c, lang) if c else "",
        ),
        "kind": cc.SelectboxColumn(
            head("kind"), options=list(KINDS), format_func=lambda k: i18n.kind(k, lang)
        ),
        "unit": cc.SelectboxColumn(head("unit"), options=unit_choices(claims)),
        "direction": cc.SelectboxColumn(
            head("direction"),
            options=[d for d in DIRECTIONS if d],
            format_func=lambda d: label(d, lang, "direction"),
        ),
        "approx": cc.SelectboxColumn(
            head("approx"), options=list(APPROX), format_func=lambda a: label(a, lang, "approx")
        ),
        "value": cc.NumberColumn(head("value")),
        "year": cc.NumberColumn(head("year"), **year),
        "period_start": cc.NumberColumn(head("period_start"), **year),
        "sentence": cc.TextColumn(head("sentence"), disabled=True, width="large"),
        "claim_id": None,
        **{c: cc.TextColumn(head(c)) for c in ("province", "city", "metric", "raw")},
    }


def render_add_report(
    lang: str | None = None,
    *,
    db: str | Path | None = None,
    on_saved: Callable[[], None] | None = None,
) -> None:
    """The page: uploader, report metadata, the claims to review, Save; or the export."""
    if lang is None:
        state.start_page()
        lang = state.language_toggle()
        nav.links(lang)
        state.commit(flt.Filters(), flt.View(lang=lang), page_params=["lang"])
    st.header(label("page", lang))
    st.caption(label("intro", lang))
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    upload = st.file_uploader(
        label("upload", lang),
        type=UPLOAD_TYPES,
        max_upload_size=MAX_MB,
        key=f"add_file_{st.session_state.get(ROUND, 0)}",
        help=label("upload_help", lang, mb=MAX_MB),
    )
    if upload is None:
        st.session_state.pop(PREPARED, None)
        _store_summary(db, lang)
        return
    prepared = _prepared(upload, db, lang)
    if prepared is None:
        return
    if prepared.existing:
        st.info(
            label(
                "duplicate",
                lang,
                doc_id=inert(prepared.existing["doc_id"]),
                title=inert(prepared.existing["title"] or "-"),
            )
        )
    else:
        prepared = _metadata_form(prepared, lang)
    edited = _claims_editor(prepared, lang)
    save_label = label("save_review" if prepared.existing else "save", lang)
    if st.button(save_label, type="primary", key=f"add_save_{_version()}"):
        _save(prepared, edited, db, on_saved, lang)


def _version() -> str:
    """Changes with every new file, re-extraction and save, so widgets start afresh."""
    file_id, _, number = st.session_state.get(PREPARED, ("", None, 0))
    return f"{st.session_state.get(ROUND, 0)}_{file_id}_{number}"


def _prepared(upload: UploadedFile, db: str | Path | None, lang: str) -> add.Prepared | None:
    """The uploaded report read and extracted once per upload; errors shown, None returned."""
    cached = st.session_state.get(PREPARED)
    if cached and cached[0] == upload.file_id:
        return cached[1]
    try:
        with store.opened(db) as conn:
            prepared = add.prepare_upload(conn, upload.getvalue(), upload.name)
    except DocumentError as err:
        st.error(label("bad_file", lang, reason=inert(err.reason)))
        return None
    except store.ERRORS as err:
        st.error(label("store_error", lang, error=inert(err)))
        return None
    st.session_state[PREPARED] = (upload.file_id, prepared, 1)
    return prepared


def _metadata_form(prepared: add.Prepared, lang: str) -> add.Prepared:
    """Inferred title, date, province and city, editable; "Extract again" applies them."""
    meta, options = prepared.metadata, ["", *provinces()]
    if meta["province"] not in options:
        options.append(meta["province"])
    with st.form(key=f"add_meta_{_version()}"):
        st.subheader(label("metadata", lang))
        st.caption(label("metadata_help", lang))
        title = st.text_input(label("doc_title", lang), meta["title"])
        c1, c2, c3 = st.columns(3)
        published = c1.text_input(
            label("published", lang), meta["published"], help=label("published_help", lang)
        )
        province = c2.selectbox(
            label("province", lang), options, index=options.index(meta["province"])
        )
        city = c3.text_input(label("city", lang), meta["city"])
        if not st.form_submit_button(label("reextract", lang)):
            return prepared
    if published.strip() and not DATE.fullmatch(published.strip()):
        st.error(label("bad_date", lang, value=inert(published)))
        return prepared
    meta = {"title": title, "published": published, "province": province, "city": city}
    if problems := validate_metadata({k: v for k, v in meta.items() if k != "title"}):
        st.error(inert("; ".join(problems)))
        return prepared
    try:
        fresh = add.with_metadata(prepared, meta)
    except DocumentError as err:  # the watchdog refused the re-extraction
        st.error(inert(str(err)))
        return prepared
    file_id, _, version = st.session_state[PREPARED]
    st.session_state[PREPARED] = (file_id, fresh, version + 1)
    st.rerun()
    return fresh  # not reached: st.rerun() ends this run


def _claims_editor(prepared: add.Prepared, lang: str) -> pd.DataFrame:
    """The editable table of claims; returns it as the reviewer left it."""
    st.subheader(label("claims", lang, n=len(prepared.claims)))
    if prepared.claims.empty:
        st.warning(label("no_claims", lang))
    st.caption(label("claims_help", lang))
    return st.data_editor(
        editor_frame(prepared.claims),
        num_rows="dynamic",
        hide_index=True,
        column_config=column_config(prepared.claims, lang),
        placeholder="—",
        key=f"add_editor_{_version()}",
    )


def _save(
    prepared: add.Prepared,
    edited: pd.DataFrame,
    db: str | Path | None,
    on_saved: Callable[[], None] | None,
    lang: str,
) -> None:
    """Save in one transaction; on success reset the page and refresh the charts' data."""
    try:
        with store.opened(db) as conn:
            saved = add.save(conn, prepared, edited)
    except store.DuplicateReport as err:
        st.warning(label("duplicate_now", lang, doc_id=inert(err.doc_id)))
        return
    except add.NoClaims:
        st.error(label("nothing_to_save", lang))
        return
    except store.StoreError as err:
        problems = "\n".join(f"- {inert(p)}" for p in str(err).split("; "))
        st.error(f"{label('invalid', lang)}\n\n{problems}")
        return
    except store.ERRORS as err:
        st.error(label("store_error", lang, error=inert(err)))
        return
    review = saved.review
    st.session_state[FLASH] = label(
        "saved",
        lang,
        doc_id=inert(saved.doc_id),
        claims=saved.claims,
        corrected=len(review.corrections),
        dropped=len(review.dropped),
        added=len(review.added),
    )
    st.session_state.pop(PREPARED, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.cache_data.clear()
    if on_saved:
        on_saved()
    st.rerun()


def _store_summary(db: str | Path | None, lang: str) -> None:
    """What the store holds, and the whole dataset as one download."""
    try:
        with store.opened(db) as conn:
            st.caption(label("store_counts", lang, **store.counts(conn)))
    except store.ERRORS as err:
        st.error(label("store_error", lang, error=inert(err)))
        return

    def bundle() -> bytes:
        with store.opened(db) as conn:
            return export_zip(conn)

    st.download_button(
        label("export", lang),
        bundle,
        "police-reform-claims.zip",
        "application/zip",
        key="add_export",
        on_click="ignore",
    )
