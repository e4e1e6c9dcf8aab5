"""Pairs of Fashion-MNIST images for the siamese model, made by the notes' `create_pairs`:
tf.Examples of `left` and `right` (28x28 pixel values as int64s) and `same` (1 for two
images of one class, 0 otherwise), in `pairs.tfrecord` for ImportExampleGen.

- `shared_pairs` (offline): pairs of Fashion-MNIST's 10,000 test images (the course lab's
  data) from `../shared/data/fashion_mnist/`, or from Debian's copy where that is absent
  (`data.fashion_mnist.local_file`).
- `fashion_pairs_downloaded`: the same pairs from Keras' mirror,
  https://storage.googleapis.com/tensorflow/tf-keras-datasets/.
- `digit_pairs_offline` (offline): pairs of scikit-learn's bundled digits, resized to 28x28
  as in `data.fashion_mnist.digits_offline`; a stand-in, not Fashion-MNIST.
"""

from pathlib import Path

import numpy as np

from data.fashion_mnist import (
    FASHION_MIRROR,
    digits_as_fashion_images,
    downloaded_file,
    fashion_mnist_arrays,
    local_file,
)
from data.files import write_tfrecords_if_changed
from data.image_records import pixel_records

LEFT_KEY = "left"
RIGHT_KEY = "right"
PAIR_LABEL_KEY = "same"
PAIRS_FILE_NAME = "pairs.tfrecord"


def create_pairs(labels: np.ndarray, rng: np.random.Generator) -> list:
    """The notes' `create_pairs` (L8628-8645): per class d and i < min class count - 1, a
    positive pair (d_i, d_i+1) labelled 1 and a negative pair (d_i, e_i) labelled 0, where
    e = (d + k) % 10 for a random k in 1..9. Returns (left index, right index, label)."""
    classes = sorted(set(labels.tolist()))
    indices = {d: np.flatnonzero(labels == d) for d in classes}
    n = min(len(i) for i in indices.values()) - 1
    pairs = []
    for d in classes:
        for i in range(n):
            pairs.append((indices[d][i], indices[d][i + 1], 1))
            other = (d + int(rng.integers(1, len(classes)))) % len(classes)
            pairs.append((indices[d][i], indices[classes[other]][i], 0))
    return pairs


def write_pair_examples(data_root: Path, images: np.ndarray, labels: np.ndarray) -> int:
    """Writes the pairs `create_pairs` makes of `images` (seed 0) as tf.Examples; the count."""
    left, right, same = (np.array(column) for column in zip(*create_pairs(labels, np.random.default_rng(0))))
    records = pixel_records({LEFT_KEY: images[left], RIGHT_KEY: images[right]}, PAIR_LABEL_KEY, same)
    write_tfrecords_if_changed(data_root / PAIRS_FILE_NAME, records)
    return len(same)


def shared_pairs(data_root: Path) -> str:
    """Pairs from the shared copy of Fashion-MNIST's test images, the course lab's data."""
    images, labels, directory = fashion_mnist_arrays(local_file, "test")
    count = write_pair_examples(data_root, images, labels)
    return f"{count} pairs of Fashion-MNIST test images from {directory} (the notes' create_pairs)"


def fashion_pairs_downloaded(data_root: Path) -> str:
    """Pairs from Fashion-MNIST's test images, the course lab's data."""
    images, labels, _ = fashion_mnist_arrays(downloaded_file, "test")
    count = write_pair_examples(data_root, images, labels)
    return f"{count} pairs of Fashion-MNIST test images from {FASHION_MIRROR} (the notes' create_pairs)"


def digit_pairs_offline(data_root: Path) -> str:
    count = write_pair_examples(data_root, *digits_as_fashion_images())
    return f"{count} pairs of scikit-learn digits (28x28; the notes' create_pairs; offline stand-in)"
