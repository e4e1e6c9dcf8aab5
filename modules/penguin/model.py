"""The notes' penguin DNN (2 x Dense(8, relu), Dense(3) logits, Adam 1e-2) and its run_fn."""

import tensorflow as tf
import tensorflow_transform as tft
from absl import logging
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, keras_parts, trainer
from modules.common.features import transformed_name
from modules.penguin import features

TRAIN_BATCH_SIZE = 20
EVAL_BATCH_SIZE = 10
HIDDEN_UNITS = (8, 8)
LEARNING_RATE = 1e-2


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    """Measurements plus one-hot island and sex, concatenated into the notes' DNN."""
    model_inputs = keras_parts.scalar_inputs(features.NUMERIC_FEATURE_KEYS)
    encoded = list(model_inputs.values())
    for key in features.CATEGORICAL_FEATURE_KEYS:
        name = transformed_name(key)
        model_inputs[name] = tf.keras.layers.Input(shape=(1,), name=name, dtype=tf.int64)
        encoded.append(
            keras_parts.OneHot(num_tokens=tf_transform_output.num_buckets_for_transformed_feature(name))(
                model_inputs[name]
            )
        )
    hidden = tf.keras.layers.concatenate(encoded)
    for units in HIDDEN_UNITS:
        hidden = tf.keras.layers.Dense(units, activation="relu")(hidden)
    num_classes = tf_transform_output.vocabulary_size_by_name(features.LABEL_KEY)
    logits = tf.keras.layers.Dense(num_classes, name="logits")(hidden)

    model = tf.keras.Model(inputs=model_inputs, outputs=logits)
    model.summary(print_fn=logging.info)
    return keras_parts.compile_classifier(model, tf.keras.optimizers.Adam(LEARNING_RATE))


def class_predictions(tf_transform_output: tft.TFTransformOutput) -> export.PredictionsFn:
    """`scores` per species and the predicted species' name."""
    return export.softmax_predictions(tf_transform_output.vocabulary_by_name(features.LABEL_KEY))


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=class_predictions,
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.SERVING_FEATURE_KEYS,
    train_batch_size=TRAIN_BATCH_SIZE,
    eval_batch_size=EVAL_BATCH_SIZE,
)


def run_fn(fn_args: FnArgs) -> None:
    """Trainer entry point."""
    trainer.run(fn_args, TRAINER)
