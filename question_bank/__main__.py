"""`python -m question_bank validate|stats`: check the bank and describe what it holds."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from question_bank.coverage import coverage_sections
from question_bank.loader import LoadResult, load_paths, packaged_data_dir, split_dirs
from question_bank.model import DIFFICULTY_NAMES, KINDS, Bank, FollowUp


def _default_paths() -> list[Path]:
    return [packaged_data_dir(), *map(Path, split_dirs(os.environ.get("QUESTION_BANK_DIRS")))]


def _load(paths: list[str]) -> LoadResult:
    if paths:
        return load_paths(paths)
    return load_paths(_default_paths(), check_coverage=True)


def validate(paths: list[str]) -> int:
    """Print every problem; exit status 1 when there is any."""
    result = _load(paths)
    for problem in result.problems:
        print(problem)
    bank = result.bank
    if result.problems:
        print(f"{len(result.problems)} problem(s) in {len(result.files)} file(s)", file=sys.stderr)
        return 1
    print(
        f"OK: {len(bank.questions)} questions and {len(bank.tips)} tips "
        f"in {len(result.files)} file(s)"
    )
    return 0


def _chain_depth(follow_ups: tuple[FollowUp, ...]) -> int:
    return max((1 + _chain_depth(f.follow_ups) for f in follow_ups), default=0)


def stats(bank: Bank) -> str:
    """Counts by topic, difficulty and kind, and the coverage table, as text."""
    lines = [
        f"{len(bank.questions)} questions, {len(bank.tips)} tips, {len(bank.topics)} topics",
        "",
    ]
    lines.append(
        f"{'topic':<16}{'total':>6}" + "".join(f"{n:>8}" for n in DIFFICULTY_NAMES.values())
    )
    for topic in bank.topics:
        qs = bank.by_topic(topic)
        by_diff = Counter(q.difficulty for q in qs)
        lines.append(
            f"{topic:<16}{len(qs):>6}" + "".join(f"{by_diff[d]:>8}" for d in DIFFICULTY_NAMES)
        )
    kinds = Counter(q.kind for q in bank.questions.values())
    lines += ["", "by kind: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS)]
    chains = sum(1 for q in bank.questions.values() if _chain_depth(q.follow_ups) >= 2)
    lines.append(f"questions with a follow-up chain two levels deep: {chains}")
    covering: dict[str, list[str]] = {}
    for q in bank.questions.values():
        for cid in q.covers:
            covering.setdefault(cid, []).append(q.id)
    for tip in bank.tips.values():
        for cid in tip.covers:
            covering.setdefault(cid, []).append(tip.id)
    missing = 0
    for prefix, title, ids in coverage_sections():
        lines += ["", f"{prefix} {title}"]
        for cid in ids:
            found = covering.get(cid, [])
            missing += not found
            shown = ", ".join(found[:4]) + (" ..." if len(found) > 4 else "")
            lines.append(f"  {cid} {len(found):>3}  {shown or 'NOT COVERED'}")
    lines += ["", f"coverage ids not covered: {missing}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m question_bank`."""
    parser = argparse.ArgumentParser(
        prog="python -m question_bank", description="Validate the question bank or describe it."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "validate", help="check files (default: packaged bank + QUESTION_BANK_DIRS)"
    )
    check.add_argument("paths", nargs="*", help="files or directories to check")
    describe = sub.add_parser("stats", help="counts by topic, difficulty, kind; coverage table")
    describe.add_argument("paths", nargs="*", help="files or directories (default: the whole bank)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.paths)
    result = _load(args.paths)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(stats(result.bank))
    return 0


if __name__ == "__main__":
    sys.exit(main())
