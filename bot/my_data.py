"""A member's own data: `/interview-stats`, `/interview-export`, `/interview-forget-me`."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, split_args
from bot.events import Attachment, Button, CommandInvoked, Outbound, Reply, Section
from bot.stats_chart import render_stats_chart
from bot.storage import boards, member_data, practice
from bot.storage.members import ensure_member, find_member
from bot.storage.store import Store
from bot.storage.streak_rows import load_streak
from bot.streaks import current_streak
from bot.wording import plural
from question_bank import Bank

log = logging.getLogger(__name__)

STATS = CommandSpec(
    "interview-stats", "", "your streak, points, rank and scores by topic, with a chart"
)
EXPORT = CommandSpec("interview-export", "", "everything stored about you, as JSON")
FORGET = CommandSpec("interview-forget-me", "[confirm]", "delete everything stored about you")
ACTIVITY_DAYS = 30


class MyData:
    """What a member can see, take away or erase of their own data."""

    def __init__(self, store: Store, bank: Bank, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.bank = bank
        self.clock = clock
        self.default_timezone = default_timezone

    async def stats(self, event: CommandInvoked) -> list[Outbound]:
        """Streak, points, rank, per-topic answers and scores, 30 days of activity, a chart."""
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, event.member, now, self.default_timezone)
            zone, _ = await practice.zones(session, member, self.default_timezone)
            today = now.astimezone(ZoneInfo(zone)).date()
            streak = await load_streak(session, member.id)
            board = boards.workspace_board(member.workspace_id)
            standing = await boards.standing(session, board, boards.ALL_TIME, member.id)
            since = today - timedelta(days=ACTIVITY_DAYS - 1)
            activity = await member_data.activity(session, member.id, since)
            questions = await member_data.per_question(session, member.id)
        by_topic: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for qid, count, mean in questions:
            question = self.bank.get(qid.split("#")[0])
            by_topic[question.topic if question else "retired questions"].append((count, mean))
        topics = sorted(
            (
                (
                    topic,
                    sum(c for c, _ in rows),
                    sum(c * m for c, m in rows) / sum(c for c, _ in rows),
                )
                for topic, rows in by_topic.items()
            ),
            key=lambda row: -row[1],
        )
        days = [
            (since + timedelta(days=i), activity.get(since + timedelta(days=i), (0, 0.0))[0])
            for i in range(ACTIVITY_DAYS)
        ]
        active_days = sum(1 for _, count in days if count)
        points = standing.points if standing else 0
        rank = f"#{standing.rank} in this workspace" if standing else "not ranked yet"
        current = current_streak(streak, today, member.rest_days)
        summary = (
            f"Streak: {plural(current, 'day')} (longest {max(streak.longest, current)}), "
            f"{plural(streak.freezes, 'freeze')}. "
            f"Points: {points} all-time, {rank}. "
            f"Active on {active_days} of the last {ACTIVITY_DAYS} days."
        )
        topic_lines = (
            "\n".join(
                f"- {self.bank.topic_titles.get(t, t)}: {plural(n, 'answer')}, mean {m:.0f}/100"
                for t, n, m in topics
            )
            or "No graded answers yet: try /mock-interview or today's daily question."
        )
        name = event.member.display_name or event.member.user_id
        chart = render_stats_chart(
            days,
            [(self.bank.topic_titles.get(t, t), n, m) for t, n, m in topics],
            f"Practice of {name}",
        )
        return [
            Reply(
                summary,
                private=True,
                title="Your interview practice",
                sections=(Section("By topic", topic_lines),),
            ),
            Attachment("interview-stats.png", chart, "image/png", "Your practice chart"),
        ]

    async def export(self, event: CommandInvoked) -> list[Outbound]:
        """Every row stored about the member, as a JSON file."""
        async with self.store.transaction() as session:
            member = await find_member(session, event.member)
            data = await member_data.export_member(session, member.id) if member else {}
        document = {
            "exported_at": self.clock.now().isoformat(),
            "member": f"{event.member.platform}:{event.member.workspace_id}:{event.member.user_id}",
            "tables": data,
        }
        payload = json.dumps(document, indent=2, ensure_ascii=False, default=str).encode("utf-8")
        rows = sum(len(v) for v in data.values())
        return [
            Attachment(
                "interview-data.json",
                payload,
                "application/json",
                f"Everything stored about you: {rows} rows.",
            )
        ]

    async def forget(self, event: CommandInvoked) -> list[Outbound]:
        """Ask for confirmation, then delete every row about the member."""
        words = [w.lower() for w in split_args(event.text)]
        if words not in ([], ["confirm"]):
            raise UsageError(f"Usage: {FORGET.synopsis()}")
        if not words:
            return [
                Reply(
                    "This deletes everything stored about you: answers, interviews, review "
                    "cards, streak, points and study-group memberships. It cannot be undone. "
                    "You may want /interview-export first.",
                    private=True,
                    title="Delete your data?",
                    buttons=(
                        Button("Delete my data", "/interview-forget-me confirm", danger=True),
                    ),
                )
            ]
        async with self.store.transaction() as session:
            member = await find_member(session, event.member)
            removed = await member_data.forget_member(session, member.id) if member else 0
        log.info("forgot a member on request (%d rows)", removed)
        return [
            Reply(
                f"Done: {removed} rows about you are deleted. If you use the bot again, it "
                "starts from scratch.",
                private=True,
            )
        ]
