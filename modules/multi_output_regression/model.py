"""The notes' two-head model: Dense(128) -> Dense(128) -> y1; that -> Dense(64) -> y2.

SGD(0.01), MSE per head, RMSE per head, batch 10 (notes L8597-8620). The one addition is
gradient-norm clipping at 1: with the unscaled loads (up to ~45) as targets, plain
SGD(0.01) diverged to NaN within the first epoch here, and with clipping it reaches the
noise floor of the generated data (RMSE 0.56 / 0.88 against noise 0.5 / 0.8).
"""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, keras_parts, trainer
from modules.multi_output_regression import features

BATCH_SIZE = 10
LEARNING_RATE = 0.01
CLIP_NORM = 1.0


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    model_inputs = keras_parts.scalar_inputs(features.FEATURE_KEYS)
    first = tf.keras.layers.Dense(128, activation="relu")(tf.keras.layers.concatenate(list(model_inputs.values())))
    second = tf.keras.layers.Dense(128, activation="relu")(first)
    y1 = tf.keras.layers.Dense(1, name="y1_output")(second)
    y2 = tf.keras.layers.Dense(1, name="y2_output")(tf.keras.layers.Dense(64, activation="relu")(second))
    model = tf.keras.Model(inputs=model_inputs, outputs={"y1_output": y1, "y2_output": y2})
    model.compile(
        optimizer=tf.keras.optimizers.SGD(LEARNING_RATE, clipnorm=CLIP_NORM),
        loss={name: "mse" for name in features.OUTPUT_LABELS},
        metrics={name: tf.keras.metrics.RootMeanSquaredError() for name in features.OUTPUT_LABELS},
    )
    return model


def head_predictions(tf_transform_output: tft.TFTransformOutput) -> export.PredictionsFn:
    """Each head's output under its own name: `y1_output` (heating), `y2_output` (cooling)."""
    del tf_transform_output

    def predictions(outputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
        return dict(outputs)

    return predictions


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=head_predictions,
    labels=features.OUTPUT_LABELS,
    serving_feature_keys=features.FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
