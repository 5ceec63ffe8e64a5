"""The coverage list: ids the packaged bank must cover, with their titles."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def coverage_items() -> dict[str, str]:
    """Every coverage id mapped to its description, in list order."""
    text = resources.files("question_bank").joinpath("coverage.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    items: dict[str, str] = {}
    for section in data["sections"]:
        items.update(section["items"])
    return items


@cache
def coverage_sections() -> list[tuple[str, str, list[str]]]:
    """(prefix, title, ids) for each section of the coverage list."""
    text = resources.files("question_bank").joinpath("coverage.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return [(s["prefix"], s["title"], list(s["items"])) for s in data["sections"]]
