"""Daily-question schedules: parsing admin input, local post times across DST, and reveals."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.commands import UsageError
from bot.schedule import (
    EVERY_DAY,
    WEEKDAYS_ONLY,
    DailySchedule,
    apply_settings,
    describe_days,
    format_duration,
    local_post_at,
    parse_clock,
    parse_difficulty,
    parse_duration,
    parse_reveal,
    parse_weekdays,
    post_times,
    reveal_time,
)

NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"
TOPICS = {"sql": "sql", "databases": "sql", "python": "python", "py": "python"}


def _topic_of(word: str) -> str | None:
    return TOPICS.get(word)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _mask(*indexes: int) -> int:
    return sum(1 << i for i in indexes)


# --- parse_clock -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:05", time(9, 5)),
        ("17:30", time(17, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("5:30pm", time(17, 30)),
        ("  17:30  ", time(17, 30)),
    ],
)
def test_parse_clock_accepts_24_hour_and_am_pm_times(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    "text", ["25:00", "24:00", "9:60", "13pm", "0am", "noon", "", "9:5", "9:005", "-1:00"]
)
def test_parse_clock_rejects_impossible_or_unclear_times(text: str) -> None:
    with pytest.raises(UsageError, match="HH:MM"):
        parse_clock(text)


def test_parse_clock_error_quotes_the_input_and_gives_an_example() -> None:
    with pytest.raises(UsageError) as error:
        parse_clock("25:00")
    assert "'25:00'" in str(error.value) and "09:00" in str(error.value)


# --- parse_weekdays / describe_days ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", WEEKDAYS_ONLY),
        ("weekdays", WEEKDAYS_ONLY),
        ("daily", EVERY_DAY),
        ("weekends", _mask(5, 6)),
        ("sat-sun", _mask(5, 6)),
        ("mon,wed,fri", _mask(0, 2, 4)),
        ("mon, wed, fri", _mask(0, 2, 4)),
        ("Tuesday thu", _mask(1, 3)),
        ("fri-mon", _mask(4, 5, 6, 0)),
        ("sun-tue", _mask(6, 0, 1)),
        ("wed", _mask(2)),
        ("MON-FRI", WEEKDAYS_ONLY),
    ],
)
def test_parse_weekdays_reads_names_ranges_and_words(text: str, expected: int) -> None:
    assert parse_weekdays(text) == expected


def test_parse_weekdays_without_any_day_asks_for_one() -> None:
    with pytest.raises(UsageError, match="at least one weekday"):
        parse_weekdays("")


@pytest.mark.parametrize("text", ["funday", "mo", "mon-xyz", "mon,,funday"])
def test_parse_weekdays_rejects_unknown_day_names(text: str) -> None:
    with pytest.raises(UsageError, match="is not a weekday"):
        parse_weekdays(text)


@pytest.mark.parametrize(
    ("mask", "expected"),
    [
        (EVERY_DAY, "every day"),
        (WEEKDAYS_ONLY, "weekdays"),
        (_mask(0, 2, 4), "Mon, Wed, Fri"),
        (_mask(5, 6), "Sat, Sun"),
    ],
)
def test_describe_days_reads_naturally(mask: int, expected: str) -> None:
    assert describe_days(mask) == expected


@pytest.mark.parametrize(
    "mask", [WEEKDAYS_ONLY, _mask(0, 2, 4), _mask(5, 6), _mask(3), _mask(0, 1, 2, 3, 4, 5)]
)
def test_describe_days_round_trips_through_parse_weekdays(mask: int) -> None:
    assert parse_weekdays(describe_days(mask)) == mask


def test_describe_days_every_day_round_trips_through_parse_weekdays() -> None:
    assert parse_weekdays(describe_days(EVERY_DAY)) == EVERY_DAY


# --- parse_duration / format_duration / parse_reveal / parse_difficulty -----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("90min", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("45", timedelta(minutes=45)),
        ("1d", timedelta(days=1)),
        ("2H", timedelta(hours=2)),
    ],
)
def test_parse_duration_reads_minutes_hours_and_days(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["soon", "", "h", "1.5h", "-5m", "2x"])
def test_parse_duration_rejects_text_that_is_not_a_duration(text: str) -> None:
    with pytest.raises(UsageError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    "delta",
    [timedelta(minutes=90), timedelta(hours=2), timedelta(days=1, hours=2, minutes=5)],
)
def test_format_duration_round_trips_through_parse_duration(delta: timedelta) -> None:
    assert parse_duration(format_duration(delta)) == delta


def test_format_duration_spells_out_parts() -> None:
    assert format_duration(timedelta(hours=2, minutes=30)) == "2h 30m"
    assert format_duration(timedelta(0)) == "0m"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("30", timedelta(minutes=30)),
        ("1m", timedelta(minutes=1)),
        ("6d", timedelta(days=6)),
        ("next", None),
        ("default", None),
        ("Default", None),
    ],
)
def test_parse_reveal_accepts_delays_and_the_default(text: str, expected: timedelta | None) -> None:
    assert parse_reveal(text) == expected


@pytest.mark.parametrize("text", ["0m", "0", "7d", "6d1m"])
def test_parse_reveal_rejects_delays_out_of_range(text: str) -> None:
    with pytest.raises(UsageError, match="between 1 minute and 6 days"):
        parse_reveal(text)


def test_parse_reveal_rejects_words_it_does_not_know() -> None:
    with pytest.raises(UsageError, match="not a duration"):
        parse_reveal("soon")


@pytest.mark.parametrize(
    ("text", "expected"), [("easy", 1), ("Medium", 2), ("hard", 3), ("any", None)]
)
def test_parse_difficulty(text: str, expected: int | None) -> None:
    assert parse_difficulty(text) == expected


def test_parse_difficulty_rejects_unknown_levels() -> None:
    with pytest.raises(UsageError, match="easy, medium, hard or any"):
        parse_difficulty("extreme")


# --- apply_settings ----------------------------------------------------------------------


def test_apply_settings_applies_every_kind_of_setting() -> None:
    original = DailySchedule()
    updated = apply_settings(
        original,
        {
            "time": "17:30",
            "tz": "europe/berlin",
            "days": "mon,wed,fri",
            "topics": "databases python",
            "difficulty": "hard",
            "reveal": "2h",
        },
        _topic_of,
    )
    assert updated == DailySchedule(
        post_time=time(17, 30),
        zone=BERLIN,
        weekdays=_mask(0, 2, 4),
        topics=("sql", "python"),
        difficulty=3,
        reveal_delay=timedelta(hours=2),
    )
    assert original == DailySchedule()


def test_apply_settings_keeps_settings_it_was_not_given() -> None:
    original = DailySchedule(zone=NEW_YORK, topics=("sql",), difficulty=1)
    updated = apply_settings(original, {"at": "8am"}, _topic_of)
    assert updated == DailySchedule(
        post_time=time(8, 0), zone=NEW_YORK, topics=("sql",), difficulty=1
    )


def test_schedule_is_frozen() -> None:
    schedule = DailySchedule()
    with pytest.raises(FrozenInstanceError):
        schedule.zone = BERLIN  # type: ignore[misc]


@pytest.mark.parametrize(
    "settings",
    [
        {"time": "10:00", "tz": "Mars/Olympus"},
        {"tz": "Europe/Berlin", "time": "25:00"},
        {"time": "10:00", "days": "funday"},
        {"time": "10:00", "difficulty": "extreme"},
        {"time": "10:00", "reveal": "7d"},
        {"time": "10:00", "topics": "sql cooking"},
    ],
)
def test_apply_settings_with_one_bad_value_changes_nothing(settings: dict[str, str]) -> None:
    original = DailySchedule(zone=NEW_YORK, topics=("python",))
    snapshot = DailySchedule(zone=NEW_YORK, topics=("python",))
    with pytest.raises(UsageError):
        apply_settings(original, settings, _topic_of)
    assert original == snapshot


def test_apply_settings_names_the_valid_settings_for_an_unknown_one() -> None:
    with pytest.raises(UsageError) as error:
        apply_settings(DailySchedule(), {"time": "10:00", "colour": "blue"}, _topic_of)
    message = str(error.value)
    assert "'colour'" in message
    for name in ("time", "tz", "days", "topics", "difficulty", "reveal"):
        assert name in message


def test_apply_settings_resolves_topics_through_the_callable_and_dedupes() -> None:
    seen: list[str] = []

    def topic_of(word: str) -> str | None:
        seen.append(word)
        return TOPICS.get(word)

    updated = apply_settings(DailySchedule(), {"topics": "SQL, databases py"}, topic_of)
    assert updated.topics == ("sql", "python")
    assert seen == ["sql", "databases", "py"]


def test_apply_settings_names_the_topic_it_does_not_know() -> None:
    with pytest.raises(UsageError, match="'cooking' is not a topic"):
        apply_settings(DailySchedule(), {"topics": "sql cooking"}, _topic_of)


@pytest.mark.parametrize("word", ["all", "any", "mixed"])
def test_apply_settings_all_topics_clears_the_topic_list(word: str) -> None:
    original = DailySchedule(topics=("sql",))
    assert apply_settings(original, {"topics": word}, _topic_of).topics == ()


def test_apply_settings_reveal_default_clears_the_delay() -> None:
    original = DailySchedule(reveal_delay=timedelta(hours=3))
    assert apply_settings(original, {"reveal": "next"}, _topic_of).reveal_delay is None


# --- local_post_at -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "zone", "expected"),
    [
        # New York springs forward on 2026-03-08 and falls back on 2026-11-01.
        (date(2026, 3, 6), NEW_YORK, _utc(2026, 3, 6, 14)),
        (date(2026, 3, 7), NEW_YORK, _utc(2026, 3, 7, 14)),
        (date(2026, 3, 8), NEW_YORK, _utc(2026, 3, 8, 13)),
        (date(2026, 3, 9), NEW_YORK, _utc(2026, 3, 9, 13)),
        (date(2026, 10, 31), NEW_YORK, _utc(2026, 10, 31, 13)),
        (date(2026, 11, 1), NEW_YORK, _utc(2026, 11, 1, 14)),
        (date(2026, 11, 2), NEW_YORK, _utc(2026, 11, 2, 14)),
        # Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
        (date(2026, 3, 28), BERLIN, _utc(2026, 3, 28, 8)),
        (date(2026, 3, 29), BERLIN, _utc(2026, 3, 29, 7)),
        (date(2026, 10, 24), BERLIN, _utc(2026, 10, 24, 7)),
        (date(2026, 10, 25), BERLIN, _utc(2026, 10, 25, 8)),
    ],
)
def test_local_post_at_keeps_nine_local_across_dst(
    day: date, zone: str, expected: datetime
) -> None:
    moment = local_post_at(day, time(9, 0), zone)
    assert moment == expected
    assert moment.utcoffset() == timedelta(0)
    local = moment.astimezone(ZoneInfo(zone))
    assert (local.date(), local.time()) == (day, time(9, 0))


@pytest.mark.parametrize(
    ("day", "wall", "zone", "expected_utc", "expected_local"),
    [
        (date(2026, 3, 8), time(2, 30), NEW_YORK, _utc(2026, 3, 8, 7, 30), time(3, 30)),
        (date(2026, 3, 29), time(2, 30), BERLIN, _utc(2026, 3, 29, 1, 30), time(3, 30)),
    ],
)
def test_local_post_at_moves_a_skipped_time_forward_by_the_gap(
    day: date, wall: time, zone: str, expected_utc: datetime, expected_local: time
) -> None:
    moment = local_post_at(day, wall, zone)
    assert moment == expected_utc
    assert moment.astimezone(ZoneInfo(zone)).time() == expected_local


@pytest.mark.parametrize(
    ("day", "wall", "zone", "expected"),
    [
        (date(2026, 11, 1), time(1, 30), NEW_YORK, _utc(2026, 11, 1, 5, 30)),
        (date(2026, 10, 25), time(2, 30), BERLIN, _utc(2026, 10, 25, 0, 30)),
    ],
)
def test_local_post_at_picks_the_first_of_a_repeated_time(
    day: date, wall: time, zone: str, expected: datetime
) -> None:
    assert local_post_at(day, wall, zone) == expected


# --- post_times --------------------------------------------------------------------------


def _local_days(moments: list[datetime], zone: str) -> list[date]:
    return [m.astimezone(ZoneInfo(zone)).date() for m in moments]


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        (NEW_YORK, date(2026, 3, 8)),
        (NEW_YORK, date(2026, 11, 1)),
        (BERLIN, date(2026, 3, 29)),
        (BERLIN, date(2026, 10, 25)),
    ],
)
@pytest.mark.parametrize("wall", [time(9, 0), time(2, 30), time(1, 30), time(0, 0)])
def test_post_times_give_one_post_per_local_day_across_a_dst_change(
    zone: str, change: date, wall: time
) -> None:
    schedule = DailySchedule(post_time=wall, zone=zone, weekdays=EVERY_DAY)
    # From just before local midnight three days ahead of the change: the search starts on
    # that evening's date and covers it plus seven more local days.
    first_day = change - timedelta(days=3)
    after = datetime.combine(first_day, time(0), tzinfo=ZoneInfo(zone)) - timedelta(seconds=1)
    moments = post_times(schedule, after, days=7)
    expected_days = [first_day + timedelta(days=i) for i in range(7)]
    assert _local_days(moments, zone) == expected_days
    assert moments == sorted(set(moments))
    assert all(m.astimezone(ZoneInfo(zone)).time() >= wall for m in moments)


def test_post_times_in_new_york_over_the_march_change_are_nine_local() -> None:
    schedule = DailySchedule(zone=NEW_YORK, weekdays=EVERY_DAY)
    moments = post_times(schedule, _utc(2026, 3, 6, 5), days=4)  # Friday 00:00 local
    assert moments == [
        _utc(2026, 3, 6, 14),
        _utc(2026, 3, 7, 14),
        _utc(2026, 3, 8, 13),
        _utc(2026, 3, 9, 13),
        _utc(2026, 3, 10, 13),
    ]


def test_post_times_in_new_york_over_the_november_change_are_nine_local() -> None:
    schedule = DailySchedule(zone=NEW_YORK, weekdays=EVERY_DAY)
    moments = post_times(schedule, _utc(2026, 10, 30, 12), days=3)
    assert moments == [
        _utc(2026, 10, 30, 13),
        _utc(2026, 10, 31, 13),
        _utc(2026, 11, 1, 14),
        _utc(2026, 11, 2, 14),
    ]


def test_post_times_skip_days_outside_the_weekday_mask() -> None:
    # Thursday 2026-03-05 to the Thursday after, across New York's spring-forward Sunday.
    schedule = DailySchedule(zone=NEW_YORK, weekdays=WEEKDAYS_ONLY)
    moments = post_times(schedule, _utc(2026, 3, 5, 5), days=7)  # Thursday 00:00 local
    days = _local_days(moments, NEW_YORK)
    assert days == [
        date(2026, 3, 5),
        date(2026, 3, 6),
        date(2026, 3, 9),
        date(2026, 3, 10),
        date(2026, 3, 11),
        date(2026, 3, 12),
    ]
    assert all(day.weekday() < 5 for day in days)


def test_post_times_respect_a_sparse_mask() -> None:
    schedule = DailySchedule(zone=BERLIN, weekdays=_mask(0, 2, 4))
    moments = post_times(schedule, _utc(2026, 3, 23, 0), days=13)
    assert [d.weekday() for d in _local_days(moments, BERLIN)] == [0, 2, 4] * 2


def test_post_times_are_strictly_after_the_given_instant() -> None:
    schedule = DailySchedule(zone=NEW_YORK, weekdays=EVERY_DAY)
    nine_local = _utc(2026, 3, 9, 13)
    assert post_times(schedule, nine_local, days=1) == [_utc(2026, 3, 10, 13)]
    just_before = nine_local - timedelta(seconds=1)
    assert post_times(schedule, just_before, days=1)[0] == nine_local


def test_post_times_use_the_channel_local_date_not_the_utc_date() -> None:
    # 03:00Z on Saturday is still Friday evening in New York: Friday's post is already past.
    schedule = DailySchedule(zone=NEW_YORK, weekdays=WEEKDAYS_ONLY)
    moments = post_times(schedule, _utc(2026, 3, 7, 3), days=3)
    assert moments == [_utc(2026, 3, 9, 13)]


# --- reveal_time -------------------------------------------------------------------------


def test_reveal_with_a_delay_is_the_post_plus_the_delay() -> None:
    schedule = DailySchedule(zone=NEW_YORK, reveal_delay=timedelta(hours=2, minutes=30))
    posted = _utc(2026, 3, 6, 14)
    assert reveal_time(schedule, posted, date(2026, 3, 6)) == _utc(2026, 3, 6, 16, 30)


def test_default_reveal_is_an_hour_before_the_next_post() -> None:
    schedule = DailySchedule(zone=BERLIN, weekdays=EVERY_DAY)
    posted = local_post_at(date(2026, 3, 24), time(9, 0), BERLIN)
    assert reveal_time(schedule, posted, date(2026, 3, 24)) == _utc(2026, 3, 25, 7)


def test_default_reveal_after_friday_is_monday_eight_local() -> None:
    # Friday 2026-03-06; Monday 2026-03-09 is already daylight time in New York.
    schedule = DailySchedule(zone=NEW_YORK, weekdays=WEEKDAYS_ONLY)
    posted = local_post_at(date(2026, 3, 6), time(9, 0), NEW_YORK)
    revealed = reveal_time(schedule, posted, date(2026, 3, 6))
    assert revealed == _utc(2026, 3, 9, 12)
    local = revealed.astimezone(ZoneInfo(NEW_YORK))
    assert (local.date(), local.time()) == (date(2026, 3, 9), time(8, 0))


def test_default_reveal_over_the_autumn_change_is_eight_local() -> None:
    schedule = DailySchedule(zone=BERLIN, weekdays=EVERY_DAY)
    posted = local_post_at(date(2026, 10, 24), time(9, 0), BERLIN)
    assert reveal_time(schedule, posted, date(2026, 10, 24)) == _utc(2026, 10, 25, 7)


def test_default_reveal_is_never_before_a_late_post() -> None:
    # Monday's question went out late, at 08:30 on Tuesday: an hour before Tuesday's 09:00
    # post has passed already, so the reveal comes right after posting instead.
    schedule = DailySchedule(zone="UTC", weekdays=EVERY_DAY)
    posted = _utc(2026, 3, 3, 8, 30)
    revealed = reveal_time(schedule, posted, date(2026, 3, 2))
    assert revealed > posted
    assert revealed == posted + timedelta(minutes=1)


@pytest.mark.parametrize("wall", [time(0, 30), time(9, 0), time(23, 30)])
def test_default_reveal_falls_between_the_post_and_the_next_one(wall: time) -> None:
    schedule = DailySchedule(post_time=wall, zone=NEW_YORK, weekdays=EVERY_DAY)
    day = date(2026, 3, 7)
    posted = local_post_at(day, wall, NEW_YORK)
    following = local_post_at(day + timedelta(days=1), wall, NEW_YORK)
    assert reveal_time(schedule, posted, day) == following - timedelta(hours=1)


def test_default_reveal_for_a_midnight_channel_is_before_the_next_post() -> None:
    schedule = DailySchedule(post_time=time(0, 0), zone="UTC", weekdays=EVERY_DAY)
    posted = _utc(2026, 3, 2, 0)
    assert reveal_time(schedule, posted, date(2026, 3, 2)) == _utc(2026, 3, 2, 23)


def test_describe_reads_back_the_schedule() -> None:
    schedule = DailySchedule(
        post_time=time(17, 30),
        zone=BERLIN,
        weekdays=_mask(0, 2, 4),
        topics=("sql",),
        difficulty=3,
        reveal_delay=timedelta(hours=2),
    )
    assert schedule.describe() == (
        "17:30 Europe/Berlin on Mon, Wed, Fri; sql; hard; reveal 2h after posting"
    )
    assert DailySchedule().describe() == (
        "09:00 UTC on weekdays; all topics; any difficulty; reveal 1 hour before the next question"
    )
