"""The penguin DNN builds, trains, and exports signatures that agree with each other."""

import numpy as np
import pytest
import tensorflow as tf

from modules.common import export, signatures
from modules.penguin import features, model
from modules.penguin.conftest import COLUMNS, ROWS, serialized_example


def _training_dataset(outputs) -> tf.data.Dataset:
    inputs = {
        name: np.array([row[name] for row in outputs])
        for name in outputs[0]
        if name != features.TRANSFORMED_LABEL_KEY
    }
    labels = np.array([row[features.TRANSFORMED_LABEL_KEY] for row in outputs])
    return tf.data.Dataset.from_tensor_slices((inputs, labels)).repeat().batch(len(outputs))


@pytest.fixture(scope="module")
def trained(transformed, tf_transform_output):
    outputs, _ = transformed
    tf.keras.utils.set_random_seed(0)
    keras_model = model.build_keras_model(tf_transform_output)
    history = keras_model.fit(_training_dataset(outputs), steps_per_epoch=30, epochs=1, verbose=0)
    return keras_model, history


@pytest.fixture(scope="module")
def exported(trained, tf_transform_output, tmp_path_factory):
    keras_model, _ = trained
    directory = tmp_path_factory.mktemp("penguin_export") / "model"
    export.export_serving_model(
        keras_model,
        tf_transform_output,
        str(directory),
        features.SERVING_FEATURE_KEYS,
        model.class_predictions(tf_transform_output),
    )
    return tf.saved_model.load(str(directory))


def test_model_is_the_notes_dnn(trained):
    keras_model, _ = trained
    dense = [layer for layer in keras_model.layers if isinstance(layer, tf.keras.layers.Dense)]
    assert [layer.units for layer in dense] == [8, 8, 3]
    assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", "linear"]
    assert keras_model.optimizer.learning_rate.numpy() == pytest.approx(1e-2)


def test_training_reduces_the_loss(trained):
    _, history = trained
    assert history.history["loss"][-1] < 1.0986  # ln 3: a uniform guess over 3 classes


def test_signatures_have_the_documented_inputs_and_outputs(exported):
    assert set(exported.signatures) == {
        signatures.SERVING_DEFAULT,
        signatures.SERVING_EXAMPLES,
        signatures.SERVING_RAW,
        signatures.TRANSFORM_FEATURES,
        signatures.TRANSFORMED_PREDICT,
        export.CLASSIFICATION,
    }
    default = exported.signatures[signatures.SERVING_DEFAULT]
    assert list(default.structured_input_signature[1]) == [export.EXAMPLES_INPUT]
    assert set(default.structured_outputs) == {"scores", "classes"}
    raw_inputs = exported.signatures[signatures.SERVING_RAW].structured_input_signature[1]
    assert set(raw_inputs) == set(features.SERVING_FEATURE_KEYS)


def _raw_request(rows) -> dict:
    request = {}
    for index, column in enumerate(COLUMNS):
        if column not in features.SERVING_FEATURE_KEYS:
            continue
        if column in features.NUMERIC_FEATURE_KEYS:
            request[column] = tf.constant([np.nan if r[index] is None else r[index] for r in rows], tf.float32)
        else:
            request[column] = tf.constant(["" if r[index] is None else r[index] for r in rows])
    return request


def test_example_and_raw_feature_signatures_give_the_same_scores(exported):
    by_example = exported.signatures[signatures.SERVING_DEFAULT](
        examples=tf.constant([serialized_example(row) for row in ROWS])
    )
    by_raw = exported.signatures[signatures.SERVING_RAW](**_raw_request(ROWS))
    np.testing.assert_allclose(by_example["scores"].numpy(), by_raw["scores"].numpy(), rtol=1e-6)
    np.testing.assert_array_equal(by_example["classes"].numpy(), by_raw["classes"].numpy())
    np.testing.assert_allclose(by_example["scores"].numpy().sum(axis=1), 1.0, rtol=1e-5)
    assert set(by_example["classes"].numpy()) <= {b"Adelie", b"Chinstrap", b"Gentoo"}


def test_transform_features_signature_emits_the_transformed_label(exported, tf_transform_output):
    transformed = exported.signatures[signatures.TRANSFORM_FEATURES](
        examples=tf.constant([serialized_example(row) for row in ROWS])
    )
    species_vocab = tf_transform_output.vocabulary_by_name("species")
    assert transformed[features.TRANSFORMED_LABEL_KEY].numpy().ravel().tolist() == [
        species_vocab.index(row[0].encode()) for row in ROWS
    ]
