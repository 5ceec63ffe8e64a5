"""The weekly recap: on Monday morning, last week's board, top study group and a chart."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.daily import schedule_of
from bot.events import Attachment, BoardLine, ChannelMessage, Leaderboard, Outbound
from bot.progress import week_period
from bot.schedule import local_post_at
from bot.stats_chart import render_stats_chart
from bot.storage import boards, daily_rows, schedule_rows
from bot.storage.models import Channel
from bot.storage.store import Store
from question_bank import Bank

log = logging.getLogger(__name__)


def monday_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


class WeeklyRecaps:
    """Finds channels whose recap is due and builds each recap once."""

    def __init__(
        self, store: Store, bank: Bank, clock: Clock, default_timezone: str, grace: timedelta
    ) -> None:
        self.store = store
        self.bank = bank
        self.clock = clock
        self.default_timezone = default_timezone
        self.grace = grace

    async def due(self, platforms: frozenset[str] | None = None) -> list[tuple[int, date]]:
        """(channel, Monday) for every recap whose time (Monday at the channel's post time,
        in its zone) has come within the grace window and that has not gone out."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            channels = await schedule_rows.active_channels(session)
            sent = await schedule_rows.recaps_sent_since(session, now.date() - timedelta(days=8))
        due = []
        for active in channels:
            if platforms is not None and active.platform not in platforms:
                continue
            schedule = schedule_of(active.channel, active.workspace_zone)
            monday = monday_of(now.astimezone(ZoneInfo(schedule.zone)).date())
            at = local_post_at(monday, schedule.post_time, schedule.zone)
            if at <= now <= at + self.grace and (active.channel.id, monday) not in sent:
                due.append((active.channel.id, monday))
        return due

    async def recap(self, channel_id: int, monday: date) -> list[Outbound]:
        """Claim and build the recap of the week before `monday` (nothing if already sent)."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            channel = await session.get(Channel, channel_id)
            if channel is None or not await schedule_rows.claim_recap(
                session, channel_id, monday, now
            ):
                return []
            zone = await daily_rows.workspace_zone(
                session, channel.workspace_id, self.default_timezone
            )
            first, last = monday - timedelta(days=7), monday - timedelta(days=1)
            period = week_period(
                local_post_at(last, schedule_of(channel, zone).post_time, zone), zone
            )
            top = await boards.top(session, boards.channel_board(channel_id), period, 10)
            groups = await boards.group_standings(session, channel.workspace_id, period)
            answers = await schedule_rows.channel_week(session, channel_id, first, last)
            ref = await daily_rows.channel_ref(session, channel)
        name = channel.name or channel.external_id
        leader = next((g for g in groups if g.points > 0), None)
        footer = (
            f"Top study group: {leader.name} with {leader.points} points."
            if leader
            else "No study group scored last week: /study-group create NAME."
        )
        board = Leaderboard(
            f"Last week in #{name} ({first:%d %b} to {last:%d %b})",
            tuple(BoardLine(s.rank, s.name, s.points) for s in top),
            (),
            f"{len(answers)} answers to the daily question. {footer} A new week starts now.",
        )
        chart = render_stats_chart(
            *self._chart_data(answers, first),
            title=f"#{name}, last week",
            activity_title="Answers per day",
        )
        return [
            ChannelMessage(ref, board),
            ChannelMessage(ref, Attachment("weekly-recap.png", chart, "image/png", "Last week")),
        ]

    def _chart_data(
        self, answers: list[tuple[date, str, int]], first: date
    ) -> tuple[list[tuple[date, int]], list[tuple[str, int, float]]]:
        per_day: dict[date, int] = defaultdict(int)
        per_topic: dict[str, list[int]] = defaultdict(list)
        for day, qid, score in answers:
            per_day[day] += 1
            question = self.bank.get(qid)
            per_topic[question.topic if question else "other"].append(score)
        days = [(first + timedelta(days=i), per_day[first + timedelta(days=i)]) for i in range(7)]
        topics = [
            (self.bank.topic_titles.get(t, t), len(s), sum(s) / len(s))
            for t, s in sorted(per_topic.items())
        ]
        return days, topics
