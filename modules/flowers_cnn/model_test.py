"""Augmentation acts in training only; serving takes encoded JPEGs."""

import numpy as np
import tensorflow as tf

from modules.flowers_cnn import model


def _jpeg(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, size=(64, 64, 3), dtype=np.uint8)
    return tf.io.encode_jpeg(tf.constant(pixels)).numpy()


def test_augmentation_changes_images_in_training_only():
    images = tf.random.uniform((4, 32, 32, 3), maxval=255.0, seed=1)
    augment = model.augmentation()
    np.testing.assert_array_equal(augment(images, training=False).numpy(), images.numpy())
    assert not np.allclose(augment(images, training=True).numpy(), images.numpy())


def test_the_model_takes_encoded_jpegs_and_infers_deterministically():
    keras_model = model.build_keras_model(None)
    batch = {model.TRANSFORMED_JPEG_KEY: tf.constant([[_jpeg(0)], [_jpeg(1)]])}
    first, second = keras_model(batch, training=False), keras_model(batch, training=False)
    assert first.shape == (2, len(model.CLASS_NAMES))
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    assert not np.allclose(keras_model(batch, training=True).numpy(), first.numpy())
