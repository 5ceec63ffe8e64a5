"""Typed SQLAlchemy models for the whole domain, with a constraint naming convention."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the shared metadata and naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Workspace(Base):
    """A Slack workspace, a Discord guild, or the local console."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime]


class Member(Base):
    """A person in one workspace: identity is (platform, workspace, user id)."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Weekday bitmask (Monday = bit 0) of rest days that never break a streak.
    rest_days: Mapped[int] = mapped_column(Integer, default=0)
    hidden_from_boards: Mapped[bool] = mapped_column(Boolean, default=False)
    streak_reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Channel(Base):
    """A channel and its daily-question schedule."""

    __tablename__ = "channels"
    __table_args__ = (
        UniqueConstraint("workspace_id", "external_id"),
        CheckConstraint("weekdays >= 0 AND weekdays < 128", name="weekdays_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    subscribed: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    post_time: Mapped[str] = mapped_column(String(5), default="09:00")
    timezone: Mapped[str | None] = mapped_column(String(64))
    weekdays: Mapped[int] = mapped_column(Integer, default=0b0011111)
    topics: Mapped[list[str]] = mapped_column(default=list)
    difficulty: Mapped[int | None] = mapped_column(Integer)
    reveal_delay_minutes: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DailyPost(Base):
    """One daily question posted to one channel on one local date."""

    __tablename__ = "daily_posts"
    __table_args__ = (UniqueConstraint("channel_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(120))
    message_ref: Mapped[str | None] = mapped_column(String(120))
    posted_at: Mapped[datetime]
    reveal_at: Mapped[datetime]
    revealed_at: Mapped[datetime | None]
    # Claimed first, delivered after: an undelivered post is retried, never posted twice.
    delivered_at: Mapped[datetime | None]
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class InterviewSession(Base):
    """A mock interview; `state` is the serialised state machine, saved after every step."""

    __tablename__ = "interview_sessions"
    __table_args__ = (Index(None, "member_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    topic: Mapped[str | None] = mapped_column(String(64))
    difficulty: Mapped[int | None] = mapped_column(Integer)
    length: Mapped[int] = mapped_column(Integer, default=5)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Attempt(Base):
    """One graded answer (daily, mock, review or drill); a daily re-answer replaces its row."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("member_id", "daily_post_id"),
        CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
        Index(None, "member_id", "local_date"),
        Index(None, "member_id", "question_id"),
        Index(None, "daily_post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(16))
    daily_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("daily_posts.id", ondelete="CASCADE")
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE")
    )
    answer_text: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(Integer)
    covered: Mapped[list[str]] = mapped_column(default=list)
    missed: Mapped[list[str]] = mapped_column(default=list)
    points: Mapped[int] = mapped_column(Integer, default=0)
    # Extra points for the first answer of a streak day; kept when a daily answer is replaced.
    streak_bonus: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    counts_for_points: Mapped[bool] = mapped_column(Boolean, default=True)
    local_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Streak(Base):
    """A member's streak state, kept in their own time zone's days."""

    __tablename__ = "streaks"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    current: Mapped[int] = mapped_column(Integer, default=0)
    longest: Mapped[int] = mapped_column(Integer, default=0)
    freezes: Mapped[int] = mapped_column(Integer, default=0)
    last_active_date: Mapped[date | None] = mapped_column(Date)
    # The time zone of the last counted answer: travel is judged by the kinder calendar.
    last_zone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class StudyGroup(Base):
    """A named team of members inside one workspace."""

    __tablename__ = "study_groups"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class StudyGroupMember(Base):
    """Membership of a member in a study group."""

    __tablename__ = "study_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("study_groups.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime]


class ReviewCard(Base):
    """Spaced-repetition (FSRS) state for one question a member has answered."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("member_id", "question_id"),
        Index(None, "member_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    # The FSRS card as the `fsrs` package serialises it (state, stability, difficulty, ...).
    card: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    last_score: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BoardEntry(Base):
    """A member's running points on one leaderboard for one period.

    `board` is `ws:<workspace id>` or `ch:<channel id>`; `period` is `all` or the Monday that
    starts a week (in the workspace's time zone). Totals are kept as answers are credited, so
    a leaderboard is an index range scan, never a sum over every answer.
    """

    __tablename__ = "board_entries"
    __table_args__ = (
        Index(
            "ix_board_entries_ranking",
            "board",
            "period",
            "hidden",
            "points",
            "reached_at",
            "member_id",
        ),
        Index(None, "member_id"),
    )

    board: Mapped[str] = mapped_column(String(24), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    points: Mapped[int] = mapped_column(Integer, default=0)
    # When the total last grew: among equal totals, whoever got there first ranks higher.
    reached_at: Mapped[datetime]
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)


class ProcessedEvent(Base):
    """A platform delivery already handled: a retried delivery with the same key is skipped."""

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class WeeklyRecap(Base):
    """A weekly recap sent to a channel; one per channel and week."""

    __tablename__ = "weekly_recaps"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime]


class ReminderSent(Base):
    """A reminder DM sent to a member; one per kind and local day."""

    __tablename__ = "reminders_sent"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime]
