"""`/leaderboard`: weekly or all-time, for the channel, the workspace or study groups."""

from __future__ import annotations

from datetime import date

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, split_args
from bot.events import BoardLine, CommandInvoked, Leaderboard, Outbound, Reply
from bot.progress import week_period
from bot.storage import boards, daily_rows, groups, practice
from bot.storage.members import ensure_member
from bot.storage.models import Member
from bot.storage.store import Session, Store

LEADERBOARD = CommandSpec(
    "leaderboard",
    "[weekly|all-time] [channel|server|group] | hide | show",
    "the top 10 and your own rank",
)
PERIOD_WORDS = {
    "weekly": "weekly",
    "week": "weekly",
    "all-time": "all",
    "alltime": "all",
    "all": "all",
    "total": "all",
}
SCOPE_WORDS = {
    "channel": "channel",
    "server": "server",
    "workspace": "server",
    "group": "group",
    "groups": "group",
    "study-group": "group",
}
TOP = 10


class Leaderboards:
    """Reads the running totals kept by `bot.progress`; never sums answers on the fly."""

    def __init__(self, store: Store, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone

    async def command(self, event: CommandInvoked) -> list[Outbound]:
        """`/leaderboard ...`."""
        words = [w.lower() for w in split_args(event.text)]
        if words in (["hide"], ["show"]):
            return await self._visibility(event, hidden=words == ["hide"])
        period, scope = "weekly", "server"
        for word in words:
            if word in PERIOD_WORDS:
                period = PERIOD_WORDS[word]
            elif word in SCOPE_WORDS:
                scope = SCOPE_WORDS[word]
            else:
                raise UsageError(f"I don't know '{word[:30]}'. Usage: {LEADERBOARD.synopsis()}")
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, event.member, now, self.default_timezone)
            _, workspace_zone = await practice.zones(session, member, self.default_timezone)
            key = boards.ALL_TIME if period == "all" else week_period(now, workspace_zone)
            when = "All-time" if period == "all" else f"This week (from {_day(key)})"
            footer = (
                f"Weekly boards start again every Monday 00:00 {workspace_zone}."
                if period == "weekly"
                else ""
            )
            if scope == "group":
                return [await self._groups(session, member, key, when, footer)]
            if scope == "channel":
                if event.channel.is_direct:
                    raise UsageError("Ask for a channel leaderboard in that channel.")
                channel = await daily_rows.find_channel(session, event.channel)
                board = boards.channel_board(channel.id) if channel else None
                title = f"{when} · #{event.channel.name or event.channel.channel_id}"
            else:
                board = boards.workspace_board(member.workspace_id)
                title = f"{when} · everyone here"
            return [await self._members(session, member, board, key, title, footer)]

    async def _members(
        self,
        session: Session,
        member: Member,
        board: str | None,
        period: str,
        title: str,
        footer: str,
    ) -> Leaderboard:
        top = await boards.top(session, board, period, TOP) if board else []
        lines = tuple(
            BoardLine(s.rank, s.name, s.points, you=s.member_id == member.id) for s in top
        )
        own: tuple[BoardLine, ...] = ()
        mine = await boards.standing(session, board, period, member.id) if board else None
        if mine is not None and not any(line.you for line in lines):
            note = "hidden from others: /leaderboard show" if mine.hidden else ""
            own = (BoardLine(mine.rank, mine.name, mine.points, note, you=True),)
        elif mine is None:
            footer = (footer + " No points for you here yet: answer a question!").strip()
        if not lines:
            footer = ("Nobody has points here yet. " + footer).strip()
        return Leaderboard(title, lines, own, footer)

    async def _groups(
        self, session: Session, member: Member, period: str, when: str, footer: str
    ) -> Leaderboard:
        standings = await boards.group_standings(session, member.workspace_id, period)
        mine = {group.id for group in await groups.groups_of(session, member.id)}
        lines = [
            BoardLine(
                g.rank,
                g.name,
                g.points,
                f"{g.per_active:.1f} per active member ({g.active} of {g.members} active)",
                you=g.group_id in mine,
            )
            for g in standings
        ]
        own = tuple(line for line in lines[TOP:] if line.you)
        if not lines:
            footer = ("No study groups yet: /study-group create NAME. " + footer).strip()
        return Leaderboard(f"{when} · study groups", tuple(lines[:TOP]), own, footer)

    async def _visibility(self, event: CommandInvoked, hidden: bool) -> list[Outbound]:
        async with self.store.transaction() as session:
            member = await ensure_member(
                session, event.member, self.clock.now(), self.default_timezone
            )
            member.hidden_from_boards = hidden
            await boards.set_hidden(session, member.id, hidden)
        if hidden:
            text = (
                "You are hidden from public leaderboards. You still earn points and see your "
                "own rank; /leaderboard show brings you back."
            )
        else:
            text = "You are back on the public leaderboards."
        return [Reply(text, private=True)]


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b}"
