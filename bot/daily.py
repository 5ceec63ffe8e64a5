"""The daily channel question: admin setup, posting, private answers and the group reveal."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, split_args
from bot.daily_answers import DailyAnswers
from bot.daily_pick import daily_pool, pick_daily_question
from bot.daily_render import local_time, question_card, reveal_card
from bot.events import CommandInvoked, FormField, FormRequest, FormSubmitted, Outbound, Reply
from bot.interview_options import resolve_topic
from bot.schedule import (
    DailySchedule,
    apply_settings,
    day_list,
    difficulty_word,
    format_duration,
    post_times,
    reveal_time,
)
from bot.storage import daily_rows
from bot.storage.models import Channel
from bot.storage.store import Session, Store
from question_bank import Bank

log = logging.getLogger(__name__)

DAILY = CommandSpec(
    "daily-question",
    "status | setup [time=09:00] [tz=Europe/Berlin] [days=mon-fri] [topics=a,b] "
    "[difficulty=any] [reveal=2h] | pause | resume | now | reveal",
    "the channel's daily question (admins set it up)",
    checks_admin=True,
)
ADMIN_ONLY = {"setup", "pause", "resume", "now", "reveal"}
SETUP_FORM = "daily-setup"
SETUP_FIELDS = ("time", "tz", "days", "topics", "difficulty", "reveal")


def schedule_of(channel: Channel, fallback_zone: str) -> DailySchedule:
    """The stored channel settings as a schedule."""
    hours, minutes = (int(part) for part in channel.post_time.split(":"))
    return DailySchedule(
        post_time=datetime(2000, 1, 1, hours, minutes).time(),
        zone=channel.timezone or fallback_zone,
        weekdays=channel.weekdays,
        topics=tuple(channel.topics or ()),
        difficulty=channel.difficulty,
        reveal_delay=(
            timedelta(minutes=channel.reveal_delay_minutes)
            if channel.reveal_delay_minutes
            else None
        ),
    )


def _store_schedule(channel: Channel, schedule: DailySchedule) -> None:
    channel.post_time = f"{schedule.post_time:%H:%M}"
    channel.timezone = schedule.zone
    channel.weekdays = schedule.weekdays
    channel.topics = list(schedule.topics)
    channel.difficulty = schedule.difficulty
    channel.reveal_delay_minutes = (
        int(schedule.reveal_delay.total_seconds() // 60) if schedule.reveal_delay else None
    )


async def next_post(
    session: Session, channel: Channel, schedule: DailySchedule, now: datetime
) -> datetime | None:
    """The channel's next scheduled post, skipping a day that already has its question."""
    latest = await daily_rows.latest_post(session, channel.id)
    tz = ZoneInfo(schedule.zone)
    for moment in post_times(schedule, now):
        if latest is None or moment.astimezone(tz).date() > latest.local_date:
            return moment
    return None


class DailyQuestions:
    """Everything about channels' daily questions; the scheduler calls `post` and `reveal`."""

    def __init__(
        self, store: Store, bank: Bank, answers: DailyAnswers, clock: Clock, default_timezone: str
    ) -> None:
        self.store = store
        self.bank = bank
        self.answers = answers
        self.clock = clock
        self.default_timezone = default_timezone

    async def command(self, event: CommandInvoked) -> list[Outbound]:
        """`/daily-question ...`."""
        words = split_args(event.text)
        action = words[0].lower() if words else "status"
        if action in {"help", "options"}:
            return [Reply(f"Usage: {DAILY.synopsis()}", private=True)]
        if event.channel.is_direct:
            raise UsageError(
                "Run /daily-question in the channel that should get the daily question."
            )
        if action in ADMIN_ONLY and not event.member.is_admin:
            return [
                Reply(
                    "Only workspace admins can change the daily question. Ask one of them, or "
                    "use /daily-question status to see how it is set up.",
                    private=True,
                )
            ]
        now = self.clock.now()
        async with self.store.transaction() as session:
            channel = await daily_rows.ensure_channel(
                session, event.channel, now, self.default_timezone
            )
            match action:
                case "setup":
                    return await self._setup(session, channel, words[1:])
                case "pause" | "resume":
                    return self._pause(channel, action == "pause", now)
                case "status":
                    return await self._status(session, channel, now)
                case "now":
                    posted = await self._post(session, channel, now)
                    if posted:
                        return posted
                    return [Reply("Today's question is already posted here.", private=True)]
                case "reveal":
                    post = await daily_rows.latest_post(session, channel.id)
                    if post is None:
                        return [Reply("No daily question has been posted here yet.", private=True)]
                    revealed = await self._reveal(session, post.id, now)
                    return revealed or [Reply("That question is already revealed.", private=True)]
        raise UsageError(f"I don't know '/daily-question {action[:30]}'. Usage: {DAILY.synopsis()}")

    async def setup_form(self, event: FormSubmitted) -> list[Outbound]:
        """A submitted setup form: the same rules as typed settings."""
        values = event.values
        if not event.member.is_admin:
            return [Reply("Only workspace admins can change the daily question.", private=True)]
        async with self.store.transaction() as session:
            channel = await daily_rows.ensure_channel(
                session, event.channel, self.clock.now(), self.default_timezone
            )
            settings = {k: v for k, v in values.items() if k in SETUP_FIELDS and v.strip()}
            return await self._apply(session, channel, settings)

    async def post(self, channel_id: int, day: date | None = None) -> list[Outbound]:
        """Post the channel's question for `day` (default: its local today), at most once."""
        async with self.store.transaction() as session:
            channel = await session.get(Channel, channel_id)
            if channel is None or not channel.subscribed or channel.paused:
                return []
            return await self._post(session, channel, self.clock.now(), day)

    async def reveal(self, post_id: int) -> list[Outbound]:
        """Reveal one post if it is not revealed yet (the scheduler's job)."""
        async with self.store.transaction() as session:
            return await self._reveal(session, post_id, self.clock.now())

    async def reveal_due(self, platforms: frozenset[str] | None = None) -> list[Outbound]:
        """Reveal every post whose time has come (on `platforms`: those that can be posted to)."""
        async with self.store.transaction() as session:
            due = await daily_rows.due_reveals(session, self.clock.now(), platforms)
        revealed: list[Outbound] = []
        for post_id in due:
            revealed += await self.reveal(post_id)
        return revealed

    async def set_message_ref(self, post_id: int, ref: str) -> None:
        """Remember the platform's id of the posted message (the reveal goes in its thread)."""
        async with self.store.transaction() as session:
            await daily_rows.set_message_ref(session, post_id, ref, self.clock.now())

    async def _setup(self, session: Session, channel: Channel, words: list[str]) -> list[Outbound]:
        if not words:
            zone = await daily_rows.workspace_zone(
                session, channel.workspace_id, self.default_timezone
            )
            return [self._setup_request(channel, zone)]
        settings: dict[str, str] = {}
        for word in words:
            key, sep, value = word.partition("=")
            if not sep or not value.strip():
                raise UsageError(
                    f"Write settings as name=value, e.g. time=09:00 tz=Europe/Berlin (not "
                    f"'{word[:30]}'). Settings: {', '.join(SETUP_FIELDS)}."
                )
            settings[key.strip().lower()] = value
        return await self._apply(session, channel, settings)

    async def _apply(
        self, session: Session, channel: Channel, settings: dict[str, str]
    ) -> list[Outbound]:
        zone = await daily_rows.workspace_zone(session, channel.workspace_id, self.default_timezone)
        current = schedule_of(channel, zone)
        schedule = apply_settings(current, settings, lambda w: resolve_topic(w, self.bank))
        if not daily_pool(self.bank, schedule.topics, schedule.difficulty):
            raise UsageError("No questions match those topics; choose others.")
        _store_schedule(channel, schedule)
        channel.subscribed, channel.paused = True, False
        channel.updated_at = self.clock.now()
        upcoming = await next_post(session, channel, schedule, self.clock.now())
        nxt = f" Next question: {local_time(upcoming, schedule.zone)}." if upcoming else ""
        return [
            Reply(
                f"Daily question for this channel: {schedule.describe()}.{nxt}",
                title="Daily question set up",
            )
        ]

    def _setup_request(self, channel: Channel, zone: str) -> FormRequest:
        schedule = schedule_of(channel, zone)
        current = {
            "time": f"{schedule.post_time:%H:%M}",
            "tz": schedule.zone,
            "days": day_list(schedule.weekdays),
            "topics": ",".join(schedule.topics) or "all",
            "difficulty": difficulty_word(schedule.difficulty),
            "reveal": format_duration(schedule.reveal_delay) if schedule.reveal_delay else "next",
        }
        return FormRequest(
            form=SETUP_FORM,
            title="Daily question",
            fields=tuple(
                FormField(name, name.capitalize(), multiline=False, max_length=200, value=value)
                for name, value in current.items()
            ),
            intro=f"Topics: {', '.join(self.bank.topics)}. Reveal: a delay such as 2h, or "
            "next (1 hour before the next question).",
            command="/daily-question setup "
            + " ".join(f"{name}={value}" for name, value in current.items()),
        )

    def _pause(self, channel: Channel, pause: bool, now: datetime) -> list[Outbound]:
        if not channel.subscribed:
            return [
                Reply(
                    "This channel has no daily question yet: use /daily-question setup.",
                    private=True,
                )
            ]
        channel.paused, channel.updated_at = pause, now
        word = "paused" if pause else "back on"
        return [Reply(f"The daily question is {word} in this channel.")]

    async def _status(self, session: Session, channel: Channel, now: datetime) -> list[Outbound]:
        zone = await daily_rows.workspace_zone(session, channel.workspace_id, self.default_timezone)
        schedule = schedule_of(channel, zone)
        if not channel.subscribed:
            lines = [
                "This channel has no daily question. An admin can start one with "
                "/daily-question setup."
            ]
        else:
            state = "paused" if channel.paused else "on"
            lines = [f"Daily question is {state}: {schedule.describe()}."]
            upcoming = await next_post(session, channel, schedule, now)
            if upcoming and not channel.paused:
                lines.append(f"Next question: {local_time(upcoming, schedule.zone)}.")
        post = await daily_rows.latest_post(session, channel.id)
        if post is not None:
            answered = len(await daily_rows.results(session, post.id))
            reveal = (
                "revealed"
                if post.revealed_at
                else f"reveal {local_time(post.reveal_at, schedule.zone)}"
            )
            lines.append(
                f"Latest question: {post.local_date.isoformat()}, {answered} answered, {reveal}."
            )
        if channel.last_error:
            when = local_time(channel.last_error_at, schedule.zone) if channel.last_error_at else ""
            lines.append(f"Last problem posting here ({when}): {channel.last_error}")
        return [Reply("\n".join(lines), private=True, title="Daily question status")]

    async def _post(
        self, session: Session, channel: Channel, now: datetime, day: date | None = None
    ) -> list[Outbound]:
        """Claim and build the channel's post for `day` (default: its local today)."""
        zone = await daily_rows.workspace_zone(session, channel.workspace_id, self.default_timezone)
        schedule = schedule_of(channel, zone)
        day = day or now.astimezone(ZoneInfo(schedule.zone)).date()
        pool = daily_pool(self.bank, schedule.topics, schedule.difficulty)
        history = await daily_rows.history(session, channel.id)
        question = pick_daily_question(pool, history, seed=f"{channel.id}:{day.isoformat()}")
        reveal_at = reveal_time(schedule, now, day)
        post_id = await daily_rows.claim_post(session, channel.id, day, question.id, now, reveal_at)
        if post_id is None:
            return []
        log.info("posted daily question %s to channel %s for %s", question.id, channel.id, day)
        ref = await daily_rows.channel_ref(session, channel)
        return [question_card(ref, post_id, question, self.bank, reveal_at, schedule.zone)]

    async def _reveal(self, session: Session, post_id: int, now: datetime) -> list[Outbound]:
        post = await daily_rows.get_post(session, post_id)
        if post is None or not await daily_rows.claim_reveal(session, post_id, now):
            return []
        question = self.bank.get(post.question_id)
        channel = await session.get(Channel, post.channel_id)
        if question is None or channel is None:
            log.warning("cannot reveal post %s: question or channel gone", post_id)
            return []
        results = await daily_rows.results(session, post_id)
        ref = await daily_rows.channel_ref(session, channel)
        return [reveal_card(ref, post_id, post.message_ref, question, results)]
