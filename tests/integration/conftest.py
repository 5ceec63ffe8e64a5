"""Fixtures for engine-level tests: an engine with the scripted grader, and people."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from people import Person, ScriptedGrader

from bot.clock import FixedClock
from bot.engine import Engine
from bot.storage.store import Store
from question_bank import load_bank


@pytest.fixture
def engine(store: Store, clock: FixedClock) -> Engine:
    """An engine on a migrated database with the scripted grader and the real bank."""
    return Engine(store, load_bank(), ScriptedGrader(), clock)


@pytest.fixture
def person(engine: Engine) -> Callable[..., Person]:
    """Make people: `person("ada", admin=True)`."""
    return lambda user, **kw: Person(engine, user, **kw)
