"""A member's own settings and streak: `/timezone` and `/streak`."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, parse_on_off, split_args
from bot.events import CommandInvoked, Outbound, Reply
from bot.schedule import describe_days, parse_weekdays
from bot.storage import practice
from bot.storage.members import ensure_member
from bot.storage.models import Workspace
from bot.storage.store import Store
from bot.storage.streak_rows import load_streak
from bot.streaks import FREEZE_EVERY, MAX_FREEZES, current_streak, missed_days
from bot.timezones import parse_zone

TIMEZONE = CommandSpec(
    "timezone",
    "[Area/City | reset | workspace Area/City]",
    "your time zone, which decides when your day (and streak day) ends",
    checks_admin=True,
)
STREAK = CommandSpec(
    "streak",
    "[rest sat,sun | rest none | reminders on|off]",
    "your streak, freezes, rest days and when your day ends",
)


def time_left(now: datetime, zone: str) -> tuple[datetime, str]:
    """The member's next local midnight and how long until it, as `5 h 12 min`."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
    left = midnight.astimezone(UTC) - now
    hours, rest = divmod(int(left.total_seconds()) // 60, 60)
    return midnight, f"{hours} h {rest} min" if hours else f"{rest} min"


class MemberCommands:
    """`/timezone` and `/streak`."""

    def __init__(self, store: Store, clock: Clock, default_timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone

    async def timezone(self, event: CommandInvoked) -> list[Outbound]:
        """Show or set the member's time zone (admins: the workspace default)."""
        words = split_args(event.text)
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, event.member, now, self.default_timezone)
            if words and words[0].lower() == "workspace":
                if not event.member.is_admin:
                    return [
                        Reply(
                            "Only workspace admins can set the workspace time zone.",
                            private=True,
                        )
                    ]
                if len(words) < 2:
                    raise UsageError("Usage: /timezone workspace Area/City")
                zone = parse_zone(" ".join(words[1:]))
                workspace = await session.get(Workspace, member.workspace_id)
                assert workspace is not None
                workspace.timezone = zone
                return [
                    Reply(
                        f"The workspace time zone is now {zone}: weekly leaderboards reset on "
                        "Monday 00:00 there, and members without a time zone of their own use it.",
                        private=True,
                    )
                ]
            if words and words[0].lower() in {"reset", "clear", "default"}:
                member.timezone = None
                zone, _ = await practice.zones(session, member, self.default_timezone)
                return [
                    Reply(f"Your time zone now follows the workspace's ({zone}).", private=True)
                ]
            if words:
                member.timezone = parse_zone(" ".join(words))
                _, left = time_left(now, member.timezone)
                local = now.astimezone(ZoneInfo(member.timezone))
                return [
                    Reply(
                        f"Your time zone is now {member.timezone} (it is {local:%H:%M} there; "
                        f"your day ends in {left}). Streak days that already counted stay "
                        "counted.",
                        private=True,
                    )
                ]
            zone, _ = await practice.zones(session, member, self.default_timezone)
            source = "your own setting" if member.timezone else "the workspace default"
            local = now.astimezone(ZoneInfo(zone))
            return [
                Reply(
                    f"Your time zone is {zone} ({source}); it is {local:%a %H:%M} there. "
                    "Change it with /timezone Area/City, e.g. /timezone Europe/Berlin.",
                    private=True,
                )
            ]

    async def streak(self, event: CommandInvoked) -> list[Outbound]:
        """Show the streak, or set rest days and reminders."""
        words = [w.lower() for w in split_args(event.text)]
        now = self.clock.now()
        async with self.store.transaction() as session:
            member = await ensure_member(session, event.member, now, self.default_timezone)
            if words and words[0] == "rest":
                value = " ".join(words[1:])
                if not value:
                    raise UsageError("Usage: /streak rest sat,sun (or /streak rest none)")
                member.rest_days = 0 if value in {"none", "off", "no"} else parse_weekdays(value)
                if member.rest_days == 0b1111111:
                    member.rest_days = 0
                    raise UsageError("Keep at least one day that is not a rest day.")
                days = describe_days(member.rest_days) if member.rest_days else "none"
                return [Reply(f"Rest days: {days}. They never break your streak.", private=True)]
            if words and words[0] == "reminders":
                usage = "/streak reminders on|off"
                if len(words) != 2:
                    raise UsageError(f"Usage: {usage}")
                member.streak_reminders = parse_on_off(words[1], usage)
                state = "on" if member.streak_reminders else "off"
                return [
                    Reply(
                        f"Streak reminders are {state}: a DM a few hours before your day ends, "
                        "only on days you have not answered yet.",
                        private=True,
                    )
                ]
            if words:
                raise UsageError(f"Usage: {STREAK.synopsis()}")
            state = await load_streak(session, member.id)
            zone, _ = await practice.zones(session, member, self.default_timezone)
        today = now.astimezone(ZoneInfo(zone)).date()
        current = current_streak(state, today, member.rest_days)
        _, left = time_left(now, zone)
        lines = [
            f"Current streak: {current} day{'s' if current != 1 else ''} "
            f"(longest: {max(state.longest, current)}).",
            f"Freezes: {state.freezes} of {MAX_FREEZES} — you earn one every {FREEZE_EVERY} "
            "days in a row, and one is spent by itself on a day you miss.",
        ]
        if state.last_date == today:
            lines.append(f"Today counts already. Your day ends in {left} (midnight {zone}).")
        elif current:
            gap = missed_days(state.last_date, today, member.rest_days) if state.last_date else 0
            covered = (
                f" ({gap} missed day{'s' if gap != 1 else ''} covered by freezes)" if gap else ""
            )
            lines.append(
                f"Answer a question in the next {left} (before midnight {zone}) to keep it"
                f"{covered}."
            )
        else:
            lines.append(f"Answer any question today to start one; your day ends in {left}.")
        if member.rest_days:
            lines.append(f"Rest days: {describe_days(member.rest_days)}.")
        return [Reply("\n".join(lines), private=True, title="Your streak")]
