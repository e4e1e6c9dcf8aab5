"""A DNN on the transformed taxi features (the notes give no architecture for taxi).

Dense floats as they are, hour/day/month and payment type/company one-hot, then
Dense(64, relu) -> Dense(32, relu) -> Dense(1) logit; Adam(1e-3), binary cross-entropy.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, keras_parts, trainer
from modules.common.features import transformed_name
from modules.taxi import features

HIDDEN_UNITS = (64, 32)
LEARNING_RATE = 1e-3
BATCH_SIZE = 40


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    model_inputs = keras_parts.scalar_inputs(features.DENSE_FLOAT_FEATURE_KEYS)
    encoded = list(model_inputs.values())
    one_hot_sizes = dict(features.TIME_FEATURE_SIZES)
    for key in features.VOCAB_FEATURE_KEYS:
        one_hot_sizes[key] = tf_transform_output.num_buckets_for_transformed_feature(transformed_name(key))
    for key, size in one_hot_sizes.items():
        name = transformed_name(key)
        model_inputs[name] = tf.keras.layers.Input(shape=(1,), name=name, dtype=tf.int64)
        encoded.append(keras_parts.OneHot(num_tokens=size)(model_inputs[name]))
    hidden = tf.keras.layers.concatenate(encoded)
    for units in HIDDEN_UNITS:
        hidden = tf.keras.layers.Dense(units, activation="relu")(hidden)
    logit = tf.keras.layers.Dense(1, name="logit")(hidden)
    model = tf.keras.Model(inputs=model_inputs, outputs=logit)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(LEARNING_RATE),
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    return model


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.sigmoid_predictions(from_logits=True),
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=features.SERVING_FEATURE_KEYS,
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
