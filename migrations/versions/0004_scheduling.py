"""scheduling: delivery state, weekly recaps, reminders

Revision ID: 0004_scheduling
Revises: 0003_deliveries
Create Date: 2026-11-22 19:11:42.681176
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0004_scheduling"
down_revision: str | None = "0003_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "reminders_sent",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sent_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_reminders_sent_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "kind", "local_date", name=op.f("pk_reminders_sent")),
    )
    op.create_table(
        "weekly_recaps",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("sent_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_weekly_recaps_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "week_start", name=op.f("pk_weekly_recaps")),
    )
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("delivered_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("delivery_attempts", sa.Integer(), server_default="0", nullable=False)
        )
    # Posts made before this revision went out when they were made.
    op.execute("UPDATE daily_posts SET delivered_at = posted_at")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("daily_posts", schema=None) as batch_op:
        batch_op.drop_column("delivery_attempts")
        batch_op.drop_column("delivered_at")

    op.drop_table("weekly_recaps")
    op.drop_table("reminders_sent")
