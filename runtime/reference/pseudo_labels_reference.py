#!/usr/bin/env python3
"""Writes the reference that PseudoLabelsReferenceTest (bundles/pseudo-labels) compares against.

The k-reciprocal Jaccard distance as FedCAPR's clustering computes it, written out here in numpy
(float64): the k1 nearest of each embedding by 2 - 2 cos (itself first), k-reciprocal sets among
them, expansion by the round(k1/2)-reciprocal sets that overlap by more than two thirds,
softmax(-d) weights, query expansion over the k2 nearest, Jaccard 1 - s / (2 - s), negatives
clamped to 0; then scikit-learn's DBSCAN on the precomputed matrix. Run with Debian's
python3-numpy and python3-sklearn:

    python3 runtime/reference/pseudo_labels_reference.py > bundles/pseudo-labels/src/test/resources/pseudo-labels-reference.json
"""
import json
import sys

import numpy as np
from sklearn.cluster import DBSCAN

K1, K2, EPS, MIN_SAMPLES = 20, 6, 0.5, 4


def embeddings(seed=11):
    rng = np.random.default_rng(seed)
    groups, each, dim = 8, 12, 16
    centres = rng.normal(size=(groups, dim))
    rows = [centres[g] + 0.45 * rng.normal(size=dim) for g in range(groups) for _ in range(each)]
    rows += [rng.normal(size=dim) * 1.5 for _ in range(10)]
    x = np.array(rows)
    x = x[rng.permutation(len(x))]
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def reciprocal(rank, i, k):
    forward = rank[i, :k + 1]
    return np.array([j for j in forward if i in rank[j, :k + 1]], dtype=int)


def jaccard(x):
    n = len(x)
    dist = 2 - 2 * x @ x.T
    np.fill_diagonal(dist, 0)
    rank = np.argsort(dist, axis=1, kind="stable")[:, :K1]
    v = np.zeros((n, n))
    for i in range(n):
        members = reciprocal(rank, i, K1)
        expansion = list(members)
        for candidate in members:
            theirs = reciprocal(rank, candidate, int(np.around(K1 / 2)))
            if len(np.intersect1d(theirs, members)) > 2 / 3 * len(theirs):
                expansion.extend(theirs)
        expansion = np.unique(expansion)
        weights = np.exp(-dist[i, expansion])
        v[i, expansion] = weights / weights.sum()
    v = np.array([v[rank[i, :K2]].mean(axis=0) for i in range(n)])
    shared = np.array([[np.minimum(v[i], v[j]).sum() for j in range(n)] for i in range(n)])
    return np.maximum(0, 1 - shared / (2 - shared))


def main():
    # The reference works on the float32 values the test reads, so that both see the same input.
    x = embeddings().astype(np.float32).astype(np.float64)
    cameras = [1 + i % 3 for i in range(len(x))]
    w = jaccard(x)
    labels = DBSCAN(eps=EPS, min_samples=MIN_SAMPLES, metric="precomputed").fit_predict(w)
    json.dump({
        "k1": K1, "k2": K2, "eps": EPS, "min_samples": MIN_SAMPLES,
        "embeddings": x.tolist(),
        "cameras": cameras,
        "neighbourhood_sizes": [int((w[i] <= EPS).sum()) for i in range(len(x))],
        "labels": labels.tolist(),
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
