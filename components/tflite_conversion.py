"""TFLite conversion of one SavedModel signature, in the three post-training modes of the notes.

The quantisation section's modes:
- `float16`: weights stored as float16 (half the size); no data needed.
- `dynamic_range`: weights stored as int8, activations quantized on the fly; no data needed.
- `int8`: weights and activations int8, calibrated on representative examples (the
  exporter takes the first ~100 transformed training examples). Input and output stay
  float32 (quantized at the edges), so a caller feeds the same transformed features as to
  the SavedModel; ops without an int8 kernel stay float, as the notes describe.
Also here: reading those examples out of Transform's output, and the `<mode>.tflite` file
names. Plain TensorFlow, no TFX: `components/tflite_exporter.py` runs it in a pipeline,
`bench/tflite.py` reuses it to compare the files with the SavedModel.
"""

import os
from typing import Dict, Iterable, Iterator

import numpy as np
import tensorflow as tf
import tensorflow_transform as tft
from tensorflow.core.protobuf import saved_model_pb2
from tfx.dsl.io import fileio

FLOAT16 = "float16"
DYNAMIC_RANGE = "dynamic_range"
INT8 = "int8"
MODES = (FLOAT16, DYNAMIC_RANGE, INT8)
TFLITE_SUFFIX = ".tflite"
GZIP_SUFFIX = ".gz"

Features = Dict[str, np.ndarray]


def tflite_file_name(mode: str) -> str:
    """`<mode>.tflite`, the one place the file names are made; refuses an unknown mode."""
    if mode not in MODES:
        raise ValueError(f"unknown TFLite mode {mode!r}; choose one of {MODES}")
    return mode + TFLITE_SUFFIX


def signature_inputs(model_dir: str, signature_key: str) -> Dict[str, tf.TensorSpec]:
    """The named inputs of one signature, read from saved_model.pb without loading the model."""
    path = os.path.join(model_dir, tf.saved_model.SAVED_MODEL_FILENAME_PB)
    with fileio.open(path, "rb") as handle:
        saved_model = saved_model_pb2.SavedModel.FromString(handle.read())
    signatures = saved_model.meta_graphs[0].signature_def
    if signature_key not in signatures:
        raise ValueError(f"{path} has no signature {signature_key!r}; it has {sorted(signatures)}")
    return {
        name: tf.TensorSpec(tf.TensorShape(info.tensor_shape), tf.dtypes.as_dtype(info.dtype), name=name)
        for name, info in signatures[signature_key].inputs.items()
    }


def read_transformed_examples(split_dir: str, transform_graph_dir: str, names: Iterable[str], count: int) -> Features:
    """Features `names` of the first `count` examples in a split of Transform's output.

    Transform writes tf.Examples (gzipped TFRecords); they are parsed with the
    transformed feature spec that Transform wrote beside its graph.
    """
    files = sorted(fileio.glob(os.path.join(split_dir, "*")))
    if not files:
        raise FileNotFoundError(f"no transformed examples in {split_dir}")
    compression = "GZIP" if all(name.endswith(GZIP_SUFFIX) for name in files) else ""
    spec = tft.TFTransformOutput(transform_graph_dir).transformed_feature_spec()
    missing = sorted(set(names) - set(spec))
    if missing:
        raise ValueError(f"{missing} are not transformed features of {transform_graph_dir}; it has {sorted(spec)}")
    serialized = next(iter(tf.data.TFRecordDataset(files, compression_type=compression).batch(count)))
    return {name: values.numpy() for name, values in tf.io.parse_example(serialized, {n: spec[n] for n in names}).items()}


def as_signature_inputs(features: Features, inputs: Dict[str, tf.TensorSpec]) -> Features:
    """Features cast and reshaped to what the signature's inputs take."""
    return {
        name: np.reshape(features[name], [-1, *spec.shape[1:]]).astype(spec.dtype.as_numpy_dtype)
        for name, spec in inputs.items()
    }


def single_examples(features: Features) -> Iterator[Features]:
    """One-example batches of `features`, as the TFLite interpreter and its calibrator take them."""
    count = len(next(iter(features.values())))
    for index in range(count):
        yield {name: values[index : index + 1] for name, values in features.items()}


def _configure(converter: tf.lite.TFLiteConverter, mode: str, representative: Features) -> None:
    """Sets every option a mode decides, so one converter serves all modes in turn."""
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16] if mode == FLOAT16 else []
    converter.representative_dataset = (lambda: single_examples(representative)) if mode == INT8 else None


def convert_all(model_dir: str, signature_key: str, representative: Features) -> Dict[str, bytes]:
    """{mode: TFLite flatbuffer of the signature} for every mode in MODES.

    One converter converts all three: creating it loads the whole SavedModel, Transform
    graph included, and takes longer than the three conversions together
    (bench/results/design_measurements.md); the flatbuffers are byte-identical to those
    of a fresh converter per mode.
    """
    converter = tf.lite.TFLiteConverter.from_saved_model(model_dir, signature_keys=[signature_key])
    flatbuffers = {}
    for mode in MODES:
        _configure(converter, mode, representative)
        flatbuffers[mode] = converter.convert()
    return flatbuffers
