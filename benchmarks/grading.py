"""Measure the offline grader against the labelled answers in benchmarks/grading_set/.

Run by hand: `.venv/bin/python benchmarks/grading.py [--details]`. Prints Spearman correlation
with the human labels, within-question pairwise ranking accuracy, how often a confidently wrong
answer ranks below a vague one, key-point precision/recall, latency, adversarial answers, and a
word-count baseline for comparison.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

from bot.grading import OfflineGrader
from question_bank import Question, load_bank

SET_DIR = Path(__file__).resolve().parent / "grading_set"
JOKE = "Why do programmers prefer dark mode? Because light attracts bugs."


@dataclass
class Labelled:
    question: Question
    quality: str
    label: float
    covered: set[str]
    text: str


def load_set(bank_questions: dict[str, Question], paths: Sequence[Path]) -> list[Labelled]:
    items: list[Labelled] = []
    for path in paths:
        for entry in yaml.safe_load(path.read_text("utf-8")) or []:
            question = bank_questions.get(entry["question"])
            if question is None:
                print(f"{path.name}: unknown question {entry['question']}", file=sys.stderr)
                continue
            for answer in entry["answers"]:
                items.append(
                    Labelled(
                        question,
                        answer["quality"],
                        float(answer["score"]),
                        set(answer.get("covered") or []),
                        answer["text"],
                    )
                )
    return items


def ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else 0.0


def pairwise(items: list[Labelled], scores: list[float]) -> float:
    by_question: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_question.setdefault(item.question.id, []).append(index)
    right = total = 0.0
    for indices in by_question.values():
        for i, j in combinations(indices, 2):
            if items[i].label == items[j].label:
                continue
            total += 1
            expected = items[i].label > items[j].label
            if scores[i] == scores[j]:
                right += 0.5
            elif (scores[i] > scores[j]) == expected:
                right += 1
    return right / total if total else 0.0


def wrong_below_vague(items: list[Labelled], scores: list[float]) -> tuple[int, int]:
    by_question: dict[str, dict[str, float]] = {}
    for item, score in zip(items, scores, strict=True):
        by_question.setdefault(item.question.id, {})[item.quality] = score
    pairs = [(q["wrong"], q["vague"]) for q in by_question.values() if {"wrong", "vague"} <= set(q)]
    return sum(1 for w, v in pairs if w < v), len(pairs)


def adversarial(grader: OfflineGrader, questions: list[Question], others: list[Labelled]) -> dict:
    rng = random.Random(7)
    worst: dict[str, float] = {}
    for question in questions:
        aliases = [a for kp in question.key_points for a in (kp.aliases[:2] or (kp.label,))]
        other = rng.choice(
            [o for o in others if o.question.topic != question.topic and o.quality == "strong"]
        )
        cases = {
            "empty": "",
            "idk": "idk",
            "i don't know": "I don't know, sorry.",
            "echo": question.prompt,
            "buzzwords": ", ".join(aliases),
            "joke": JOKE,
            "other question": other.text,
        }
        for name, text in cases.items():
            worst[name] = max(worst.get(name, 0), grader.grade_now(question, text).score)
    return worst


def report(name: str, grader: OfflineGrader, items: list[Labelled], details: bool) -> None:
    scores: list[float] = []
    latencies: list[float] = []
    tp = fp = fn = 0
    for item in items:
        started = time.perf_counter()
        grade = grader.grade_now(item.question, item.text)
        latencies.append((time.perf_counter() - started) * 1000)
        scores.append(grade.score)
        predicted = set(grade.covered)
        tp += len(predicted & item.covered)
        fp += len(predicted - item.covered)
        fn += len(item.covered - predicted)
        if details:
            mark = "!" if abs(grade.score - item.label) > 30 else " "
            print(
                f"{mark} {item.question.id:<38} {item.quality:<8} label {item.label:>5.0f} "
                f"got {grade.score:>3} {','.join(grade.flags)}"
            )
    labels = [i.label for i in items]
    baseline = [float(len(i.text.split())) for i in items]
    below, pairs = wrong_below_vague(items, scores)
    latencies.sort()
    questions = list({i.question.id: i.question for i in items}.values())
    print(f"== {name}: {len(items)} labelled answers on {len(questions)} questions")
    print(
        f"spearman:            grader {spearman(scores, labels):.3f}   "
        f"word-count baseline {spearman(baseline, labels):.3f}"
    )
    print(
        f"pairwise accuracy:   grader {pairwise(items, scores):.3f}   "
        f"word-count baseline {pairwise(items, baseline):.3f}"
    )
    print(f"wrong below vague:   {below}/{pairs} questions ({below / max(pairs, 1):.2f})")
    print(
        f"length:              grader score vs word count, spearman "
        f"{spearman(scores, baseline):.3f}"
    )
    print(
        f"key points:          precision {tp / max(tp + fp, 1):.3f}  "
        f"recall {tp / max(tp + fn, 1):.3f}"
    )
    print(
        f"latency ms:          p50 {latencies[len(latencies) // 2]:.2f}  "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.2f}  max {latencies[-1]:.2f}"
    )
    by_quality: dict[str, list[float]] = {}
    for item, score in zip(items, scores, strict=True):
        by_quality.setdefault(item.quality, []).append(score)
    print(
        "mean score by label: "
        + "  ".join(f"{q} {statistics.fmean(v):.0f}" for q, v in sorted(by_quality.items()))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--details", action="store_true", help="print every graded answer")
    args = parser.parse_args()
    started = time.perf_counter()
    bank = load_bank()
    grader = OfflineGrader.for_bank(bank)
    grader.warm_up()
    print(f"bank and grader ready in {time.perf_counter() - started:.2f} s")
    tuned = load_set(bank.questions, sorted(SET_DIR.glob("*.yaml")))
    held_out = load_set(bank.questions, sorted((SET_DIR / "heldout").glob("*.yaml")))
    if not tuned:
        print("no labelled answers found", file=sys.stderr)
        return 1
    report("tuning sets (grading_set/*.yaml)", grader, tuned, args.details)
    if held_out:
        report(
            "held-out set (grading_set/heldout/, never tuned on)", grader, held_out, args.details
        )
        report("all labelled answers", grader, tuned + held_out, False)
    everything = tuned + held_out
    questions = list({i.question.id: i.question for i in everything}.values())
    worst = adversarial(grader, questions, everything)
    print(
        "adversarial (max score over the set's questions): "
        + "  ".join(f"{name} {score:.0f}" for name, score in worst.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
