"""Building blocks for `preprocessing_fn`s.

Raw features that have missing values arrive as SparseTensors (SchemaGen infers a
VarLen feature for them); complete ones arrive dense with shape [batch, 1]. Every
helper accepts both and returns a dense [batch, 1] tensor.
"""

from typing import Union

import tensorflow as tf
import tensorflow_transform as tft

TensorOrSparse = Union[tf.Tensor, tf.SparseTensor]


def densify(x: TensorOrSparse, default_value) -> tf.Tensor:
    """Dense [batch, 1] tensor with `default_value` where a value is missing."""
    if isinstance(x, tf.SparseTensor):
        return tft.sparse_tensor_to_dense_with_shape(x, [None, 1], default_value)
    return tf.reshape(x, [-1, 1])


def impute_and_z_score(x: TensorOrSparse) -> tf.Tensor:
    """Z-score of a numeric feature, with missing values imputed by the mean.

    Mean and variance come from the values present (analyzers over a SparseTensor
    reduce over its values), so imputation does not shrink the variance and every
    imputed value maps to exactly 0.
    """
    mean = tft.mean(x, output_dtype=tf.float32)
    std = tf.sqrt(tft.var(x, output_dtype=tf.float32))
    dense = tf.cast(densify(x, float("nan")), tf.float32)
    filled = tf.where(tf.math.is_nan(dense), mean, dense)
    return (filled - mean) / tf.where(std > 0.0, std, 1.0)


def fill_missing_strings(x: TensorOrSparse, fill_value: str) -> tf.Tensor:
    """Dense [batch, 1] string tensor with `fill_value` for missing or empty cells."""
    dense = densify(x, "")
    return tf.where(tf.equal(dense, ""), fill_value, dense)
