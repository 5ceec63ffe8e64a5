"""Find where (and how fully) an answer states a phrase: windowed, weighted, typo-tolerant."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from bot.grading.rubric import Phrase
from bot.grading.text import Token, folded, tokenize

# Tokens a typo away from a phrase token still count, at a discount.
FUZZY_CREDIT = 0.8
FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Hit:
    """How much of a phrase an answer states, and the stretch of answer that does it."""

    coverage: float
    start: int = 0
    end: int = 0
    negated: bool = False


NO_HIT = Hit(0.0)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n|;")


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


class Answer:
    """An answer tokenised once, indexed for matching many phrases against it."""

    def __init__(self, text: str, max_tokens: int = 1500) -> None:
        self.text = text
        self.folded = folded(text)
        self.tokens: list[Token] = list(tokenize(text)[:max_tokens])
        self.content: list[int] = [i for i, t in enumerate(self.tokens) if not t.stop]
        ends = [m.start() for m in _SENTENCE_END.finditer(self.folded)]
        self.sentence: list[int] = [
            bisect.bisect_left(ends, self.tokens[i].start) for i in self.content
        ]
        self.positions: dict[str, list[int]] = defaultdict(list)
        for pos, index in enumerate(self.content):
            self.positions[self.tokens[index].stem].append(pos)
        self._fuzzy: dict[str, list[int]] = {}

    @property
    def content_stems(self) -> list[str]:
        """Stems of the content tokens, in order."""
        return [self.tokens[i].stem for i in self.content]

    def _positions(self, token: str) -> tuple[list[int], float]:
        exact = self.positions.get(token)
        if exact:
            return exact, 1.0
        if len(token) < FUZZY_MIN_LENGTH or not token.isalpha():
            return [], 0.0
        if token not in self._fuzzy:
            near = [p for s, ps in self.positions.items() if _one_edit_apart(s, token) for p in ps]
            self._fuzzy[token] = sorted(near)
        return self._fuzzy[token], FUZZY_CREDIT

    def span(self, first: int, last: int) -> str:
        """The original text between two content positions (inclusive), whole sentence-ish."""
        start = self.tokens[self.content[first]].start
        end = self.tokens[self.content[last]].end
        return (
            self.text[start:end] if len(self.text) == len(self.folded) else self.folded[start:end]
        )

    def negated_near(self, first: int, last: int) -> bool:
        """Is there a negation inside the span, just before it, or right after it
        in the same sentence ("scaling doesn't matter")?"""
        lo = max(self.content[first] - 3, 0)
        hi = self.content[last]
        if last + 1 < len(self.content) and self.sentence[last + 1] == self.sentence[last]:
            hi = self.content[last + 1]
        return any(self.tokens[i].stem == "not" for i in range(lo, hi + 1))

    def match_in_order(self, phrase: Phrase, max_gap: int = 3) -> Hit:
        """Like `match`, but the phrase's tokens must appear in its own order, inside one
        sentence, with at most `max_gap` other words between them; every number in the
        phrase must be there. Claims ("L2 makes weights zero") are order-sensitive.
        """
        if phrase.total <= 0:
            return NO_HIT
        stems = self.content_stems
        # Numbers and symbols carry a formula's meaning: all of them must be there. Words may
        # miss one only in a long claim.
        required = [i for i, t in enumerate(phrase.tokens) if not t[0].isalpha()]
        words = len(phrase.tokens) - len(required)
        allowed_misses = 1 if words > 4 else 0
        best = NO_HIT
        for start, stem_at_start in enumerate(stems):
            if stem_at_start not in phrase.tokens:
                continue
            slot = phrase.tokens.index(stem_at_start)
            matched = {slot}
            pos, last = start, start
            for next_slot in range(slot + 1, len(phrase.tokens)):
                token = phrase.tokens[next_slot]
                limit = min(len(stems), last + max_gap + 2)
                for probe in range(last + 1, limit):
                    if self.sentence[probe] != self.sentence[start]:
                        break
                    if stems[probe] == token:
                        matched.add(next_slot)
                        last = probe
                        break
            if any(n not in matched for n in required):
                continue
            if len(phrase.tokens) - len(matched) > allowed_misses:
                continue
            score = sum(phrase.weights[i] for i in matched) / phrase.total
            if score > best.coverage + 1e-9:
                best = Hit(score, pos, last)
        if best.coverage > 0:
            best = Hit(best.coverage, best.start, best.end, self.negated_near(best.start, best.end))
        return best

    def match(
        self,
        phrase: Phrase,
        window: int | None = None,
        one_sentence: bool = False,
        min_weight: float = 0.0,
    ) -> Hit:
        """The best window of the answer for `phrase`: weighted share of its tokens present.

        With `one_sentence`, a window never spans a sentence boundary (for claims, which
        must be made in one breath to count).
        """
        if phrase.total <= 0:
            return NO_HIT
        width = window or max(6, 2 * len(phrase.tokens) + 2)
        # A phrase of one or two common words is weak evidence however fully it matches.
        denominator = max(phrase.total, min_weight)
        hits: list[tuple[int, int, float]] = []
        for slot, token in enumerate(phrase.tokens):
            positions, credit = self._positions(token)
            hits.extend((pos, slot, credit) for pos in positions)
        if not hits:
            return NO_HIT
        hits.sort()
        best = NO_HIT
        counts: dict[int, float] = defaultdict(float)
        present: dict[int, int] = defaultdict(int)
        lo = 0
        for pos, slot, credit in hits:
            present[slot] += 1
            counts[slot] = max(counts[slot], credit)
            while pos - hits[lo][0] >= width or (
                one_sentence and self.sentence[hits[lo][0]] != self.sentence[pos]
            ):
                old_slot = hits[lo][1]
                present[old_slot] -= 1
                if present[old_slot] == 0:
                    del counts[old_slot]
                lo += 1
            if present[slot] and slot not in counts:
                counts[slot] = credit
            score = sum(phrase.weights[s] * c for s, c in counts.items()) / denominator
            if score > best.coverage + 1e-9:
                best = Hit(score, hits[lo][0], pos)
        if best.coverage > 0:
            best = Hit(best.coverage, best.start, best.end, self.negated_near(best.start, best.end))
        return best
