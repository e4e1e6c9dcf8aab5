"""The notes' taxi Transform: z-scored filled-in floats, tip > 20% of fare as the label."""

import numpy as np
import pytest
import tensorflow as tf

from modules.common import testing
from modules.taxi import preprocessing

SPEC = {
    "fare": tf.io.VarLenFeature(tf.float32),
    "tips": tf.io.FixedLenFeature([1], tf.float32),
    "trip_miles": tf.io.FixedLenFeature([1], tf.float32),
    "trip_seconds": tf.io.VarLenFeature(tf.int64),
    "trip_start_hour": tf.io.FixedLenFeature([1], tf.int64),
    "trip_start_day": tf.io.FixedLenFeature([1], tf.int64),
    "trip_start_month": tf.io.FixedLenFeature([1], tf.int64),
    "payment_type": tf.io.FixedLenFeature([1], tf.string),
    "company": tf.io.VarLenFeature(tf.string),
}
# (fare or None, tips, miles, seconds or None, company or None)
TRIPS = [(10.0, 3.0, 1.0, 600, "A"), (10.0, 1.0, 2.0, None, None), (20.0, 4.01, 3.0, 900, "B"), (None, 5.0, 4.0, 300, "A")]


def _example(fare, tips, miles, seconds, company) -> bytes:
    example = tf.train.Example()
    feature = example.features.feature
    feature["fare"].float_list.SetInParent()
    if fare is not None:
        feature["fare"].float_list.value.append(fare)
    feature["tips"].float_list.value.append(tips)
    feature["trip_miles"].float_list.value.append(miles)
    feature["trip_seconds"].int64_list.SetInParent()
    if seconds is not None:
        feature["trip_seconds"].int64_list.value.append(seconds)
    for key, value in (("trip_start_hour", 7), ("trip_start_day", 2), ("trip_start_month", 5)):
        feature[key].int64_list.value.append(value)
    feature["payment_type"].bytes_list.value.append(b"Cash")
    feature["company"].bytes_list.SetInParent()
    if company is not None:
        feature["company"].bytes_list.value.append(company.encode())
    return example.SerializeToString()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    examples = [_example(*trip) for trip in TRIPS]
    result, _ = testing.run_transform(preprocessing.preprocessing_fn, examples, SPEC, tmp_path_factory.mktemp("taxi"))
    return result


def test_label_is_tip_above_20_percent_of_fare_and_0_without_a_fare(outputs):
    # 3 > 2: yes; 1 > 2: no; 4.01 > 4: yes; no fare: 0, as the notes' NaN branch intends.
    assert [row["big_tipper_xf"][0] for row in outputs] == [1, 0, 1, 0]


def test_dense_floats_are_z_scores_of_the_filled_in_values(outputs):
    fares = np.array([10.0, 10.0, 20.0, 0.0])  # the missing fare filled in with 0
    seconds = np.array([600.0, 0.0, 900.0, 300.0])
    for key, values in (("fare_xf", fares), ("trip_seconds_xf", seconds)):
        expected = (values - values.mean()) / values.std()
        np.testing.assert_allclose([row[key][0] for row in outputs], expected, rtol=1e-5)
