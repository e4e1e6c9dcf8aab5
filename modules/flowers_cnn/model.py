"""The notes' augmented flowers CNN (M09): decode -> RandomFlip, RandomRotation(0.1),
RandomZoom(0.1) -> Rescaling(1/255) -> [Conv2D(16|32|64, 3, same, relu), MaxPool] x 3
-> Dropout(0.2) -> Flatten -> Dense(128, relu) -> Dense(classes) logits; Adam, 15 epochs.

The model decodes the JPEG bytes itself (180x180, as the notes), so serving takes encoded
images. Keras' augmentation layers act only when training=True: the served model and
TFMA see every image as it is.
"""

import tensorflow as tf
import tensorflow_transform as tft
from tfx.components.trainer.fn_args_utils import FnArgs

from data.flowers import FLOWER_CLASSES
from data.image_records import JPEG_KEY
from modules.common import export, image_classifiers, keras_parts, trainer
from modules.common.features import transformed_name

IMAGE_SIZE = 180
BATCH_SIZE = 32
TRANSFORMED_JPEG_KEY = transformed_name(JPEG_KEY)
CLASS_NAMES = tuple(name.encode() for name in FLOWER_CLASSES)


def augmentation() -> tf.keras.Sequential:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1)], name="augmentation"
    )


def build_keras_model(tf_transform_output: tft.TFTransformOutput) -> tf.keras.Model:
    del tf_transform_output
    layers = tf.keras.layers
    encoded = layers.Input(shape=(1,), dtype=tf.string, name=TRANSFORMED_JPEG_KEY)
    x = image_classifiers.decode_jpegs(IMAGE_SIZE)(encoded)
    x = layers.Rescaling(1.0 / 255)(augmentation()(x))
    for filters in (16, 32, 64):
        x = layers.MaxPooling2D()(layers.Conv2D(filters, 3, padding="same", activation="relu")(x))
    x = layers.Dense(128, activation="relu")(layers.Flatten()(layers.Dropout(0.2)(x)))
    logits = layers.Dense(len(CLASS_NAMES))(x)
    model = tf.keras.Model(inputs={TRANSFORMED_JPEG_KEY: encoded}, outputs=logits)
    return keras_parts.compile_classifier(model)


TRAINER = trainer.TrainerSpec(
    build_model=build_keras_model,
    predictions=lambda tf_transform_output: export.softmax_predictions(CLASS_NAMES),
    labels=image_classifiers.TRANSFORMED_LABEL_KEY,
    serving_feature_keys=(JPEG_KEY,),
    train_batch_size=BATCH_SIZE,
    eval_batch_size=BATCH_SIZE,
)


def run_fn(fn_args: FnArgs) -> None:
    trainer.run(fn_args, TRAINER)
