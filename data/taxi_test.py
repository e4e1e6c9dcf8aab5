"""The taxi sources: the shared copy, and the portal-to-layout mapping."""

import csv
import datetime

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


def test_resampled_trips_keep_the_layout_gaps_and_tip_fraction(tmp_path):
    assert taxi.resampled(tmp_path, 2000, seed=3).startswith("2000 trips resampled")
    with open(tmp_path / taxi.OUTPUT_FILE_NAME) as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == taxi.COLUMNS
        rows = list(reader)
    assert len(rows) == 2000
    assert any(row["company"] == "" for row in rows), "the shared file's gaps are kept"
    assert all(row["trip_start_hour"].isdigit() and "." not in row["trip_seconds"] for row in rows)
    fares = [float(row["fare"]) for row in rows]
    assert len(set(fares)) > 1000, "fares are stretched, not copies of 15,002 values"
    with open(taxi.shared_file(taxi.SHARED_FILE)) as handle:
        shared = list(csv.DictReader(handle))
    assert abs(big_tip_share(rows) - big_tip_share(shared)) < 0.03, "one stretch per trip keeps tips / fare"
    assert max(float(row["trip_miles"]) for row in rows) <= max(float(row["trip_miles"]) for row in shared)


def test_resampled_starts_move_whole_days_with_their_calendar_columns(tmp_path):
    taxi.resampled(tmp_path, 20_000, seed=5)
    with open(tmp_path / taxi.OUTPUT_FILE_NAME) as handle:
        rows = list(csv.DictReader(handle))
    for row in rows[:500]:
        start = datetime.datetime.fromtimestamp(int(row["trip_start_timestamp"]), datetime.timezone.utc)
        assert (str(start.month), str(start.hour), str(start.isoweekday() % 7 + 1)) == (
            row["trip_start_month"], row["trip_start_hour"], row["trip_start_day"]
        )
        assert start.minute % 15 == 0 and start.second == 0, "the 15-minute grid of the real starts is kept"
    repeated = len(rows) - len({tuple(row.values()) for row in rows})
    assert repeated / len(rows) < 0.01, "draws of one trip differ, so the data gate's duplicate check passes"


def big_tip_share(rows) -> float:
    return sum(float(row["tips"]) > 0.2 * float(row["fare"]) for row in rows) / len(rows)
