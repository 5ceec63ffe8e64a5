"""Time zone names typed by people: validated against IANA, with suggestions when misspelt."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.commands import UsageError

# Names people type that IANA spells differently; the values are real zone keys.
COMMON_NAMES = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "london": "Europe/London",
    "berlin": "Europe/Berlin",
    "paris": "Europe/Paris",
    "new york": "America/New_York",
    "nyc": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
}


@cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def parse_zone(text: str) -> str:
    """The IANA key for `text` (case-insensitive, a few city names too); UsageError otherwise."""
    typed = " ".join(text.strip().split())
    if not typed:
        raise UsageError("Give a time zone, for example Europe/Berlin or America/New_York.")
    lowered = typed.lower()
    key = (
        COMMON_NAMES.get(lowered.replace("_", " "))
        or _zones_by_lower().get(lowered.replace(" ", "_"))
        or _unique_city(lowered.replace(" ", "_"))
    )
    if key is not None:
        try:
            ZoneInfo(key)
            return key
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise UsageError(f"'{typed[:60]}' is not a time zone I know.{_suggestion(lowered)}")


def _unique_city(city: str) -> str | None:
    """`kolkata` -> `Asia/Kolkata` when exactly one zone has that city."""
    if "/" in city:
        return None
    found = [name for low, name in _zones_by_lower().items() if low.rsplit("/", 1)[-1] == city]
    return found[0] if len(found) == 1 else None


def _suggestion(lowered: str) -> str:
    by_lower = _zones_by_lower()
    typed = lowered.replace(" ", "_")
    cities: dict[str, list[str]] = {}
    for low, name in by_lower.items():
        cities.setdefault(low.rsplit("/", 1)[-1], []).append(name)
    close = [by_lower[m] for m in difflib.get_close_matches(typed, list(by_lower), n=3, cutoff=0.6)]
    for city in difflib.get_close_matches(typed.rsplit("/", 1)[-1], list(cities), n=2, cutoff=0.7):
        close += [name for name in sorted(cities[city]) if name not in close]
    if close:
        return " Did you mean " + " or ".join(close[:3]) + "?"
    return " Use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata."


POPULAR = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)


def zone_suggestions(typed: str, limit: int = 25) -> list[str]:
    """Zones for an autocomplete box: popular ones for empty input, else those containing
    what was typed (whole-name prefix matches first, then city prefix, then anywhere)."""
    needle = typed.strip().lower().replace(" ", "_")
    if not needle:
        return list(POPULAR[:limit])
    names = sorted(_zones_by_lower().items())

    def rank(item: tuple[str, str]) -> int:
        low = item[0]
        if low.startswith(needle):
            return 0
        return 1 if low.rsplit("/", 1)[-1].startswith(needle) else 2

    matches = [item for item in names if needle in item[0]]
    return [name for _, name in sorted(matches, key=rank)[:limit]]
