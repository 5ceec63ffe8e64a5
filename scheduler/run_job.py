"""`python -m bot run-job daily|reveal|recap --channel ...`: run one channel's job now."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.console import ConsoleSender
from bot.daily import schedule_of
from bot.domain import ChannelRef
from bot.engine import Engine
from bot.events import ChannelMessage, QuestionCard, RevealCard
from bot.settings import Settings
from bot.storage import daily_rows
from scheduler.outbox import Outbox, Report, Sender

log = logging.getLogger(__name__)

JOBS = ("daily", "reveal", "recap")


@contextlib.asynccontextmanager
async def sender_for(engine: Engine, settings: Settings, platform: str) -> AsyncIterator[Sender]:
    """A sender for `platform` that posts without serving anything."""
    if platform == "slack":
        from adapters.slack.server import slack_sender

        yield await slack_sender(engine, settings)
    elif platform == "discord":
        from adapters.discord.runner import rest_sender

        async with rest_sender(engine, settings) as sender:
            yield sender
    else:
        yield ConsoleSender(print, Path("data"))


async def run_job(
    engine: Engine, settings: Settings, job: str, channel: ChannelRef
) -> tuple[bool, str]:
    """Run `job` for `channel` now; (did something, what happened)."""
    async with engine.store.transaction() as session:
        stored = await daily_rows.find_channel(session, channel)
        if stored is None:
            return False, f"no channel {channel} is known to the bot"
        channel_id = stored.id
        zone = await daily_rows.workspace_zone(
            session, stored.workspace_id, settings.default_timezone
        )
        schedule = schedule_of(stored, zone)
        latest = await daily_rows.latest_post(session, channel_id)
    outbox = Outbox()
    async with sender_for(engine, settings, channel.platform) as sender:
        outbox.register(channel.platform, sender)
        if job == "daily":
            cards = [m for m in await engine.post_daily(channel_id) if isinstance(m, QuestionCard)]
            if not cards:
                return False, "today's question is already posted there (or the channel is paused)"
            return _said(await outbox.questions(engine, cards), "posted the daily question")
        if job == "reveal":
            if latest is None:
                return False, "no daily question has been posted there yet"
            reveals = [m for m in await engine.reveal(latest.id) if isinstance(m, RevealCard)]
            if not reveals:
                return False, "the latest question is already revealed"
            return _said(await outbox.reveals(engine, reveals), "revealed the latest question")
        today = engine.clock.now().astimezone(ZoneInfo(schedule.zone)).date()
        monday = today - timedelta(days=today.weekday())
        built = await engine.scheduled.recaps.recap(channel_id, monday)
        messages = [m for m in built if isinstance(m, ChannelMessage)]
        if not messages:
            return False, "this week's recap has already gone out there"
        return _said(await outbox.channel_messages(engine, messages), "sent the weekly recap")


def _said(report: Report, done: str) -> tuple[bool, str]:
    if report.failed:
        return False, f"failed: {'; '.join(report.failed)}"
    return True, done
