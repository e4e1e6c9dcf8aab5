"""Test helpers: a model's preprocessing_fn run on a few rows of its own input data.

The raw feature spec is inferred the way CsvExampleGen + SchemaGen infer it: a CSV column
is INT if every value is an integer, FLOAT if every value is a number, else BYTES, and
VarLen when some cell is empty; a tf.Example feature is FixedLen with its value count.
"""

import csv
import itertools
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import tensorflow as tf
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, metadata_io, schema_utils

FeatureSpec = Dict[str, tf.io.FixedLenFeature | tf.io.VarLenFeature]
VALUE_LISTS = {tf.string: ("bytes_list", str.encode), tf.float32: ("float_list", float), tf.int64: ("int64_list", int)}


def _column_type(values: List[str]) -> tf.dtypes.DType:
    present = [v for v in values if v != ""]

    def all_parse(parse) -> bool:
        try:
            for value in present:
                parse(value)
        except ValueError:
            return False
        return True

    if all_parse(int):
        return tf.int64
    return tf.float32 if all_parse(float) else tf.string


def read_csv_rows(path: Path, count: int) -> Tuple[List[bytes], FeatureSpec]:
    """The first `count` rows as serialized tf.Examples, and their raw feature spec."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(itertools.islice(csv.DictReader(handle), count))
    spec: FeatureSpec = {}
    for column in rows[0]:
        values = [row[column] for row in rows]
        dtype = _column_type(values)
        spec[column] = tf.io.VarLenFeature(dtype) if "" in values else tf.io.FixedLenFeature([1], dtype)
    examples = []
    for row in rows:
        example = tf.train.Example()
        for column, value in row.items():
            field, parse = VALUE_LISTS[spec[column].dtype]
            value_list = getattr(example.features.feature[column], field)
            value_list.SetInParent()  # an empty cell is an empty list, as CsvExampleGen writes it
            if value != "":
                value_list.value.append(parse(value))
        examples.append(example.SerializeToString())
    return examples, spec


def read_tfrecord_rows(path: Path, count: int) -> Tuple[List[bytes], FeatureSpec]:
    """The first `count` records, and a FixedLen spec from the first record's value counts."""
    records = [r.numpy() for r in tf.data.TFRecordDataset(str(path)).take(count)]
    spec: FeatureSpec = {}
    for name, feature in tf.train.Example.FromString(records[0]).features.feature.items():
        kind = feature.WhichOneof("kind")
        dtype = {"float_list": tf.float32, "int64_list": tf.int64, "bytes_list": tf.string}[kind]
        spec[name] = tf.io.FixedLenFeature([len(getattr(feature, kind).value)], dtype)
    return records, spec


def parsed_instances(examples: List[bytes], spec: FeatureSpec) -> List[dict]:
    """tf.Examples as TFT instance dicts (lists of values; [] for a missing VarLen cell)."""
    instances = []
    for serialized in examples:
        parsed = tf.io.parse_single_example(serialized, spec)
        instance = {}
        for name, value in parsed.items():
            array = value.values.numpy() if isinstance(value, tf.SparseTensor) else value.numpy()
            instance[name] = list(array.reshape(-1))
        instances.append(instance)
    return instances


def run_transform(
    preprocessing_fn: Callable, examples: List[bytes], spec: FeatureSpec, work_dir: Path
) -> Tuple[List[dict], tft.TFTransformOutput]:
    """AnalyzeAndTransformDataset on the examples; the outputs and a TFTransformOutput."""
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(spec))
    output_dir = work_dir / "transform_output"
    with tft_beam.Context(temp_dir=str(work_dir / "tmp"), force_tf_compat_v1=False):
        (outputs, _), transform_fn = (
            parsed_instances(examples, spec),
            metadata,
        ) | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn, output_record_batches=False)
        _ = transform_fn | tft_beam.WriteTransformFn(str(output_dir))
    metadata_io.write_metadata(metadata, str(output_dir / tft.TFTransformOutput.RAW_METADATA_DIR))
    return outputs, tft.TFTransformOutput(str(output_dir))
