"""processed platform deliveries

Revision ID: 0003_deliveries
Revises: 0002_progress
Create Date: 2026-11-22 18:47:15.228917
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0003_deliveries"
down_revision: str | None = "0002_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "processed_events",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("seen_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_events")),
    )
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_events_seen_at"), ["seen_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_events_seen_at"))

    op.drop_table("processed_events")
