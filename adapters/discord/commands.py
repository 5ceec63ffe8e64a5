"""The slash commands, with typed options, choices and autocomplete; each hands over to the
bridge as the engine's command text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from adapters.discord import options
from bot.timezones import zone_suggestions

if TYPE_CHECKING:
    from adapters.discord.bridge import DiscordBridge

Choice = app_commands.Choice
DIFFICULTY = [Choice(name=n, value=n) for n in ("easy", "medium", "hard")]
PERIODS = [Choice(name="weekly", value="weekly"), Choice(name="all-time", value="all-time")]
SCOPES = [Choice(name=n, value=n) for n in ("channel", "server", "group")]
ON_OFF = [Choice(name="on", value="on"), Choice(name="off", value="off")]


class InterviewCommands(commands.Cog):
    """Every command the engine offers, as Discord slash commands."""

    def __init__(self, bridge: DiscordBridge, topics: list[str]) -> None:
        self.bridge = bridge
        self.topics = topics

    async def _topics(self, _: discord.Interaction, current: str) -> list[Choice[str]]:
        typed = current.lower()
        return [Choice(name=t, value=t) for t in self.topics if typed in t][:25]

    async def _zones(self, _: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=z, value=z) for z in zone_suggestions(current, 25)]

    @app_commands.command(name="mock-interview", description="A private mock interview in DMs")
    @app_commands.describe(
        topic="A topic, or leave empty for mixed",
        difficulty="Leave empty to adapt to your answers",
        questions="How many questions (1-15, default 5)",
        action="Resume or end the interview you have open",
    )
    @app_commands.choices(
        difficulty=DIFFICULTY,
        action=[Choice(name="resume", value="resume"), Choice(name="end", value="end")],
    )
    async def mock_interview(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        difficulty: str | None = None,
        questions: app_commands.Range[int, 1, 15] | None = None,
        action: str | None = None,
    ) -> None:
        """`/mock-interview`."""
        text = options.words(action) if action else options.words(topic, difficulty, questions)
        await self.bridge.command(interaction, "mock-interview", text)

    @mock_interview.autocomplete("topic")
    async def _mock_topic(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await self._topics(interaction, current)

    @app_commands.command(name="review", description="A drill of the questions due for review")
    @app_commands.describe(reminders="A DM in the evening when reviews are due")
    @app_commands.choices(reminders=ON_OFF)
    async def review(self, interaction: discord.Interaction, reminders: str | None = None) -> None:
        """`/review` (or `/review reminders:on`)."""
        text = options.words("reminders", reminders) if reminders else ""
        await self.bridge.command(interaction, "review", text)

    @app_commands.command(name="answer", description="Answer today's daily question privately")
    @app_commands.describe(text="Your answer; leave empty to write it in a form")
    async def answer(self, interaction: discord.Interaction, text: str | None = None) -> None:
        """`/answer`."""
        await self.bridge.command(interaction, "answer", text or "")

    @app_commands.command(name="leaderboard", description="The top 10 and your own rank")
    @app_commands.choices(
        period=PERIODS,
        scope=SCOPES,
        visibility=[
            Choice(name="hide me from public boards", value="hide"),
            Choice(name="show me again", value="show"),
        ],
    )
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: str | None = None,
        scope: str | None = None,
        visibility: str | None = None,
    ) -> None:
        """`/leaderboard`."""
        text = options.words(visibility) if visibility else options.words(period, scope)
        await self.bridge.command(interaction, "leaderboard", text)

    @app_commands.command(name="streak", description="Your streak, freezes and rest days")
    @app_commands.describe(
        rest_days="Days that never break your streak, e.g. sat,sun (or none)",
        reminders="A DM when your streak is at risk",
    )
    @app_commands.choices(reminders=ON_OFF)
    async def streak(
        self,
        interaction: discord.Interaction,
        rest_days: str | None = None,
        reminders: str | None = None,
    ) -> None:
        """`/streak`."""
        if rest_days:
            text = options.words("rest", rest_days)
        elif reminders:
            text = options.words("reminders", reminders)
        else:
            text = ""
        await self.bridge.command(interaction, "streak", text)

    @app_commands.command(
        name="timezone", description="Your time zone (or, for admins, the server's)"
    )
    @app_commands.describe(
        zone="An IANA zone such as Europe/Berlin; 'reset' to follow the server",
        for_server="Admins: set the server's default time zone instead",
    )
    async def timezone(
        self, interaction: discord.Interaction, zone: str | None = None, for_server: bool = False
    ) -> None:
        """`/timezone`."""
        text = options.words("workspace" if for_server else None, zone)
        await self.bridge.command(interaction, "timezone", text)

    @timezone.autocomplete("zone")
    async def _timezone_zone(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await self._zones(interaction, current)

    @app_commands.command(name="interview-stats", description="Your progress, with a chart")
    async def stats(self, interaction: discord.Interaction) -> None:
        """`/interview-stats`."""
        await self.bridge.command(interaction, "interview-stats", "")

    @app_commands.command(name="interview-export", description="Everything stored about you")
    async def export(self, interaction: discord.Interaction) -> None:
        """`/interview-export`."""
        await self.bridge.command(interaction, "interview-export", "")

    @app_commands.command(name="interview-forget-me", description="Delete everything about you")
    async def forget(self, interaction: discord.Interaction) -> None:
        """`/interview-forget-me` (asks for confirmation with a button)."""
        await self.bridge.command(interaction, "interview-forget-me", "")

    @app_commands.command(name="interview-help", description="What the bot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        """`/interview-help`."""
        await self.bridge.command(interaction, "interview-help", "")

    @app_commands.command(name="tip", description="An interview-craft tip")
    @app_commands.describe(subject="e.g. case, behavioural, coding")
    async def tip(self, interaction: discord.Interaction, subject: str | None = None) -> None:
        """`/tip`."""
        await self.bridge.command(interaction, "tip", subject or "")

    daily = app_commands.Group(
        name="daily-question",
        description="The channel's daily question (admins)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    @daily.command(name="setup", description="Set the channel's daily question")
    @app_commands.describe(
        time="Post time, HH:MM (24-hour)",
        zone="The channel's time zone, e.g. Europe/Berlin",
        days="e.g. mon-fri, daily, mon,wed,fri",
        topics="Comma-separated topics, or all",
        difficulty="easy, medium, hard or any",
        reveal="Delay after posting (e.g. 2h), or next: 1 hour before the next question",
    )
    @app_commands.choices(difficulty=[*DIFFICULTY, Choice(name="any", value="any")])
    async def daily_setup(
        self,
        interaction: discord.Interaction,
        time: str | None = None,
        zone: str | None = None,
        days: str | None = None,
        topics: str | None = None,
        difficulty: str | None = None,
        reveal: str | None = None,
    ) -> None:
        """`/daily-question setup`."""
        values = {
            "time": time,
            "tz": zone,
            "days": days,
            "topics": topics,
            "difficulty": difficulty,
            "reveal": reveal,
        }
        await self.bridge.command(interaction, "daily-question", options.settings("setup", values))

    @daily_setup.autocomplete("zone")
    async def _daily_zone(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await self._zones(interaction, current)

    @daily.command(name="status", description="How the daily question is set up here")
    async def daily_status(self, interaction: discord.Interaction) -> None:
        """`/daily-question status`."""
        await self.bridge.command(interaction, "daily-question", "status")

    @daily.command(name="pause", description="Pause the daily question here")
    async def daily_pause(self, interaction: discord.Interaction) -> None:
        """`/daily-question pause`."""
        await self.bridge.command(interaction, "daily-question", "pause")

    @daily.command(name="resume", description="Resume the daily question here")
    async def daily_resume(self, interaction: discord.Interaction) -> None:
        """`/daily-question resume`."""
        await self.bridge.command(interaction, "daily-question", "resume")

    @daily.command(name="now", description="Post today's question now")
    async def daily_now(self, interaction: discord.Interaction) -> None:
        """`/daily-question now`."""
        await self.bridge.command(interaction, "daily-question", "now")

    @daily.command(name="reveal", description="Reveal the latest question now")
    async def daily_reveal(self, interaction: discord.Interaction) -> None:
        """`/daily-question reveal`."""
        await self.bridge.command(interaction, "daily-question", "reveal")

    group = app_commands.Group(name="study-group", description="Study groups that compete")

    @group.command(name="create", description="Create a study group and join it")
    async def group_create(self, interaction: discord.Interaction, name: str) -> None:
        """`/study-group create`."""
        await self.bridge.command(interaction, "study-group", options.subcommand("create", [name]))

    @group.command(name="join", description="Join a study group")
    async def group_join(self, interaction: discord.Interaction, name: str) -> None:
        """`/study-group join`."""
        await self.bridge.command(interaction, "study-group", options.subcommand("join", [name]))

    @group.command(name="leave", description="Leave a study group")
    async def group_leave(self, interaction: discord.Interaction, name: str | None = None) -> None:
        """`/study-group leave`."""
        await self.bridge.command(interaction, "study-group", options.subcommand("leave", [name]))

    @group.command(name="list", description="Every study group here")
    async def group_list(self, interaction: discord.Interaction) -> None:
        """`/study-group list`."""
        await self.bridge.command(interaction, "study-group", "list")

    @group.command(name="info", description="A group's members, points and streak")
    async def group_info(self, interaction: discord.Interaction, name: str | None = None) -> None:
        """`/study-group info`."""
        await self.bridge.command(interaction, "study-group", options.subcommand("info", [name]))
