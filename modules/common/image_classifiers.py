"""What the image classifiers share: the pixel and JPEG transforms, JPEG decoding, their TrainerSpec."""

from typing import Dict, Tuple

import tensorflow as tf

from data.image_records import IMAGE_KEY, LABEL_KEY
from modules.common import export, trainer
from modules.common.features import transformed_name

TRANSFORMED_IMAGE_KEY = transformed_name(IMAGE_KEY)
TRANSFORMED_LABEL_KEY = transformed_name(LABEL_KEY)
NUM_CLASSES = 10
# Served class names are the label ids: the digits and Fashion-MNIST sources share them.
CLASS_NAMES = tuple(str(label).encode() for label in range(NUM_CLASSES))


def pixels_preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Pixels 0-255 to floats in [0, 1] (the notes divide by 255), the label as is."""
    return {
        TRANSFORMED_IMAGE_KEY: tf.cast(inputs[IMAGE_KEY], tf.float32) / 255.0,
        TRANSFORMED_LABEL_KEY: inputs[LABEL_KEY],
    }


def jpeg_passthrough_preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Encoded JPEG bytes and the label as they are: the model decodes, so the materialized
    examples stay small and the served signature takes encoded images."""
    from data.image_records import JPEG_KEY

    return {transformed_name(JPEG_KEY): inputs[JPEG_KEY], TRANSFORMED_LABEL_KEY: inputs[LABEL_KEY]}


def decode_jpegs(size: int) -> tf.keras.layers.Layer:
    """A layer from encoded JPEGs [batch, 1] to float RGB images [batch, size, size, 3] in 0-255."""

    def decode(encoded: tf.Tensor) -> tf.Tensor:
        def one(jpeg: tf.Tensor) -> tf.Tensor:
            image = tf.io.decode_jpeg(jpeg, channels=3)
            return tf.image.resize(tf.cast(image, tf.float32), (size, size))

        return tf.map_fn(one, tf.reshape(encoded, [-1]), fn_output_signature=tf.TensorSpec([size, size, 3], tf.float32))

    return tf.keras.layers.Lambda(decode, name="decode_jpeg")


def pixel_classifier_trainer(build_model, batch_size: int, image_shape: Tuple[int, int, int]):
    """The TrainerSpec of a 10-class model on `data.image_records` pixel records (0-255 pixels,
    served as [0, 1] images of `image_shape` by `serving_default`)."""
    return trainer.TrainerSpec(
        build_model=build_model,
        predictions=lambda tf_transform_output: export.softmax_predictions(CLASS_NAMES),
        labels=TRANSFORMED_LABEL_KEY,
        serving_feature_keys=(IMAGE_KEY,),
        train_batch_size=batch_size,
        eval_batch_size=batch_size,
        image_input=export.ImageInput(IMAGE_KEY, image_shape),
    )
