"""OneHot: the TFLite-convertible one-hot encoding."""

import numpy as np
import tensorflow as tf

from modules.common import keras_parts


def test_one_hot_matches_keras_category_encoding_for_ids_in_range():
    ids = tf.constant([[0], [2], [1], [2]], tf.int64)
    expected = tf.keras.layers.CategoryEncoding(num_tokens=3, output_mode="one_hot")(ids)
    np.testing.assert_array_equal(keras_parts.OneHot(num_tokens=3)(ids).numpy(), expected.numpy())


def test_one_hot_encodes_an_id_out_of_range_as_zeros():
    assert keras_parts.OneHot(num_tokens=3)(tf.constant([[5]], tf.int64)).numpy().tolist() == [[0.0, 0.0, 0.0]]
