"""Shared fixtures: an injected clock and migrated databases (SQLite always, PostgreSQL if set)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.clock import FixedClock
from bot.storage import migrate
from bot.storage.store import Store
from bot.storage.url import normalise_database_url

REPO = Path(__file__).resolve().parent.parent


def _pg_server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture
def clock() -> FixedClock:
    """A clock frozen at a known Monday morning, moved only by the test."""
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a SQLite file, or a fresh database on TEST_DATABASE_URL's server."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    server = _pg_server_url()
    if server is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"mib_test_{uuid.uuid4().hex[:12]}"
    yield from _temporary_pg_database(server, name)


def _temporary_pg_database(server: str, name: str) -> Iterator[str]:
    async def run(sql: str) -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(server))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A store on a freshly migrated database."""
    store = Store.from_url(database_url)
    await migrate.upgrade(store.engine)
    try:
        yield store
    finally:
        await store.close()
