"""The notes' shallow NN: 2 -> Dense(4, tanh) -> Dense(1, sigmoid); SGD(1.2), full batch.

Weights start at N(0, 0.01^2) and biases at zero (`randn * 0.01`, zeros). The report
gives the training-set accuracy the notes quote (90%) and the notes' baseline, sklearn's
LogisticRegressionCV, fitted on the same training split (notes: 47%).
"""

from typing import List

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from sklearn.linear_model import LogisticRegressionCV
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, keras_parts, trainer
from modules.common.features import transformed_name
from modules.planar_flower import features

HIDDEN_UNITS = 4
LEARNING_RATE = 1.2
# Larger than the train split (about 300 of the 400 points): every step sees all of it.
BATCH_SIZE = 512


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    model_inputs = keras_parts.scalar_inputs(features.FEATURE_KEYS)
    points = tf.keras.layers.concatenate(list(model_inputs.values()))
    # One initializer instance per layer: a shared instance would give both the same draws.
    hidden = tf.keras.layers.Dense(
        HIDDEN_UNITS, activation="tanh", kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01)
    )(points)
    output = tf.keras.layers.Dense(
        1, activation="sigmoid", kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01)
    )(hidden)
    model = tf.keras.Model(inputs=model_inputs, outputs=output)
    model.compile(
        optimizer=tf.keras.optimizers.SGD(LEARNING_RATE),
        loss=tf.keras.losses.BinaryCrossentropy(),
        metrics=[tf.keras.metrics.BinaryAccuracy()],
    )
    return model


def _train_split_arrays(context: trainer.ReportContext) -> tuple[np.ndarray, np.ndarray]:
    points, labels = [], []
    for batch, label in context.train_split:
        points.append(np.hstack([batch[transformed_name(key)].numpy() for key in features.FEATURE_KEYS]))
        labels.append(label.numpy().ravel())
    return np.vstack(points), np.concatenate(labels)


def report(context: trainer.ReportContext) -> List[str]:
    points, labels = _train_split_arrays(context)
    inputs = {transformed_name(key): points[:, [i]] for i, key in enumerate(features.FEATURE_KEYS)}
    nn_accuracy = float(np.mean((context.model.predict(inputs, verbose=0)[:, 0] > 0.5) == labels))
    baseline = LogisticRegressionCV().fit(points, labels)
    baseline_accuracy = float(baseline.score(points, labels))
    return [
        f"Training-set accuracy: NN {nn_accuracy:.1%} (notes: 90%), "
        f"logistic regression baseline {baseline_accuracy:.1%} (notes: 47%); {len(labels)} points",
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.sigmoid_predictions(from_logits=False),
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
