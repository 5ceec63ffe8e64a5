"""Time leaderboard reads and answer credits on a large synthetic workspace.

Run by hand:

    .venv/bin/python benchmarks/leaderboard.py                 # SQLite, cached file
    .venv/bin/python benchmarks/leaderboard.py --rebuild       # build the SQLite file again
    .venv/bin/python benchmarks/leaderboard.py \\
        --database postgresql://postgres@127.0.0.1:5432/bench_leaderboard

The first run builds one workspace with 100,000 members, 20 channels posting a daily question
on weekdays, and 5,000,000 graded answers over 180 days (daily answers tied to `daily_posts`,
mock/review/drill answers without), together with the `streaks` rows and the `board_entries`
totals the app keeps (workspace and channel boards, all-time and every week). Totals, streaks
and streak bonuses are worked out with the app's own `record_activity`, `streak_bonus` and
`week_period` while the answers are generated, so they agree with the `attempts` rows. One
member in a hundred hides from the boards. The schema comes from the project's migrations;
rows are bulk-loaded with the raw driver (sqlite3 / asyncpg COPY).

The SQLite file is kept in benchmarks/.data/ and reused until --rebuild. A PostgreSQL database
is created if missing (its name must start with `bench`, the only database this script ever
creates or drops) and reused while its comment records the same build parameters.

Then it times, with the app's code, `boards.top` + `boards.standing` for callers at the top,
middle and bottom of the all-time, weekly and one channel board (plus hidden members and
members with no entry), and `progress.credit_answer` in a committed `Store.transaction()` with
the clock advancing over two midnights. It prints p50/p95/max, build time, database size and
the plans of the two leaderboard queries. Credits are undone afterwards so the cached
database stays consistent for the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import delete, event, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.practice_log import POINTS_PER_SCORE
from bot.progress import credit_answer, streak_bonus, week_period
from bot.storage import boards, migrate
from bot.storage.db import create_engine
from bot.storage.models import Attempt, BoardEntry, Member, Streak
from bot.storage.store import Store
from bot.storage.url import normalise_database_url
from bot.streaks import StreakState, record_activity

DATA_DIR = Path(__file__).resolve().parent / ".data"
ZONE = "UTC"
WORKSPACE_ID = 1
CHANNEL_WEEKDAYS = 0b0011111  # Monday to Friday, the app's default
HOME_CHANNELS_MAX = 3
BATCH_MEMBERS = 2_000
ANSWER_TEXTS = [
    " ".join(["The answer explains the trade-off and gives an example."] * n) for n in range(1, 9)
]

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Plan:
    """What to build: the sizes, the seed and the last day of activity."""

    members: int
    attempts: int
    days: int
    channels: int
    hidden_share: float
    seed: int

    def label(self) -> str:
        return (
            f"members={self.members} attempts={self.attempts} days={self.days} "
            f"channels={self.channels} hidden={self.hidden_share} seed={self.seed}"
        )

    def file_name(self) -> str:
        return (
            f"leaderboard-m{self.members}-a{self.attempts}-d{self.days}"
            f"-c{self.channels}-s{self.seed}.db"
        )


@dataclass
class Codec:
    """How one backend wants dates, times, flags and JSON in bulk-loaded rows."""

    sqlite: bool

    def when(self, value: datetime) -> Any:
        if not self.sqlite:
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DATETIME format

    def day(self, value: date) -> Any:
        return value.isoformat() if self.sqlite else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value


@dataclass
class Batch:
    """Rows for a slice of members, ready for the loader."""

    members: list[Row] = field(default_factory=list)
    attempts: list[Row] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    streaks: list[Row] = field(default_factory=list)


TABLE_COLUMNS: dict[str, list[str]] = {
    "workspaces": "id platform external_id name timezone created_at".split(),
    "channels": (
        "id workspace_id external_id name subscribed paused post_time timezone weekdays topics"
        " difficulty reveal_delay_minutes last_error last_error_at created_at updated_at"
    ).split(),
    "daily_posts": (
        "id channel_id local_date question_id message_ref posted_at reveal_at revealed_at"
    ).split(),
    "members": (
        "id workspace_id external_id display_name timezone rest_days hidden_from_boards"
        " streak_reminders review_reminders created_at"
    ).split(),
    "attempts": (
        "id member_id question_id source daily_post_id interview_id answer_text score covered"
        " missed points streak_bonus counts_for_points local_date created_at updated_at"
    ).split(),
    "board_entries": "board period member_id points reached_at hidden".split(),
    "streaks": "member_id current longest freezes last_active_date last_zone updated_at".split(),
}


# --- generating the data ---------------------------------------------------------------------


class Generator:
    """Deterministic synthetic activity for one workspace, member by member."""

    def __init__(self, plan: Plan, end: date, codec: Codec) -> None:
        self.plan, self.codec = plan, codec
        self.rng = random.Random(plan.seed)
        self.start = end - timedelta(days=plan.days - 1)
        self.days = [self.start + timedelta(days=i) for i in range(plan.days)]
        self.weeks = [week_period(at_time(d, 12), ZONE) for d in self.days]
        self.posts: dict[tuple[int, int], int] = {}
        self.next_attempt = 1
        self.quota = self.attempt_quota()

    def attempt_quota(self) -> list[int]:
        """Answers per member: heavy-tailed, 5% never answer, summing exactly to the plan."""
        rng, plan = self.rng, self.plan
        weights = [
            0.0 if rng.random() < 0.05 else rng.lognormvariate(0, 1.0) for _ in range(plan.members)
        ]
        total = sum(weights)
        quota = [int(plan.attempts * w / total) for w in weights]
        active = [i for i, w in enumerate(weights) if w > 0]
        for i in rng.choices(active, k=plan.attempts - sum(quota)):
            quota[i] += 1
        return quota

    def static_rows(self) -> dict[str, list[Row]]:
        """The workspace, its channels and every daily post."""
        c, created = self.codec, at_time(self.start - timedelta(days=30), 8)
        rows: dict[str, list[Row]] = {
            "workspaces": [(WORKSPACE_ID, "slack", "TBENCH", "Benchmark", ZONE, c.when(created))],
            "channels": [],
            "daily_posts": [],
        }
        post_id = 0
        for ch in range(1, self.plan.channels + 1):
            rows["channels"].append(
                (
                    ch,
                    WORKSPACE_ID,
                    f"C{ch:08d}",
                    f"interview-prep-{ch}",
                    c.flag(True),
                    c.flag(False),
                    "09:00",
                    None,
                    CHANNEL_WEEKDAYS,
                    "[]",
                    None,
                    None,
                    None,
                    None,
                    c.when(created),
                    c.when(created),
                )
            )
            for index, day in enumerate(self.days):
                if not CHANNEL_WEEKDAYS >> day.weekday() & 1:
                    continue
                post_id += 1
                self.posts[ch, index] = post_id
                posted = at_time(day, 9)
                rows["daily_posts"].append(
                    (
                        post_id,
                        ch,
                        c.day(day),
                        f"q-{post_id * 7 % 900:03d}",
                        f"ts-{post_id}",
                        c.when(posted),
                        c.when(posted + timedelta(hours=8)),
                        c.when(posted + timedelta(hours=8)),
                    )
                )
        return rows

    def batches(self) -> Iterator[Batch]:
        batch = Batch()
        for index in range(self.plan.members):
            self.member(index + 1, self.quota[index], batch)
            if len(batch.members) >= BATCH_MEMBERS:
                yield batch
                batch = Batch()
        if batch.members:
            yield batch

    def member(self, member_id: int, quota: int, batch: Batch) -> None:
        rng, c = self.rng, self.codec
        hidden = rng.random() < self.plan.hidden_share
        rest_days = 0b1100000 if rng.random() < 0.1 else 0  # some rest at weekends
        join = 0 if rng.random() < 0.3 else rng.randrange(self.plan.days)
        batch.members.append(
            (
                member_id,
                WORKSPACE_ID,
                f"U{member_id:09d}",
                f"Member {member_id}",
                None,
                rest_days,
                c.flag(hidden),
                c.flag(False),
                c.flag(False),
                c.when(at_time(self.days[join], 7)),
            )
        )
        if quota == 0:
            return
        homes = self.home_channels()
        span = range(join, self.plan.days)
        active = max(1, min(len(span), round(quota * rng.uniform(0.35, 0.8))))
        per_day = [1] * active
        for i in rng.choices(range(active), k=quota - active):
            per_day[i] += 1
        totals: dict[tuple[str, str], list[Any]] = {}
        state, last_at = StreakState(), None
        for day_index, count in zip(sorted(rng.sample(span, active)), per_day, strict=True):
            times = sorted(rng.randrange(7 * 3600, 86_400) for _ in range(count))
            for n, second in enumerate(times):
                at = at_time(self.days[day_index], 0) + timedelta(
                    seconds=second, microseconds=rng.randrange(1_000_000)
                )
                bonus = 0
                if n == 0:  # later answers of the same local day never count again
                    change = record_activity(state, at, ZONE, rest_days)
                    state, last_at, bonus = change.state, at, streak_bonus(change)
                channel = self.daily_channel(homes, day_index, n)
                self.attempt(member_id, day_index, at, channel, bonus, totals, batch)
        batch.streaks.append(
            (
                member_id,
                state.current,
                state.longest,
                state.freezes,
                c.day(state.last_date),
                state.last_zone,
                c.when(last_at),
            )
        )
        for (board, period), (points, reached_at) in totals.items():
            batch.entries.append(
                (board, period, member_id, points, c.when(reached_at), c.flag(hidden))
            )

    def home_channels(self) -> list[int]:
        """One to three channels, the first ones busier (like #general)."""
        channels = range(1, self.plan.channels + 1)
        weights = [1 / ch for ch in channels]
        k = self.rng.randint(1, HOME_CHANNELS_MAX)
        return list(dict.fromkeys(self.rng.choices(channels, weights, k=k)))

    def daily_channel(self, homes: list[int], day_index: int, n: int) -> int | None:
        """The channel whose daily question the n-th answer of the day answers, if any."""
        if n >= len(homes) or self.rng.random() > (0.65 if n == 0 else 0.25):
            return None
        return homes[n] if (homes[n], day_index) in self.posts else None

    def attempt(
        self,
        member_id: int,
        day_index: int,
        at: datetime,
        channel: int | None,
        bonus: int,
        totals: dict[tuple[str, str], list[Any]],
        batch: Batch,
    ) -> None:
        rng, c = self.rng, self.codec
        score = (
            rng.randrange(0, 11) if rng.random() < 0.08 else round(rng.betavariate(4, 2.5) * 100)
        )
        points = round(score / POINTS_PER_SCORE)
        post = self.posts[channel, day_index] if channel else None
        source = "daily" if post else rng.choices(("mock", "review", "drill"), (16, 3, 1))[0]
        kp = rng.randrange(1, 5)
        covered = json.dumps([f"kp{i}" for i in range(kp) if i * 25 < score])
        missed = json.dumps([f"kp{i}" for i in range(kp) if i * 25 >= score])
        stamp = c.when(at)
        batch.attempts.append(
            (
                self.next_attempt,
                member_id,
                f"q-{rng.randrange(900):03d}",
                source,
                post,
                None,
                rng.choice(ANSWER_TEXTS),
                score,
                covered,
                missed,
                points,
                bonus,
                c.flag(True),
                c.day(self.days[day_index]),
                stamp,
                stamp,
            )
        )
        self.next_attempt += 1
        delta = points + bonus
        if delta <= 0:  # add_points ignores a zero delta: no row, no new reached_at
            return
        targets = [boards.workspace_board(WORKSPACE_ID)]
        if channel:
            targets.append(boards.channel_board(channel))
        for board in targets:
            for period in (boards.ALL_TIME, self.weeks[day_index]):
                total = totals.setdefault((board, period), [0, at])
                total[0] += delta
                total[1] = at


def at_time(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- loading ---------------------------------------------------------------------------------


def sqlite_insert(connection: sqlite3.Connection, table: str, rows: Sequence[Row]) -> None:
    columns = TABLE_COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def load_sqlite(path: Path, plan: Plan, end: date) -> None:
    """Fill the migrated, empty SQLite file at `path`."""
    generator = Generator(plan, end, Codec(sqlite=True))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")  # this connection only, for the load
    connection.execute("PRAGMA cache_size=-1000000")
    connection.execute("BEGIN")
    for table, rows in generator.static_rows().items():
        sqlite_insert(connection, table, rows)
    loaded = 0
    for batch in generator.batches():
        for table in ("members", "attempts", "board_entries", "streaks"):
            sqlite_insert(connection, table, batch_rows(batch, table))
        loaded += len(batch.members)
        if loaded % 20_000 == 0:
            connection.execute("COMMIT")
            progress(f"{loaded} members, {generator.next_attempt - 1} answers")
            connection.execute("BEGIN")
    connection.execute("COMMIT")
    progress("ANALYZE")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def batch_rows(batch: Batch, table: str) -> list[Row]:
    return {
        "members": batch.members,
        "attempts": batch.attempts,
        "board_entries": batch.entries,
        "streaks": batch.streaks,
    }[table]


async def load_postgresql(dsn: str, plan: Plan, end: date) -> None:
    """Fill the migrated, empty PostgreSQL database with COPY."""
    generator = Generator(plan, end, Codec(sqlite=False))
    connection = await asyncpg.connect(dsn)
    try:
        # Rows are consistent by construction: skip the per-row foreign key triggers.
        await connection.execute("SET session_replication_role = replica")
        await connection.execute("SET synchronous_commit = off")
        for table, rows in generator.static_rows().items():
            await copy(connection, table, rows)
        loaded = 0
        for batch in generator.batches():
            for table in ("members", "attempts", "board_entries", "streaks"):
                await copy(connection, table, batch_rows(batch, table))
            loaded += len(batch.members)
            if loaded % 20_000 == 0:
                progress(f"{loaded} members, {generator.next_attempt - 1} answers")
        for table in ("workspaces", "channels", "daily_posts", "members", "attempts"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        progress("VACUUM ANALYZE")
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def copy(connection: asyncpg.Connection, table: str, rows: Sequence[Row]) -> None:
    if rows:
        await connection.copy_records_to_table(table, records=rows, columns=TABLE_COLUMNS[table])


def progress(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


# --- preparing the database ------------------------------------------------------------------


@dataclass
class Target:
    """The database under test."""

    url: str  # async-driver URL for the app's engine
    dialect: str
    build_seconds: float | None = None


async def migrate_empty(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


async def prepare_sqlite(url: str, plan: Plan, rebuild: bool) -> Target:
    path = Path(make_url(url).database or "")
    if path.exists() and not rebuild:
        return Target(url, "sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for stale in (building, *suffixed(building)):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    building_url = make_url(url).set(database=str(building)).render_as_string()
    await migrate_empty(building_url)
    load_sqlite(building, plan, date.today() - timedelta(days=1))
    for old in (path, *suffixed(path)):
        old.unlink(missing_ok=True)
    building.rename(path)
    return Target(url, "sqlite", time.perf_counter() - started)


def suffixed(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


async def prepare_postgresql(url: str, plan: Plan, rebuild: bool) -> Target:
    parsed = make_url(url)
    name = parsed.database or ""
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to build in database {name!r}: its name must start 'bench'")
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(make_url(dsn).set(database="postgres").render_as_string(False))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        comment = await admin.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            name,
        )
        if exists and comment == plan.label() and not rebuild:
            return Target(url, "postgresql")
        started = time.perf_counter()
        if exists:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        await migrate_empty(url)
        await load_postgresql(dsn, plan, date.today() - timedelta(days=1))
        # The comment marks a finished build with these parameters.
        await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{plan.label()}'")
        return Target(url, "postgresql", time.perf_counter() - started)
    finally:
        await admin.close()


async def database_size(engine: AsyncEngine, target: Target) -> str:
    async with engine.connect() as connection:
        if target.dialect == "sqlite":
            path = Path(make_url(target.url).database or "")
            total = sum(p.stat().st_size for p in (path, *suffixed(path)) if p.exists())
            boards_size = await connection.scalar(
                text(
                    "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                    "('board_entries', 'ix_board_entries_ranking', 'ix_board_entries_member_id',"
                    " 'sqlite_autoindex_board_entries_1')"
                )
            )
        else:
            total = await connection.scalar(text("SELECT pg_database_size(current_database())"))
            boards_size = await connection.scalar(
                text("SELECT pg_total_relation_size('board_entries')")
            )
    return f"{total / 2**30:.2f} GiB (board_entries with its indexes {boards_size / 2**20:.0f} MiB)"


# --- measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """A board under test and its callers by kind."""

    name: str
    board: str
    period: str
    callers: dict[str, list[int]]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def summary(values: Sequence[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5):6.2f}  p95 {percentile(values, 0.95):6.2f}  "
        f"max {max(values):6.2f} ms"
    )


async def ranked_callers(store: Store, board: str, period: str, rng: random.Random) -> dict:
    """Members picked by where they stand (setup only; not timed)."""
    async with store.transaction() as session:
        ranked = (
            await session.execute(
                select(BoardEntry.member_id, BoardEntry.hidden)
                .where(BoardEntry.board == board, BoardEntry.period == period)
                .where(BoardEntry.points > 0)
                .order_by(BoardEntry.points.desc(), BoardEntry.reached_at, BoardEntry.member_id)
            )
        ).all()
        present = {member_id for member_id, _ in ranked}
        all_ids = (await session.scalars(select(Member.id))).all()
    visible = [member_id for member_id, hidden in ranked if not hidden]
    n = len(visible)
    absent = [m for m in rng.sample(all_ids, min(5_000, len(all_ids))) if m not in present]
    return {
        "top 10": visible[:10],
        "ranks 100-1000": visible[100:1000],
        "middle": visible[int(n * 0.45) : int(n * 0.55)],
        "bottom 1%": visible[int(n * 0.99) :],
        "hidden": [member_id for member_id, hidden in ranked if hidden],
        "no entry": absent[:200] or visible[-1:],
    }


async def time_leaderboard(
    store: Store, board: Board, runs: int, warmup: int, rng: random.Random
) -> dict[str, list[float]]:
    """Milliseconds per `top` + `standing` (one transaction each), by caller kind."""
    kinds = list(board.callers)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    for run in range(warmup + runs):
        kind = kinds[run % len(kinds)]
        caller = rng.choice(board.callers[kind])
        started = time.perf_counter()
        async with store.transaction() as session:
            leaders = await boards.top(session, board.board, board.period, 10)
            await boards.standing(session, board.board, board.period, caller)
        elapsed = (time.perf_counter() - started) * 1000
        assert len(leaders) == 10
        if run >= warmup:
            timings[kind].append(elapsed)
    return timings


async def time_updates(
    store: Store, members: list[int], end: date, runs: int, warmup: int, rng: random.Random
) -> tuple[list[float], int, int]:
    """Milliseconds per committed `credit_answer`, the clock moving 10 minutes a run."""
    clock = at_time(end, 8)
    timings: list[float] = []
    counted = 0
    for run in range(warmup + runs):
        at = clock + timedelta(minutes=10 * run)
        member_id = members[run]
        channel = rng.randint(1, 20) if rng.random() < 0.5 else None
        points = round(rng.betavariate(4, 2.5) * 100 / POINTS_PER_SCORE)
        started = time.perf_counter()
        async with store.transaction() as session:
            member = await session.get(Member, member_id)
            assert member is not None
            credit = await credit_answer(
                session,
                member,
                at=at,
                zone=ZONE,
                workspace_zone=ZONE,
                points=points,
                channel_id=channel,
            )
        elapsed = (time.perf_counter() - started) * 1000
        if run >= warmup:
            timings.append(elapsed)
            counted += bool(credit.streak and credit.streak.counted)
    return timings, counted, (at.date() - end).days


async def snapshot(store: Store, members: list[int]) -> tuple[list[dict], list[dict]]:
    async with store.transaction() as session:
        entries = (
            await session.execute(
                select(BoardEntry.__table__).where(BoardEntry.member_id.in_(members))
            )
        ).mappings()
        entry_rows = [dict(row) for row in entries]
        streaks = (
            await session.execute(select(Streak.__table__).where(Streak.member_id.in_(members)))
        ).mappings()
        return entry_rows, [dict(row) for row in streaks]


async def restore(store: Store, members: list[int], saved: tuple[list[dict], list[dict]]) -> None:
    """Put back the members' board entries and streaks as they were before the credits."""
    entries, streaks = saved
    async with store.transaction() as session:
        await session.execute(delete(BoardEntry).where(BoardEntry.member_id.in_(members)))
        await session.execute(delete(Streak).where(Streak.member_id.in_(members)))
        if entries:
            await session.execute(insert(BoardEntry.__table__), entries)
        if streaks:
            await session.execute(insert(Streak.__table__), streaks)


async def capture(engine: AsyncEngine, work: Callable[[], Awaitable[object]]) -> list[tuple]:
    """The SQL statements (with parameters) that `work` sends."""
    seen: list[tuple] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await work()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def query_plans(store: Store, dialect: str, board: Board, caller: int) -> list[str]:
    """EXPLAIN output of the top-10 query and the rank count, as the app sends them."""

    async def leaderboard() -> None:
        async with store.transaction() as session:
            await boards.top(session, board.board, board.period, 10)
            await boards.standing(session, board.board, board.period, caller)

    statements = await capture(store.engine, leaderboard)
    wanted = [
        (label, s)
        for label, match in (("top 10", "ORDER BY"), ("rank count", "count("))
        for s in statements
        if match in s[0]
    ]
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    lines: list[str] = []
    async with store.engine.connect() as connection:
        for label, (statement, parameters) in wanted:
            lines.append(f"-- {label}: {' '.join(statement.split())}")
            result = await connection.exec_driver_sql(prefix + statement, parameters)
            for row in result.all():
                lines.append("   " + (str(row[-1]) if dialect == "sqlite" else str(row[0])))
    return lines


async def measure(target: Target, plan: Plan, runs: int, warmup: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store(create_engine(target.url))
    try:
        print(f"database: {store.engine.url.render_as_string(hide_password=True)}")
        if target.build_seconds is not None:
            print(f"build: {target.build_seconds:.0f} s ({plan.label()})")
        else:
            print(f"build: reused ({plan.label()}; --rebuild to build again)")
        print(f"size: {await database_size(store.engine, target)}")
        async with store.transaction() as session:
            end = await session.scalar(select(func.max(Streak.last_active_date)))
            attempts = await session.scalar(select(func.max(Attempt.id)))
            channel = await session.scalar(
                select(BoardEntry.board)
                .where(BoardEntry.board.like("ch:%"), BoardEntry.period == boards.ALL_TIME)
                .group_by(BoardEntry.board)
                .order_by(func.count().desc())
                .limit(1)
            )
        assert end is not None and channel is not None
        week = week_period(at_time(end, 12), ZONE)
        print(f"answers: {attempts}; last day of activity {end}; current week {week}")
        ws = boards.workspace_board(WORKSPACE_ID)
        tested: list[Board] = []
        for name, key, period in (
            ("workspace, all time", ws, boards.ALL_TIME),
            (f"workspace, week {week}", ws, week),
            (f"channel {channel}, all time", channel, boards.ALL_TIME),
        ):
            tested.append(Board(name, key, period, await ranked_callers(store, key, period, rng)))
        print(f"\nleaderboard: top(10) + standing(caller), {runs} runs per board, {warmup} warm-up")
        every: list[float] = []
        for board in tested:
            async with store.transaction() as session:
                size = await session.scalar(
                    select(func.count())
                    .select_from(BoardEntry)
                    .where(BoardEntry.board == board.board, BoardEntry.period == board.period)
                )
            timings = await time_leaderboard(store, board, runs, warmup, rng)
            flat = [t for values in timings.values() for t in values]
            every += flat
            print(f"  {board.name} ({size} entries): {summary(flat)}")
            print(
                "    by caller: "
                + "; ".join(f"{kind} {statistics.median(v):.2f}" for kind, v in timings.items())
                + " (p50 ms)"
            )
        print(f"  all boards: {summary(every)}")

        print(f"\nupdate: credit_answer, committed transaction, {runs} runs, {warmup} warm-up")
        async with store.transaction() as session:
            ids = (await session.scalars(select(Member.id))).all()
        members = rng.sample(ids, warmup + runs)
        saved = await snapshot(store, members)
        try:
            timings, counted, midnights = await time_updates(store, members, end, runs, warmup, rng)
        finally:
            await restore(store, members, saved)
        print(
            f"  {summary(timings)}  ({counted} of {runs} advanced a streak;"
            f" the clock crossed {midnights} midnights)"
        )
        print("  (credits undone afterwards, so the database stays as built)")

        for board in (tested[0], tested[1]):
            bottom = board.callers["bottom 1%"][-1]
            print(f"\nquery plans, {board.name}, caller {bottom} near the bottom:")
            for line in await query_plans(store, target.dialect, board, bottom):
                print(line)
    finally:
        await store.close()


# --- entry point -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="sqlite:///file.db or postgresql://user@host/bench_db")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--attempts", type=int, default=5_000_000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--hidden", type=float, default=0.01, help="share of hidden members")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per measurement")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    plan = Plan(args.members, args.attempts, args.days, args.channels, args.hidden, args.seed)
    raw = args.database or f"sqlite:///{DATA_DIR / plan.file_name()}"
    try:
        url = normalise_database_url(raw)
    except ValueError as exc:
        print(f"--database: {exc}", file=sys.stderr)
        return 2

    async def run() -> None:
        if make_url(url).get_backend_name() == "sqlite":
            target = await prepare_sqlite(url, plan, args.rebuild)
        else:
            target = await prepare_postgresql(url, plan, args.rebuild)
        await measure(target, plan, args.runs, args.warmup, args.seed)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
