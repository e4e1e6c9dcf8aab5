"""Training loop options shared by every Trainer module."""

import json
import math
import os
from typing import Any, Dict

import tensorflow as tf

from modules.common.features import transformed_name
from modules.common.keras_compat import skip_autograph_for_tf_keras

skip_autograph_for_tf_keras()

# Training is split into at most this many epochs so that the history (and
# TensorBoard) shows a curve, while the total number of steps stays exact.
MAX_EPOCHS = 10
HISTORY_FILE_NAME = "history.json"
DEFAULT_SEED = 42


def seed_from(custom_config: Dict[str, Any] | None) -> int:
    """The training seed passed through the Trainer's custom_config."""
    return int((custom_config or {}).get("seed", DEFAULT_SEED))


def fit(
    model: tf.keras.Model,
    train_dataset: tf.data.Dataset,
    eval_dataset: tf.data.Dataset,
    train_steps: int,
    eval_steps: int,
    log_dir: str,
) -> Dict[str, list]:
    """Trains for exactly `train_steps` steps and writes the history beside TensorBoard's logs.

    Returns the per-epoch history (loss and metrics on train and eval batches).
    """
    epochs = math.gcd(train_steps, MAX_EPOCHS)
    history = model.fit(
        train_dataset,
        epochs=epochs,
        steps_per_epoch=train_steps // epochs,
        validation_data=eval_dataset,
        validation_steps=eval_steps,
        callbacks=[tf.keras.callbacks.TensorBoard(log_dir=log_dir)],
        verbose=2,
    )
    curves = {name: [float(v) for v in values] for name, values in history.history.items()}
    curves["steps"] = [(epoch + 1) * (train_steps // epochs) for epoch in range(epochs)]
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, HISTORY_FILE_NAME), "w", encoding="utf-8") as handle:
        json.dump(curves, handle, indent=1)
    return curves


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
