"""Build the APScheduler instance that runs the bot's timed jobs in its event loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.engine import Engine
from bot.storage.leader import LeaderLock
from scheduler.outbox import Outbox

log = logging.getLogger(__name__)

IDLE_SWEEP_SECONDS = 60
TICK_SECONDS = 20


class Jobs:
    """The running scheduler; `stop()` lets a tick in progress finish before shutting down, so
    the database is never closed under it, and gives up leadership."""

    def __init__(
        self, scheduler: AsyncIOScheduler, guard: asyncio.Lock, leader: LeaderLock | None
    ) -> None:
        self.scheduler = scheduler
        self.guard = guard
        self.leader = leader

    def start(self) -> None:
        """Start running jobs in the current event loop."""
        self.scheduler.start()

    async def stop(self) -> None:
        """Wait for a running tick, stop the scheduler, release the leader lock."""
        async with self.guard:
            self.scheduler.shutdown(wait=False)
            if self.leader is not None:
                await self.leader.release()


def build_jobs(
    engine: Engine,
    outbox: Outbox | None = None,
    leader: LeaderLock | None = None,
    tick_seconds: float = TICK_SECONDS,
) -> Jobs:
    """`build_scheduler` wrapped for a clean stop."""
    guard = asyncio.Lock()
    if outbox is not None and leader is None:
        leader = LeaderLock(engine.store.engine)
    scheduler = build_scheduler(engine, outbox, leader, tick_seconds, guard)
    return Jobs(scheduler, guard, leader)


def build_scheduler(
    engine: Engine,
    outbox: Outbox | None = None,
    leader: LeaderLock | None = None,
    tick_seconds: float = TICK_SECONDS,
    guard: asyncio.Lock | None = None,
) -> AsyncIOScheduler:
    """A scheduler with the bot's jobs registered; the caller starts it inside the loop.

    Every timed thing is found by one `tick` job from the database, so a channel's new
    settings apply on the next tick, a paused or removed channel simply stops being due, and
    a restart catches up whatever is due within the grace window (the first tick runs at once).
    """
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        "scheduler.jobs:pause_idle_interviews",
        IntervalTrigger(seconds=IDLE_SWEEP_SECONDS),
        args=[engine],
        id="pause-idle-interviews",
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
    if outbox is not None:
        leader = leader or LeaderLock(engine.store.engine)
        guard = guard or asyncio.Lock()
        scheduler.add_job(
            "scheduler.jobs:tick",
            IntervalTrigger(seconds=tick_seconds),
            args=[engine, outbox, leader],
            kwargs={"guard": guard},
            id="tick",
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
        scheduler.add_job(
            "scheduler.jobs:tick",
            "date",
            run_date=datetime.now(UTC),
            args=[engine, outbox, leader],
            kwargs={"first": True, "guard": guard},
            id="catch-up",
            replace_existing=True,
        )
    return scheduler
