"""Turn free text into canonical tokens: lowercase, spelling variants, synonyms, stems."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import snowballstemmer
import yaml

_STEMMER = snowballstemmer.stemmer("english")

STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from into onto over under about
    as is are was were be been being am do does did doing have has had having it its it's this that
    these those there here which who whom whose what when where why how i me my we our you your he
    she they them their his her him us can could would should will shall may might must just very
    also too more most some any each every all both either neither such than only own same other
    another up down out off again further once s t d ll m re ve y let lets like really basically
    actually um uh well okay ok yeah sure thing things way ways kind sort lot lots get gets got make
    makes made use used using one ones because while whereas although though since until via per
    e.g eg i.e ie etc something anything everything stuff many much""".split()
)

NEGATIONS = frozenset(
    "not no never nothing none n't cannot can't don't doesn't isn't aren't wasn't weren't "
    "won't wouldn't shouldn't didn't neither nor without myth misconception wrong false "
    "incorrect mistaken "
    "contrary unlike avoid avoids avoided avoiding prevent prevents prevented preventing "
    "eliminate eliminates eliminated".split()
)


@dataclass(frozen=True)
class Lexicon:
    """Multi-word terms, word variants and contrasting pairs (from lexicon.yaml)."""

    phrases: dict[str, str]
    words: dict[str, str]
    contrasts: tuple[tuple[str, str], ...]
    phrase_pattern: re.Pattern[str]
    codes: dict[str, str]
    canonical_by_code: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The grader's vocabulary, read once from the package's lexicon.yaml."""
    text = resources.files("bot.grading").joinpath("lexicon.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    phrases = {str(k).lower(): str(v) for k, v in data["phrases"].items()}
    words = {str(k).lower(): str(v) for k, v in data["words"].items()}
    contrasts = tuple((str(a), str(b)) for a, b in data["contrasts"])
    # One alternation, longest terms first, so a single pass finds every multi-word term.
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    pattern = re.compile(r"(?<![a-z0-9])(" + alternation + r")(?:s|es)?(?![a-z0-9])")
    # A found term is replaced by a short code padded to the term's length, so offsets into
    # the text stay exact however long the canonical token is.
    canonicals = sorted(set(phrases.values()))
    codes = {c: _code(i) for i, c in enumerate(canonicals)}
    return Lexicon(
        phrases, words, contrasts, pattern, codes, {code: c for c, code in codes.items()}
    )


def _code(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# "1,100" is one number; otherwise words, decimals, contractions and formula symbols.
_TOKEN = re.compile(
    r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[a-z0-9]+(?:\.[0-9]+)?(?:'[a-z]+)?|[=+/*^<>%-]"
)
_CONTRACTION = re.compile(r"\b(\w+)n't\b")


@dataclass(frozen=True)
class Token:
    """A canonical token and where its source word sits in the original text."""

    stem: str
    start: int
    end: int
    stop: bool


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    # "training/serving" is two words; "tp/(tp+fp)" is a formula.
    text = re.sub(r"(?<=[a-z]{3})/(?=[a-z]{3})", " ", text)
    # Spoken operators become symbols, padded so offsets still point into the original text.
    text = re.sub(r"\bdivided by\b", lambda m: " /".ljust(len(m.group(0))), text)
    text = re.sub(r"\bplus\b", lambda m: " +".ljust(len(m.group(0))), text)
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u2014", " - ")
        .replace("\u2212", "-")
    )


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The canonical stem of one lowercase word."""
    word = lexicon().words.get(word, word)
    if not word.isalpha() or len(word) <= 3:
        return word
    return _STEMMER.stemWord(word)


def tokenize(text: str) -> tuple[Token, ...]:
    """Canonical tokens of `text`, with character offsets into the folded text."""
    # Short texts (rubric phrases, labels) repeat across questions and are worth caching;
    # answers can be long and are not kept.
    return _tokenize_cached(text) if len(text) <= 200 else _tokenize(text)


@lru_cache(maxsize=16384)
def _tokenize_cached(text: str) -> tuple[Token, ...]:
    return _tokenize(text)


def _tokenize(text: str) -> tuple[Token, ...]:
    folded = _fold(text)
    # Replace multi-word terms by their canonical token, padded to keep offsets stable.
    terms = lexicon()
    folded = terms.phrase_pattern.sub(
        lambda m: ("\x00" + terms.codes[terms.phrases[m.group(1)]]).ljust(len(m.group(0))),
        folded,
    )
    tokens: list[Token] = []
    for match in re.finditer(r"\x00([a-z]+) *|" + _TOKEN.pattern, folded):
        if match.group(1):
            canonical = terms.canonical_by_code[match.group(1)]
            # The match runs over the padding, so the span covers the whole original term.
            tokens.append(Token(stem(canonical), match.start(), match.end(), False))
            continue
        word = match.group(0)
        if word.endswith("n't") or word in NEGATIONS:
            tokens.append(Token("not", match.start(), match.end(), True))
            continue
        word = word.removesuffix("'s")
        if word[0].isdigit():
            word = word.replace(",", "")
        tokens.append(Token(stem(word), match.start(), match.end(), word in STOPWORDS))
    return tuple(tokens)


def content_stems(text: str) -> list[str]:
    """Stems of the content words of `text` (no stopwords, no negations)."""
    return [t.stem for t in tokenize(text) if not t.stop]


def folded(text: str) -> str:
    """The lowercased, unicode-folded text the token offsets refer to."""
    return _fold(text)
