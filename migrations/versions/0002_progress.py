"""progress: leaderboard totals and streak bonus

Revision ID: 0002_progress
Revises: 0001_initial
Create Date: 2026-11-22 18:29:18.511680
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0002_progress"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "board_entries",
        sa.Column("board", sa.String(length=24), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reached_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_board_entries_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("board", "period", "member_id", name=op.f("pk_board_entries")),
    )
    with op.batch_alter_table("board_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_entries_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "ix_board_entries_ranking",
            ["board", "period", "hidden", "points", "reached_at", "member_id"],
            unique=False,
        )

    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("streak_bonus", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_attempts_daily_post_id"), ["daily_post_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempts_daily_post_id"))
        batch_op.drop_column("streak_bonus")

    with op.batch_alter_table("board_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_board_entries_ranking")
        batch_op.drop_index(batch_op.f("ix_board_entries_member_id"))

    op.drop_table("board_entries")
