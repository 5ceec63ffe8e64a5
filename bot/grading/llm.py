"""An optional grader that asks an OpenAI-compatible chat model, falling back on any error."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

from bot.grading.feedback import write_feedback
from bot.grading.grade import Grade, Grader, PitfallHit
from question_bank import Question

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You grade answers in a data-science job interview against a rubric.
Reply with one JSON object and nothing else, exactly in this shape:
{"score": <integer 0-100>, "covered": [<key point ids>], "evidence": {"<id>": "<quote>"},
 "wrong_claims": [{"claim": "<what the answer got wrong>", "correction": "<what is right>"}],
 "feedback": "<two or three sentences to the candidate>"}
Rules: a key point is covered only if the answer states it correctly; "evidence" quotes the
answer's own words for each covered point; a confidently wrong statement goes in
"wrong_claims" and keeps the score low; an empty, evasive or off-topic answer scores at most 15;
never praise an answer that says it does not know."""


class LLMGradeError(ValueError):
    """The model's reply broke the JSON contract."""


def build_messages(question: Question, answer: str) -> list[dict[str, str]]:
    """The chat messages sent for one answer."""
    rubric = {
        "question": question.prompt,
        "reference_answer": question.reference_answer,
        "key_points": [{"id": kp.id, "label": kp.label} for kp in question.key_points],
        "known_wrong_claims": [p.claim for p in question.pitfalls],
    }
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": json.dumps({"rubric": rubric, "answer": answer})},
    ]


def parse_reply(question: Question, content: str) -> Grade:
    """Check the model's JSON against the contract and turn it into a Grade."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise LLMGradeError(f"reply is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise LLMGradeError("reply is not a JSON object")
    score = data.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise LLMGradeError(f"score must be an integer 0-100, got {score!r}")
    ids = [kp.id for kp in question.key_points]
    covered = data.get("covered")
    if not isinstance(covered, list) or not all(c in ids for c in covered):
        raise LLMGradeError(f"covered must list key point ids from {ids}, got {covered!r}")
    evidence = data.get("evidence") or {}
    claims = data.get("wrong_claims") or []
    if not isinstance(evidence, dict) or not isinstance(claims, list):
        raise LLMGradeError("evidence must be an object and wrong_claims a list")
    hits: list[PitfallHit] = []
    for claim in claims:
        if not isinstance(claim, dict) or not isinstance(claim.get("claim"), str):
            raise LLMGradeError("each wrong claim needs a claim and a correction")
        hits.append(PitfallHit(claim["claim"], str(claim.get("correction", "")), claim["claim"]))
    kept = tuple(i for i in ids if i in covered)
    missed = tuple(i for i in ids if i not in covered)
    feedback = data.get("feedback")
    if not isinstance(feedback, str) or not feedback.strip():
        feedback = write_feedback(question, score, kept, missed, hits)
    return Grade(
        score=score,
        covered=kept,
        missed=missed,
        evidence={k: str(v) for k, v in evidence.items() if k in kept},
        pitfalls=tuple(hits),
        feedback=feedback.strip(),
        flags=("pitfall",) if hits else (),
        grader="llm",
    )


class LLMGrader:
    """Grades with a chat-completions endpoint; any failure falls back to `fallback`."""

    name = "llm"

    def __init__(
        self,
        base_url: str,
        model: str,
        fallback: Grader,
        api_key: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.fallback = fallback
        self.api_key = api_key
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def grade(self, question: Question, answer: str) -> Grade:
        """Grade with the model; on timeout, HTTP error or a broken reply, grade offline."""
        offline = await self.fallback.grade(question, answer)
        if offline.dont_know or not answer.strip():
            return offline
        try:
            content = await self._ask(build_messages(question, answer))
            return parse_reply(question, content)
        except (aiohttp.ClientError, TimeoutError, LLMGradeError, KeyError, ValueError) as exc:
            log.warning("LLM grader failed (%s); using the offline grade", exc)
            return offline

    async def _ask(self, messages: list[dict[str, str]]) -> str:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }
        async with (
            aiohttp.ClientSession(timeout=self.timeout) as session,
            session.post(self.url, json=body, headers=headers) as response,
        ):
            response.raise_for_status()
            payload = await response.json(content_type=None)
        return str(payload["choices"][0]["message"]["content"])
