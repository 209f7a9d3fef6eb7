"""Shared test setup: no test ever reads or writes the real store, data/claims.sqlite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from extract.store import DB_ENV


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Session scope and os.environ (not monkeypatch): module-scoped fixtures that start
    # `streamlit run` subprocesses are set up after this and inherit the variable.
    old = os.environ.get(DB_ENV)
    os.environ[DB_ENV] = str(tmp_path_factory.mktemp("store") / "claims.sqlite")
    yield
    if old is None:
        os.environ.pop(DB_ENV, None)
    else:
        os.environ[DB_ENV] = old
