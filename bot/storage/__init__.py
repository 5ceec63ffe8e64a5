"""Persistence: SQLAlchemy models, database setup, migrations and repositories."""
