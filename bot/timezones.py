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
    key = COMMON_NAMES.get(lowered) or _zones_by_lower().get(lowered.replace(" ", "_"))
    if key is not None:
        try:
            ZoneInfo(key)
            return key
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise UsageError(f"'{typed[:60]}' is not a time zone I know.{_suggestion(lowered)}")


def _suggestion(lowered: str) -> str:
    by_lower = _zones_by_lower()
    city = lowered.replace(" ", "_")
    same_city = sorted(name for low, name in by_lower.items() if low.rsplit("/", 1)[-1] == city)
    close = same_city or [
        by_lower[m] for m in difflib.get_close_matches(city, list(by_lower), n=3, cutoff=0.6)
    ]
    if close:
        return " Did you mean " + " or ".join(close[:3]) + "?"
    return " Use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata."
