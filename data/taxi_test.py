"""The taxi sources: the shared copy, and the portal-to-layout mapping."""

import csv

import pytest

from data import taxi


def test_shared_copy_has_the_tfx_layout(tmp_path):
    assert taxi.shared(tmp_path).endswith("(15002 trips)")
    with open(tmp_path / taxi.OUTPUT_FILE_NAME) as handle:
        assert tuple(csv.DictReader(handle).fieldnames) == taxi.COLUMNS


def test_portal_rows_map_onto_the_layout():
    row = {
        "trip_start_timestamp": "2019-05-12T19:45:00.000",  # a Sunday
        "fare": "12.45", "tips": "2.0", "payment_type": "Credit Card",
        "pickup_centroid_latitude": "41.88", "trip_miles": "1.1", "unused": "x",
    }
    mapped = taxi.portal_row_to_layout(row, "portal.csv", 2)
    assert set(mapped) == set(taxi.COLUMNS)
    assert (mapped["trip_start_month"], mapped["trip_start_hour"], mapped["trip_start_day"]) == ("5", "19", "1")
    assert mapped["trip_start_timestamp"] == "1557690300"
    assert mapped["pickup_latitude"] == "41.88" and mapped["company"] == ""


def test_bad_timestamp_names_the_line():
    with pytest.raises(ValueError, match=r"portal.csv:7: bad trip_start_timestamp 'yesterday'"):
        taxi.portal_row_to_layout({"trip_start_timestamp": "yesterday"}, "portal.csv", 7)
