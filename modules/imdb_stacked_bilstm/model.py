"""The notes' M12 (L5792-5801): Embedding(10000, 64, mask_zero) -> Bidirectional(LSTM(64,
return_sequences=True)) -> Bidirectional(LSTM(32)) -> Dense(64, relu) -> Dropout(0.5) ->
Dense(1) logit; compiled and trained as M11 (see modules.common.sentiment).
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import sentiment, trainer

FIRST_LSTM_UNITS = 64
SECOND_LSTM_UNITS = 32
HIDDEN_UNITS = 64
DROPOUT = 0.5


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    tokens, embedded = sentiment.embedded_tokens()
    hidden = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(FIRST_LSTM_UNITS, return_sequences=True))(embedded)
    hidden = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(SECOND_LSTM_UNITS))(hidden)
    hidden = tf.keras.layers.Dense(HIDDEN_UNITS, activation="relu")(hidden)
    hidden = tf.keras.layers.Dropout(DROPOUT)(hidden)
    return sentiment.compiled(tokens, tf.keras.layers.Dense(1, name="logit")(hidden))


TRAINER = sentiment.trainer_spec(build_keras_model)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
