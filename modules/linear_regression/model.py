"""The notes' model: Dense(1) with RandomNormal(0.01) weights, SGD(0.03), MSE, batch 10.

The report maps the learned weights back to raw feature units by probing the exported
raw-feature signature (the Transform's z-scoring is linear, so the whole served model is
y = w.x + b in raw units) and compares them with the generator's true values.
"""

from typing import List, Sequence

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data import synthetic
from modules.common import export, keras_parts, signatures, trainer
from modules.linear_regression import features

BATCH_SIZE = 10
LEARNING_RATE = 0.03


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output  # no vocabularies or bucket counts to read
    model_inputs = keras_parts.scalar_inputs(features.FEATURE_KEYS)
    concatenated = tf.keras.layers.concatenate(list(model_inputs.values()))
    output = tf.keras.layers.Dense(
        1, kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01), name="linear"
    )(concatenated)
    model = tf.keras.Model(inputs=model_inputs, outputs=output)
    model.compile(
        optimizer=tf.keras.optimizers.SGD(LEARNING_RATE),
        loss=tf.keras.losses.MeanSquaredError(),
        metrics=[tf.keras.metrics.RootMeanSquaredError()],
    )
    return model


def raw_linear_fit(serving_model_dir: str, feature_keys: Sequence[str]) -> tuple:
    """(weights, bias) of an exported model that is linear in its raw features.

    Probes the `serving_raw` signature at 0 and at each unit vector, so the result is in
    raw feature units whatever linear scaling the Transform applied.
    """
    serve_raw = tf.saved_model.load(serving_model_dir).signatures[signatures.SERVING_RAW]
    points = np.vstack([np.zeros(len(feature_keys)), np.eye(len(feature_keys))])
    outputs = serve_raw(**{key: tf.constant(points[:, i], tf.float32) for i, key in enumerate(feature_keys)})
    values = outputs["predictions"].numpy()[:, 0]
    return values[1:] - values[0], float(values[0])


def report(context: trainer.ReportContext) -> List[str]:
    weights, bias = raw_linear_fit(context.serving_model_dir, features.FEATURE_KEYS)
    true_weights = np.array(synthetic.LINEAR_TRUE_WEIGHTS)
    error = max(np.abs(weights - true_weights).max(), abs(bias - synthetic.LINEAR_TRUE_BIAS))
    terms = " ".join(f"{w:+.4f}*{key}" for w, key in zip(weights, features.FEATURE_KEYS))
    return [
        f"Learned (raw units): y = {terms} {bias:+.4f}",
        f"True:                w = {list(true_weights)}, b = {synthetic.LINEAR_TRUE_BIAS}; "
        f"largest error {error:.4f} ({'within' if error <= 0.01 else 'NOT within'} 0.01)",
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.regression_predictions(),
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
