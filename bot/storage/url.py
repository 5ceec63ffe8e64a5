"""Database URL parsing: plain sqlite/postgresql URLs become our async-driver URLs."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def normalise_database_url(url: str) -> str:
    """Map `sqlite://` and `postgresql://` URLs to aiosqlite/asyncpg; ValueError if unusable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(
            "not a database URL (expected sqlite:///path/to.db or postgresql://user@host/db)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise ValueError(f"unsupported database '{backend}' (use sqlite:/// or postgresql://)")
    if backend != "sqlite" and not parsed.database:
        raise ValueError("names no database (expected postgresql://user@host:port/dbname)")
    return parsed.render_as_string(hide_password=False)
