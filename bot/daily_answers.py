"""Private answers to the daily question: grade, store (replacing an earlier one), credit."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandSpec, UsageError
from bot.daily_render import answer_feedback
from bot.domain import ChannelRef, MemberRef
from bot.events import (
    ButtonPressed,
    CommandInvoked,
    FormField,
    FormRequest,
    FormSubmitted,
    Outbound,
    Reply,
)
from bot.grading import Grader
from bot.practice_log import review_answer, score_points
from bot.progress import credit_answer
from bot.storage import daily_rows, practice
from bot.storage.members import ensure_member
from bot.storage.models import Attempt, Channel, DailyPost
from bot.storage.store import Session, Store
from bot.text_input import MAX_GRADED_CHARS, clean_answer
from question_bank import Bank

log = logging.getLogger(__name__)

ANSWER = CommandSpec("answer", "[your answer]", "answer the daily question privately")
ANSWER_FORM = "daily-answer"
ANSWER_BUTTON = "daily-answer"


class DailyAnswers:
    """Takes daily answers from `/answer`, the answer button and the answer form."""

    def __init__(
        self, store: Store, bank: Bank, grader: Grader, clock: Clock, default_timezone: str
    ) -> None:
        self.store = store
        self.bank = bank
        self.grader = grader
        self.clock = clock
        self.default_timezone = default_timezone

    async def command(self, event: CommandInvoked) -> list[Outbound]:
        """`/answer text`; without text, the answer form."""
        async with self.store.transaction() as session:
            post = await self._current_post(session, event.member, event.channel)
            if not event.text.strip():
                return [self._form(post)]
            return await self._answer(session, event.member, post, event.text)

    async def button(self, event: ButtonPressed) -> list[Outbound]:
        """The "Answer privately" button under a daily question: open the form."""
        async with self.store.transaction() as session:
            post = await self._post_by_value(session, event.member, event.value)
            return [self._form(post)]

    async def form(self, event: FormSubmitted) -> list[Outbound]:
        """A submitted answer form."""
        async with self.store.transaction() as session:
            # `context` is what the form request carried; `post` is the same, typed by hand.
            key = event.values.get("context") or event.values.get("post", "")
            post = await self._post_by_value(session, event.member, key)
            return await self._answer(session, event.member, post, event.values.get("answer", ""))

    def _form(self, post: DailyPost) -> FormRequest:
        question = self.bank.get(post.question_id)
        return FormRequest(
            form=ANSWER_FORM,
            title="Your answer",
            fields=(
                FormField(
                    "answer",
                    "Your answer (only you see it)",
                    placeholder="Answer as you would in an interview: a few short paragraphs.",
                ),
            ),
            context=str(post.id),
            intro=question.prompt if question else "",
            command="/answer <your answer>",
        )

    async def _current_post(
        self, session: Session, member: MemberRef, channel: ChannelRef
    ) -> DailyPost:
        post: DailyPost | None = None
        if not channel.is_direct:
            stored = await daily_rows.find_channel(session, channel)
            if stored is not None:
                post = await daily_rows.latest_post(session, stored.id)
        else:
            workspace_id = await daily_rows.find_workspace(session, member)
            if workspace_id is not None:
                post = await daily_rows.latest_post_in_workspace(session, workspace_id)
        if post is None:
            raise UsageError(
                "There is no daily question to answer here yet. For practice right now, try "
                "/mock-interview."
            )
        return post

    async def _post_by_value(self, session: Session, member: MemberRef, value: str) -> DailyPost:
        post = await daily_rows.get_post(session, int(value)) if value.isdigit() else None
        channel = await session.get(Channel, post.channel_id) if post else None
        workspace_id = await daily_rows.find_workspace(session, member)
        if post is None or channel is None or channel.workspace_id != workspace_id:
            raise UsageError("That daily question no longer exists.")
        return post

    async def _answer(
        self, session: Session, ref: MemberRef, post: DailyPost, raw: str
    ) -> list[Outbound]:
        question = self.bank.get(post.question_id)
        if question is None:
            raise UsageError("That daily question is no longer in the question bank, sorry.")
        text = clean_answer(raw)
        if not text.strip():
            raise UsageError("Your answer is empty. Type /answer followed by your answer.")
        now = self.clock.now()
        member = await ensure_member(session, ref, now, self.default_timezone)
        channel = await session.get(Channel, post.channel_id)
        assert channel is not None
        zone, workspace_zone = await practice.zones(
            session, member, self.default_timezone, channel.timezone
        )
        grade = await self.grader.grade(question, text.value[:MAX_GRADED_CHARS])
        day = now.astimezone(ZoneInfo(zone)).date()
        late = post.revealed_at is not None
        earlier = await daily_rows.daily_attempt(session, member.id, post.id)
        points = 0 if late else score_points(grade.score)
        fields = {
            "answer_text": text.value,
            "score": grade.score,
            "covered": list(grade.covered),
            "missed": list(grade.missed),
            "updated_at": now,
        }
        if late and earlier is not None and earlier.counts_for_points:
            # The answer that counted stays; a practice answer after the reveal is kept apart.
            attempt = await self._practice_attempt(
                session, member.id, question.id, day, now, fields
            )
            delta = 0
        elif earlier is not None:
            delta = points - earlier.points
            for name, value in fields.items():
                setattr(earlier, name, value)
            earlier.points, earlier.local_date = points, day
            attempt = earlier
        else:
            attempt = await practice.add_attempt(
                session,
                member_id=member.id,
                question_id=question.id,
                source="daily",
                daily_post_id=post.id,
                points=points,
                counts_for_points=not late,
                local_date=day,
                created_at=now,
                **fields,
            )
            delta = points
        credit = await credit_answer(
            session,
            member,
            at=now,
            zone=zone,
            workspace_zone=workspace_zone,
            points=delta,
            channel_id=None if late else channel.id,
            counts_for_streak=not grade.dont_know,
        )
        attempt.streak_bonus += credit.bonus
        await review_answer(
            session, member.id, question.id, grade.score, now, skipped=grade.dont_know
        )
        log.info(
            "daily answer member=%s post=%s score=%s late=%s", member.id, post.id, grade.score, late
        )
        notes = [Reply(text.note, private=True)] if text.note else []
        feedback = answer_feedback(
            question,
            grade,
            points=delta,
            bonus=credit.bonus,
            replaced=earlier is not None and not late,
            late=late,
            reveal_at=post.reveal_at,
            zone=channel.timezone or workspace_zone,
        )
        return [*notes, Reply(feedback, private=True, title="Your daily answer")]

    async def _practice_attempt(
        self,
        session: Session,
        member_id: int,
        question_id: str,
        day: date,
        now: datetime,
        fields: dict[str, object],
    ) -> Attempt:
        return await practice.add_attempt(
            session,
            member_id=member_id,
            question_id=question_id,
            source="daily-practice",
            points=0,
            counts_for_points=False,
            local_date=day,
            created_at=now,
            **fields,
        )
