"""The notes' CIFAR-10 CNN: Conv(32) -> Pool -> Conv(64) -> Pool -> Conv(64) -> Dense(64) -> Dense(10).

3x3 ReLU convolutions, 2x2 max pooling, logits out; Adam, SparseCategoricalCrossentropy
(from_logits), 10 epochs of Keras' default batch 32 (notes L3440-3465). The 3,072 pixel
values arrive flat from Transform and are reshaped to 32x32x3.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data.cifar10 import CIFAR_SIZE
from modules.common import image_classifiers, keras_parts, trainer

BATCH_SIZE = 32
CHANNELS = 3


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    layers = tf.keras.layers
    pixels = layers.Input(shape=(CIFAR_SIZE * CIFAR_SIZE * CHANNELS,), name=image_classifiers.TRANSFORMED_IMAGE_KEY)
    x = layers.Reshape((CIFAR_SIZE, CIFAR_SIZE, CHANNELS))(pixels)
    x = layers.MaxPooling2D((2, 2))(layers.Conv2D(32, (3, 3), activation="relu")(x))
    x = layers.MaxPooling2D((2, 2))(layers.Conv2D(64, (3, 3), activation="relu")(x))
    x = layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = layers.Dense(64, activation="relu")(layers.Flatten()(x))
    logits = layers.Dense(image_classifiers.NUM_CLASSES)(x)
    model = tf.keras.Model(inputs={image_classifiers.TRANSFORMED_IMAGE_KEY: pixels}, outputs=logits)
    return keras_parts.compile_classifier(model)


TRAINER = image_classifiers.pixel_classifier_trainer(build_keras_model, BATCH_SIZE, (CIFAR_SIZE, CIFAR_SIZE, 3))


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
