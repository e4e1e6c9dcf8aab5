"""The conversion's helpers: file names, a signature's inputs, example batches."""

import numpy as np
import pytest
import tensorflow as tf

from components import tflite_conversion

SIGNATURE = "transformed_predict"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    """An untrained SavedModel whose one signature takes a float vector and an int scalar."""
    path = str(tmp_path_factory.mktemp("saved_model"))
    module = tf.Module()
    module.scale = tf.Variable(2.0)

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 3], tf.float32, name="values"),
            tf.TensorSpec([None], tf.int64, name="count"),
        ]
    )
    def scaled(values, count):
        return {"outputs": values * module.scale + tf.cast(count, tf.float32)[:, None]}

    tf.saved_model.save(module, path, signatures={SIGNATURE: scaled.get_concrete_function()})
    return path


def test_file_names_are_made_for_known_modes_only():
    assert [tflite_conversion.tflite_file_name(mode) for mode in tflite_conversion.MODES] == [
        "float16.tflite",
        "dynamic_range.tflite",
        "int8.tflite",
    ]
    with pytest.raises(ValueError, match="unknown TFLite mode 'int4'"):
        tflite_conversion.tflite_file_name("int4")


def test_signature_inputs_are_read_from_the_saved_model(model_dir):
    inputs = tflite_conversion.signature_inputs(model_dir, SIGNATURE)
    assert {name: (spec.shape.as_list(), spec.dtype) for name, spec in inputs.items()} == {
        "values": ([None, 3], tf.float32),
        "count": ([None], tf.int64),
    }


def test_a_missing_signature_is_named(model_dir):
    with pytest.raises(ValueError, match="no signature 'serving_tflite'"):
        tflite_conversion.signature_inputs(model_dir, "serving_tflite")


def test_features_are_cast_and_reshaped_then_fed_one_example_at_a_time(model_dir):
    inputs = tflite_conversion.signature_inputs(model_dir, SIGNATURE)
    parsed = {"values": np.arange(6, dtype=np.float64), "count": np.array([[1.0], [2.0]])}
    features = tflite_conversion.as_signature_inputs(parsed, inputs)
    assert features["values"].shape == (2, 3) and features["values"].dtype == np.float32
    assert features["count"].shape == (2,) and features["count"].dtype == np.int64
    singles = list(tflite_conversion.single_examples(features))
    assert len(singles) == 2
    np.testing.assert_array_equal(singles[1]["values"], [[3.0, 4.0, 5.0]])
    np.testing.assert_array_equal(singles[1]["count"], [2])
