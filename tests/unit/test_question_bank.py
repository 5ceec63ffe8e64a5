"""The question bank: every packaged file validates, and broken files get readable messages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from question_bank import BankError, load_paths, packaged_data_dir
from question_bank.__main__ import main as bank_cli
from question_bank.loader import load_bank

PACKAGED = sorted(packaged_data_dir().glob("*.yaml"))

GOOD_TEAM_FILE = """\
topic: our-stack
questions:
  - id: acme-feature-store
    prompt: Why keep a feature store?
    reference_answer: One definition of each feature serves training and serving.
    key_points:
      - one definition shared by training and serving
      - avoids training/serving skew
"""


def _write(tmp_path: Path, text: str, name: str = "team.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


@pytest.mark.parametrize("path", PACKAGED, ids=lambda p: p.name)
def test_every_packaged_file_validates(path: Path) -> None:
    result = load_paths([path])
    assert [str(p) for p in result.problems] == []


def test_whole_packaged_bank_covers_every_id_and_is_big_enough() -> None:
    result = load_paths([packaged_data_dir()], check_coverage=True)
    assert [str(p) for p in result.problems] == []
    assert len(result.bank.questions) >= 150
    for topic in result.bank.topics:
        levels = {q.difficulty for q in result.bank.by_topic(topic)}
        assert len(levels) >= 2, f"{topic} has questions at only one difficulty"


def test_team_questions_need_only_prompt_answer_and_key_points(tmp_path: Path) -> None:
    result = load_paths([_write(tmp_path, GOOD_TEAM_FILE)])
    assert result.problems == []
    question = result.bank.questions["acme-feature-store"]
    assert question.topic == "our-stack" and question.difficulty == 2
    assert question.kind == "concept" and question.follow_ups == ()
    assert [kp.label for kp in question.key_points][1] == "avoids training/serving skew"


def test_team_directories_merge_with_the_packaged_bank(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_TEAM_FILE)
    bank = load_bank((str(tmp_path),))
    assert "acme-feature-store" in bank.questions
    assert len(bank.questions) > 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("questions: [\n", ":2: -: yaml: not valid YAML"),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n",
            ":2: q1: key_points: needs at least one key point",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n    key_points: []\n",
            ":5: q1: key_points: needs at least one key point",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n"
            "    key_points: [x]\n    difficulty: 7\n",
            ":6: q1: difficulty: must be 1 (easy), 2 (medium) or 3 (hard), not 7",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n"
            "    key_points: [x]\n    covers: [ZZZ99]\n",
            ":6: q1: covers: unknown coverage id 'ZZZ99'",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n"
            "    key_points: [x]\n    promt: typo\n",
            ":6: q1: promt: unknown field",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n"
            "    key_points:\n      - {id: bias, label: Bias}\n"
            "    follow_ups:\n      - prompt: f\n        reference_answer: r\n"
            "        targets: variance\n",
            ":10: q1: follow_ups[0].targets: names key point 'variance', which the question "
            "does not have (it has: bias)",
        ),
        (
            "questions:\n  - id: q1\n    prompt: p\n    reference_answer: a\n"
            "    key_points: [x]\n    follow_ups:\n"
            "      - prompt: f\n        reference_answer: r\n",
            ":7: q1: follow_ups[0].key_points: needs at least one key point",
        ),
        (
            "questions:\n  - id: q1\n    reference_answer: a\n    key_points: [x]\n",
            ":2: q1: prompt: is required",
        ),
    ],
    ids=[
        "bad-yaml",
        "no-rubric",
        "empty-rubric",
        "difficulty",
        "unknown-cover",
        "unknown-field",
        "missing-target",
        "probe-without-points",
        "missing-prompt",
    ],
)
def test_broken_files_get_the_documented_message(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    messages = [str(p) for p in load_paths([path]).problems]
    assert any(m.startswith(str(path)) and expected in m for m in messages), messages


def test_duplicate_ids_across_files_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_TEAM_FILE, "a.yaml")
    _write(tmp_path, GOOD_TEAM_FILE, "b.yaml")
    problems = [str(p) for p in load_paths([tmp_path]).problems]
    assert len(problems) == 1
    assert "b.yaml:3: acme-feature-store: id: duplicate id, first defined at" in problems[0]
    assert "a.yaml:3" in problems[0]


def test_packaged_rules_are_stricter_than_team_rules(tmp_path: Path) -> None:
    from question_bank.schema import parse_file

    parsed = parse_file("x.yaml", GOOD_TEAM_FILE, strict=True)
    fields = {p.field for p in parsed.problems}
    assert {"difficulty", "kind", "covers", "follow_ups", "hints"} <= fields


def test_load_bank_raises_with_every_problem(tmp_path: Path) -> None:
    _write(tmp_path, "questions:\n  - id: q1\n")
    with pytest.raises(BankError) as caught:
        load_bank((str(tmp_path),))
    assert "q1: prompt: is required" in str(caught.value)


def test_validate_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, GOOD_TEAM_FILE, "good.yaml")
    assert bank_cli(["validate", str(good)]) == 0
    assert "OK: 1 questions" in capsys.readouterr().out
    bad = _write(tmp_path, "questions:\n  - id: q1\n", "bad.yaml")
    assert bank_cli(["validate", str(bad)]) == 1
    assert f"{bad}:2: q1: prompt: is required" in capsys.readouterr().out


def test_stats_command_prints_topics_and_coverage() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "question_bank", "stats"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "coverage ids not covered: 0" in result.stdout
    assert "FND01" in result.stdout and "by kind:" in result.stdout
