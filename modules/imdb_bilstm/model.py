"""The notes' M11 (L5741-5744): Embedding(10000, 64, mask_zero) -> Bidirectional(LSTM(64))
-> Dense(64, relu) -> Dense(1) logit; BinaryCrossentropy(from_logits), Adam(1e-4).

The notes' `TextVectorization` encoder is Transform's vocabulary here (see
modules.common.sentiment), so the model starts at the embedding.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import sentiment, trainer

LSTM_UNITS = 64
HIDDEN_UNITS = 64


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    tokens, embedded = sentiment.embedded_tokens()
    hidden = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(LSTM_UNITS))(embedded)
    hidden = tf.keras.layers.Dense(HIDDEN_UNITS, activation="relu")(hidden)
    return sentiment.compiled(tokens, tf.keras.layers.Dense(1, name="logit")(hidden))


TRAINER = sentiment.trainer_spec(build_keras_model)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
