"""Fixtures for the penguin module tests: a few raw rows and their Transform output."""

from pathlib import Path
from typing import Dict, List

import pytest
import tensorflow as tf
import tensorflow_transform as tft
import tensorflow_transform.beam as tft_beam
from tensorflow_transform.tf_metadata import dataset_metadata, metadata_io, schema_utils

from modules.penguin import preprocessing

# The raw feature spec CsvExampleGen + SchemaGen produce for the penguins CSV: columns
# with missing cells are VarLen (a missing cell is an empty value list).
RAW_FEATURE_SPEC = {
    "culmen_length_mm": tf.io.VarLenFeature(tf.float32),
    "culmen_depth_mm": tf.io.VarLenFeature(tf.float32),
    "flipper_length_mm": tf.io.VarLenFeature(tf.float32),
    "body_mass_g": tf.io.VarLenFeature(tf.float32),
    "island": tf.io.FixedLenFeature([1], tf.string),
    "sex": tf.io.VarLenFeature(tf.string),
    "species": tf.io.FixedLenFeature([1], tf.string),
    "year": tf.io.FixedLenFeature([1], tf.int64),
}

# (species, island, culmen length, culmen depth, flipper length, body mass, sex); None = missing.
ROWS = [
    ("Adelie", "Torgersen", 39.1, 18.7, 181.0, 3750.0, "male"),
    ("Adelie", "Torgersen", None, None, None, None, None),
    ("Gentoo", "Biscoe", 46.1, 13.2, 211.0, 4500.0, "female"),
    ("Chinstrap", "Dream", 46.5, 17.9, 192.0, 3500.0, "female"),
    ("Gentoo", "Biscoe", 50.0, 16.3, 230.0, 5700.0, "male"),
    ("Adelie", "Dream", 37.8, 18.3, 174.0, 3400.0, None),
]
COLUMNS = ("species", "island", "culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g", "sex")


def raw_instance(row) -> Dict[str, list]:
    """A row as TFT's instance dict: lists of values, [] for a missing VarLen cell."""
    instance = {"year": [2008]}
    for column, value in zip(COLUMNS, row):
        instance[column] = [] if value is None else [value.encode() if isinstance(value, str) else value]
    return instance


def serialized_example(row) -> bytes:
    """A row as the tf.Example CsvExampleGen writes: missing cells as empty lists."""
    feature = {"year": tf.train.Feature(int64_list=tf.train.Int64List(value=[2008]))}
    for column, value in zip(COLUMNS, row):
        if isinstance(value, str) or (value is None and column in ("species", "island", "sex")):
            values = [] if value is None else [value.encode()]
            feature[column] = tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
        else:
            values = [] if value is None else [value]
            feature[column] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


@pytest.fixture(scope="session")
def transformed(tmp_path_factory) -> tuple[List[dict], Path]:
    """Runs preprocessing_fn on ROWS with tft_beam; returns the outputs and transform dir."""
    root = tmp_path_factory.mktemp("penguin_transform")
    metadata = dataset_metadata.DatasetMetadata(schema_utils.schema_from_feature_spec(RAW_FEATURE_SPEC))
    with tft_beam.Context(temp_dir=str(root / "tmp"), force_tf_compat_v1=False):
        (outputs, _), transform_fn = (
            [raw_instance(row) for row in ROWS],
            metadata,
        ) | tft_beam.AnalyzeAndTransformDataset(preprocessing.preprocessing_fn, output_record_batches=False)
        _ = transform_fn | tft_beam.WriteTransformFn(str(root / "transform_output"))
    # The Transform component also records the raw schema; serving signatures parse with it.
    metadata_io.write_metadata(metadata, str(root / "transform_output" / tft.TFTransformOutput.RAW_METADATA_DIR))
    return outputs, root / "transform_output"


@pytest.fixture(scope="session")
def tf_transform_output(transformed) -> tft.TFTransformOutput:
    return tft.TFTransformOutput(str(transformed[1]))
