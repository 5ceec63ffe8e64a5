"""The default grader: offline, CPU-only, explainable — rubric phrases matched in the answer."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import lru_cache

from bot.grading.claims import contradiction as find_contradiction
from bot.grading.claims import wrong_claims
from bot.grading.feedback import write_feedback
from bot.grading.grade import Grade, PitfallHit
from bot.grading.match import Answer, Hit
from bot.grading.rubric import (
    PointRubric,
    Rubric,
    Vocabulary,
    compile_rubric,
)
from bot.grading.signals import (
    echoes_prompt,
    lists_terms,
    says_dont_know,
    sweeping_certainty,
    topicality,
)
from question_bank import Bank, Question

log = logging.getLogger(__name__)

COVERED_AT = 0.62
PARTIAL_FROM = 0.4
MIN_PHRASE_WEIGHT = 6.0
TOPICALITY_WEIGHT = 0.15
TOPICALITY_SCALE = 1.6
PITFALL_FACTOR = 0.3
PITFALL_CAP = 5
OTHER_QUESTION_RATIO = 1.5
OTHER_QUESTION_MIN = 0.25
OFF_TOPIC_BELOW = 0.15
MAX_ANSWER_CHARS = 12_000


@dataclass(frozen=True)
class _PointResult:
    point: PointRubric
    hit: Hit
    credit: float
    contradiction: str | None = None


def _credit(coverage: float) -> float:
    if coverage >= COVERED_AT:
        return 1.0
    if coverage < PARTIAL_FROM:
        return 0.0
    return 0.5 * (coverage - PARTIAL_FROM) / (COVERED_AT - PARTIAL_FROM)


class OfflineGrader:
    """Grades answers against bank rubrics; see docs/GRADING.md for the method."""

    name = "offline"

    def __init__(self, vocabulary: Vocabulary, bank: Bank | None = None) -> None:
        self.vocabulary = vocabulary
        self.bank = bank
        self._rubrics: dict[str, Rubric] = {}
        self._vectors: dict[str, tuple[dict[str, float], float]] | None = None

    @classmethod
    def for_bank(cls, bank: Bank) -> OfflineGrader:
        """A grader whose token weights come from the bank's own text."""
        documents = [
            " ".join([q.prompt, q.reference_answer, *(kp.label for kp in q.key_points)])
            for q in bank.questions.values()
        ]
        return cls(Vocabulary(documents), bank)

    def warm_up(self) -> None:
        """Compile every bank rubric now, so the first answers are graded as fast as the rest."""
        self._topic_vectors()

    def rubric(self, question: Question) -> Rubric:
        """The compiled rubric for `question`: bank questions are compiled once and cached;
        anything else (`grade_text`, follow-ups) is compiled per call, so the cache stays
        the size of the bank."""
        rubric = self._rubrics.get(question.id)
        if rubric is not None:
            return rubric
        rubric = compile_rubric(question, self.vocabulary)
        if self.bank is not None and self.bank.get(question.id) is question:
            self._rubrics[question.id] = rubric
        return rubric

    async def grade(self, question: Question, answer: str) -> Grade:
        """Grade `answer` to `question` (synchronous work; a few milliseconds)."""
        return self.grade_now(question, answer)

    def grade_now(self, question: Question, answer: str) -> Grade:
        """The same as `grade`, for callers outside an event loop."""
        rubric = self.rubric(question)
        text = (answer or "")[:MAX_ANSWER_CHARS]
        parsed = Answer(text)
        all_ids = tuple(p.id for p in rubric.points)
        if says_dont_know(parsed):
            return Grade(
                0,
                (),
                all_ids,
                dont_know=True,
                flags=("dont_know",),
                feedback=write_feedback(question, 0, (), all_ids, (), dont_know=True),
            )
        results = [self._point(parsed, point, rubric) for point in rubric.points]
        coverage = sum(r.credit for r in results) / max(len(results), 1)
        on_topic_share = topicality(parsed, rubric)
        on_topic = min(1.0, on_topic_share * TOPICALITY_SCALE)
        score = 100 * ((1 - TOPICALITY_WEIGHT) * coverage + TOPICALITY_WEIGHT * on_topic)
        flags: list[str] = []
        if echoes_prompt(parsed, rubric):
            flags.append("echo")
            score = min(score, 8)
        if lists_terms(parsed):
            flags.append("buzzwords")
            score = min(score * 0.3, 12)
        if on_topic_share < OFF_TOPIC_BELOW and coverage < 0.2:
            flags.append("off_topic")
            score = min(score, 8)
        elif coverage < 0.5 and self._fits_another_question(parsed, question, rubric):
            flags.append("other_question")
            score = min(score, 10)
        if coverage < 0.5 and sweeping_certainty(parsed) >= 2:
            # Sweeping certainty ("doesn't matter", "just", "you're done") without the
            # substance of the answer is how confident mistakes usually sound.
            flags.append("overconfident")
            score *= 0.5
        hits = wrong_claims(parsed, rubric)
        hits += tuple(
            PitfallHit(f"contradicts: {r.point.label}", r.point.label, r.contradiction)
            for r in results
            if r.contradiction
        )
        if hits:
            flags.append("pitfall")
            score = min(score * PITFALL_FACTOR, PITFALL_CAP)
        covered = tuple(r.point.id for r in results if r.credit >= 1.0)
        missed = tuple(r.point.id for r in results if r.credit < 1.0)
        evidence = {
            r.point.id: parsed.span(r.hit.start, r.hit.end) for r in results if r.credit >= 1.0
        }
        final = max(0, min(100, round(score)))
        feedback = write_feedback(question, final, covered, missed, hits, flags=tuple(flags))
        return Grade(final, covered, missed, evidence, hits, feedback, False, tuple(flags))

    def _point(self, answer: Answer, point: PointRubric, rubric: Rubric) -> _PointResult:
        best = Hit(0.0)
        for phrase in point.phrases:
            if any(not t[0].isalpha() for t in phrase.tokens):
                # A formula only counts the right way round: TP/(TP+FP) is not FP/(TP+FP).
                hit = answer.match_in_order(phrase)
            else:
                hit = answer.match(phrase, min_weight=MIN_PHRASE_WEIGHT)
            coverage = hit.coverage
            if hit.negated != phrase.negated:
                # "more data doesn't fix it" is not made by "the fix is more data", nor
                # "L1 gives sparse weights" by "L1 doesn't give sparse weights".
                coverage *= 0.4
            if coverage > best.coverage:
                best = Hit(coverage, hit.start, hit.end, hit.negated)
        contradiction = None
        if best.coverage < COVERED_AT:
            contradiction = find_contradiction(answer, point)
        return _PointResult(point, best, _credit(best.coverage), contradiction)

    def _topic_vectors(self) -> dict[str, tuple[dict[str, float], float]]:
        if self._vectors is None:
            questions = self.bank.questions.values() if self.bank else ()
            self._vectors = {}
            for question in questions:
                rubric = self.rubric(question)
                self._vectors[question.id] = (rubric.topic_weights, rubric.topic_norm)
        return self._vectors

    def _fits_another_question(self, answer: Answer, question: Question, rubric: Rubric) -> bool:
        """Is this a good answer to some other question in the bank rather than to this one?"""
        words = {t for t in answer.content_stems if t[0].isalnum()}
        if len(words) < 6:
            return False

        def cosine(weights: dict[str, float], norm: float) -> float:
            return sum(weights.get(t, 0.0) for t in words) / (norm * math.sqrt(len(words)) or 1)

        own = cosine(rubric.topic_weights, rubric.topic_norm)
        best_other = max(
            (cosine(w, n) for qid, (w, n) in self._topic_vectors().items() if qid != question.id),
            default=0.0,
        )
        return best_other > OTHER_QUESTION_RATIO * own and best_other >= OTHER_QUESTION_MIN


@lru_cache(maxsize=1)
def default_grader() -> OfflineGrader:
    """A grader weighted by the packaged bank, for `grade_text` and quick scripts."""
    from question_bank import load_bank

    return OfflineGrader.for_bank(load_bank())
