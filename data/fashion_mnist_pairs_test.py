"""The notes' create_pairs (alternating positive and negative pairs, n = min class count - 1)
and the pair sources: Fashion-MNIST's test images from the shared directory, content-checked."""

import gzip

import numpy as np
import pytest

from data import download, fashion_mnist, fashion_mnist_pairs
from data.fashion_mnist_test import write_idx_files
from data.inputs import read_tfrecords


def test_pairs_alternate_positive_and_negative_within_and_across_classes():
    labels = np.array([0, 1, 0, 1, 2, 2, 0, 1, 2])  # 3 of each class: n = 2 per class
    pairs = fashion_mnist_pairs.create_pairs(labels, np.random.default_rng(0))
    assert len(pairs) == 3 * 2 * 2
    for position, (left, right, same) in enumerate(pairs):
        assert same == (1 if position % 2 == 0 else 0)
        assert (labels[left] == labels[right]) == bool(same)


def test_shared_pairs_pair_the_test_images_of_the_shared_directory(tmp_path, monkeypatch):
    import tensorflow as tf

    labels = np.array([0, 1, 2, 0, 1, 2], dtype=np.uint8)  # 2 of each class: n = 1 per class
    images = np.stack([np.full((28, 28), 40 * i, dtype=np.uint8) for i in range(len(labels))])
    write_idx_files(tmp_path / "shared" / "fashion_mnist", {"test_images": images, "test_labels": labels}, monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "shared"))
    description = fashion_mnist_pairs.shared_pairs(tmp_path / "data")
    assert description.startswith(f"6 pairs of Fashion-MNIST test images from {tmp_path / 'shared' / 'fashion_mnist'}")
    expected = fashion_mnist_pairs.create_pairs(labels, np.random.default_rng(0))
    for (left, right, same), record in zip(expected, read_tfrecords(tmp_path / "data" / fashion_mnist_pairs.PAIRS_FILE_NAME)):
        feature = tf.train.Example.FromString(record).features.feature
        assert feature[fashion_mnist_pairs.LEFT_KEY].int64_list.value == images[left].ravel().tolist()
        assert feature[fashion_mnist_pairs.RIGHT_KEY].int64_list.value == images[right].ravel().tolist()
        assert feature[fashion_mnist_pairs.PAIR_LABEL_KEY].int64_list.value == [same]


def test_shared_pairs_refuse_a_corrupt_copy_naming_the_file(tmp_path, monkeypatch):
    directory = tmp_path / "shared" / "fashion_mnist"
    test_split = {"test_images": np.zeros((2, 28, 28), dtype=np.uint8), "test_labels": np.array([0, 1], dtype=np.uint8)}
    write_idx_files(directory, test_split, monkeypatch)
    monkeypatch.setenv(download.SHARED_DATA_DIR_ENV, str(tmp_path / "shared"))
    images = directory / fashion_mnist.FASHION_FILE_NAMES["test_images"]
    images.write_bytes(gzip.compress(b"\x00\x00\x08\x03" + b"not the images"))
    with pytest.raises(fashion_mnist.ContentError, match=f"^{images}: decompressed content has SHA-256"):
        fashion_mnist_pairs.shared_pairs(tmp_path / "data")
