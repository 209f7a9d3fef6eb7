"""Police-reform metrics dashboard: `streamlit run dashboard.py` (the app lives in app/)."""

import streamlit as st

from app import data, heap, nav
from app.pages.add_report import render_add_report
from app.pages.dashboard import main

st.set_page_config(
    page_title="公安改革指标对比 · Police reform metrics",
    layout="wide",
    initial_sidebar_state="auto",
)
# The dashboard, and the 添加报告 page whose saves refresh the dashboard's cached dataset.
# The menu is drawn by app/nav.py, whose links keep the language in the address.
nav.PAGES[:] = [
    st.Page(main, title="公安改革指标对比 · Metrics", default=True),
    st.Page(
        lambda: render_add_report(on_saved=data.forget_dataset),
        title="添加报告 / Add report",
        url_path="add",
    ),
]
st.navigation(nav.PAGES, position="hidden").run()
heap.freeze_startup()
