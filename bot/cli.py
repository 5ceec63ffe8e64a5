"""The composition root and command line: `python -m bot run|console|migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.console import run_console
from bot.bootstrap import bootstrap
from bot.clock import Clock, FixedClock
from bot.domain import PLATFORMS, ChannelRef
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import migrate
from bot.storage.migrate import DatabaseUnavailable
from bot.storage.store import Store
from question_bank import BankError
from scheduler.outbox import Outbox
from scheduler.run_job import JOBS, run_job
from scheduler.runner import build_jobs

log = logging.getLogger(__name__)

EXIT_CONFIG = 2


def configure_logging(level: str, chatty_terminal: bool) -> None:
    """Log to stderr; in the terminal chat, only warnings unless LOG_LEVEL asks for more."""
    numeric = logging.getLevelName(level)
    if chatty_terminal and numeric == logging.INFO:
        numeric = logging.WARNING
    logging.basicConfig(
        level=numeric,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    # APScheduler narrates every job run at INFO; our own tick logs what it did instead.
    logging.getLogger("apscheduler").setLevel(max(numeric, logging.WARNING))


def _parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not an ISO-8601 time (e.g. 2026-03-08T09:00:00+01:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="mock-interview-bot",
        description="Practise DS/ML interviews in Slack, Discord or here.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start every configured platform (the terminal when none is)")
    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--user", default="you", help="your name in the chat (default: you)")
    console.add_argument("--channel", default="general", help="the channel you are in")
    console.add_argument("--db", help="database URL (default: DATABASE_URL)")
    console.add_argument("--now", type=_parse_now, help="a fixed clock, ISO-8601 (time travel)")
    job = sub.add_parser("run-job", help="run one channel's scheduled job now")
    job.add_argument("job", choices=JOBS, help="which job")
    job.add_argument("--channel", required=True, help="the channel's platform id (or name)")
    job.add_argument("--platform", default="console", choices=PLATFORMS, help="default: console")
    job.add_argument("--workspace", default="local", help="workspace or server id")
    job.add_argument("--db", help="database URL (default: DATABASE_URL)")
    job.add_argument("--now", type=_parse_now, help="a fixed clock, ISO-8601")
    migrate_cmd = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate_cmd.add_argument("--db", help="database URL (default: DATABASE_URL)")
    return parser


async def _console(settings: Settings, user: str, channel: str, clock: Clock | None) -> int:
    app = await bootstrap(settings, clock=clock)
    outbox = Outbox()
    jobs = build_jobs(app.engine, outbox, tick_seconds=settings.scheduler_tick_seconds)
    jobs.start()
    try:
        return await run_console(
            app.engine, user=user, channel=channel, files_dir=Path("data"), outbox=outbox
        )
    finally:
        await jobs.stop()
        await app.close()


async def _run_job(settings: Settings, args: argparse.Namespace) -> int:
    clock = FixedClock(args.now) if args.now else None
    app = await bootstrap(settings, clock=clock)
    try:
        channel = ChannelRef(args.platform, args.workspace, args.channel, name=args.channel)
        done, said = await run_job(app.engine, settings, args.job, channel)
    finally:
        await app.close()
    print(said if done else f"nothing done: {said}")
    return 0 if done else 1


async def _migrate(settings: Settings) -> int:
    store = Store.from_url(settings.database_url)
    try:
        await migrate.upgrade(store.engine)
        print(f"database at revision {await migrate.current_revision(store.engine)}")
        return 0
    finally:
        await store.close()


async def _run(settings: Settings) -> int:
    if settings.slack_enabled or settings.discord_enabled:
        return await _serve(settings)
    return await _console(settings, user="you", channel="general", clock=None)


async def _serve(settings: Settings) -> int:
    """Serve every configured platform in this one event loop until SIGINT or SIGTERM."""
    # Imported here so the terminal chat never pays for loading the platform libraries.
    from adapters.discord.runner import serve_discord
    from adapters.slack.server import serve_slack

    app = await bootstrap(settings)
    outbox = Outbox()
    jobs = build_jobs(app.engine, outbox, tick_seconds=settings.scheduler_tick_seconds)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    tasks = []
    if settings.slack_enabled:
        tasks.append(asyncio.create_task(serve_slack(app.engine, settings, stop, outbox)))
    if settings.discord_enabled:
        tasks.append(asyncio.create_task(serve_discord(app.engine, settings, stop, outbox)))
    # The scheduler starts once the platforms can register their senders.
    jobs.start()
    failure: Exception | None = None
    try:
        await asyncio.gather(*tasks)
    except Exception as exc:
        # One platform failing (a rejected token) stops the others too.
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        failure = exc
    finally:
        await jobs.stop()
        await app.close()
    if failure is not None:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, load settings, run the chosen command; one clear line on bad config."""
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.db} if getattr(args, "db", None) else {}
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    terminal = args.command == "console" or (
        args.command == "run" and not (settings.slack_enabled or settings.discord_enabled)
    )
    configure_logging(settings.log_level, chatty_terminal=terminal)
    try:
        if args.command == "console":
            clock = FixedClock(args.now) if args.now else None
            return asyncio.run(_console(settings, args.user, args.channel, clock))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "run-job":
            return asyncio.run(_run_job(settings, args))
        return asyncio.run(_run(settings))
    except (DatabaseUnavailable, BankError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
