"""The notes' MLP: Dense(512, relu) on 784 pixels, Dropout(0.2), Dense(10) logits; Adam."""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from modules.common import export, keras_parts, trainer
from modules.mnist_mlp import features

BATCH_SIZE = 32  # Keras' default, which the notes' fit uses


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    pixels = tf.keras.layers.Input(shape=(features.IMAGE_PIXELS,), name=features.TRANSFORMED_IMAGE_KEY)
    hidden = tf.keras.layers.Dense(512, activation="relu")(pixels)
    logits = tf.keras.layers.Dense(features.NUM_CLASSES)(tf.keras.layers.Dropout(0.2)(hidden))
    model = tf.keras.Model(inputs={features.TRANSFORMED_IMAGE_KEY: pixels}, outputs=logits)
    return keras_parts.compile_classifier(model)


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.softmax_predictions(features.CLASS_NAMES),
    labels=features.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=(features.IMAGE_KEY,),
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
    # The records hold pixels/255 - 0.5; the notes' clients send pixels/255.
    image_input=export.ImageInput(features.IMAGE_KEY, features.IMAGE_SHAPE, scale=1.0, offset=-0.5),
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
