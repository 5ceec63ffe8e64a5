"""A question's rubric compiled for matching: weighted token phrases per key point and pitfall."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.grading.text import content_stems, tokenize
from question_bank import Question

# Symbols carry structure ("tp/(tp+fp)") but little meaning on their own.
SYMBOL_WEIGHT = 0.3
# A token the question itself contains is weak evidence: echoing the prompt is not an answer.
PROMPT_TOKEN_WEIGHT = 0.35


class Vocabulary:
    """Inverse document frequencies over a corpus of question texts."""

    def __init__(self, documents: Iterable[str]) -> None:
        df: Counter[str] = Counter()
        count = 0
        for document in documents:
            count += 1
            df.update(set(content_stems(document)))
        self._df = df
        self._n = max(count, 1)
        self.max_idf = math.log((self._n + 1) / 1) + 1

    def idf(self, token: str) -> float:
        """Rarer tokens weigh more; unknown tokens weigh the most."""
        if not token[0].isalnum():
            return SYMBOL_WEIGHT
        return math.log((self._n + 1) / (self._df.get(token, 0) + 1)) + 1


@dataclass(frozen=True)
class Phrase:
    """One way of stating a point, as distinct tokens with their weights."""

    text: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    negated: bool = False

    @property
    def total(self) -> float:
        """Sum of the token weights."""
        return sum(self.weights)

    @property
    def content_count(self) -> int:
        """How many word (not symbol) tokens the phrase has."""
        return sum(1 for t in self.tokens if t[0].isalnum())


@dataclass(frozen=True)
class PointRubric:
    """A key point and the phrases that express it."""

    id: str
    label: str
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class PitfallRubric:
    """A wrong claim, its correction, and the phrases that state it."""

    claim: str
    correction: str
    phrases: tuple[Phrase, ...]
    numbers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rubric:
    """Everything the grader matches an answer against for one question."""

    question_id: str
    prompt_tokens: frozenset[str]
    points: tuple[PointRubric, ...]
    pitfalls: tuple[PitfallRubric, ...]
    topic_weights: dict[str, float]
    right_numbers: frozenset[str] = frozenset()

    @property
    def topic_norm(self) -> float:
        """Euclidean norm of `topic_weights`, for cosine similarity."""
        return math.sqrt(sum(w * w for w in self.topic_weights.values()))


def _phrase(text: str, vocab: Vocabulary, prompt_tokens: frozenset[str]) -> Phrase | None:
    tokens = tokenize(text)
    seen: dict[str, float] = {}
    for token in (t.stem for t in tokens if not t.stop):
        if token in seen:
            continue
        weight = vocab.idf(token)
        if token in prompt_tokens and token[0].isalnum():
            weight *= PROMPT_TOKEN_WEIGHT
        seen[token] = weight
    if not seen:
        return None
    # Negated the way an answer would be: a negation near the words, not after the last one.
    content = [i for i, t in enumerate(tokens) if not t.stop]
    lo, hi = max(content[0] - 3, 0), content[-1]
    negated = any(tokens[i].stem == "not" for i in range(lo, hi + 1))
    return Phrase(text, tuple(seen), tuple(seen.values()), negated)


def _phrases(texts: Iterable[str], vocab: Vocabulary, prompt: frozenset[str]) -> tuple[Phrase, ...]:
    found = (_phrase(t, vocab, prompt) for t in texts)
    return tuple(p for p in found if p is not None)


def _numbers(text: str) -> list[str]:
    """The numbers in `text` as tokens ("0.9", "16"), ignoring 0 and 1, which mean little."""
    return [t for t in content_stems(text) if t[0].isdigit() and t not in {"1", "zero"}]


def _parts(label: str) -> list[str]:
    """A label and its clauses ("Precision = TP/(TP+FP): of predicted positives, ...")."""
    parts = [p.strip() for p in re.split(r"[:;,]|\s[-\u2013\u2014]\s", label)]
    words = re.compile(r"[a-zA-Z]{2,}")
    return [label] + [p for p in parts if len(words.findall(p)) >= 2 and p != label]


def compile_rubric(question: Question, vocab: Vocabulary) -> Rubric:
    """Compile `question` for matching against answers."""
    prompt_tokens = frozenset(content_stems(question.prompt))
    points = tuple(
        PointRubric(
            kp.id, kp.label, _phrases((*_parts(kp.label), *kp.aliases), vocab, prompt_tokens)
        )
        for kp in question.key_points
    )
    right_text = " ".join(
        [question.prompt, question.reference_answer]
        + [kp.label for kp in question.key_points]
        + [a for kp in question.key_points for a in kp.aliases]
        + [f.reference_answer for f in question.follow_ups]
        + [p.correction for p in question.pitfalls]
    )
    right_numbers = frozenset(_numbers(right_text))
    pitfalls = tuple(
        PitfallRubric(
            p.claim,
            p.correction,
            _phrases((p.claim, *p.patterns), vocab, frozenset()),
            frozenset(_numbers(" ".join((p.claim, *p.patterns)))) - right_numbers,
        )
        for p in question.pitfalls
    )
    topic_text = " ".join(
        [question.reference_answer]
        + [kp.label for kp in question.key_points]
        + [a for kp in question.key_points for a in kp.aliases]
    )
    counts = Counter(t for t in content_stems(topic_text) if t[0].isalnum())
    topic_weights = {t: (1 + math.log(c)) * vocab.idf(t) for t, c in counts.items()}
    return Rubric(question.id, prompt_tokens, points, pitfalls, topic_weights, right_numbers)
