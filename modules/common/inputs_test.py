"""held_in_memory: every row once an epoch, a fresh order each epoch, batches of the asked size."""

import numpy as np
import tensorflow as tf

from modules.common import inputs


def read_batches(rows: int, read_batch_size: int) -> tf.data.Dataset:
    """(features, labels) batches as TFXIO yields them: a dense [batch, 1] column per feature."""
    ids = np.arange(rows, dtype=np.int64).reshape(-1, 1)
    features = {"id": ids, "twice": ids * 2}
    return tf.data.Dataset.from_tensor_slices((features, {"head": ids % 3})).batch(read_batch_size)


def epochs_of(dataset: tf.data.Dataset, batches: int) -> list:
    return [(features["id"].numpy().ravel(), features, labels) for features, labels in dataset.take(batches)]


def test_each_epoch_has_every_row_once_in_a_new_order():
    rows, batch_size = 103, 10
    taken = epochs_of(inputs.held_in_memory(read_batches(rows, 32), batch_size), 2 * 11)
    sizes = [len(ids) for ids, _, _ in taken]
    assert sizes == ([10] * 10 + [3]) * 2, "ten full batches, then the remainder, each epoch"
    first = np.concatenate([ids for ids, _, _ in taken[:11]])
    second = np.concatenate([ids for ids, _, _ in taken[11:]])
    assert sorted(first) == list(range(rows)) and sorted(second) == list(range(rows))
    assert not np.array_equal(first, second), "reshuffled each epoch"
    assert not np.array_equal(first, np.arange(rows)), "shuffled, not read order"


def test_features_and_labels_stay_aligned_and_keep_their_shape():
    for ids, features, labels in epochs_of(inputs.held_in_memory(read_batches(50, 7), 8), 12):
        assert features["id"].shape[1:] == (1,)
        np.testing.assert_array_equal(features["twice"].numpy().ravel(), ids * 2)
        np.testing.assert_array_equal(labels["head"].numpy().ravel(), ids % 3)
