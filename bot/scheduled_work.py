"""What the scheduler asks the engine for: due posts, retries, weekly recaps and reminders."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.daily import DailyQuestions, schedule_of
from bot.daily_render import local_time, question_card
from bot.domain import ChannelRef, MemberRef
from bot.events import DirectMessage, Outbound, QuestionCard, Reply
from bot.recaps import WeeklyRecaps
from bot.schedule import latest_slot, local_post_at
from bot.storage import daily_rows, schedule_rows
from bot.storage.models import Channel, Member, Workspace
from bot.storage.store import Store
from bot.streaks import StreakState, current_streak, is_rest_day
from bot.wording import plural
from question_bank import Bank

log = logging.getLogger(__name__)

RETRY_AFTER_MINUTES = (0, 2, 5, 15, 30, 60)
"""Attempt n+1 may start this many minutes after the post was claimed; the 2-minute wait
before the first retry leaves a slow first delivery (429s, retries) time to finish."""
MAX_DELIVERY_ATTEMPTS = len(RETRY_AFTER_MINUTES)
STREAK_REMINDER_LEAD = timedelta(hours=3)
REVIEW_REMINDER_AT = time(18, 0)


@dataclass(frozen=True)
class DueSlot:
    """A channel's scheduled post that should go out now."""

    channel_id: int
    day: date
    at: datetime


def retry_wait(attempts: int) -> timedelta:
    """How long after the claim attempt number `attempts + 1` may start."""
    return timedelta(minutes=RETRY_AFTER_MINUTES[min(attempts, MAX_DELIVERY_ATTEMPTS - 1)])


class ScheduledWork:
    """The engine's side of every timed job; safe to run twice (claims decide)."""

    def __init__(
        self,
        store: Store,
        bank: Bank,
        daily: DailyQuestions,
        clock: Clock,
        default_timezone: str,
        grace: timedelta,
    ) -> None:
        self.store = store
        self.bank = bank
        self.daily = daily
        self.clock = clock
        self.default_timezone = default_timezone
        self.grace = grace
        self.recaps = WeeklyRecaps(store, bank, clock, default_timezone, grace)

    async def due_posts(
        self, *, report_skipped: bool = False, platforms: frozenset[str] | None = None
    ) -> list[DueSlot]:
        """Channels whose latest scheduled post has not gone out and is at most `grace` old,
        on `platforms` (those this process can post to; default all).

        An older missed post is skipped (and logged when `report_skipped`, at start).
        """
        now = self.clock.now()
        async with self.store.transaction() as session:
            channels = await schedule_rows.active_channels(session)
        due = []
        for active in channels:
            if platforms is not None and active.platform not in platforms:
                continue
            schedule = schedule_of(active.channel, active.workspace_zone)
            slot = latest_slot(schedule, now)
            if slot is None or (active.last_post is not None and active.last_post >= slot[0]):
                continue
            day, at = slot
            if now - at > self.grace:
                if report_skipped:
                    log.warning(
                        "skipped the daily question of channel %s for %s: missed by %s, more "
                        "than the grace window",
                        active.channel.id,
                        day,
                        now - at,
                    )
                continue
            due.append(DueSlot(active.channel.id, day, at))
        return due

    async def post(self, slot: DueSlot) -> list[Outbound]:
        """Claim and build one due post (nothing when another process got there first)."""
        return await self.daily.post(slot.channel_id, slot.day)

    async def retry_cards(self) -> list[QuestionCard]:
        """Posts claimed but not delivered whose next try is due; each try is claimed, so two
        schedulers never deliver the same post twice."""
        now = self.clock.now()
        cards = []
        async with self.store.transaction() as session:
            for post in await schedule_rows.undelivered(
                session, now - self.grace, MAX_DELIVERY_ATTEMPTS
            ):
                if now < post.posted_at + retry_wait(post.delivery_attempts):
                    continue
                channel = await session.get(Channel, post.channel_id)
                question = self.bank.get(post.question_id)
                if channel is None or question is None:
                    continue
                if not await schedule_rows.claim_attempt(session, post.id, post.delivery_attempts):
                    continue
                zone = await daily_rows.workspace_zone(
                    session, channel.workspace_id, self.default_timezone
                )
                ref = await daily_rows.channel_ref(session, channel)
                cards.append(
                    question_card(
                        ref, post.id, question, self.bank, post.reveal_at, channel.timezone or zone
                    )
                )
        return cards

    async def delivered(self, post_id: int, message_ref: str) -> None:
        """A post went out."""
        async with self.store.transaction() as session:
            await daily_rows.set_message_ref(session, post_id, message_ref, self.clock.now())
            post = await daily_rows.get_post(session, post_id)
            if post is not None:
                await schedule_rows.clear_problem(session, post.channel_id)

    async def delivery_failed(self, post_id: int, error: str) -> None:
        """A post could not go out: count it, and show the problem in the channel's status."""
        async with self.store.transaction() as session:
            await schedule_rows.delivery_failed(session, post_id, error, self.clock.now())

    async def channel_failed_by_ref(self, ref: ChannelRef, error: str) -> None:
        """Something for the channel failed (a reveal, a recap): show it to its admins."""
        async with self.store.transaction() as session:
            channel = await daily_rows.find_channel(session, ref)
            if channel is not None:
                channel.last_error, channel.last_error_at = error[:500], self.clock.now()

    async def reminders(self, platforms: frozenset[str] | None = None) -> list[DirectMessage]:
        """Streak-at-risk and reviews-due DMs that are due now, for members on `platforms`;
        each at most once a day."""
        now = self.clock.now()
        found: list[DirectMessage] = []
        async with self.store.transaction() as session:
            for member, streak, workspace in await schedule_rows.streak_reminder_candidates(
                session
            ):
                if platforms is not None and workspace.platform not in platforms:
                    continue
                zone = member.timezone or workspace.timezone or self.default_timezone
                local = now.astimezone(ZoneInfo(zone))
                today = local.date()
                midnight = local_post_at(today + timedelta(days=1), time(0), zone)
                state = StreakState(
                    streak.current, streak.longest, streak.freezes, streak.last_active_date
                )
                at_risk = (
                    streak.last_active_date != today
                    and not is_rest_day(today, member.rest_days)
                    and current_streak(state, today, member.rest_days) > 0
                    and midnight - now <= STREAK_REMINDER_LEAD
                )
                if at_risk and await schedule_rows.claim_reminder(
                    session, member.id, "streak", today, now
                ):
                    text = (
                        f"Your {plural(streak.current, 'day')} streak ends at midnight "
                        f"({local_time(midnight, zone)}) unless you answer a question today: "
                        "try /mock-interview 1 or today's daily question."
                    )
                    found.append(DirectMessage(_ref(member, workspace), Reply(text, private=True)))
            for member, workspace, due in await schedule_rows.review_reminder_candidates(
                session, now
            ):
                if platforms is not None and workspace.platform not in platforms:
                    continue
                zone = member.timezone or workspace.timezone or self.default_timezone
                local = now.astimezone(ZoneInfo(zone))
                if local.time() < REVIEW_REMINDER_AT:
                    continue
                if await schedule_rows.claim_reminder(
                    session, member.id, "review", local.date(), now
                ):
                    text = (
                        f"{plural(due, 'question is', 'questions are')} due for review. "
                        "/review drills them."
                    )
                    found.append(DirectMessage(_ref(member, workspace), Reply(text, private=True)))
        return found


def _ref(member: Member, workspace: Workspace) -> MemberRef:
    return MemberRef(
        workspace.platform,
        workspace.external_id,
        member.external_id,
        display_name=member.display_name,
    )
