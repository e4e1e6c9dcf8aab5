"""Perplexity, a Keras metric that Keras (during training) and TFMA (in the Evaluator) both compute.

TFMA builds a metric it does not know from its class name and module
(`Metric("Perplexity", higher_is_better=False, module=__name__)` in the declaration)
and feeds it batches of labels and predictions: here [batch, 100] next-character ids and
[batch, 100, vocabulary] probabilities, so the mean runs over every character.
"""

from typing import Any, Dict, Optional

import tensorflow as tf

PERPLEXITY = "perplexity"


@tf.keras.utils.register_keras_serializable(package="shakespeare_char_gru")
class Perplexity(tf.keras.metrics.Mean):
    """exp(mean per-character cross-entropy): the number of characters the model is, on
    average, as unsure between as a uniform guess among that many would be.

    `from_logits` for Keras' training (the model outputs logits); TFMA reads the
    served probabilities (`scores`) and builds the metric with its defaults.
    """

    def __init__(self, name: str = PERPLEXITY, from_logits: bool = False, dtype: Optional[tf.DType] = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.from_logits = from_logits

    def update_state(self, y_true: tf.Tensor, y_pred: tf.Tensor, sample_weight: Optional[tf.Tensor] = None):
        cross_entropy = tf.keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=self.from_logits)
        return super().update_state(cross_entropy, sample_weight)

    def result(self) -> tf.Tensor:
        return tf.exp(super().result())

    def get_config(self) -> Dict[str, Any]:
        return {**super().get_config(), "from_logits": self.from_logits}
