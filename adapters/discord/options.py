"""Discord's typed command options as the engine's command text: pure functions."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping


def words(*parts: str | int | None) -> str:
    """Options in order, each quoted if it needs to be; absent ones left out."""
    return " ".join(shlex.quote(str(p)) for p in parts if p is not None and str(p).strip())


def settings(action: str, values: Mapping[str, str | None]) -> str:
    """`setup time=09:00 tz=Europe/Berlin` from the options that were given."""
    given = [f"{name}={value}" for name, value in values.items() if value and value.strip()]
    return words(action, *given)


def subcommand(action: str, rest: Iterable[str | int | None] = ()) -> str:
    """A subcommand and its arguments: `join Stats Nerds`."""
    return words(action, *rest)
