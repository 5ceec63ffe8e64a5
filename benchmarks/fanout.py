"""Time the scheduler's fan-out: one tick posting the daily question to thousands of channels.

Run by hand:

    .venv/bin/python benchmarks/fanout.py                        # 5,000 channels, half each
    .venv/bin/python benchmarks/fanout.py --failures 0.1         # 10% of posts get 429 / 5xx
    .venv/bin/python benchmarks/fanout.py --platform slack --concurrency 50
    .venv/bin/python benchmarks/fanout.py --slack-session        # one shared HTTP session
    .venv/bin/python benchmarks/fanout.py \\
        --database postgresql://postgres@127.0.0.1:5432/bench_fanout

It measures the real path: a migrated database (SQLite in a temporary directory, or a
PostgreSQL database whose name starts with `bench`, dropped and created again on every run;
no other database is ever touched) with N subscribed channels (one workspace per platform,
daily at 08:00 UTC), the app's `Engine`, `scheduler.jobs.tick` and `Outbox`, the Slack sender
on a client from `adapters.slack.server.web_client` and the Discord sender inside a logged-in
discord.py bot from `adapters.discord.bot.make_bot`. The senders talk to the loopback fakes of
the test suite (`tests/adapters/slack_fake.py`, `tests/adapters/discord_fake.py`), which run
in a child process so that their work is not counted as the bot's.

With the clock at 08:00 it runs one tick and reports its wall time, where the time went
(finding due channels, claiming posts, delivering), posts per second, time to the first and
last delivery, CPU time, SQL statements, peak memory (tracemalloc with `--tracemalloc`,
and the RSS high-water mark) and the HTTP calls the fakes saw. With `--failures 0.1` one
message post in ten is answered 429 (Retry-After 0 or 1 s) or 500/503 instead; the clients
retry those themselves, and whatever still fails is retried by later ticks, run with the
clock moved to each retry time in `RETRY_AFTER_MINUTES` until every post is out or out of
attempts. At the end it checks that every channel got exactly one message and that every
`daily_posts` row is marked delivered with the id of that message.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import multiprocessing
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import asyncpg
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import make_url

from adapters.discord.bot import make_bot
from adapters.discord.runner import point_at
from adapters.slack.delivery import SlackDelivery
from adapters.slack.sender import SlackSender
from adapters.slack.server import web_client
from bot.clock import FixedClock
from bot.engine import Engine
from bot.scheduled_work import RETRY_AFTER_MINUTES
from bot.settings import load_settings
from bot.storage import migrate
from bot.storage.models import Channel, DailyPost, Workspace
from bot.storage.store import Store
from bot.storage.url import normalise_database_url
from question_bank import Bank, Question, load_bank
from scheduler.jobs import TickReport, tick
from scheduler.outbox import DEFAULT_CONCURRENCY, Outbox

FAKES_DIR = Path(__file__).resolve().parent.parent / "tests" / "adapters"
POST_AT = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)  # a Wednesday: no weekly recaps due
DISCORD_TOKEN = "discord-bench-token"
SLACK_TOKEN = "xoxb-bench"
READY_TIMEOUT = 60
T = TypeVar("T")


# --- the fakes, in a child process ------------------------------------------------------------


def fakes_main(conn: Connection, seed: int) -> None:
    """Child process: serve a FakeSlack and a FakeDiscord until told to stop."""
    asyncio.run(serve_fakes(conn, seed))


async def serve_fakes(conn: Connection, seed: int) -> None:
    sys.path.insert(0, str(FAKES_DIR))
    from discord_fake import FakeDiscord  # the fakes live with the tests
    from slack_fake import FakeSlack

    rng = random.Random(seed)
    injected: Counter[str] = Counter()
    share, outage = [0.0], [0.0]

    def pick_failure(platform: str, channel: str) -> tuple[int, float] | None:
        """(status, retry_after) for a post that should fail now, else None."""
        if outage[0] and zlib.crc32(channel.encode()) % 10_000 < outage[0] * 10_000:
            injected[f"{platform} 500 (outage)"] += 1
            return 500, 0.0
        if not share[0] or rng.random() >= share[0]:
            return None
        status = rng.choice((429, 429, 500, 503) if platform == "slack" else (429, 429, 500, 502))
        injected[f"{platform} {status}"] += 1
        return status, (float(rng.choice((0, 1))) if platform == "slack" else rng.random())

    class FlakySlack(FakeSlack):
        def _answer(self, method: str, args: Any, token: str | None) -> tuple[int, Any, Any]:
            posting = method == "chat.postMessage"
            failure = pick_failure("slack", str(args.get("channel"))) if posting else None
            if failure is None:
                return super()._answer(method, args, token)
            status, retry_after = failure
            if status == 429:
                return (
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(int(retry_after))},
                )
            return status, {"ok": False, "error": "internal_error"}, {}

    class FlakyDiscord(FakeDiscord):
        async def _answer(self, call: Any, route: str, handler: Any, match: Any) -> Any:
            posting = call.method == "POST" and re.fullmatch(r"/channels/\d+/messages", call.path)
            failure = pick_failure("discord", call.path) if posting else None
            if failure is None:
                return await super()._answer(call, route, handler, match)
            status, retry_after = failure
            if status == 429:
                body = {"message": "You are being rate limited.", "retry_after": retry_after}
                return (
                    429,
                    {**body, "global": False},
                    # discord.py takes a 429 without Via for a Cloudflare ban: no retry.
                    {"Via": "1.1 google", **self._rate_limited_headers(route, retry_after)},
                )
            body = {"code": 0, "message": f"{status}: Server Error"}
            return status, body, {"Via": "1.1 google"}

    async with FlakySlack(bot_token=SLACK_TOKEN) as slack, FlakyDiscord(token=DISCORD_TOKEN) as dc:
        conn.send(
            {
                "slack_base_url": slack.base_url,
                "slack_team": slack.team_id,
                "discord_api": dc.api_base,
                "discord_gateway": dc.gateway_url,
                "discord_guild": dc.guild.id,
            }
        )
        loop = asyncio.get_running_loop()
        while True:
            command, argument = await loop.run_in_executor(None, conn.recv)
            if command == "channels":
                conn.send([dc.add_text_channel(dc.guild, f"bench-{i}").id for i in range(argument)])
            elif command == "failures":
                share[0], outage[0] = argument
                conn.send(None)
            elif command == "report":
                conn.send(fake_report(slack, dc, injected))
            else:
                conn.send(None)
                return


def fake_report(slack: Any, dc: Any, injected: Counter[str]) -> dict[str, Any]:
    """What the fakes saw: messages per channel, calls by kind and status, their own CPU."""
    slack_messages: dict[str, list[str]] = {}
    for channel, ts in slack.messages:
        slack_messages.setdefault(channel, []).append(ts)
    discord_messages: dict[str, list[str]] = {}
    for message in dc.messages.values():
        discord_messages.setdefault(message["channel_id"], []).append(message["id"])
    calls = Counter(f"slack {c.method} {c.status}" for c in slack.calls)
    calls.update(
        f"discord {c.method} {re.sub(r'/[0-9]+', '/N', c.path)} {c.status}" for c in dc.calls
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "slack_messages": slack_messages,
        "discord_messages": discord_messages,
        "calls": dict(calls),
        "injected": dict(injected),
        "cpu": usage.ru_utime + usage.ru_stime,
    }


class Fakes:
    """The parent's handle on the child process serving the fakes."""

    def __init__(self, seed: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=fakes_main, args=(child, seed), daemon=True)
        self.process.start()
        self.info: dict[str, Any] = self.conn.recv()

    def ask(self, command: str, argument: Any = None) -> Any:
        self.conn.send((command, argument))
        return self.conn.recv()

    def stop(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            self.ask("stop")
        self.process.join(10)


# --- the database ----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(raw: str | None) -> AsyncIterator[Store]:
    """A migrated, empty database: SQLite in a temporary directory, or a fresh `bench*` one."""
    with tempfile.TemporaryDirectory(prefix="fanout-") as tmp:
        url = normalise_database_url(raw or f"sqlite:///{Path(tmp) / 'fanout.db'}")
        if make_url(url).get_backend_name() == "postgresql":
            await recreate_postgresql(url)
        store = Store.from_url(url)
        try:
            await migrate.upgrade(store.engine)
            yield store
        finally:
            await store.close()


async def recreate_postgresql(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database or ""
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to use database {name!r}: its name must start with 'bench'")
    admin_dsn = parsed.set(drivername="postgresql", database="postgres")
    admin = await asyncpg.connect(admin_dsn.render_as_string(hide_password=False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def add_channels(store: Store, channels: list[tuple[str, str]], fakes: Fakes) -> None:
    """One workspace per platform and a subscribed channel per (platform, channel id)."""
    created = POST_AT - timedelta(days=1)
    external = {"slack": fakes.info["slack_team"], "discord": fakes.info["discord_guild"]}
    async with store.transaction() as session:
        workspace_ids = {}
        for platform in sorted({p for p, _ in channels}):
            workspace = Workspace(
                platform=platform,
                external_id=external[platform],
                name=f"bench {platform}",
                timezone="UTC",
                created_at=created,
            )
            session.add(workspace)
            await session.flush()
            workspace_ids[platform] = workspace.id
        rows = [
            {
                "workspace_id": workspace_ids[platform],
                "external_id": channel_id,
                "name": f"bench-{i}",
                "subscribed": True,
                "paused": False,
                "post_time": "08:00",
                "timezone": "UTC",
                "weekdays": 0b1111111,
                "topics": [],
                "created_at": created,
                "updated_at": created,
            }
            for i, (platform, channel_id) in enumerate(channels)
        ]
        for start in range(0, len(rows), 1000):
            await session.execute(insert(Channel), rows[start : start + 1000])


def split(total: int, platform: str) -> dict[str, int]:
    if platform == "both":
        return {"slack": total - total // 2, "discord": total // 2}
    return {platform: total}


def interleave(slack_ids: list[str], discord_ids: list[str]) -> list[tuple[str, str]]:
    """Alternate the platforms, so both are busy at once as channel ids come up in order."""
    mixed: list[tuple[str, str]] = []
    for i in range(max(len(slack_ids), len(discord_ids))):
        mixed += [("slack", slack_ids[i])] if i < len(slack_ids) else []
        mixed += [("discord", discord_ids[i])] if i < len(discord_ids) else []
    return mixed


# --- the app ---------------------------------------------------------------------------------


class UnusedGrader:
    """The scheduler never grades."""

    async def grade(self, question: Question, answer: str) -> Any:
        raise AssertionError("the fan-out benchmark never grades")


def slack_sender(
    engine: Engine, fakes: Fakes, shared_session: bool
) -> tuple[SlackSender, AsyncWebClient]:
    """The scheduler's Slack sender, as `serve_slack` wires it for one workspace."""
    settings = load_settings(
        _env_file=None,
        slack_bot_token=SLACK_TOKEN,
        slack_signing_secret="x",
        slack_api_base_url=fakes.info["slack_base_url"],
    )
    client = web_client(settings)
    if shared_session:  # what the app does not do (yet): keep connections open between calls
        client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=client.timeout))

    async def client_for(team_id: str) -> AsyncWebClient:
        return client

    return SlackSender(SlackDelivery(engine.daily.set_message_ref), client_for), client


@contextlib.asynccontextmanager
async def discord_bot(engine: Engine, outbox: Outbox, fakes: Fakes) -> AsyncIterator[None]:
    """Our discord.py bot, logged in to the fake with every guild cached; registers its sender."""
    point_at(fakes.info["discord_api"], fakes.info["discord_gateway"])
    client = make_bot(engine, guild_ready_timeout=0.05, outbox=outbox)
    running = asyncio.create_task(client.start(DISCORD_TOKEN))
    try:
        await asyncio.wait_for(client.wait_until_ready(), READY_TIMEOUT)
        yield
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(running, READY_TIMEOUT)


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Timings:
    """Where a tick's time went, and when deliveries landed (seconds since the tick began)."""

    started: float = 0.0
    phases: Counter[str] = field(default_factory=Counter)
    delivered_at: list[float] = field(default_factory=list)
    statements: int = 0


def timed(
    timings: Timings, phase: str, call: Callable[..., Awaitable[T]]
) -> Callable[..., Awaitable[T]]:
    """`call`, adding its wall time to `phase` (concurrent calls add up: that is work)."""

    @wraps(call)
    async def wrapper(*args: Any, **kwargs: Any) -> T:
        began = time.perf_counter()
        try:
            return await call(*args, **kwargs)
        finally:
            timings.phases[phase] += time.perf_counter() - began

    return wrapper


def instrument(engine: Engine, outbox: Outbox, timings: Timings) -> None:
    """Time the tick's parts and count SQL statements, without changing what they do."""
    work = engine.scheduled
    work.due_posts = timed(timings, "find due channels", work.due_posts)  # type: ignore[method-assign]
    work.post = timed(timings, "claim and build posts", work.post)  # type: ignore[method-assign]
    work.retry_cards = timed(timings, "claim retries", work.retry_cards)  # type: ignore[method-assign]
    outbox.questions = timed(timings, "deliver (HTTP + write-back)", outbox.questions)  # type: ignore[method-assign]
    delivered = work.delivered

    async def record(post_id: int, ref: str) -> None:
        await delivered(post_id, ref)
        timings.delivered_at.append(time.perf_counter() - timings.started)

    work.delivered = record  # type: ignore[method-assign]

    def count(*_: Any) -> None:
        timings.statements += 1

    event.listen(engine.store.engine.sync_engine, "before_cursor_execute", count)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass
class Pass:
    """One tick and what it did."""

    clock: datetime
    report: TickReport
    seconds: float
    delivered_at: list[float]


@dataclass
class Outcome:
    """Everything one run measured."""

    channels: dict[str, int]
    concurrency: int
    passes: list[Pass]
    timings: Timings
    cpu: float
    rss_before: float
    rss_after: float
    traced_peak: float | None
    fakes: dict[str, Any]
    posts: dict[str, Any]


async def check_posts(store: Store) -> dict[str, Any]:
    """The daily_posts rows: how many, delivered, attempts used, message ref per channel."""
    async with store.transaction() as session:
        rows = (
            await session.execute(
                select(
                    Workspace.platform,
                    Channel.external_id,
                    DailyPost.message_ref,
                    DailyPost.delivered_at,
                    DailyPost.delivery_attempts,
                )
                .join(Channel, Channel.id == DailyPost.channel_id)
                .join(Workspace, Workspace.id == Channel.workspace_id)
            )
        ).all()
        channels = await session.scalar(select(func.count()).select_from(Channel))
    return {
        "channels": channels,
        "rows": len(rows),
        "undelivered": sum(1 for r in rows if r.delivered_at is None),
        "attempts": Counter(r.delivery_attempts for r in rows),
        "refs": {(r.platform, r.external_id): r.message_ref for r in rows},
    }


async def pending(store: Store) -> int:
    async with store.transaction() as session:
        found = await session.scalar(
            select(func.count()).select_from(DailyPost).where(DailyPost.delivered_at.is_(None))
        )
    return int(found or 0)


class Always:
    """A leader lock that always leads (one scheduler)."""

    async def ensure(self) -> bool:
        return True


async def run(args: argparse.Namespace, bank: Bank) -> Outcome:
    counts = split(args.channels, args.platform)
    fakes = Fakes(args.seed)
    try:
        discord_ids = fakes.ask("channels", counts.get("discord", 0))
        slack_ids = [f"C{i:08d}" for i in range(counts.get("slack", 0))]
        async with database(args.database) as store:
            progress(f"adding {args.channels} channels")
            await add_channels(store, interleave(slack_ids, discord_ids), fakes)
            clock = FixedClock(POST_AT - timedelta(minutes=1))
            engine = Engine(store, bank, UnusedGrader(), clock)  # type: ignore[arg-type]
            outbox = Outbox(args.concurrency)
            async with contextlib.AsyncExitStack() as stack:
                if counts.get("slack"):
                    sender, client = slack_sender(engine, fakes, args.slack_session)
                    outbox.register("slack", sender)
                    if client.session is not None:
                        stack.push_async_callback(client.session.close)
                if counts.get("discord"):
                    progress("logging the Discord bot in to the fake")
                    await stack.enter_async_context(discord_bot(engine, outbox, fakes))
                return await measure(args, engine, outbox, store, fakes, counts)
    finally:
        fakes.stop()


async def measure(
    args: argparse.Namespace,
    engine: Engine,
    outbox: Outbox,
    store: Store,
    fakes: Fakes,
    counts: dict[str, int],
) -> Outcome:
    timings = Timings()
    instrument(engine, outbox, timings)
    fakes.ask("failures", (args.failures, args.outage))
    clock = engine.clock
    assert isinstance(clock, FixedClock)
    passes: list[Pass] = []
    rss_before, cpu_before = max_rss_mib(), cpu_seconds()
    if args.tracemalloc:
        tracemalloc.start()
    progress("tick at 08:00")
    for minutes in RETRY_AFTER_MINUTES:
        if passes and not await pending(store):
            break
        clock.set(POST_AT + timedelta(minutes=minutes))
        timings.started = began = time.perf_counter()
        report = await tick(engine, outbox, Always())  # type: ignore[arg-type]
        seconds = time.perf_counter() - began
        passes.append(Pass(clock.now(), report, seconds, timings.delivered_at))
        timings.delivered_at = []
        fakes.ask("failures", (args.failures, 0.0))  # the outage ends after the first tick
        if minutes:
            progress(f"tick at +{minutes} min: {report.retried} retried")
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    tracemalloc.stop()
    cpu, rss_after = cpu_seconds() - cpu_before, max_rss_mib()
    return Outcome(
        counts,
        args.concurrency,
        passes,
        timings,
        cpu,
        rss_before,
        rss_after,
        traced,
        fakes.ask("report"),
        await check_posts(store),
    )


# --- reporting -------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


def verify(outcome: Outcome) -> list[str]:
    """Lost, duplicated or mis-recorded posts; empty when every channel got exactly one."""
    problems: list[str] = []
    fakes, posts = outcome.fakes, outcome.posts
    seen = {
        "slack": fakes["slack_messages"],
        "discord": fakes["discord_messages"],
    }
    lost = dupes = wrong_ref = 0
    for (platform, channel_id), ref in posts["refs"].items():
        messages = seen[platform].get(channel_id, [])
        lost += not messages
        dupes += len(messages) > 1
        wrong_ref += bool(messages) and ref not in messages
    stray = sum(
        len(ids)
        for platform, found in seen.items()
        for channel_id, ids in found.items()
        if (platform, channel_id) not in posts["refs"]
    )
    total = sum(outcome.channels.values())
    if posts["rows"] != total:
        problems.append(f"{posts['rows']} daily_posts rows for {total} channels")
    for label, value in (
        ("channels without a message (lost)", lost),
        ("channels with more than one message (duplicated)", dupes),
        ("posts whose message_ref is not their message", wrong_ref),
        ("messages in channels without a post", stray),
        ("daily_posts rows not marked delivered", posts["undelivered"]),
    ):
        if value:
            problems.append(f"{value} {label}")
    return problems


def print_outcome(outcome: Outcome, args: argparse.Namespace) -> int:
    first = outcome.passes[0]
    total = sum(outcome.channels.values())
    timings = outcome.timings
    wall = sum(p.seconds for p in outcome.passes)
    sent = sorted(first.delivered_at)
    calls = outcome.fakes["calls"]
    posts_calls = {
        k: v for k, v in calls.items() if "chat.postMessage" in k or "POST /channels" in k
    }
    split_text = ", ".join(f"{n} {p}" for p, n in outcome.channels.items())
    print(
        f"\nFan-out: {total} channels ({split_text}), concurrency {outcome.concurrency}, "
        f"failures {args.failures:.0%}, database {args.database or 'SQLite (temp file)'}"
        f"{', shared Slack session' if args.slack_session else ''}"
    )
    print(
        f"first tick: {first.seconds:.1f} s, {first.report.posted} claimed, "
        f"{first.report.posted - first.report.failed} delivered, {first.report.failed} failed "
        f"-> {(first.report.posted - first.report.failed) / first.seconds:.0f} posts/s"
    )
    for name, seconds in timings.phases.items():
        print(f"  {name}: {seconds:.1f} s")
    if sent:
        print(
            f"  first delivery {sent[0]:.1f} s after the tick began, median "
            f"{statistics.median(sent):.1f} s, last {sent[-1]:.1f} s"
        )
    for later in outcome.passes[1:]:
        print(
            f"retry tick at {later.clock:%H:%M}: {later.seconds:.1f} s, "
            f"{later.report.retried} retried, {later.report.failed} failed"
        )
    print(
        f"all ticks: {wall:.1f} s wall, {outcome.cpu:.1f} s CPU in the bot process "
        f"({outcome.cpu / max(total, 1) * 1000:.1f} ms per post), fakes' process "
        f"{outcome.fakes['cpu']:.1f} s CPU in all"
    )
    print(
        f"SQL statements: {timings.statements} ({timings.statements / max(total, 1):.1f} per post)"
    )
    traced = f"{outcome.traced_peak:.0f} MiB" if outcome.traced_peak is not None else "not traced"
    print(
        f"memory: tracemalloc peak {traced}; max RSS {outcome.rss_before:.0f} MiB before the "
        f"tick, {outcome.rss_after:.0f} MiB after"
    )
    print(
        f"message posts seen by the fakes: {sum(posts_calls.values())} "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(posts_calls.items()))})"
    )
    print(f"all HTTP calls seen by the fakes: {sum(calls.values())}")
    if outcome.fakes["injected"]:
        injected = ", ".join(f"{k}: {v}" for k, v in sorted(outcome.fakes["injected"].items()))
        print(f"failures injected: {injected}")
    attempts = ", ".join(f"{n} x {a}" for a, n in sorted(outcome.posts["attempts"].items()))
    print(f"daily_posts: {outcome.posts['rows']} rows, delivery attempts used: {attempts}")
    problems = verify(outcome)
    if problems:
        print("PROBLEMS: " + "; ".join(problems))
        return 1
    print("check: every channel got exactly one message, every post is marked delivered")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="postgresql://user@host/bench_db (default: SQLite)")
    parser.add_argument("--channels", type=int, default=5_000)
    parser.add_argument("--platform", choices=("slack", "discord", "both"), default="both")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--failures", type=float, default=0.0, help="share of posts failing")
    parser.add_argument(
        "--outage",
        type=float,
        default=0.0,
        help="share of channels answering 500 to every post during the first tick",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations")
    parser.add_argument(
        "--slack-session",
        action="store_true",
        help="give the Slack client one aiohttp session (the app opens one per call)",
    )
    parser.add_argument("--verbose", action="store_true", help="show the app's warnings")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING if args.verbose else logging.CRITICAL)
    bank = load_bank()
    outcome = asyncio.run(run(args, bank))
    return print_outcome(outcome, args)


if __name__ == "__main__":
    sys.exit(main())
