"""Panels every view shares: charts that open a figure's source, downloads, the source panel."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import data, state
from board import downloads, i18n, provenance, tables
from board import filters as flt
from board.formatting import value_label
from board.regions import Province
from board.safe_text import inert, web_link
from extract.claim import COLUMNS


class Ctx(NamedTuple):
    """What every view needs besides its claims."""

    lang: str
    filters: flt.Filters
    view: flt.View
    provinces: tuple[Province, ...]
    province_order: list[str]
    places: dict[str, str]  # province name -> as shown
    cities: dict[str, str]  # city name -> as shown
    ds: data.Dataset  # the claims the view's claims are filtered from


def source_line(lang: str) -> str:
    """The line under every chart (and in its PNG) that says where the figures come from."""
    return i18n.t("source_line", lang, day=date.today().isoformat())


def chart(fig: go.Figure, key: str, name: str, selectable: bool = True) -> None:
    """A Plotly chart; clicking a point opens its claim's source; its PNG keeps the source."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": name},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    st.plotly_chart(
        fig,
        key=key,
        on_select=partial(state.pick_point, key) if selectable else "ignore",
        selection_mode="points",
        config=config,
        width="stretch",
        theme=None,  # the figure carries Streamlit's theme itself (board/chart_theme.py)
    )


def _filters_text(f: flt.Filters, view: flt.View) -> str:
    params = flt.to_query(f, view)
    return "; ".join(f"{k}={','.join(v)}" for k, v in params.items())


def downloads_row(name: str, rows: pd.DataFrame, ctx: Ctx, mask: pd.Series | None = None) -> None:
    """CSV and xlsx of exactly the claims behind a view (`rows`, or those of `mask`); the
    rows are taken and the files built only when a button is clicked."""
    today, detail = date.today(), "-".join(ctx.filters.provinces[:2])
    count = int(mask.sum()) if mask is not None else len(rows)

    def claims() -> pd.DataFrame:
        return (rows[mask] if mask is not None else rows)[list(COLUMNS)]

    about = _filters_text(ctx.filters, ctx.view)
    row = st.container(horizontal=True, vertical_alignment="center", key=f"dl_{name}")
    row.download_button(
        i18n.t("download_csv", ctx.lang),
        lambda: downloads.csv_bytes(tables.file_table(claims(), ctx.lang)),
        downloads.file_name(name, "csv", today, detail),
        "text/csv",
        key=f"csv_{name}",
        on_click="ignore",
    )
    row.download_button(
        i18n.t("download_xlsx", ctx.lang),
        lambda: downloads.workbook(
            tables.file_table(claims(), ctx.lang), name, about, today, COLUMNS, ctx.lang
        ),
        downloads.file_name(name, "xlsx", today, detail),
        downloads.XLSX_MIME,
        key=f"xlsx_{name}",
        on_click="ignore",
    )
    row.caption(f"{i18n.t('download_note', ctx.lang)} ({count:,})")


def _citation(row: dict, lang: str) -> None:
    parts = [
        f"**{inert(row['title'])}**" if row["title"] else "",
        f"{i18n.t('published', lang)}: {inert(row['published'])}" if row["published"] else "",
        f"{i18n.t('publisher', lang)}: {inert(row['publisher'])}" if row["publisher"] else "",
        f"{i18n.t('source', lang)}: {inert(row['source'])}" if row["source"] else "",
    ]
    st.markdown("  \n".join(p for p in parts if p))
    link = web_link(row.get("url"))
    if link:
        st.link_button(i18n.t("link", lang), link, type="tertiary", icon=":material/open_in_new:")


def source_panel(df: pd.DataFrame, claim_id: str, lang: str) -> None:
    """The selected claim: the report it comes from (title, date, publisher, link) and the
    figure marked in the report's text, or, for a table row without a sentence, the figure
    as published. Report text is inert: no markup of it renders."""
    match = df[df["claim_id"] == claim_id] if claim_id else df.iloc[:0]
    if match.empty:
        return
    row = match.iloc[0].to_dict()
    figure = (
        value_label(float(row["value"]), str(row["unit"]), lang)
        if row["value"] == row["value"]
        else ""
    )
    with st.container(border=True, key="source"):
        heading = f"{i18n.t('source_title', lang)}: {row['metric']} · {row['raw'] or figure}"
        st.markdown(f"#### {inert(heading)}")
        _citation(row, lang)
        if not str(row.get("sentence") or "").strip():
            st.caption(i18n.t("no_sentence", lang))
            st.markdown(f"{i18n.t('raw_figure', lang)}: **{inert(row['raw'] or figure)}**")
        else:
            part, in_report = provenance.claim_excerpt(row, data.report(row["doc_id"]))
            label = i18n.t("context", lang) if in_report else i18n.column("sentence", lang)
            st.markdown(
                f"{inert(label)}:\n\n<blockquote class='excerpt'>"
                f"{provenance.highlight_html(part)}</blockquote>",
                unsafe_allow_html=True,
            )
        st.button(i18n.t("close_source", lang), on_click=state.close_claim, key="close_source")
