"""Shared test setup: no test ever reads or writes the real store, data/claims.sqlite; the
store's suite runs on both backends (`store_url`), PostgreSQL on a throwaway server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from board.data import CACHE_ENV
from store import DB_ENV
from tests import pg_server


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


@pytest.fixture(scope="session", autouse=True)
def _private_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Dataset snapshots of test runs go to a throwaway folder, never data/.cache/.
    old = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("snapshots"))
    yield
    if old is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = old


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server started for this test session, stopped at its end."""
    reason = pg_server.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with pg_server.throwaway_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store on each backend: a file, then a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "claims.sqlite")
    return pg_server.fresh_database(request.getfixturevalue("postgres_server"))
