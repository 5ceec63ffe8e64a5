"""Migrations build the schema the models describe, and step back and forth cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage import migrate
from bot.storage.models import Base
from bot.storage.store import Store


async def test_upgrade_empty_database_to_head(database_url: str) -> None:
    store = Store.from_url(database_url)
    try:
        assert await migrate.current_revision(store.engine) is None
        await migrate.upgrade(store.engine)
        assert await migrate.current_revision(store.engine) == migrate.head_revision()
        async with store.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert set(Base.metadata.tables) <= tables
    finally:
        await store.close()


async def test_models_and_migrations_agree(store: Store) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with store.engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_latest_revision_downgrades_and_upgrades_again(store: Store) -> None:
    head = migrate.head_revision()
    await migrate.downgrade(store.engine, "-1")
    assert await migrate.current_revision(store.engine) != head
    await migrate.upgrade(store.engine)
    assert await migrate.current_revision(store.engine) == head


async def test_upgrade_twice_is_harmless(store: Store) -> None:
    await migrate.upgrade(store.engine)
    assert await migrate.current_revision(store.engine) == migrate.head_revision()
