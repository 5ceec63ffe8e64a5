"""Job functions the scheduler runs; each takes the engine and calls one engine operation."""

from __future__ import annotations

import logging

from bot.engine import Engine

log = logging.getLogger(__name__)


async def pause_idle_interviews(engine: Engine) -> int:
    """Pause mock interviews left idle for 30 minutes."""
    paused = await engine.interviews.pause_idle()
    if paused:
        log.info("paused %d idle interview(s)", paused)
    return paused
