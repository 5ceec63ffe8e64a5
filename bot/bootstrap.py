"""Wire settings into storage, bank, clock and engine; adapters are wired by `bot.cli`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.engine import Engine
from bot.grading import Grader, OfflineGrader
from bot.grading.llm import LLMGrader
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.store import Store
from question_bank import Bank, load_bank
from question_bank.loader import split_dirs

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything a running bot needs, built once by `bootstrap`."""

    settings: Settings
    store: Store
    bank: Bank
    clock: Clock
    grader: Grader
    engine: Engine

    async def close(self) -> None:
        """Release the database."""
        await self.store.close()


async def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    bank: Bank | None = None,
    grader: Grader | None = None,
    run_migrations: bool = True,
) -> App:
    """Build the app from settings; any dependency can be passed in instead (tests do)."""
    clock = clock or SystemClock()
    bank = bank or load_bank(split_dirs(settings.question_bank_dirs))
    store = store or Store.from_url(settings.database_url)
    if run_migrations:
        await migrate.upgrade(store.engine)
    if grader is None:
        offline = OfflineGrader.for_bank(bank)
        offline.warm_up()
        grader = offline
        if settings.llm_base_url and settings.llm_model:
            grader = LLMGrader(
                settings.llm_base_url,
                settings.llm_model,
                fallback=offline,
                api_key=settings.llm_api_key,
                timeout_seconds=settings.llm_timeout_seconds,
            )
            log.info(
                "grading with the LLM at %s, offline grader as fallback", settings.llm_base_url
            )
    engine = Engine(
        store,
        bank,
        grader,
        clock,
        default_timezone=settings.default_timezone,
        grace=timedelta(hours=settings.scheduler_grace_hours),
    )
    return App(settings=settings, store=store, bank=bank, clock=clock, grader=grader, engine=engine)
