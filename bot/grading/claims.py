"""Wrong claims in an answer: the bank's pitfalls, wrong numbers, and swapped opposites."""

from __future__ import annotations

import re

from bot.grading.grade import PitfallHit
from bot.grading.match import Answer, Hit
from bot.grading.rubric import Phrase, PitfallRubric, PointRubric, Rubric
from bot.grading.text import lexicon, stem

PITFALL_AT = 0.8
CONTRADICTION_AT = 0.85
# Words that mark a claim as quoted in order to correct it.
REFUTING = re.compile(
    r"\b(mistakes?|mistaken(ly)?|misconceptions?|myths?|confus(e|es|ed|ing)|pitfalls?|fallac\w*|"
    r"misread\w*|misinterpret\w*|common errors?|slips?|wrongly|incorrectly)\b"
)


def wrong_claims(answer: Answer, rubric: Rubric) -> tuple[PitfallHit, ...]:
    """The bank's known wrong claims that the answer makes (at most one hit per pitfall)."""
    found = []
    for pitfall in rubric.pitfalls:
        number = _wrong_number(answer, pitfall, rubric)
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
                and not _compares(answer, phrase, hit)
                and not _refutes(answer, hit, rubric)
            ):
                span = answer.span(hit.start, hit.end)
                found.append(PitfallHit(pitfall.claim, pitfall.correction, span))
                break
    return tuple(found)


def contradiction(answer: Answer, point: PointRubric) -> str | None:
    """A key point stated with one term swapped for its opposite ("L2 gives sparse weights"
    against "L1 gives sparse weights"): the span that says it, if any."""
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


def _swap(phrase: Phrase, old: str, new: str) -> Phrase:
    tokens = tuple(new if t == old else t for t in phrase.tokens)
    return Phrase(phrase.text, tokens, phrase.weights, phrase.negated)


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
