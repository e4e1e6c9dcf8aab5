"""The notes' create_pairs: alternating positive and negative pairs, n = min class count - 1."""

import numpy as np

from data import fashion_mnist_pairs


def test_pairs_alternate_positive_and_negative_within_and_across_classes():
    labels = np.array([0, 1, 0, 1, 2, 2, 0, 1, 2])  # 3 of each class: n = 2 per class
    pairs = fashion_mnist_pairs.create_pairs(labels, np.random.default_rng(0))
    assert len(pairs) == 3 * 2 * 2
    for position, (left, right, same) in enumerate(pairs):
        assert same == (1 if position % 2 == 0 else 0)
        assert (labels[left] == labels[right]) == bool(same)
