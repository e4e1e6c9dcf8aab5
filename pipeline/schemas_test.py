"""`schema freeze`: TFDV's inferred schema plus the ranges, comparators and labels the gate needs;
and every model's curated schema is a valid one the gate can use."""

import numpy as np
import pandas as pd
import pytest
import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2

from pipeline import schemas
from pipeline.models import MODELS


@pytest.fixture(scope="module")
def frozen() -> schema_pb2.Schema:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "mass": rng.normal(4000.0, 300.0, 200),
            "count": rng.integers(3, 9, 200),
            "island": rng.choice(["Biscoe", "Dream"], 200),
            "label": rng.integers(0, 3, 200),
        }
    )
    statistics = tfdv.generate_statistics_from_dataframe(frame).datasets[0]
    return schemas.freeze(statistics, labels=["label"])


def feature(schema: schema_pb2.Schema, name: str) -> schema_pb2.Feature:
    return next(f for f in schema.feature if f.name == name)


def test_numerics_get_their_observed_range_and_jensen_shannon_comparators(frozen):
    mass = feature(frozen, "mass")
    assert 2500 < mass.float_domain.min < mass.float_domain.max < 5500
    assert mass.drift_comparator.jensen_shannon_divergence.threshold == schemas.DRIFT_JENSEN_SHANNON
    assert mass.skew_comparator.jensen_shannon_divergence.threshold == schemas.SKEW_JENSEN_SHANNON
    count = feature(frozen, "count")
    assert (count.int_domain.min, count.int_domain.max, count.int_domain.is_categorical) == (3, 8, False)


def test_categoricals_and_the_label_get_domains_and_l_infinity_comparators(frozen):
    island = feature(frozen, "island")
    assert island.drift_comparator.infinity_norm.threshold == schemas.DRIFT_L_INFTY
    label = feature(frozen, "label")
    assert (label.int_domain.min, label.int_domain.max, label.int_domain.is_categorical) == (0, 2, True)
    assert label.skew_comparator.infinity_norm.threshold == schemas.SKEW_L_INFTY
    assert schemas.label_keys(frozen) == ["label"]
    assert list(frozen.default_environment) == [schemas.TRAINING_ENVIRONMENT, schemas.SERVING_ENVIRONMENT]
    assert frozen.dataset_constraints.num_examples_drift_comparator.min_fraction_threshold == schemas.MIN_SPAN_FRACTION


def test_the_schema_text_names_its_model_and_run(frozen, tmp_path):
    path = tmp_path / "schema.pbtxt"
    path.write_text(schemas.schema_text(frozen, "penguin", "run-7"))
    assert path.read_text().startswith("# Curated schema of the 'penguin' model")
    assert schemas.load(path) == frozen


# Self-supervised: Transform makes the targets from an input feature, so the data has no label to mark.
UNLABELLED = {"shakespeare_char_gru"}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_ships_a_reviewed_schema_with_a_label_and_comparators(model):
    path = MODELS[model].schema_file
    assert path.exists(), f"{model} has no curated schema: run `python -m pipeline schema freeze --model {model}`"
    assert "# Reviewed:" in path.read_text()
    schema = schemas.load(path)
    labels = schemas.label_keys(schema)
    assert labels or model in UNLABELLED, "the label is marked not_in_environment: SERVING"
    for label in labels:
        declared = feature(schema, label)
        assert declared.HasField("int_domain") or declared.HasField("float_domain") or declared.HasField("domain")
        assert declared.HasField("drift_comparator")
    compared = [f for f in schema.feature if f.HasField("drift_comparator")]
    for item in compared:  # L-infinity for categoricals, Jensen-Shannon divergence for numerics
        categorical = item.HasField("domain") or item.int_domain.is_categorical
        measure = "infinity_norm" if categorical else "jensen_shannon_divergence"
        assert getattr(item.drift_comparator, measure).threshold > 0, item.name
    assert schema.dataset_constraints.num_examples_drift_comparator.min_fraction_threshold > 0
