"""Fan-out: deliver scheduled messages through each platform's sender, concurrently with a bound;
one channel's failure is recorded and never stops the others."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.engine import Engine
from bot.events import ChannelMessage, DirectMessage, QuestionCard, RevealCard

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 20
RECORD_WAITS = (0.1, 0.5, 2.0)
"""Pauses between tries to record a delivery that went out (a busy database clears soon)."""
T = TypeVar("T")


class Sender(Protocol):
    """What a platform adapter offers the scheduler."""

    async def post_question(self, card: QuestionCard) -> str:
        """Post a daily question; return the platform's message id."""
        ...

    async def post_reveal(self, card: RevealCard) -> None:
        """Post a reveal in the question's thread."""
        ...

    async def post_to_channel(self, message: ChannelMessage) -> None:
        """Post a message (recap) to a channel."""
        ...

    async def send_direct(self, message: DirectMessage) -> None:
        """Send a member a DM."""
        ...


@dataclass
class Report:
    """What one round of deliveries did."""

    delivered: int = 0
    failed: list[str] = field(default_factory=list)


class Outbox:
    """Platform name -> sender; each platform runs at most `concurrency` deliveries at a time,
    so one platform's outage (whose clients retry for a while) never holds up the other's."""

    def __init__(self, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self.senders: dict[str, Sender] = {}
        self.concurrency = concurrency
        self.limits: dict[str, asyncio.Semaphore] = {}
        self.unrecorded: list[tuple[int, str]] = []

    def register(self, platform: str, sender: Sender) -> None:
        """Deliver this platform's messages with `sender`."""
        self.senders[platform] = sender
        self.limits[platform] = asyncio.Semaphore(self.concurrency)

    def sender(self, platform: str) -> Sender | None:
        """The platform's sender, if it is running in this process."""
        return self.senders.get(platform)

    async def questions(self, engine: Engine, cards: Iterable[QuestionCard]) -> Report:
        """Post daily questions and write each result back to the engine.

        A post that went out is never treated as failed: if recording it fails (a locked or
        unreachable database), the record is kept here and written on the next round, so a
        retry can never post the same question twice (`tick` flushes them before retrying).
        """

        async def one(card: QuestionCard) -> None:
            sender = self.sender(card.channel.platform)
            if sender is None:
                return
            ref = await sender.post_question(card)
            await self._record(engine, card.post_id, ref)

        async def failed(card: QuestionCard, error: str) -> None:
            await engine.scheduled.delivery_failed(card.post_id, error)

        return await self._all(cards, one, failed, lambda card: card.channel.platform)

    async def flush_unrecorded(self, engine: Engine) -> None:
        """Write down deliveries that could not be recorded when they happened."""
        pending, self.unrecorded = self.unrecorded, []
        for post_id, ref in pending:
            await self._record(engine, post_id, ref)

    async def _record(self, engine: Engine, post_id: int, ref: str) -> None:
        for wait in RECORD_WAITS:
            try:
                await engine.scheduled.delivered(post_id, ref)
                return
            except Exception as exc:
                log.warning("scheduler: post %s went out but was not recorded: %s", post_id, exc)
                await asyncio.sleep(wait)
        self.unrecorded.append((post_id, ref))

    async def reveals(self, engine: Engine, cards: Iterable[RevealCard]) -> Report:
        """Post reveals; a failure is shown in the channel's status."""

        async def one(card: RevealCard) -> None:
            sender = self.sender(card.channel.platform)
            if sender is not None:
                await sender.post_reveal(card)

        async def failed(card: RevealCard, error: str) -> None:
            await engine.scheduled.channel_failed_by_ref(card.channel, f"reveal: {error}")

        return await self._all(cards, one, failed, lambda card: card.channel.platform)

    async def channel_messages(self, engine: Engine, messages: Iterable[ChannelMessage]) -> Report:
        """Post recaps."""

        async def one(message: ChannelMessage) -> None:
            sender = self.sender(message.channel.platform)
            if sender is not None:
                await sender.post_to_channel(message)

        async def failed(message: ChannelMessage, error: str) -> None:
            await engine.scheduled.channel_failed_by_ref(message.channel, f"recap: {error}")

        return await self._all(messages, one, failed, lambda m: m.channel.platform)

    async def direct_messages(self, messages: Iterable[DirectMessage]) -> Report:
        """Send reminders."""

        async def one(message: DirectMessage) -> None:
            sender = self.sender(message.member.platform)
            if sender is not None:
                await sender.send_direct(message)

        async def failed(message: DirectMessage, error: str) -> None:
            log.warning("scheduler: reminder to %s not delivered: %s", message.member, error)

        return await self._all(messages, one, failed, lambda m: m.member.platform)

    async def _all(
        self,
        items: Iterable[T],
        deliver: Callable[[T], Awaitable[None]],
        on_failure: Callable[[T, str], Awaitable[None]],
        platform_of: Callable[[T], str],
    ) -> Report:
        report = Report()

        async def guarded(item: T) -> None:
            limit = self.limits.get(platform_of(item))
            if limit is None:
                return  # no sender for that platform in this process
            async with limit:
                try:
                    await deliver(item)
                    report.delivered += 1
                except Exception as exc:  # one failure must never stop the others
                    error = f"{type(exc).__name__}: {exc}"[:300]
                    log.warning("scheduler: delivery failed: %s", error)
                    report.failed.append(error)
                    try:
                        await on_failure(item, error)
                    except Exception:
                        log.exception("scheduler: could not record a failed delivery")

        await asyncio.gather(*(guarded(item) for item in items))
        return report
