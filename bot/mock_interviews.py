"""Mock interviews and review drills: commands, answers, persistence after every step."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError, parse_on_off, split_args
from bot.events import CommandInvoked, MessageReceived, Outbound, Reply
from bot.grading import Grader
from bot.interview import (
    Action,
    Interview,
)
from bot.interview_options import InterviewOptions, parse_options, usage
from bot.interview_render import render_actions
from bot.interview_state import (
    ACTIVE,
    FINISHED,
    FOLLOW_UP,
    PAUSED,
    InterviewState,
    overall_score,
)
from bot.practice_log import record_answer, update_reviews
from bot.selection import plan_interview
from bot.storage import practice
from bot.storage.members import ensure_member
from bot.storage.models import InterviewSession, Member
from bot.storage.store import Session, Store
from bot.text_input import MAX_GRADED_CHARS, clean_answer
from question_bank import Bank

log = logging.getLogger(__name__)

MOCK = CommandSpec(
    "mock-interview",
    "[topic] [easy|medium|hard] [questions] | resume | end",
    "a private mock interview with follow-ups and a scorecard",
    in_direct_messages=True,
)
REVIEW = CommandSpec(
    "review",
    "[reminders on|off]",
    "a drill of the questions due for review",
    in_direct_messages=True,
)
IDLE_PAUSE = timedelta(minutes=30)
WORDS = {"hint", "skip", "repeat", "pause", "resume", "end", "stop"}
YES = {"yes", "y", "yep", "sure", "ok", "okay"}
NO = {"no", "n", "nope", "cancel"}


class MockInterviews:
    """Runs interviews for members; every step commits before the reply goes out."""

    def __init__(
        self, store: Store, bank: Bank, grader: Grader, clock: Clock, default_timezone: str
    ) -> None:
        self.store = store
        self.bank = bank
        self.grader = grader
        self.clock = clock
        self.default_timezone = default_timezone
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def command(self, event: CommandInvoked) -> list[Outbound]:
        """`/mock-interview ...`."""
        words = [w.lower() for w in split_args(event.text)]
        async with self._locks[str(event.member)], self.store.transaction() as session:
            member = await ensure_member(
                session, event.member, self.clock.now(), self.default_timezone
            )
            row = await practice.open_interview(session, member.id)
            if words in (["resume"], ["continue"]):
                if row is None:
                    return [
                        Reply(
                            "You have no interview to resume. Start one with /mock-interview.",
                            private=True,
                        )
                    ]
                return await self._step(session, member, row, lambda i: i.resume())
            if words in (["end"], ["stop"]):
                if row is None:
                    return [Reply("You have no interview in progress.", private=True)]
                return await self._step(session, member, row, lambda i: i.end())
            if words in (["help"], ["options"]):
                return [Reply(usage(self.bank), private=True)]
            options = parse_options(event.text, self.bank)
            if row is not None:
                state = InterviewState.from_json(row.state)
                state.pending_restart = split_args(event.text)
                practice.save_interview(row, state.to_json(), row.status, self.clock.now())
                return [
                    Reply(
                        f"You already have an interview in progress (question {state.number} of "
                        f"{state.length}). Reply yes to end it and start the new one, or no to "
                        "carry on where you were.",
                        private=True,
                    )
                ]
            return await self._start(session, member, options, mode="mock")

    async def review_command(self, event: CommandInvoked) -> list[Outbound]:
        """`/review`: a drill of due review cards only; `/review reminders on|off`."""
        words = [w.lower() for w in split_args(event.text)]
        if words[:1] == ["reminders"]:
            return await self._review_reminders(event, words[1:])
        if words:
            raise UsageError(
                "/review drills the questions due for review; /review reminders on|off asks "
                "for (or stops) a daily DM when some are due."
            )
        async with self._locks[str(event.member)], self.store.transaction() as session:
            now = self.clock.now()
            member = await ensure_member(session, event.member, now, self.default_timezone)
            if await practice.open_interview(session, member.id) is not None:
                return [
                    Reply("Finish or end your current interview first (type end).", private=True)
                ]
            due = [c.question_id for c in await practice.due_cards(session, member.id, now)]
            due = [qid for qid in due if qid in self.bank.questions]
            if not due:
                nxt = await practice.next_due(session, member.id)
                when = (
                    f"Your next review is due {_when(nxt, now)}."
                    if nxt
                    else "Answer some questions first; weak answers come back here for review."
                )
                return [Reply(f"Nothing is due for review right now. {when}", private=True)]
            state = InterviewState(
                length=len(due[:10]), due=due[:10], review_quota=len(due[:10]), mode="review"
            )
            return await self._begin(session, member, state, topic=None, difficulty=None)

    async def _review_reminders(self, event: CommandInvoked, words: list[str]) -> list[Outbound]:
        usage = "/review reminders on|off"
        if len(words) != 1:
            raise UsageError(f"Usage: {usage}")
        wanted = parse_on_off(words[0], usage)
        async with self.store.transaction() as session:
            member = await ensure_member(
                session, event.member, self.clock.now(), self.default_timezone
            )
            member.review_reminders = wanted
        if member.review_reminders:
            text = "Review reminders are on: a DM in the evening on days when reviews are due."
        else:
            text = "Review reminders are off."
        return [Reply(text, private=True)]

    async def message(self, event: MessageReceived) -> list[Outbound] | None:
        """Route a plain message to the member's open interview; None if there is none."""
        async with self._locks[str(event.member)], self.store.transaction() as session:
            now = self.clock.now()
            member = await ensure_member(session, event.member, now, self.default_timezone)
            row = await practice.open_interview(session, member.id)
            if row is None:
                return None
            text = clean_answer(event.text)
            word = text.strip().strip(".!").lower()
            state = InterviewState.from_json(row.state)
            if state.pending_restart is not None:
                pending, state.pending_restart = state.pending_restart, None
                row.state = state.to_json()
                if word in YES:
                    ended = await self._step(session, member, row, lambda i: i.end())
                    options = parse_options(" ".join(pending), self.bank)
                    return ended + await self._start(session, member, options, mode="mock")
                if word in NO:
                    return await self._step(session, member, row, lambda i: i.repeat())
            if word in WORDS:
                transition = {
                    "hint": Interview.hint,
                    "skip": Interview.skip,
                    "repeat": Interview.repeat,
                    "pause": Interview.pause,
                    "resume": Interview.resume,
                    "end": Interview.end,
                    "stop": Interview.end,
                }[word]
                return await self._step(session, member, row, transition)
            return await self._answer(session, member, row, text.value, text.note)

    async def pause_idle(self) -> int:
        """Pause interviews idle for 30 minutes (the scheduler calls this); returns how many."""
        cutoff = self.clock.now() - IDLE_PAUSE
        paused = 0
        async with self.store.transaction() as session:
            for row in await practice.idle_interviews(session, cutoff):
                state = InterviewState.from_json(row.state)
                state.status = PAUSED
                practice.save_interview(row, state.to_json(), PAUSED, row.updated_at)
                paused += 1
        return paused

    async def _start(
        self, session: Session, member: Member, options: InterviewOptions, mode: str
    ) -> list[Outbound]:
        now = self.clock.now()
        history = {
            qid: s
            for qid, s in (await practice.history(session, member.id)).items()
            if "#" not in qid
        }
        due = [c.question_id for c in await practice.due_cards(session, member.id, now)]
        plan = plan_interview(
            self.bank,
            topic=options.topic,
            difficulty=options.difficulty,
            length=options.length,
            history=history,
            due=due,
            now=now,
            seed=hash((member.id, now.date().isoformat())),
        )
        state = InterviewState(
            length=options.length,
            topic=options.topic,
            difficulty=options.difficulty,
            level=plan.level,
            queue=plan.queue,
            due=plan.due,
            review_quota=plan.review_quota,
            mode=mode,
        )
        return await self._begin(session, member, state, options.topic, options.difficulty)

    async def _begin(
        self,
        session: Session,
        member: Member,
        state: InterviewState,
        topic: str | None,
        difficulty: int | None,
    ) -> list[Outbound]:
        now = self.clock.now()
        interview = Interview(state, self.bank)
        actions = interview.start()
        row = await practice.create_interview(
            session,
            member.id,
            state.to_json(),
            now,
            topic=topic,
            difficulty=difficulty,
            length=state.length,
            kind=state.mode,
        )
        return await self._finish_step(session, member, row, interview, actions, intro=True)

    async def _step(
        self,
        session: Session,
        member: Member,
        row: InterviewSession,
        transition: Callable[[Interview], list[Action]],
    ) -> list[Outbound]:
        interview = Interview(InterviewState.from_json(row.state), self.bank)
        actions: list[Action] = transition(interview)
        return await self._finish_step(session, member, row, interview, actions)

    async def _answer(
        self, session: Session, member: Member, row: InterviewSession, text: str, note: str | None
    ) -> list[Outbound]:
        now = self.clock.now()
        interview = Interview(InterviewState.from_json(row.state), self.bank)
        state = interview.state
        prefix: list[Outbound] = []
        if note:
            prefix.append(Reply(note, private=True))
        if state.status == PAUSED:
            state.status = ACTIVE
            prefix.append(Reply("Resuming your interview.", private=True))
        if interview.replaced:
            prefix.append(Reply("Your last message was not graded.", private=True))
            return prefix + await self._finish_step(session, member, row, interview, [])
        target = interview.gradable_now()
        record = state.current
        if target is None or record is None:
            return [Reply("There is no question waiting right now.", private=True)]
        grade = await self.grader.grade(target, text[:MAX_GRADED_CHARS])
        zone, workspace_zone = await practice.zones(session, member, self.default_timezone)
        was_follow_up = state.phase == FOLLOW_UP
        actions = interview.answer(grade)
        await record_answer(
            session,
            member=member,
            zone=zone,
            workspace_zone=workspace_zone,
            interview_id=row.id,
            mode=state.mode,
            record=record,
            target=target,
            grade=grade,
            text=text,
            follow_up=was_follow_up,
            day=now.astimezone(ZoneInfo(zone)).date(),
            now=now,
        )
        return prefix + await self._finish_step(session, member, row, interview, actions)

    async def _finish_step(
        self,
        session: Session,
        member: Member,
        row: InterviewSession,
        interview: Interview,
        actions: list[Action],
        intro: bool = False,
    ) -> list[Outbound]:
        now = self.clock.now()
        state = interview.state
        actions = [*interview.replaced, *actions]
        interview.replaced = []
        state.last_activity = now.isoformat()
        await update_reviews(session, member.id, state, now)
        score = overall_score(state) if state.status == FINISHED else None
        practice.save_interview(row, state.to_json(), state.status, now, score)
        return render_actions(actions, interview, intro=intro)


def _when(moment: datetime, now: datetime) -> str:
    delta = moment - now
    if delta < timedelta(hours=1):
        return "within the hour"
    if delta < timedelta(days=1):
        return f"in about {round(delta.total_seconds() / 3600)} hours"
    return f"in {delta.days} day{'s' if delta.days != 1 else ''} ({moment.date().isoformat()})"
