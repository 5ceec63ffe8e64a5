"""The engine: every inbound event goes through `Engine.handle`, which returns what to send."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, parse_command_line
from bot.daily import DAILY, SETUP_FORM, DailyQuestions
from bot.daily_answers import ANSWER, ANSWER_BUTTON, ANSWER_FORM, DailyAnswers
from bot.domain import MemberRef
from bot.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    HomeView,
    Inbound,
    MessageReceived,
    Outbound,
    Reply,
    first_line,
)
from bot.grading import Grader
from bot.home import Home
from bot.leaderboards import LEADERBOARD, Leaderboards
from bot.member_commands import STREAK, TIMEZONE, MemberCommands
from bot.mock_interviews import MOCK, REVIEW, MockInterviews
from bot.my_data import EXPORT, FORGET, STATS, MyData
from bot.scheduled_work import ScheduledWork
from bot.storage import deliveries, members
from bot.storage.store import Store
from bot.study_groups import STUDY_GROUP, StudyGroups
from bot.tips import TIP, tip_command
from question_bank import Bank

log = logging.getLogger(__name__)

CommandHandler = Callable[[CommandInvoked], Awaitable[list[Outbound]]]

RUN_BUTTON = "run"
"""A button whose value is a command line: pressing it is the same as typing the command."""

SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
"""What a member is told when handling their message failed on our side."""

HELP = CommandSpec("interview-help", "", "what the bot can do and how to use it")


class Engine:
    """Decides everything; knows nothing about Slack, Discord or the terminal."""

    def __init__(
        self,
        store: Store,
        bank: Bank,
        grader: Grader,
        clock: Clock,
        default_timezone: str = "UTC",
        grace: timedelta = timedelta(hours=6),
    ) -> None:
        self.store = store
        self.bank = bank
        self.grader = grader
        self.clock = clock
        self.default_timezone = default_timezone
        self.interviews = MockInterviews(store, bank, grader, clock, default_timezone)
        self.answers = DailyAnswers(store, bank, grader, clock, default_timezone)
        self.daily = DailyQuestions(store, bank, self.answers, clock, default_timezone)
        self.scheduled = ScheduledWork(store, bank, self.daily, clock, default_timezone, grace)
        member_commands = MemberCommands(store, clock, default_timezone)
        boards = Leaderboards(store, clock, default_timezone)
        study_groups = StudyGroups(store, clock, default_timezone)
        my_data = MyData(store, bank, clock, default_timezone)
        self._home = Home(store, clock, default_timezone)
        self._commands: dict[str, tuple[CommandSpec, CommandHandler]] = {}
        self.register(HELP, self._help, aliases=("help",))
        self.register(MOCK, self.interviews.command)
        self.register(REVIEW, self.interviews.review_command)
        self.register(DAILY, self.daily.command)
        self.register(ANSWER, self.answers.command)
        self.register(LEADERBOARD, boards.command)
        self.register(STREAK, member_commands.streak)
        self.register(TIMEZONE, member_commands.timezone)
        self.register(STUDY_GROUP, study_groups.command)
        self.register(STATS, my_data.stats)
        self.register(EXPORT, my_data.export)
        self.register(FORGET, my_data.forget)
        self.register(TIP, self._tip)

    def register(
        self, spec: CommandSpec, handler: CommandHandler, aliases: tuple[str, ...] = ()
    ) -> None:
        """Offer a command; `aliases` are other names that reach the same handler."""
        for name in (spec.name, *aliases):
            self._commands[name] = (spec, handler)

    def spec(self, name: str) -> CommandSpec | None:
        """The command called `name` (or one of its aliases)."""
        entry = self._commands.get(name.lstrip("/").lower())
        return entry[0] if entry else None

    def checks_admin(self, name: str) -> bool:
        """Whether a command, or a submitted form, can depend on the caller being an admin."""
        spec = self.spec(name)
        return name == SETUP_FORM or bool(spec and spec.checks_admin)

    def in_direct_messages(self, name: str) -> bool:
        """Whether a command is a private conversation that belongs in the member's DM."""
        spec = self.spec(name)
        return bool(spec and spec.in_direct_messages)

    @property
    def commands(self) -> list[CommandSpec]:
        """Every command on offer, in registration order, without aliases."""
        seen: dict[str, CommandSpec] = {}
        for spec, _ in self._commands.values():
            seen.setdefault(spec.name, spec)
        return list(seen.values())

    async def handle(self, event: Inbound) -> list[Outbound]:
        """Handle one inbound event and return the messages to send back."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await self._dispatch(event)
        except UsageError as exc:
            outcome = "usage"
            return [Reply(str(exc), private=True)]
        except Exception:
            outcome = "error"
            log.exception("failed to handle %s from %s", first_line(event), event.member)
            return [Reply(SORRY, private=True)]
        finally:
            log.info(
                "handled %s platform=%s workspace=%s channel=%s member=%s outcome=%s in %.1f ms",
                first_line(event),
                event.member.platform,
                event.member.workspace_id,
                event.channel.channel_id,
                event.member.user_id,
                outcome,
                (time.perf_counter() - started) * 1000,
            )

    async def _dispatch(self, event: Inbound) -> list[Outbound]:
        match event:
            case CommandInvoked(name=name):
                entry = self._commands.get(name)
                if entry is None:
                    raise UsageError(
                        f"I don't know the command /{name}. Type /interview-help to see mine."
                    )
                return await entry[1](event)
            case MessageReceived():
                replies = await self.interviews.message(event)
                if replies is not None:
                    return replies
                return [
                    Reply(
                        "Nothing is waiting for an answer right now. Start a mock interview "
                        "with /mock-interview, or type /interview-help to see what you can do.",
                        private=True,
                    )
                ]
            case ButtonPressed(action=action):
                if action == ANSWER_BUTTON:
                    return await self.answers.button(event)
                if action == RUN_BUTTON and (line := parse_command_line(event.value)):
                    return await self._dispatch(
                        CommandInvoked(event.member, event.channel, line[0], line[1])
                    )
                raise UsageError("That button no longer does anything.")
            case FormSubmitted(form=form):
                if form == ANSWER_FORM:
                    return await self.answers.form(event)
                if form == SETUP_FORM:
                    return await self.daily.setup_form(event)
                raise UsageError("That form no longer exists.")
        return []

    async def home(self, member: MemberRef) -> HomeView:
        """The member's dashboard (Slack's App Home)."""
        return await self._home.view(member)

    async def workspace_for(self, platform: str, user_id: str) -> str | None:
        """The workspace a user's direct messages belong to, when the platform does not say
        (their open interview's, else the one they joined last)."""
        async with self.store.transaction() as session:
            return await members.latest_workspace(session, platform, user_id)

    async def first_delivery(self, key: str) -> bool:
        """True the first time a platform delivery with this key is seen (retries are not)."""
        async with self.store.transaction() as session:
            return await deliveries.claim(session, key, self.clock.now())

    async def post_daily(self, channel_id: int) -> list[Outbound]:
        """Post a channel's daily question for its current local day (at most once a day)."""
        return await self.daily.post(channel_id)

    async def reveal(self, post_id: int) -> list[Outbound]:
        """Reveal one daily post (at most once)."""
        return await self.daily.reveal(post_id)

    async def reveal_due(self, platforms: frozenset[str] | None = None) -> list[Outbound]:
        """Reveal every daily post whose reveal time has come (on `platforms`)."""
        return await self.daily.reveal_due(platforms)

    async def _tip(self, event: CommandInvoked) -> list[Outbound]:
        # A different tip each call, but reproducible under a fixed clock.
        seed = int(self.clock.now().timestamp()) + len(event.member.user_id)
        return [tip_command(self.bank, event.text, seed)]

    async def _help(self, event: CommandInvoked) -> list[Outbound]:
        lines = [f"{spec.synopsis()} — {spec.summary}" for spec in self.commands]
        return [
            Reply(
                "Practise data-science and machine-learning interviews here.\n"
                + "\n".join(lines)
                + f"\nThe question bank holds {len(self.bank.questions)} questions on "
                + ", ".join(self.bank.topics)
                + ".",
                private=True,
                title="Mock Interview Bot",
            )
        ]
