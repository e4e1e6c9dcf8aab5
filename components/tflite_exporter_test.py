"""TFLiteExporter on a tiny trained model: every mode written, quantized as asked, agreeing with the SavedModel."""

import os
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from tensorflow_transform.tf_metadata import dataset_metadata, metadata_io, schema_utils
from tfx.types import artifact_utils, standard_artifacts
from tfx.utils import path_utils

from components import tflite_artifact, tflite_conversion, tflite_exporter

SIGNATURE = "transformed_predict"
EXAMPLES = 160
FEATURE_SHAPES = {"measurements_xf": (3,), "scale_xf": (1,)}
LABEL_KEY = "label_xf"
# The converter leaves weight tensors under 1024 elements in float; 512 units give both
# Dense kernels more, so dynamic range and int8 quantize them.
HIDDEN_UNITS = 512
# Largest |TFLite - SavedModel| allowed on the outputs (logits within about +-5): three
# to seven times what was measured (float16 3e-4, dynamic range 0.034, int8 0.06). float16
# keeps 11 significant bits; int8 has 256 levels across each calibrated range.
TOLERANCE = {tflite_conversion.FLOAT16: 0.002, tflite_conversion.DYNAMIC_RANGE: 0.12, tflite_conversion.INT8: 0.3}


def _features(rng: np.random.Generator) -> dict:
    return {name: rng.normal(size=(EXAMPLES, *shape)).astype(np.float32) for name, shape in FEATURE_SHAPES.items()}


def _trained_model(features: dict) -> tf.keras.Model:
    tf.keras.utils.set_random_seed(0)
    inputs = {name: tf.keras.layers.Input(shape=shape, name=name) for name, shape in FEATURE_SHAPES.items()}
    hidden = tf.keras.layers.Dense(HIDDEN_UNITS, activation="relu")(tf.keras.layers.concatenate(list(inputs.values())))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(hidden))
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    labels = np.argmax(features["measurements_xf"], axis=1)
    model.fit(features, labels, epochs=20, batch_size=32, verbose=0)
    return model


def _save(model: tf.keras.Model, model_dir: str) -> None:
    """The model with the signature the pipeline converts: transformed features -> outputs."""
    specs = {name: tf.TensorSpec([None, *shape], tf.float32, name=name) for name, shape in FEATURE_SHAPES.items()}

    @tf.function(input_signature=[specs])
    def transformed_predict(transformed):
        return {"outputs": model(transformed)}

    tf.saved_model.save(model, model_dir, signatures={SIGNATURE: transformed_predict.get_concrete_function()})


def _write_transform_output(features: dict, examples_dir: Path, transform_graph_dir: Path) -> None:
    """Transform's outputs as the exporter reads them: gzipped tf.Examples and the feature spec."""
    spec = {name: tf.io.FixedLenFeature(shape, tf.float32) for name, shape in FEATURE_SHAPES.items()}
    spec[LABEL_KEY] = tf.io.FixedLenFeature([], tf.int64)
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    metadata_io.write_metadata(metadata, str(transform_graph_dir / "transformed_metadata"))
    train_dir = examples_dir / "Split-train"
    train_dir.mkdir(parents=True)
    with tf.io.TFRecordWriter(str(train_dir / "transformed_examples-00000-of-00001.gz"), "GZIP") as writer:
        for index in range(EXAMPLES):
            example = tf.train.Example()
            for name, values in features.items():
                example.features.feature[name].float_list.value.extend(values[index])
            example.features.feature[LABEL_KEY].int64_list.value.append(0)
            writer.write(example.SerializeToString())


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """(SavedModel dir, TFLiteModel dir, features) after the executor ran once."""
    work = tmp_path_factory.mktemp("tflite")
    features = _features(np.random.default_rng(0))
    model = standard_artifacts.Model()
    model.uri = str(work / "model")
    model_dir = path_utils.serving_model_path(model.uri)
    _save(_trained_model(features), model_dir)
    examples = standard_artifacts.Examples()
    examples.uri = str(work / "transformed_examples")
    examples.split_names = artifact_utils.encode_split_names(["train"])
    transform_graph = standard_artifacts.TransformGraph()
    transform_graph.uri = str(work / "transform_graph")
    _write_transform_output(features, Path(examples.uri), Path(transform_graph.uri))
    output = tflite_artifact.TFLiteModel()
    output.uri = str(work / "tflite")
    tflite_exporter.ExporterExecutor().Do(
        {"model": [model], "transformed_examples": [examples], "transform_graph": [transform_graph]},
        {"tflite_model": [output]},
        {"signature_key": SIGNATURE, "representative_examples": 100},
    )
    return model_dir, output, features


def _interpreter(tflite_dir: str, mode: str) -> tf.lite.Interpreter:
    return tf.lite.Interpreter(model_path=os.path.join(tflite_dir, tflite_conversion.tflite_file_name(mode)))


def _tensor_dtypes(interpreter: tf.lite.Interpreter) -> set:
    return {np.dtype(detail["dtype"]) for detail in interpreter.get_tensor_details()}


def test_every_mode_is_written_and_its_size_recorded(converted):
    _, output, _ = converted
    names = [tflite_conversion.tflite_file_name(mode) for mode in tflite_conversion.MODES]
    assert sorted(os.listdir(output.uri)) == sorted(names)
    for mode in tflite_conversion.MODES:
        size = os.path.getsize(os.path.join(output.uri, tflite_conversion.tflite_file_name(mode)))
        assert output.get_int_custom_property(f"{mode}_bytes") == size


def test_float16_stores_half_floats_and_the_others_int8(converted):
    _, output, _ = converted
    assert np.dtype(np.float16) in _tensor_dtypes(_interpreter(output.uri, tflite_conversion.FLOAT16))
    assert np.dtype(np.int8) in _tensor_dtypes(_interpreter(output.uri, tflite_conversion.DYNAMIC_RANGE))
    int8 = _interpreter(output.uri, tflite_conversion.INT8)
    assert np.dtype(np.int8) in _tensor_dtypes(int8)
    # the caller's side stays float: quantization happens inside the model
    runner = int8.get_signature_runner(SIGNATURE)
    assert {detail["dtype"] for detail in runner.get_input_details().values()} == {np.float32}


@pytest.mark.parametrize("mode", tflite_conversion.MODES)
def test_tflite_answers_agree_with_the_saved_model(converted, mode):
    model_dir, output, features = converted
    saved_model = tf.saved_model.load(model_dir).signatures[SIGNATURE]
    runner = _interpreter(output.uri, mode).get_signature_runner(SIGNATURE)
    for example in list(tflite_conversion.single_examples(features))[:40]:
        expected = saved_model(**{name: tf.constant(value) for name, value in example.items()})["outputs"].numpy()
        np.testing.assert_allclose(runner(**example)["outputs"], expected, atol=TOLERANCE[mode])
