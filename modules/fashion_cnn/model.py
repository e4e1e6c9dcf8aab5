"""The notes' CNN: Conv2D(8, 3, strides=2, relu, name='Conv1') -> Flatten -> Dense(10) logits.

Adam, SparseCategoricalCrossentropy(from_logits), 5 epochs of batch 32 (notes L7714-7722).
The 784 pixels arrive flat from Transform and are reshaped to 28x28x1.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data.fashion_mnist import FASHION_SIZE
from modules.common import image_classifiers, keras_parts, trainer

BATCH_SIZE = 32


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    pixels = tf.keras.layers.Input(shape=(FASHION_SIZE * FASHION_SIZE,), name=image_classifiers.TRANSFORMED_IMAGE_KEY)
    image = tf.keras.layers.Reshape((FASHION_SIZE, FASHION_SIZE, 1))(pixels)
    conv = tf.keras.layers.Conv2D(filters=8, kernel_size=3, strides=2, activation="relu", name="Conv1")(image)
    logits = tf.keras.layers.Dense(image_classifiers.NUM_CLASSES, name="Dense")(tf.keras.layers.Flatten()(conv))
    model = tf.keras.Model(inputs={image_classifiers.TRANSFORMED_IMAGE_KEY: pixels}, outputs=logits)
    return keras_parts.compile_classifier(model)


TRAINER = image_classifiers.pixel_classifier_trainer(build_keras_model, BATCH_SIZE, (FASHION_SIZE, FASHION_SIZE, 1))


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
