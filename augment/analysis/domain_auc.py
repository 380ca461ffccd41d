"""How well a simple classifier tells two sets apart: cross-validated AUC in [0, 1].

0.5 means the features cannot tell generated from real; 1.0 means they always can. The
classifier is an L2-regularised logistic regression fitted by Newton's method on
standardised features (a dozen to two dozen of them, so a few NumPy solves), written
here rather than taking scikit-learn as a run-time dependency for one small model. Folds
are stratified and drawn with a fixed seed, so the same sets give the same AUC. Rows of
one file (the segments of a recording) stay in one fold: otherwise the classifier would
be tested on pieces of the very recordings it was fitted on.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

L2 = 1.0
FOLDS = 5


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights (bias last) of a logistic regression with an L2 penalty on the weights."""
    design = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(design @ weights, -30, 30)))
        gradient = design.T @ (p - y) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve: the chance a positive outscores a negative (ties half)."""
    ranks = rankdata(scores)
    positives = y == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def stratified_folds(y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number per row: each class's groups spread evenly over the folds in a seeded
    order, every row of a group in its group's fold."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    for value in (0, 1):
        members = y == value
        names, group_of_row = np.unique(groups[members], return_inverse=True)
        group_fold = np.empty(len(names), dtype=int)
        group_fold[rng.permutation(len(names))] = np.arange(len(names)) % folds
        fold[members] = group_fold[group_of_row]
    return fold


def domain_auc(
    generated: np.ndarray,
    real: np.ndarray,
    seed: int = 0,
    groups: tuple[np.ndarray, np.ndarray] | None = None,
) -> float:
    """Out-of-fold AUC of telling `generated` rows (features) from `real` rows; `groups`
    (one id per row of each set, e.g. its file) keeps rows of a group in one fold."""
    x = np.vstack([generated, real]).astype(np.float64)
    y = np.concatenate([np.ones(len(generated)), np.zeros(len(real))])
    if groups is None:
        group = np.arange(len(y))
    else:  # ids offset so a generated and a real group never share a fold by name
        group = np.concatenate([np.unique(g, return_inverse=True)[1] for g in groups])
    folds = min(FOLDS, *(len(np.unique(group[y == v])) for v in (0, 1)))
    if folds < 2:
        raise ValueError("need at least 2 examples (or files) in each set")
    fold = stratified_folds(y, group, folds, seed)
    scores = np.empty(len(y))
    for k in range(folds):
        train, test = fold != k, fold == k
        mean, std = x[train].mean(axis=0), x[train].std(axis=0)
        std[std == 0] = 1.0
        weights = fit_logistic((x[train] - mean) / std, y[train])
        scores[test] = ((x[test] - mean) / std) @ weights[:-1] + weights[-1]
    return auc(scores, y)
