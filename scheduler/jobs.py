"""Job functions the scheduler runs; each takes the engine and calls engine operations."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.engine import Engine
from bot.events import ChannelMessage, QuestionCard, RevealCard
from bot.storage.leader import LeaderLock
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)


async def pause_idle_interviews(engine: Engine) -> int:
    """Pause mock interviews left idle for 30 minutes."""
    paused = await engine.interviews.pause_idle()
    if paused:
        log.info("paused %d idle interview(s)", paused)
    return paused


@dataclass
class TickReport:
    """What one tick did (for logs and tests)."""

    led: bool = False
    posted: int = 0
    retried: int = 0
    failed: int = 0
    revealed: int = 0
    recaps: int = 0
    reminders: int = 0


async def tick(
    engine: Engine,
    outbox: Outbox,
    leader: LeaderLock,
    first: bool = False,
    guard: asyncio.Lock | None = None,
) -> TickReport:
    """One pass over everything due: posts, failed deliveries, reveals, recaps, reminders.

    Only the leader works; every step is safe to repeat (the database claims each item), so
    a crash between steps, or two leaders for a moment, still posts each thing once. `guard`
    lets a shutdown wait for the pass in progress.
    """
    async with guard or asyncio.Lock():
        return await _tick(engine, outbox, leader, first)


async def _tick(engine: Engine, outbox: Outbox, leader: LeaderLock, first: bool) -> TickReport:
    report = TickReport(led=await leader.ensure())
    if not report.led:
        return report
    # First write down deliveries that went out but could not be recorded, so no retry below
    # mistakes them for posts that never went out.
    await outbox.flush_unrecorded(engine)
    cards: list[QuestionCard] = []
    # Only claim what this process can deliver (another process may serve other platforms).
    platforms = frozenset(outbox.senders)
    for slot in await engine.scheduled.due_posts(report_skipped=first, platforms=platforms):
        cards += [m for m in await engine.scheduled.post(slot) if isinstance(m, QuestionCard)]
    retries = await engine.scheduled.retry_cards()
    fresh = {card.post_id for card in cards}
    retries = [card for card in retries if card.post_id not in fresh]
    posted = await outbox.questions(engine, cards + retries)
    report.posted, report.retried, report.failed = len(cards), len(retries), len(posted.failed)
    reveals = [m for m in await engine.reveal_due(platforms) if isinstance(m, RevealCard)]
    report.revealed = (await outbox.reveals(engine, reveals)).delivered
    recaps: list[ChannelMessage] = []
    for channel_id, monday in await engine.scheduled.recaps.due(platforms):
        built = await engine.scheduled.recaps.recap(channel_id, monday)
        recaps += [m for m in built if isinstance(m, ChannelMessage)]
    report.recaps = (await outbox.channel_messages(engine, recaps)).delivered
    report.reminders = (
        await outbox.direct_messages(await engine.scheduled.reminders(platforms))
    ).delivered
    if report.posted or report.retried or report.revealed or report.recaps or report.reminders:
        log.info("scheduler: %s", report)
    return report
