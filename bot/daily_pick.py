"""Which question a channel gets today: no repeats until the pool is used up, topics in turn."""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import date

from question_bank import Bank, Question

BEHAVIOURAL = "behavioural"


def daily_pool(bank: Bank, topics: Sequence[str], difficulty: int | None) -> list[Question]:
    """The questions a channel's settings allow, loosening difficulty if nothing matches.

    Behavioural questions only come when the channel asks for that topic: a story about
    yourself makes a poor group question.
    """
    chosen = [
        q
        for q in bank.questions.values()
        if (q.topic in topics if topics else q.topic != BEHAVIOURAL)
    ]
    matching = [q for q in chosen if difficulty is None or q.difficulty == difficulty]
    return sorted(matching or chosen, key=lambda q: q.id)


def pick_daily_question(
    pool: Sequence[Question], history: Sequence[tuple[str, date]], seed: str
) -> Question:
    """Today's question from `pool`, given the channel's past (question id, date) posts.

    Every question in the pool is asked once before any is asked again; among those, the
    topic asked longest ago (or never) goes first; the rest is a reproducible draw.
    """
    if not pool:
        raise ValueError("the question pool is empty")
    asked = Counter(qid for qid, _ in history)
    fewest = min(asked[q.id] for q in pool)
    candidates = [q for q in pool if asked[q.id] == fewest]
    if history and len(candidates) > 1:
        # A new round must not open with the question that closed the last one.
        candidates = [q for q in candidates if q.id != history[-1][0]] or candidates
    last_used: dict[str, date] = {}
    by_id = {q.id: q for q in pool}
    for qid, day in history:
        if qid in by_id:
            topic = by_id[qid].topic
            last_used[topic] = max(day, last_used.get(topic, day))
    rng = random.Random(zlib.crc32(seed.encode()))
    topics = sorted({q.topic for q in candidates})
    rng.shuffle(topics)
    topic = min(topics, key=lambda t: last_used.get(t, date.min))
    return rng.choice([q for q in candidates if q.topic == topic])
