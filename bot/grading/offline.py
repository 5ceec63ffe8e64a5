"""The default grader: offline, CPU-only, explainable — rubric phrases matched in the answer."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.grading.feedback import write_feedback
from bot.grading.grade import Grade, PitfallHit
from bot.grading.match import Answer, Hit
from bot.grading.rubric import (
    Phrase,
    PitfallRubric,
    PointRubric,
    Rubric,
    Vocabulary,
    compile_rubric,
)
from bot.grading.text import lexicon, stem
from question_bank import Bank, Question

log = logging.getLogger(__name__)

COVERED_AT = 0.62
PARTIAL_FROM = 0.4
PITFALL_AT = 0.8
CONTRADICTION_AT = 0.85
MIN_PHRASE_WEIGHT = 6.0
# Words that mark a claim as quoted in order to correct it.
REFUTING = re.compile(
    r"\b(mistakes?|mistaken(ly)?|misconceptions?|myths?|confus(e|es|ed|ing)|pitfalls?|fallac\w*|"
    r"misread\w*|misinterpret\w*|common errors?|slips?|wrongly|incorrectly)\b"
)
TOPICALITY_WEIGHT = 0.15
TOPICALITY_SCALE = 1.6
PITFALL_FACTOR = 0.3
PITFALL_CAP = 5
OTHER_QUESTION_RATIO = 1.5
OTHER_QUESTION_MIN = 0.25
OFF_TOPIC_BELOW = 0.15
MAX_ANSWER_CHARS = 12_000

_DONT_KNOW = re.compile(
    r"\b(i\s*(do\s*n[o']?t|dont|don't)\s*know|idk|no\s*idea|not\s*sure|no\s*clue|dunno|"
    r"i\s*have\s*no\s*idea|pass|i\s*give\s*up|no\s*comment|skip)\b"
)
_DISMISSIVE = re.compile(
    r"\b(doesn'?t (really )?(matter|care|change)|don'?t (really )?need|no need|you'?re done|"
    r"that'?s it|that'?s all|simply|just|entirely|automatically|the whole point|no effect|"
    r"plenty|(is|are) (basically )?fine|(really|basically|exactly) the same|always works|"
    r"obviously|of course|guaranteed|completely|wouldn'?t change anything|nothing to worry)\b"
)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEGMENTS = re.compile(r"[,;\n\u2022]|\s-\s|\s\*\s")


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


def _swap(phrase: Phrase, old: str, new: str) -> Phrase:
    tokens = tuple(new if t == old else t for t in phrase.tokens)
    return Phrase(phrase.text, tokens, phrase.weights, phrase.negated)


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
        """The compiled rubric for `question` (compiled once, then cached)."""
        rubric = self._rubrics.get(question.id)
        if rubric is None or question.id.startswith("adhoc-"):
            rubric = compile_rubric(question, self.vocabulary)
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
        if self._dont_know(parsed):
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
        topicality = self._topicality(parsed, rubric)
        on_topic = min(1.0, topicality * TOPICALITY_SCALE)
        score = 100 * ((1 - TOPICALITY_WEIGHT) * coverage + TOPICALITY_WEIGHT * on_topic)
        flags: list[str] = []
        if self._echoes_prompt(parsed, rubric):
            flags.append("echo")
            score = min(score, 8)
        if self._buzzwords(parsed):
            flags.append("buzzwords")
            score = min(score * 0.3, 12)
        if topicality < OFF_TOPIC_BELOW and coverage < 0.2:
            flags.append("off_topic")
            score = min(score, 8)
        elif coverage < 0.5 and self._fits_another_question(parsed, question, rubric):
            flags.append("other_question")
            score = min(score, 10)
        if coverage < 0.5 and len(_DISMISSIVE.findall(parsed.folded)) >= 2:
            # Sweeping certainty ("doesn't matter", "just", "you're done") without the
            # substance of the answer is how confident mistakes usually sound.
            flags.append("overconfident")
            score *= 0.5
        hits = self._pitfalls(parsed, rubric)
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

    def _dont_know(self, answer: Answer) -> bool:
        stripped = answer.folded.strip(" \t\n.!?")
        if not stripped:
            return True
        if not _DONT_KNOW.search(stripped):
            return False
        remainder = _DONT_KNOW.sub(" ", stripped)
        return len(Answer(remainder).content) < 3

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
            contradiction = self._contradiction(answer, point, rubric)
        return _PointResult(point, best, _credit(best.coverage), contradiction)

    def _contradiction(self, answer: Answer, point: PointRubric, rubric: Rubric) -> str | None:
        # "L2 gives sparse weights" against "L1 gives sparse weights": the same statement
        # with one term swapped for its opposite is a confident wrong claim.
        for phrase in point.phrases:
            if phrase.content_count < 3 or any(not t[0].isalpha() for t in phrase.tokens):
                continue  # formulas name both sides of a pair ("TP/(TP+FN)"), so swaps mislead
            for a, b in lexicon().contrasts:
                for old, new in ((a, b), (b, a)):
                    if old not in phrase.tokens or new in phrase.tokens:
                        continue
                    if new not in answer.positions:
                        continue
                    hit = answer.match(_swap(phrase, old, new), one_sentence=True)
                    if hit.coverage >= CONTRADICTION_AT and not hit.negated:
                        return answer.span(hit.start, hit.end)
        return None

    def _pitfalls(self, answer: Answer, rubric: Rubric) -> tuple[PitfallHit, ...]:
        found = []
        for pitfall in rubric.pitfalls:
            number = self._wrong_number(answer, pitfall, rubric)
            if number is not None:
                found.append(PitfallHit(pitfall.claim, pitfall.correction, number))
                continue
            for phrase in pitfall.phrases:
                if sum(1 for t in phrase.tokens if t[0].isalpha()) < 2:
                    continue  # too little of the wording survives to identify the claim
                hit = answer.match_in_order(phrase)
                if (
                    hit.coverage >= PITFALL_AT
                    and hit.negated == phrase.negated
                    and not self._compares(answer, phrase, hit)
                    and not self._refutes(answer, hit, rubric)
                ):
                    found.append(
                        PitfallHit(
                            pitfall.claim, pitfall.correction, answer.span(hit.start, hit.end)
                        )
                    )
                    break
        return tuple(found)

    def _topic_vectors(self) -> dict[str, tuple[dict[str, float], float]]:
        if self._vectors is None:
            questions = self.bank.questions.values() if self.bank else ()
            self._vectors = {}
            for question in questions:
                weights = self.rubric(question).topic_weights
                self._vectors[question.id] = (
                    weights,
                    math.sqrt(sum(w * w for w in weights.values())),
                )
        return self._vectors

    def _fits_another_question(self, answer: Answer, question: Question, rubric: Rubric) -> bool:
        """Is this a good answer to some other question in the bank rather than to this one?"""
        words = {t for t in answer.content_stems if t[0].isalnum()}
        if len(words) < 6:
            return False

        def cosine(weights: dict[str, float], norm: float) -> float:
            return sum(weights.get(t, 0.0) for t in words) / (norm * math.sqrt(len(words)) or 1)

        own_weights = rubric.topic_weights
        own = cosine(own_weights, math.sqrt(sum(w * w for w in own_weights.values())))
        best_other = max(
            (cosine(w, n) for qid, (w, n) in self._topic_vectors().items() if qid != question.id),
            default=0.0,
        )
        return best_other > OTHER_QUESTION_RATIO * own and best_other >= OTHER_QUESTION_MIN

    @staticmethod
    def _wrong_number(answer: Answer, pitfall: PitfallRubric, rubric: Rubric) -> str | None:
        """A number only the wrong claim uses ("0.9" for a threshold that should be 0.1),
        stated in a sentence that does not argue against it."""
        for position, token in enumerate(answer.content_stems):
            if token in pitfall.numbers and token not in rubric.right_numbers:
                sentence = answer.sentence[position]
                same = [i for i, n in enumerate(answer.sentence) if n == sentence]
                if not answer.negated_near(same[0], same[-1]):
                    return answer.span(max(position - 3, same[0]), min(position + 2, same[-1]))
        return None

    @staticmethod
    def _refutes(answer: Answer, hit: Hit, rubric: Rubric) -> bool:
        """Is the claim quoted as a mistake ("a common mistake is to say ...")?

        Not when the question itself is about mistakes ("tell me about a costly mistake").
        """
        sentence = answer.sentence[hit.start]
        positions = [i for i, n in enumerate(answer.sentence) if n == sentence]
        text = answer.span(positions[0], positions[-1]).lower()
        return any(
            stem(m.group(0).split()[0]) not in rubric.prompt_tokens for m in REFUTING.finditer(text)
        )

    @staticmethod
    def _compares(answer: Answer, phrase: Phrase, hit: Hit) -> bool:
        """Does the claim's stretch of answer name both sides of a contrast?

        "L1, unlike L2, sets weights to zero" compares; it does not claim "L2 sets weights
        to zero".
        """
        lo = max(hit.start - 3, 0)
        near = set(answer.content_stems[lo : hit.end + 1])
        for a, b in lexicon().contrasts:
            if (a in phrase.tokens) != (b in phrase.tokens) and a in near and b in near:
                return True
        return False

    @staticmethod
    def _topicality(answer: Answer, rubric: Rubric) -> float:
        words = {t for t in answer.content_stems if t[0].isalnum()}
        if not words:
            return 0.0
        on_topic = sum(1 for t in words if t in rubric.topic_weights or t in rubric.prompt_tokens)
        return on_topic / len(words)

    @staticmethod
    def _echoes_prompt(answer: Answer, rubric: Rubric) -> bool:
        words = [t for t in answer.content_stems if t[0].isalnum()]
        if not words:
            return False
        novel = [t for t in words if t not in rubric.prompt_tokens]
        return len(novel) <= max(2, len(words) // 5)

    @staticmethod
    def _buzzwords(answer: Answer) -> bool:
        """A list of terms with nothing connecting them explains nothing."""
        if len(answer.tokens) < 4:
            return False
        function_share = sum(1 for t in answer.tokens if t.stop) / len(answer.tokens)
        flat = _BRACKETED.sub(" ", answer.folded)
        segments = [s.strip() for s in _SEGMENTS.split(flat) if s.strip()]
        if function_share < 0.12 and len(segments) <= 1:
            return True
        if len(segments) < 5:
            return False
        lengths = sorted(len(s.split()) for s in segments)
        return lengths[-1] <= 7 and lengths[len(lengths) // 2] <= 5


@lru_cache(maxsize=1)
def default_grader() -> OfflineGrader:
    """A grader weighted by the packaged bank, for `grade_text` and quick scripts."""
    from question_bank import load_bank

    return OfflineGrader.for_bank(load_bank())
