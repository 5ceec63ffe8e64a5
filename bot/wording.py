"""Small helpers for English text the bot writes."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 day`, `3 days`, `2 freezes` (give `many` when adding s is wrong)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def split_text(text: str, limit: int) -> list[str]:
    """Split on line breaks (hard, inside one huge line) into pieces of at most `limit`
    characters, for platforms that cap the length of a block or message."""
    found: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                found.append(current)
                current = ""
            found.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            found.append(current)
            current = line
        else:
            current = candidate
    if current or not found:
        found.append(current)
    return found


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
