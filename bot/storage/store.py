"""The storage handle the engine holds: an engine plus transactional sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.db import create_engine, session_factory


class Store:
    """Owns the database engine; hands out one session per unit of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    @classmethod
    def from_url(cls, url: str) -> Store:
        """A store on `url` (an async-driver URL)."""
        return cls(create_engine(url))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()


Session = AsyncSession
"""The session type repositories take (so callers need not import SQLAlchemy)."""
