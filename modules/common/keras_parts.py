"""Keras inputs, encodings and the classifier compile that the model packages share."""

from typing import Any, Dict

import tensorflow as tf

from modules.common.features import transformed_name


def compile_classifier(model: tf.keras.Model, optimizer="adam") -> tf.keras.Model:
    """Compiles a model with class logits out: sparse categorical cross-entropy and accuracy."""
    model.compile(
        optimizer=optimizer,
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
    )
    return model


@tf.keras.utils.register_keras_serializable(package="modules")
class OneHot(tf.keras.layers.Layer):
    """Category ids [batch, 1] -> one-hot floats [batch, num_tokens].

    Keras' CategoryEncoding computes the same with DenseBincount, an op TFLite does not
    have (conversion fails with ERROR_NEEDS_FLEX_OPS); comparing the ids with a range
    uses only TFLite builtins. An id outside [0, num_tokens) encodes as all zeros.
    """

    def __init__(self, num_tokens: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.num_tokens = num_tokens

    def call(self, ids: tf.Tensor) -> tf.Tensor:
        return tf.cast(tf.equal(ids, tf.range(self.num_tokens, dtype=ids.dtype)), self.compute_dtype)

    def get_config(self) -> Dict[str, Any]:
        return {**super().get_config(), "num_tokens": self.num_tokens}


def scalar_inputs(raw_keys, dtype=tf.float32) -> dict:
    """One Keras Input of shape (1,) per raw feature, named and keyed by its transformed name."""
    return {
        transformed_name(key): tf.keras.layers.Input(shape=(1,), name=transformed_name(key), dtype=dtype)
        for key in raw_keys
    }
