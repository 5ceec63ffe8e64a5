"""Time zone names as people type them: IANA keys in any case, city names, and suggestions."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.commands import UsageError
from bot.timezones import COMMON_NAMES, parse_zone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("  Europe/Berlin  ", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New   York", "America/New_York"),
        ("nyc", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_parse_zone_accepts_iana_names_in_any_case_and_common_cities(
    text: str, expected: str
) -> None:
    assert parse_zone(text) == expected


def test_every_common_name_maps_to_a_real_zone() -> None:
    for typed, key in COMMON_NAMES.items():
        assert parse_zone(typed) == key
        ZoneInfo(key)


@pytest.mark.parametrize("text", ["Mars/Olympus", "Europe/Berln", "Atlantis"])
def test_parse_zone_rejects_unknown_zones(text: str) -> None:
    with pytest.raises(UsageError, match="is not a time zone I know"):
        parse_zone(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_zone_asks_for_a_zone_when_given_nothing(text: str) -> None:
    with pytest.raises(UsageError, match="Give a time zone"):
        parse_zone(text)


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("europe/londn", "Europe/London"),
        ("new_yrok", "America/New_York"),
    ],
)
def test_a_misspelt_zone_suggests_the_right_one(text: str, suggested: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_zone(text)
    message = str(error.value)
    assert "Did you mean" in message and suggested in message


def test_a_zone_with_no_close_match_points_to_examples() -> None:
    with pytest.raises(UsageError) as error:
        parse_zone("Mars/Olympus")
    message = str(error.value)
    assert "'Mars/Olympus'" in message
    assert "Did you mean" not in message
    assert "Europe/Berlin" in message


def test_the_error_quotes_only_a_bounded_part_of_long_input() -> None:
    with pytest.raises(UsageError) as error:
        parse_zone("x" * 500)
    assert len(str(error.value)) < 300


@pytest.mark.parametrize(
    ("text", "key"),
    [("new_york", "America/New_York"), ("Kolkata", "Asia/Kolkata"), ("tokyo", "Asia/Tokyo")],
)
def test_a_city_found_in_exactly_one_zone_is_that_zone(text: str, key: str) -> None:
    assert parse_zone(text) == key
