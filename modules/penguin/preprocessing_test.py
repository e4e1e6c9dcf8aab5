"""preprocessing_fn through tft_beam on a handful of rows, missing values included."""

import numpy as np
import pytest

from modules.penguin import features
from modules.penguin.conftest import ROWS

NUMERIC_COLUMN = {key: 2 + i for i, key in enumerate(features.NUMERIC_FEATURE_KEYS)}


@pytest.mark.parametrize("key", features.NUMERIC_FEATURE_KEYS)
def test_numeric_features_are_z_scored_with_missing_values_imputed_to_the_mean(transformed, key):
    outputs, _ = transformed
    present = np.array([row[NUMERIC_COLUMN[key]] for row in ROWS if row[NUMERIC_COLUMN[key]] is not None])
    mean, std = present.mean(), present.std()  # population std, as tft.var
    for row, output in zip(ROWS, outputs):
        value = row[NUMERIC_COLUMN[key]]
        expected = 0.0 if value is None else (value - mean) / std
        assert output[f"{key}_xf"] == pytest.approx([expected], abs=1e-5)


def test_categorical_features_map_to_their_vocabulary_and_missing_gets_its_own_id(
    transformed, tf_transform_output
):
    outputs, _ = transformed
    island_vocab = tf_transform_output.vocabulary_by_name("island")
    sex_vocab = tf_transform_output.vocabulary_by_name("sex")
    assert sorted(island_vocab) == [b"Biscoe", b"Dream", b"Torgersen"]
    assert sorted(sex_vocab) == sorted([b"female", b"male", features.MISSING_CATEGORY.encode()])
    for row, output in zip(ROWS, outputs):
        assert output["island_xf"] == [island_vocab.index(row[1].encode())]
        sex = features.MISSING_CATEGORY if row[6] is None else row[6]
        assert output["sex_xf"] == [sex_vocab.index(sex.encode())]


def test_unseen_category_goes_to_the_oov_bucket(tf_transform_output):
    assert tf_transform_output.num_buckets_for_transformed_feature("island_xf") == 3 + features.NUM_OOV_BUCKETS


def test_label_is_the_species_id_in_the_species_vocabulary(transformed, tf_transform_output):
    outputs, _ = transformed
    species_vocab = tf_transform_output.vocabulary_by_name("species")
    assert sorted(species_vocab) == [b"Adelie", b"Chinstrap", b"Gentoo"]
    assert [output["species_xf"][0] for output in outputs] == [
        species_vocab.index(row[0].encode()) for row in ROWS
    ]


def test_every_output_has_shape_batch_by_one(tf_transform_output):
    spec = tf_transform_output.transformed_feature_spec()
    assert set(spec) == {f"{key}_xf" for key in features.SERVING_FEATURE_KEYS + (features.LABEL_KEY,)}
    assert all(list(feature.shape) == [1] for feature in spec.values())
