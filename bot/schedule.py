"""A channel's daily-question schedule: parsing what admins type, and local post times."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands import UsageError
from bot.timezones import parse_zone
from question_bank.model import DIFFICULTY_NAMES

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_ONLY = 0b0011111
EVERY_DAY = 0b1111111
DIFFICULTIES = {"easy": 1, "medium": 2, "hard": 3}
MAX_REVEAL_DELAY = timedelta(days=6)
DEFAULT_REVEAL_LEAD = timedelta(hours=1)
"""Without a configured delay, the reveal comes this long before the channel's next post."""

_DAY_WORDS = {
    "weekdays": WEEKDAYS_ONLY,
    "workdays": WEEKDAYS_ONLY,
    "daily": EVERY_DAY,
    "everyday": EVERY_DAY,
    "all": EVERY_DAY,
    "weekends": 0b1100000,
    "weekend": 0b1100000,
}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_DURATION = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")


@dataclass(frozen=True)
class DailySchedule:
    """When and what a channel's daily question posts; `reveal_delay` None = 1 h before the
    next post."""

    post_time: time = time(9, 0)
    zone: str = "UTC"
    weekdays: int = WEEKDAYS_ONLY
    topics: tuple[str, ...] = ()
    difficulty: int | None = None
    reveal_delay: timedelta | None = None

    def describe(self) -> str:
        """One line an admin can read back."""
        topics = ", ".join(self.topics) if self.topics else "all topics"
        level = difficulty_word(self.difficulty, "any difficulty")
        reveal = (
            f"reveal {format_duration(self.reveal_delay)} after posting"
            if self.reveal_delay
            else "reveal 1 hour before the next question"
        )
        return (
            f"{self.post_time:%H:%M} {self.zone} on {describe_days(self.weekdays)}; "
            f"{topics}; {level}; {reveal}"
        )


def difficulty_word(level: int | None, default: str = "any") -> str:
    """`easy`, `medium`, `hard`, or `default` for no set difficulty."""
    return DIFFICULTY_NAMES.get(level or 0, default)


def day_list(mask: int) -> str:
    """A weekday bitmask as typed settings: `mon,wed,fri`."""
    return ",".join(name for i, name in enumerate(DAY_NAMES) if mask >> i & 1)


def parse_clock(text: str) -> time:
    """`09:00`, `9:30`, `17:45`, `9am`, `5:30pm` -> a time of day."""
    match = _CLOCK.match(text.strip().lower())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3):
            if not 1 <= hour <= 12:
                match = None
            else:
                hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        if match and hour < 24 and minute < 60:
            return time(hour, minute)
    raise UsageError(
        f"'{text[:20]}' is not a time of day. Use HH:MM on a 24-hour clock, e.g. 09:00 or 17:30."
    )


def parse_weekdays(text: str) -> int:
    """`mon-fri`, `weekdays`, `daily`, `mon,wed,fri`, `sat-sun` -> a Monday-first bitmask."""
    mask = 0
    cleaned = re.sub(r"\bevery\s+day\b", "everyday", text.strip().lower())
    for part in re.split(r"[,\s]+", cleaned):
        if not part:
            continue
        if part in _DAY_WORDS:
            mask |= _DAY_WORDS[part]
            continue
        first, _, last = part.partition("-")
        start, end = _day(first), _day(last or first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        for index in span:
            mask |= 1 << index
    if not mask:
        raise UsageError("Choose at least one weekday, e.g. days=mon-fri or days=mon,wed,fri.")
    return mask


def _day(word: str) -> int:
    for index, name in enumerate(FULL_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return index
    raise UsageError(
        f"'{word[:20]}' is not a weekday. Use mon, tue, wed, thu, fri, sat, sun, ranges like "
        "mon-fri, or weekdays/daily/weekends."
    )


def describe_days(mask: int) -> str:
    """A bitmask of weekdays as words."""
    if mask == EVERY_DAY:
        return "every day"
    if mask == WEEKDAYS_ONLY:
        return "weekdays"
    return ", ".join(name.capitalize() for i, name in enumerate(DAY_NAMES) if mask >> i & 1)


def parse_duration(text: str) -> timedelta:
    """`90m`, `2h`, `1h30m`, `1d` -> a duration."""
    cleaned = text.strip().lower().replace(" ", "")
    match = _DURATION.match(cleaned)
    if cleaned and match and any(match.groups()):
        days, hours, minutes = (int(g or 0) for g in match.groups())
        return timedelta(days=days, hours=hours, minutes=minutes)
    if cleaned.isdigit():
        return timedelta(minutes=int(cleaned))
    raise UsageError(f"'{text[:20]}' is not a duration. Use minutes or hours, e.g. 90m or 2h.")


def format_duration(delta: timedelta) -> str:
    """A duration as `2h 30m`."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return " ".join(p for p in parts if p) or "0m"


def parse_reveal(text: str) -> timedelta | None:
    """A reveal delay, or None for `default`/`next` (1 hour before the next question)."""
    if text.strip().lower() in {"default", "next", "auto"}:
        return None
    delay = parse_duration(text)
    if not timedelta(minutes=1) <= delay <= MAX_REVEAL_DELAY:
        raise UsageError("The reveal delay must be between 1 minute and 6 days.")
    return delay


def parse_difficulty(text: str) -> int | None:
    """`easy|medium|hard|any` -> 1-3 or None."""
    word = text.strip().lower()
    if word in {"any", "mixed", "all"}:
        return None
    if word in DIFFICULTIES:
        return DIFFICULTIES[word]
    raise UsageError(f"'{text[:20]}' is not a difficulty. Use easy, medium, hard or any.")


def apply_settings(
    schedule: DailySchedule, settings: dict[str, str], topic_of: Callable[[str], str | None]
) -> DailySchedule:
    """A new schedule with the typed `settings` applied; every value is checked before any is
    used, so one bad value changes nothing. `topic_of(word)` resolves a topic or returns None."""
    changes: dict[str, object] = {}
    for key, value in settings.items():
        match key:
            case "time" | "at":
                changes["post_time"] = parse_clock(value)
            case "tz" | "timezone" | "zone":
                changes["zone"] = parse_zone(value)
            case "days" | "weekdays":
                changes["weekdays"] = parse_weekdays(value)
            case "difficulty" | "level":
                changes["difficulty"] = parse_difficulty(value)
            case "reveal":
                changes["reveal_delay"] = parse_reveal(value)
            case "topics" | "topic":
                changes["topics"] = _topics(value, topic_of)
            case _:
                raise UsageError(
                    f"I don't know the setting '{key[:20]}'. Settings: time, tz, days, topics, "
                    "difficulty, reveal."
                )
    return replace(schedule, **changes)


def _topics(value: str, topic_of: Callable[[str], str | None]) -> tuple[str, ...]:
    words = [w for w in re.split(r"[,\s]+", value.strip().lower()) if w]
    if not words or words in (["all"], ["any"], ["mixed"]):
        return ()
    found: list[str] = []
    for word in words:
        topic = topic_of(word)
        if topic is None:
            raise UsageError(f"'{word[:30]}' is not a topic.")
        if topic not in found:
            found.append(topic)
    return tuple(found)


def local_post_at(day: date, post_time: time, zone: str) -> datetime:
    """The instant (UTC) of `post_time` on `day` in `zone`.

    A time that does not exist that day (the hour skipped when clocks go forward) moves
    forward by the size of the gap; a time that happens twice (clocks go back) is the first.
    """
    # zoneinfo reads a skipped wall time with the offset from before the gap (fold=0), which
    # lands that many minutes later; a repeated wall time with fold=0 is its first occurrence.
    return datetime.combine(day, post_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def post_times(schedule: DailySchedule, after: datetime, days: int = 8) -> list[datetime]:
    """The scheduled post instants strictly after `after`, over the next `days` local days."""
    tz = ZoneInfo(schedule.zone)
    start = after.astimezone(tz).date()
    found = []
    for offset in range(days + 1):
        day = start + timedelta(days=offset)
        if schedule.weekdays >> day.weekday() & 1:
            moment = local_post_at(day, schedule.post_time, schedule.zone)
            if moment > after:
                found.append(moment)
    return found


def reveal_time(schedule: DailySchedule, posted_at: datetime, local_day: date) -> datetime:
    """When the question posted at `posted_at` (for `local_day`) is revealed."""
    if schedule.reveal_delay is not None:
        return posted_at + schedule.reveal_delay
    tz = ZoneInfo(schedule.zone)
    day_end = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    # Just before midnight, so a post at 00:00 the next day is found too.
    upcoming = post_times(schedule, max(day_end - timedelta(microseconds=1), posted_at))
    if not upcoming:
        return posted_at + timedelta(days=1) - DEFAULT_REVEAL_LEAD
    return max(upcoming[0] - DEFAULT_REVEAL_LEAD, posted_at + timedelta(minutes=1))


def latest_slot(schedule: DailySchedule, now: datetime) -> tuple[date, datetime] | None:
    """The most recent scheduled post at or before `now`: its local date and instant."""
    tz = ZoneInfo(schedule.zone)
    today = now.astimezone(tz).date()
    for back in range(8):
        day = today - timedelta(days=back)
        if schedule.weekdays >> day.weekday() & 1:
            moment = local_post_at(day, schedule.post_time, schedule.zone)
            if moment <= now:
                return day, moment
    return None
