"""The notes' siamese network: a shared base (Flatten, 3 x Dense(128, relu) with two
Dropout(0.1)), the Euclidean distance of the two embeddings, contrastive loss with
margin 1, RMSprop; 20 epochs of batch 128.

Serving outputs `distance` and `same_probability` = clip(1 - distance, 0, 1), which is
above 0.5 exactly when distance < 0.5, so a plain binary accuracy at 0.5 on it is the
corrected pair accuracy (the notes test `> 0.5`, catalogue bug 142). The report gives the
pair accuracy on the training pairs with the corrected rule and with the notes' one.
"""

from typing import Callable, Dict, List

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, trainer
from modules.common.features import transformed_name
from modules.siamese import features

BATCH_SIZE = 128
MARGIN = 1.0


def euclidean_distance(vectors) -> tf.Tensor:
    left, right = vectors
    squared = tf.reduce_sum(tf.square(left - right), axis=1, keepdims=True)
    return tf.sqrt(tf.maximum(squared, tf.keras.backend.epsilon()))


def contrastive_loss_with_margin(margin: float) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor]:
    """mean(y * d^2 + (1 - y) * max(margin - d, 0)^2), y = 1 for a matching pair."""

    def contrastive_loss(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
        y_true = tf.cast(y_true, y_pred.dtype)
        return tf.reduce_mean(y_true * tf.square(y_pred) + (1 - y_true) * tf.square(tf.maximum(margin - y_pred, 0)))

    return contrastive_loss


def base_network() -> tf.keras.Model:
    layers = tf.keras.layers
    image = layers.Input(shape=(features.IMAGE_SIZE * features.IMAGE_SIZE,))
    x = layers.Dropout(0.1)(layers.Dense(128, activation="relu")(image))
    x = layers.Dropout(0.1)(layers.Dense(128, activation="relu")(x))
    return tf.keras.Model(image, layers.Dense(128, activation="relu")(x), name="base_network")


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    base = base_network()
    names = [transformed_name(key) for key in features.IMAGE_KEYS]
    model_inputs = {name: tf.keras.layers.Input(shape=(features.IMAGE_SIZE * features.IMAGE_SIZE,), name=name) for name in names}
    distance = tf.keras.layers.Lambda(euclidean_distance, name="distance")([base(model_inputs[n]) for n in names])
    model = tf.keras.Model(inputs=model_inputs, outputs=distance)
    model.compile(optimizer=tf.keras.optimizers.RMSprop(), loss=contrastive_loss_with_margin(MARGIN))
    return model


def distance_predictions(tf_transform_output: tft.TFTransformOutput) -> export.PredictionsFn:
    del tf_transform_output

    def predictions(distance: tf.Tensor) -> Dict[str, tf.Tensor]:
        return {
            "distance": distance,
            "same_probability": tf.clip_by_value(1.0 - distance, 0.0, 1.0),
            "same": tf.cast(distance[:, 0] < features.DISTANCE_THRESHOLD, tf.int64),
        }

    return predictions


def report(context: trainer.ReportContext) -> List[str]:
    distances, labels = [], []
    for batch, label in context.train_split:
        distances.append(context.model(batch, training=False).numpy().ravel())
        labels.append(label.numpy().ravel())
    distance, same = np.concatenate(distances), np.concatenate(labels) == 1
    corrected = float(np.mean((distance < features.DISTANCE_THRESHOLD) == same))
    as_in_notes = float(np.mean((distance > features.DISTANCE_THRESHOLD) == same))
    return [
        f"Pair accuracy on {len(same)} training pairs: {corrected:.1%} with distance < 0.5 "
        f"(the notes' `> 0.5` would report {as_in_notes:.1%})"
    ]


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=distance_predictions,
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.IMAGE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    report=report,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
