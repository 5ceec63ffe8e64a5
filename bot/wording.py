"""Small helpers for English text the bot writes."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 day`, `3 days`, `2 freezes` (give `many` when adding s is wrong)."""
    return f"{count} {word if count == 1 else many or word + 's'}"
