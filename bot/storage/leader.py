"""Who runs the scheduler: a PostgreSQL advisory lock, or a lock file beside a SQLite database."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x4D49_4253  # "MIBS": one key for every instance of this bot on the database


class LeaderLock:
    """Held by at most one process per database; `ensure()` on every tick keeps or takes it.

    PostgreSQL: a session advisory lock on a connection kept open for as long as this process
    leads; when the process dies its session ends, the lock goes, and another instance takes
    over on its next tick. SQLite: an exclusive lock on a file next to the database, released
    by the operating system when the process exits.
    """

    def __init__(self, engine: AsyncEngine, key: int = LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: AsyncConnection | None = None
        self._file: int | None = None

    @property
    def held(self) -> bool:
        """Whether this process leads right now."""
        return self._connection is not None or self._file is not None or self._in_memory

    @property
    def _in_memory(self) -> bool:
        return self.engine.dialect.name == "sqlite" and self._sqlite_path() is None

    async def ensure(self) -> bool:
        """Keep the lock if this process holds it (checking the connection), else try to take
        it; True when this process leads."""
        if self.engine.dialect.name == "postgresql":
            return await self._ensure_postgres()
        return self._ensure_file()

    async def release(self) -> None:
        """Give the lock up (on shutdown)."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                )
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None
        if self._file is not None:
            os.close(self._file)
            self._file = None

    async def _ensure_postgres(self) -> bool:
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("scheduler: lost the leader connection; trying to lead again")
                with contextlib.suppress(Exception):
                    await self._connection.close()
                self._connection = None
        connection = await self.engine.connect()
        try:
            won = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            )
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not won:
            await connection.close()
            return False
        log.info("scheduler: this process now runs the scheduler")
        self._connection = connection
        return True

    def _sqlite_path(self) -> Path | None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return None
        return Path(database)

    def _ensure_file(self) -> bool:
        path = self._sqlite_path()
        if path is None or self._file is not None:
            return True
        descriptor = os.open(f"{path}.scheduler-lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._file = descriptor
        log.info("scheduler: this process now runs the scheduler")
        return True
