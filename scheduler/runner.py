"""Build the APScheduler instance that runs the bot's timed jobs in its event loop."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.engine import Engine

log = logging.getLogger(__name__)

IDLE_SWEEP_SECONDS = 60


def build_scheduler(engine: Engine) -> AsyncIOScheduler:
    """A scheduler with the bot's jobs registered; the caller starts it inside the loop."""
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
    return scheduler
