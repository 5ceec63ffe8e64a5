"""Turn free text into canonical tokens: lowercase, spelling variants, synonyms, stems."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

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
    "not no never n't cannot can't don't doesn't isn't aren't wasn't weren't won't wouldn't "
    "shouldn't didn't neither nor without myth misconception wrong false incorrect mistaken "
    "contrary unlike avoid avoids avoided avoiding prevent prevents prevented preventing "
    "eliminate eliminates eliminated".split()
)

# Multi-word terms first: each maps to one canonical token so "false positive" and "fp" agree.
PHRASES: tuple[tuple[str, str], ...] = (
    ("true positive rate", "recall"),
    ("false positive rate", "fpr"),
    ("true negative rate", "specificity"),
    ("positive predictive value", "precision"),
    ("hit rate", "recall"),
    ("true positives", "tp"),
    ("true positive", "tp"),
    ("false positives", "fp"),
    ("false positive", "fp"),
    ("false negatives", "fn"),
    ("false negative", "fn"),
    ("true negatives", "tn"),
    ("true negative", "tn"),
    ("type i error", "fp"),
    ("type 1 error", "fp"),
    ("type ii error", "fn"),
    ("type 2 error", "fn"),
    ("false alarm", "fp"),
    ("missed detection", "fn"),
    ("area under the curve", "auc"),
    ("area under curve", "auc"),
    ("mean squared error", "mse"),
    ("root mean squared error", "rmse"),
    ("mean absolute error", "mae"),
    ("gradient descent", "gradientdescent"),
    ("neural network", "nn"),
    ("neural net", "nn"),
    ("neural networks", "nn"),
    ("deep learning", "deeplearning"),
    ("machine learning", "ml"),
    ("null hypothesis", "nullhypothesis"),
    ("p value", "pvalue"),
    ("p-value", "pvalue"),
    ("cross validation", "crossvalidation"),
    ("cross-validation", "crossvalidation"),
    ("k fold", "kfold"),
    ("k-fold", "kfold"),
    ("k means", "kmeans"),
    ("k-means", "kmeans"),
    ("k nearest neighbours", "knn"),
    ("k nearest neighbors", "knn"),
    ("k-nearest neighbours", "knn"),
    ("k-nearest neighbors", "knn"),
    ("nearest neighbours", "knn"),
    ("nearest neighbors", "knn"),
    ("random forest", "randomforest"),
    ("decision tree", "decisiontree"),
    ("logistic regression", "logreg"),
    ("linear regression", "linreg"),
    ("support vector machine", "svm"),
    ("support vectors", "supportvector"),
    ("support vector", "supportvector"),
    ("principal component analysis", "pca"),
    ("principal components", "pca"),
    ("batch normalization", "batchnorm"),
    ("batch normalisation", "batchnorm"),
    ("batch norm", "batchnorm"),
    ("learning rate", "learningrate"),
    ("early stopping", "earlystopping"),
    ("weight decay", "l2"),
    ("ridge", "l2"),
    ("lasso", "l1"),
    ("elastic net", "elasticnet"),
    ("a/b test", "abtest"),
    ("a/b testing", "abtest"),
    ("ab test", "abtest"),
    ("ab testing", "abtest"),
    ("split test", "abtest"),
    ("confusion matrix", "confusionmatrix"),
    ("harmonic mean", "harmonicmean"),
    ("arithmetic mean", "arithmeticmean"),
    ("big o", "bigo"),
    ("hash table", "hashtable"),
    ("hash map", "hashtable"),
    ("hashmap", "hashtable"),
    ("dictionary", "hashtable"),
    ("linked list", "linkedlist"),
    ("primary key", "primarykey"),
    ("foreign key", "foreignkey"),
    ("time series", "timeseries"),
    ("feature engineering", "featureengineering"),
    ("data leakage", "leakage"),
    ("target leakage", "leakage"),
    ("look-ahead", "leakage"),
    ("train set", "trainset"),
    ("training set", "trainset"),
    ("training data", "trainset"),
    ("test set", "testset"),
    ("test data", "testset"),
    ("holdout set", "testset"),
    ("hold-out set", "testset"),
    ("validation set", "valset"),
    ("dev set", "valset"),
    ("validation data", "valset"),
)

# Single words: spelling variants and near-synonyms mapped onto one form (before stemming).
WORDS: dict[str, str] = {
    "regularisation": "regularization",
    "regularise": "regularize",
    "normalisation": "normalization",
    "normalise": "normalize",
    "standardise": "standardize",
    "standardisation": "standardization",
    "generalise": "generalize",
    "generalisation": "generalization",
    "optimise": "optimize",
    "optimisation": "optimization",
    "minimise": "minimize",
    "maximise": "maximize",
    "penalise": "penalize",
    "behaviour": "behavior",
    "modelling": "modeling",
    "labelled": "labeled",
    "labelling": "labeling",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "colour": "color",
    "analyse": "analyze",
    "centre": "center",
    "centroid": "center",
    "centroids": "center",
    "sensitivity": "recall",
    "tpr": "recall",
    "overfit": "overfitting",
    "overfits": "overfitting",
    "overfitted": "overfitting",
    "underfit": "underfitting",
    "underfits": "underfitting",
    "reduce": "decrease",
    "reduces": "decrease",
    "reducing": "decrease",
    "reduced": "decrease",
    "lower": "decrease",
    "lowers": "decrease",
    "lowering": "decrease",
    "shrink": "decrease",
    "shrinks": "decrease",
    "shrinking": "decrease",
    "decreases": "decrease",
    "cuts": "decrease",
    "drop": "decrease",
    "drops": "decrease",
    "fewer": "less",
    "smaller": "less",
    "raise": "increase",
    "raises": "increase",
    "increases": "increase",
    "increasing": "increase",
    "higher": "increase",
    "grow": "increase",
    "grows": "increase",
    "larger": "increase",
    "bigger": "increase",
    "greater": "increase",
    "boost": "increase",
    "boosts": "increase",
    "zero": "zero",
    "zeros": "zero",
    "zeroes": "zero",
    "0": "zero",
    "prob": "probability",
    "probabilities": "probability",
    "likelihoods": "likelihood",
    "coefficient": "weight",
    "coefficients": "weight",
    "coef": "weight",
    "coefs": "weight",
    "parameters": "weight",
    "weights": "weight",
    "params": "weight",
    "imbalanced": "imbalance",
    "unbalanced": "imbalance",
    "skewed": "imbalance",
    "rare": "imbalance",
    "i.i.d": "iid",
    "independent": "independence",
    "mistake": "error",
    "mistakes": "error",
    "errors": "error",
    "example": "sample",
    "examples": "sample",
    "samples": "sample",
    "observations": "sample",
    "observation": "sample",
    "rows": "sample",
    "records": "sample",
    "datapoints": "sample",
    "features": "feature",
    "variables": "feature",
    "predictors": "feature",
    "columns": "feature",
    "inputs": "feature",
    "attributes": "feature",
    "classifier": "model",
    "classifiers": "model",
    "models": "model",
    "accurate": "accuracy",
    "precise": "precision",
    "denominator": "divide",
    "divided": "divide",
    "dividing": "divide",
    "over": "over",
    "ratio": "fraction",
    "proportion": "fraction",
    "share": "fraction",
    "percentage": "fraction",
    "percent": "fraction",
    "rate": "fraction",
    "correct": "right",
    "correctly": "right",
    "wrongly": "wrong",
    "big": "large",
    "huge": "large",
    "massive": "large",
    "tiny": "small",
    "little": "small",
    "quick": "fast",
    "quickly": "fast",
    "faster": "fast",
    "slower": "slow",
    "cheap": "cost",
    "expensive": "cost",
    "costly": "cost",
    "costs": "cost",
}

# Pairs that contradict each other when one stands where the other belongs.
CONTRASTS: tuple[tuple[str, str], ...] = (
    ("l1", "l2"),
    ("precis", "recal"),
    ("fp", "fn"),
    ("bias", "varianc"),
    ("overfit", "underfit"),
    ("increas", "decreas"),
    ("supervis", "unsupervis"),
    ("classif", "regress"),
    ("tp", "tn"),
    ("max", "min"),
    ("harmonicmean", "arithmeticmean"),
    ("gaussian", "laplac"),
    ("generat", "discrimin"),
    ("bag", "boost"),
    ("parallel", "sequenti"),
    ("horizont", "vertic"),
)

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?(?:'[a-z]+)?|[=+/*^<>%-]")
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
    word = WORDS.get(word, word)
    if not word.isalpha() or len(word) <= 3:
        return word
    return _STEMMER.stemWord(word)


def _phrase_pattern() -> re.Pattern[str]:
    # One alternation, longest terms first, so a single pass finds every multi-word term.
    ordered = sorted((p for p, _ in PHRASES), key=len, reverse=True)
    alternation = "|".join(re.escape(p) for p in ordered)
    return re.compile(r"(?<![a-z0-9])(" + alternation + r")(?:s|es)?(?![a-z0-9])")


_PHRASE_PATTERN = _phrase_pattern()
_PHRASE_CANONICAL = dict(PHRASES)


def tokenize(text: str) -> list[Token]:
    """Canonical tokens of `text`, with character offsets into the folded text."""
    folded = _fold(text)
    # Replace multi-word terms by their canonical token, padded to keep offsets stable.
    folded = _PHRASE_PATTERN.sub(
        lambda m: ("\x00" + _PHRASE_CANONICAL[m.group(1)]).ljust(len(m.group(0))), folded
    )
    tokens: list[Token] = []
    for match in re.finditer(r"\x00([a-z0-9]+)|" + _TOKEN.pattern, folded):
        if match.group(1):
            tokens.append(Token(stem(match.group(1)), match.start(), match.end(), False))
            continue
        word = match.group(0)
        if word.endswith("n't") or word in NEGATIONS:
            tokens.append(Token("not", match.start(), match.end(), True))
            continue
        word = word.removesuffix("'s")
        tokens.append(Token(stem(word), match.start(), match.end(), word in STOPWORDS))
    return tokens


def content_stems(text: str) -> list[str]:
    """Stems of the content words of `text` (no stopwords, no negations)."""
    return [t.stem for t in tokenize(text) if not t.stop]


def folded(text: str) -> str:
    """The lowercased, unicode-folded text the token offsets refer to."""
    return _fold(text)
