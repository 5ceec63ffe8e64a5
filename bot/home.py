"""A member's dashboard: streak, points, rank, reviews due and, for admins, channel setups."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.daily import next_post, schedule_of
from bot.daily_render import local_time
from bot.domain import MemberRef
from bot.events import ChannelSummary, HomeView
from bot.member_commands import time_left
from bot.progress import week_period
from bot.storage import boards, daily_rows, practice
from bot.storage.members import ensure_member
from bot.storage.store import Session, Store
from bot.storage.streak_rows import load_streak
from bot.streaks import current_streak


class Home:
    """Builds `HomeView`s."""

    def __init__(self, store: Store, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone

    async def view(self, ref: MemberRef) -> HomeView:
        """The member's dashboard as of now."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, ref, now, self.default_timezone)
            zone, workspace_zone = await practice.zones(session, member, self.default_timezone)
            state = await load_streak(session, member.id)
            board = boards.workspace_board(member.workspace_id)
            overall = await boards.standing(session, board, boards.ALL_TIME, member.id)
            week = await boards.standing(
                session, board, week_period(now, workspace_zone), member.id
            )
            due = await practice.due_cards(session, member.id, now)
            upcoming = await practice.next_due(session, member.id)
            interview_open = await practice.has_open_interview(session, member.id)
            channels = (
                await self._channels(session, member.workspace_id, workspace_zone)
                if ref.is_admin
                else ()
            )
        today = now.astimezone(ZoneInfo(zone)).date()
        return HomeView(
            streak=current_streak(state, today, member.rest_days),
            longest=state.longest,
            freezes=state.freezes,
            points=overall.points if overall else 0,
            weekly_points=week.points if week else 0,
            rank=overall.rank if overall else None,
            due_reviews=len(due),
            next_review=local_time(upcoming, zone) if upcoming and not due else None,
            day_ends_in=time_left(now, zone)[1],
            interview_open=interview_open,
            channels=channels,
            is_admin=ref.is_admin,
        )

    async def _channels(
        self, session: Session, workspace_id: int, workspace_zone: str
    ) -> tuple[ChannelSummary, ...]:
        now = self.clock.now()
        found = []
        for channel in await daily_rows.subscribed_channels(session, workspace_id):
            schedule = schedule_of(channel, workspace_zone)
            upcoming = None if channel.paused else await next_post(session, channel, schedule, now)
            found.append(
                ChannelSummary(
                    name=channel.name or channel.external_id,
                    schedule=schedule.describe(),
                    paused=channel.paused,
                    next_post=local_time(upcoming, schedule.zone) if upcoming else None,
                    problem=channel.last_error,
                )
            )
        return tuple(found)
