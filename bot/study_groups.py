"""`/study-group create|join|leave|list|info`: named teams that compete on their own board."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, split_args
from bot.events import CommandInvoked, Outbound, Reply, Section
from bot.progress import week_period
from bot.storage import boards, groups, practice
from bot.storage.members import ensure_member
from bot.storage.models import Member, StudyGroup
from bot.storage.store import Session, Store
from bot.streaks import group_streak

STUDY_GROUP = CommandSpec(
    "study-group",
    "create NAME | join NAME | leave [NAME] | list | info [NAME]",
    "study groups that compete as teams",
)
NAME_RULE = re.compile(r"^[\w][\w .'&+-]{1,39}$")
STREAK_WINDOW = timedelta(days=400)


def group_name(words: list[str]) -> str:
    """A group name from the words after the action; letters, digits, spaces and - _ . ' & +."""
    name = " ".join(" ".join(words).split())
    if not name:
        raise UsageError("Give the group a name, e.g. /study-group create Stats Nerds")
    if not NAME_RULE.match(name):
        raise UsageError(
            "Group names are 2 to 40 characters: letters, digits, spaces and - _ . ' & +."
        )
    return name


class StudyGroups:
    """Study groups of one workspace."""

    def __init__(self, store: Store, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone

    async def command(self, event: CommandInvoked) -> list[Outbound]:
        """`/study-group ...`."""
        words = split_args(event.text)
        action = words[0].lower() if words else "info"
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, event.member, now, self.default_timezone)
            match action:
                case "create" | "new":
                    name = group_name(words[1:])
                    group = await groups.create_group(
                        session, member.workspace_id, name, member.id, now
                    )
                    if group is None:
                        raise UsageError(
                            f"There is already a group called {name}: /study-group join {name}"
                        )
                    return [
                        Reply(
                            f"Created the study group {group.name}, with you in it. Others join "
                            f"with /study-group join {group.name}.",
                            private=True,
                        )
                    ]
                case "join":
                    group = await self._named(session, member, words[1:])
                    joined = await groups.join_group(session, group.id, member.id, now)
                    text = (
                        f"You joined {group.name}."
                        if joined
                        else f"You are already in {group.name}."
                    )
                    return [Reply(text, private=True)]
                case "leave":
                    group = await self._mine(session, member, words[1:], "leave")
                    await groups.leave_group(session, group.id, member.id)
                    return [Reply(f"You left {group.name}.", private=True)]
                case "list":
                    return await self._list(session, member)
                case "info":
                    group = await self._mine(session, member, words[1:], "info", any_group=True)
                    return await self._info(session, member, group)
        raise UsageError(f"Usage: {STUDY_GROUP.synopsis()}")

    async def _named(self, session: Session, member: Member, words: list[str]) -> StudyGroup:
        name = group_name(words)
        group = await groups.find_group(session, member.workspace_id, name)
        if group is None:
            raise UsageError(
                f"There is no group called {name}. See them all with /study-group list."
            )
        return group

    async def _mine(
        self,
        session: Session,
        member: Member,
        words: list[str],
        action: str,
        any_group: bool = False,
    ) -> StudyGroup:
        if words:
            group = await self._named(session, member, words)
            if any_group or group.id in {g.id for g in await groups.groups_of(session, member.id)}:
                return group
            raise UsageError(f"You are not in {group.name}.")
        mine = await groups.groups_of(session, member.id)
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise UsageError(
                "You are not in a study group. /study-group list shows them; "
                "/study-group create NAME starts one."
            )
        names = ", ".join(g.name for g in mine)
        raise UsageError(f"You are in several groups ({names}): /study-group {action} NAME")

    async def _list(self, session: Session, member: Member) -> list[Outbound]:
        rows = await groups.list_groups(session, member.workspace_id)
        if not rows:
            return [
                Reply("No study groups yet. Start one with /study-group create NAME.", private=True)
            ]
        mine = {g.id for g in await groups.groups_of(session, member.id)}
        lines = [
            f"- {group.name}: {count} member{'s' if count != 1 else ''}"
            + (" (yours)" if group.id in mine else "")
            for group, count in rows
        ]
        return [Reply("\n".join(lines), private=True, title="Study groups")]

    async def _info(self, session: Session, member: Member, group: StudyGroup) -> list[Outbound]:
        now = self.clock.now()
        _, workspace_zone = await practice.zones(session, member, self.default_timezone)
        people = await groups.members_of(session, group.id)
        week = week_period(now, workspace_zone)
        standings = {
            period: next(
                (
                    s
                    for s in await boards.group_standings(session, member.workspace_id, period)
                    if s.group_id == group.id
                ),
                None,
            )
            for period in (week, boards.ALL_TIME)
        }
        today = now.astimezone(ZoneInfo(workspace_zone)).date()
        answered = await groups.answered_days(session, group.id, today - STREAK_WINDOW)
        streak = group_streak(answered, len(people), today)
        sections = []
        for label, period in (("This week", week), ("All-time", boards.ALL_TIME)):
            standing = standings[period]
            if standing is not None:
                sections.append(
                    Section(
                        label,
                        f"#{standing.rank} with {standing.points} points, "
                        f"{standing.per_active:.1f} per active member "
                        f"({standing.active} of {standing.members} active)",
                    )
                )
        names = ", ".join(p.display_name or p.external_id for p in people)
        sections.append(Section(f"Members ({len(people)})", names))
        return [
            Reply(
                f"Group streak: {streak} day{'s' if streak != 1 else ''} (a day counts when at "
                "least half the members answer).",
                private=True,
                title=f"Study group {group.name}",
                sections=tuple(sections),
            )
        ]
