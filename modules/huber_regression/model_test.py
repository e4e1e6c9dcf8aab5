"""The notes' Huber loss is Huber's loss, and the model is the notes' Dense(1)."""

import numpy as np
import pytest
import tensorflow as tf

from modules.huber_regression import model


@pytest.mark.parametrize("threshold", [0.5, 1.0, 2.0])
def test_loss_matches_keras_huber(threshold):
    y_true = tf.constant([[0.0], [1.0], [3.0], [-4.0]])
    y_pred = tf.constant([[0.2], [-0.5], [0.0], [1.0]])
    ours = tf.reduce_mean(model.huber_loss(threshold)(y_true, y_pred))
    keras = tf.keras.losses.Huber(delta=threshold)(y_true, y_pred)
    np.testing.assert_allclose(ours.numpy(), keras.numpy(), rtol=1e-6)


def test_loss_is_quadratic_inside_the_threshold_and_linear_outside():
    loss = model.huber_loss(1.0)
    assert float(loss(tf.constant([0.0]), tf.constant([0.5]))) == pytest.approx(0.125)
    assert float(loss(tf.constant([0.0]), tf.constant([3.0]))) == pytest.approx(2.5)


def test_model_is_a_single_dense_unit():
    built = model.build_keras_model(None)
    assert built.get_layer(model.LINE_LAYER).units == 1
    assert built.count_params() == 2
