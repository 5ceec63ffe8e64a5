"""Study groups, stats, export and forget-me through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from people import Person, text_of
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.engine import Engine
from bot.events import Attachment, Leaderboard, Reply
from bot.storage import schedule_rows
from bot.storage.member_data import member_tables
from bot.storage.models import Base, Channel, Member, StudyGroup
from bot.storage.store import Store


async def _daily(admin: Person, engine: Engine) -> None:
    await admin.run("/daily-question setup time=09:00 tz=UTC days=daily reveal=12h")
    async with engine.store.transaction() as session:
        channel = await session.scalar(select(Channel))
    assert channel is not None
    await engine.post_daily(channel.id)


async def test_study_group_lifecycle(person: Callable[..., Person], store: Store) -> None:
    ada, bob = person("ada"), person("bob")
    assert "Created the study group Stats Nerds" in text_of(
        await ada.run("/study-group create Stats Nerds")
    )
    assert "already a group called" in text_of(await bob.run("/study-group create stats NERDS"))
    assert "You joined Stats Nerds" in text_of(await bob.run("/study-group join stats nerds"))
    assert "already in" in text_of(await bob.run("/study-group join Stats Nerds"))
    await bob.run("/study-group create Night Owls")
    assert "several groups" in text_of(await bob.run("/study-group leave"))
    listing = text_of(await bob.run("/study-group list"))
    assert "Night Owls: 1 member (yours)" in listing and "Stats Nerds: 2 members" in listing
    assert "You left Night Owls" in text_of(await bob.run("/study-group leave night owls"))
    async with store.transaction() as session:
        names = list(await session.scalars(select(StudyGroup.name)))
    assert names == ["Stats Nerds"]  # the emptied group is gone, its name free again
    assert "not in Night Owls" not in text_of(await bob.run("/study-group info"))
    for bad in ("create", "create <!channel>", "create " + "x" * 41, "join Nope", "dance"):
        replies = await bob.run(f"/study-group {bad}")
        assert all(isinstance(r, Reply) and r.private for r in replies)
        assert "Created" not in text_of(replies)


async def test_group_names_are_per_workspace(person: Callable[..., Person]) -> None:
    await person("ada").run("/study-group create Owls")
    other = person("eve", workspace="elsewhere")
    assert "Created" in text_of(await other.run("/study-group create Owls"))


async def test_group_board_and_group_streak(
    person: Callable[..., Person], engine: Engine, clock: FixedClock
) -> None:
    admin = person("ada", admin=True)
    team = [person(n) for n in ("a1", "a2", "a3", "a4")]
    solo = person("s1")
    await team[0].run("/study-group create Alpha")
    for who in team[1:]:
        await who.run("/study-group join Alpha")
    await solo.run("/study-group create Solo")
    for day in range(3):
        await _daily(admin, engine)
        # Half of Alpha answers on days 0 and 1, only one member on day 2.
        for who in team[: 2 if day < 2 else 1]:
            await who.run("/answer good")
        await solo.run("/answer half")
        if day < 2:
            clock.advance(timedelta(days=1))
    [board] = await team[0].run("/leaderboard all-time group")
    assert isinstance(board, Leaderboard)
    assert [(line.name, line.points) for line in board.lines] == [
        ("Alpha", 9 * 5 + 4),  # a1 earned streak bonuses 1 and 2, a2 a bonus of 1
        ("Solo", 5 * 3 + 3),
    ]
    assert "per active member (2 of 4 active)" in board.lines[0].detail
    assert board.lines[0].you and not board.lines[1].you
    info = text_of(await team[0].run("/study-group info"))
    # Today (day 2) does not qualify yet, so the streak runs through yesterday: 2 days.
    assert "Group streak: 2 days" in info
    assert "a1, a2, a3, a4" in info
    assert "Group streak: 3 days" in text_of(await solo.run("/study-group info Solo"))


async def test_stats_report_and_chart(person: Callable[..., Person], engine: Engine) -> None:
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    bob = person("bob")
    await bob.run("/answer good")
    replies = await bob.run("/interview-stats")
    summary = text_of(replies)
    assert "Points: 9 all-time, #1" in summary and "Active on 1 of the last 30 days" in summary
    assert "1 answer, mean 90/100" in summary
    [chart] = [r for r in replies if isinstance(r, Attachment)]
    assert chart.mime == "image/png" and chart.data.startswith(b"\x89PNG\r\n\x1a\n")


async def test_stats_for_a_newcomer(person: Callable[..., Person]) -> None:
    replies = await person("new").run("/interview-stats")
    assert "No graded answers yet" in text_of(replies)
    assert any(isinstance(r, Attachment) for r in replies)


async def _rows_about(store: Store, member_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with store.transaction() as session:
        for table in member_tables():
            counts[table.name] = await session.scalar(
                select(func.count()).select_from(table).where(table.c.member_id == member_id)
            )
        counts["members"] = await session.scalar(
            select(func.count()).select_from(Member).where(Member.id == member_id)
        )
        counts["study_groups_created"] = await session.scalar(
            select(func.count()).select_from(StudyGroup).where(StudyGroup.created_by == member_id)
        )
    return counts


async def _member_id(store: Store, user: str) -> int:
    async with store.transaction() as session:
        found = await session.scalar(select(Member.id).where(Member.external_id == user))
    assert found is not None
    return found


async def _busy_member(person: Callable[..., Person], engine: Engine, user: str) -> Person:
    """A member with a row in every table that can hold one."""
    admin = person("ada", admin=True)
    await _daily(admin, engine)
    who = person(user)
    await who.run("/answer good daily answer")
    await who.run("/mock-interview statistics 2")
    await who.say("good answer")
    await who.run("/study-group create Team " + user)
    await who.run("/timezone Europe/Berlin")
    async with engine.store.transaction() as session:
        member_id = await session.scalar(select(Member.id).where(Member.external_id == user))
        assert member_id is not None
        now = engine.clock.now()
        await schedule_rows.claim_reminder(session, member_id, "streak", now.date(), now)
    return who


async def test_export_holds_every_row_about_the_member(
    person: Callable[..., Person], engine: Engine, store: Store
) -> None:
    bob = await _busy_member(person, engine, "bob")
    [export] = await bob.run("/interview-export")
    assert isinstance(export, Attachment) and export.mime == "application/json"
    document = json.loads(export.data)
    counts = await _rows_about(store, await _member_id(store, "bob"))
    assert {name: len(rows) for name, rows in document["tables"].items()} == counts
    assert document["tables"]["members"][0]["timezone"] == "Europe/Berlin"
    assert any(row["answer_text"] == "good daily answer" for row in document["tables"]["attempts"])


async def test_forget_me_asks_first_then_deletes_every_row(
    person: Callable[..., Person], engine: Engine, store: Store
) -> None:
    bob = await _busy_member(person, engine, "bob")
    cy = await _busy_member(person, engine, "cy")
    await cy.run("/study-group join Team bob")
    bob_id, cy_id = await _member_id(store, "bob"), await _member_id(store, "cy")
    before = await _rows_about(store, bob_id)
    # Every table that can hold a row about a member holds one, so the check below means it.
    assert all(before.values()), before
    [ask] = await bob.run("/interview-forget-me")
    assert isinstance(ask, Reply) and ask.buttons[0].command == "/interview-forget-me confirm"
    assert await _rows_about(store, bob_id) == before
    assert "Usage: /interview-forget-me" in text_of(await bob.run("/interview-forget-me now"))
    assert await _rows_about(store, bob_id) == before
    done = text_of(await bob.press("run", "/interview-forget-me confirm"))
    assert "rows about you are deleted" in done
    assert set((await _rows_about(store, bob_id)).values()) == {0}
    # Nothing that names bob is left anywhere, and cy's data is untouched.
    async with store.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                assert "bob" not in json.dumps({k: str(v) for k, v in row.items()}).replace(
                    "Team bob", ""
                ), (table.name, row)
    left = await _rows_about(store, cy_id)
    assert all(left[t] for t in ("attempts", "streaks", "members", "study_group_members"))
