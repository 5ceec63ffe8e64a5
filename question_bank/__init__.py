"""The question bank: questions as YAML data, their schema, loader and validator."""

from question_bank.loader import BankError, load_bank, load_paths, packaged_data_dir
from question_bank.model import Bank, FollowUp, KeyPoint, Pitfall, Question, Solution, Tip

__all__ = [
    "Bank",
    "BankError",
    "FollowUp",
    "KeyPoint",
    "Pitfall",
    "Question",
    "Solution",
    "Tip",
    "load_bank",
    "load_paths",
    "packaged_data_dir",
]
