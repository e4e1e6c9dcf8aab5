"""D2L softmax regression: o = Wx + b on 784 pixels, W ~ N(0, 0.01^2), b = 0; SGD.

The notes write softmax and cross-entropy by hand; this is the same model with Keras'
numerically stable fused form (logits + SparseCategoricalCrossentropy(from_logits)).
D2L's rate (0.1) and batch size (256) are used; the notes omit them.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data.fashion_mnist import FASHION_SIZE
from modules.common import image_classifiers, keras_parts, trainer

BATCH_SIZE = 256
LEARNING_RATE = 0.1
PIXELS = FASHION_SIZE * FASHION_SIZE


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    pixels = tf.keras.layers.Input(shape=(PIXELS,), name=image_classifiers.TRANSFORMED_IMAGE_KEY)
    logits = tf.keras.layers.Dense(
        image_classifiers.NUM_CLASSES, kernel_initializer=tf.keras.initializers.RandomNormal(stddev=0.01)
    )(pixels)
    model = tf.keras.Model(inputs={image_classifiers.TRANSFORMED_IMAGE_KEY: pixels}, outputs=logits)
    return keras_parts.compile_classifier(model, tf.keras.optimizers.SGD(LEARNING_RATE))


TRAINER = image_classifiers.pixel_classifier_trainer(build_keras_model, BATCH_SIZE, (FASHION_SIZE, FASHION_SIZE, 1))


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
