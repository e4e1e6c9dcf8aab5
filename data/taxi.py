"""Chicago taxi trips in the layout of TFX's taxi example.

`shared` copies `../shared/data/chicago_taxi/data.csv` (15,002 trips from TFX's
`examples/chicago_taxi_pipeline/data/simple`). `download` queries the City of Chicago's
Taxi Trips dataset (Socrata API) for trips and maps its columns onto that layout:
month, hour and day of week (1 = Sunday, as BigQuery's DAYOFWEEK in TFX's extract) come
from the start timestamp, coordinates from the community-area centroids.
"""

import csv
import datetime
import io
from pathlib import Path
from typing import Dict

from data.download import RemoteFile, fetch, shared_file
from data.files import data_rows, write_if_changed

COLUMNS = (
    "pickup_community_area", "fare", "trip_start_month", "trip_start_hour", "trip_start_day",
    "trip_start_timestamp", "pickup_latitude", "pickup_longitude", "dropoff_latitude",
    "dropoff_longitude", "trip_miles", "pickup_census_tract", "dropoff_census_tract",
    "payment_type", "company", "trip_seconds", "dropoff_community_area", "tips",
)
OUTPUT_FILE_NAME = "taxi.csv"
SHARED_FILE = Path("chicago_taxi") / "data.csv"
DOWNLOAD_ROWS = 15000
PORTAL = RemoteFile(
    name=f"chicago_taxi_trips_{DOWNLOAD_ROWS}.csv",
    url=(
        "https://data.cityofchicago.org/resource/wrvz-psew.csv"
        f"?$limit={DOWNLOAD_ROWS}&$order=trip_start_timestamp%20DESC&$where=fare%20IS%20NOT%20NULL"
    ),
    sha256=None,  # a query result: the first download's checksum is recorded and enforced
)
# Portal column -> our column, where only the name differs.
PORTAL_RENAMES = {
    "pickup_centroid_latitude": "pickup_latitude",
    "pickup_centroid_longitude": "pickup_longitude",
    "dropoff_centroid_latitude": "dropoff_latitude",
    "dropoff_centroid_longitude": "dropoff_longitude",
}


def shared(data_root: Path) -> str:
    source = shared_file(SHARED_FILE)
    content = source.read_bytes()
    header = content.split(b"\n", 1)[0].decode().strip().split(",")
    if tuple(header) != COLUMNS:
        raise ValueError(f"{source}: header {header} is not the TFX taxi layout {list(COLUMNS)}")
    write_if_changed(data_root / OUTPUT_FILE_NAME, content)
    return f"{source} ({data_rows(content)} trips)"


def portal_row_to_layout(row: Dict[str, str], source: str, line: int) -> Dict[str, str]:
    """One Socrata row in TFX's taxi layout; raises ValueError naming the line on a bad timestamp."""
    out = {PORTAL_RENAMES.get(key, key): value for key, value in row.items()}
    try:
        start = datetime.datetime.fromisoformat(row["trip_start_timestamp"])
    except (KeyError, ValueError):
        raise ValueError(f"{source}:{line}: bad trip_start_timestamp {row.get('trip_start_timestamp')!r}") from None
    start = start.replace(tzinfo=datetime.timezone.utc)
    out["trip_start_timestamp"] = str(int(start.timestamp()))
    out["trip_start_month"] = str(start.month)
    out["trip_start_hour"] = str(start.hour)
    out["trip_start_day"] = str(start.isoweekday() % 7 + 1)  # Sunday = 1 ... Saturday = 7
    return {column: out.get(column, "") for column in COLUMNS}


def downloaded(data_root: Path) -> str:
    path = fetch(PORTAL)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [portal_row_to_layout(row, str(path), n) for n, row in enumerate(csv.DictReader(handle), start=2)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_if_changed(data_root / OUTPUT_FILE_NAME, out.getvalue().encode())
    return f"{PORTAL.url} ({len(rows)} trips)"


# Resampled trips for scale benchmarks: whole rows of the shared 15,002 drawn with
# replacement (so every column keeps its joint distribution, gaps included), then each
# trip stretched by one log-normal factor applied to its fare, tips, miles and seconds
# (the tip fraction, hence the label, survives), capped at the column's largest real
# value so no trip leaves the schema's range. Each start moves by a whole number of days
# and its month and weekday follow; the hour and the 15-minute grid stay. Without the
# move, a million draws repeat the trips that have nothing to stretch often enough for
# the data gate to stop the run (8% exact duplicates, against the 5% it allows).
RESAMPLE_STRETCH_SIGMA = 0.1
RESAMPLE_SHIFT_DAYS = 182
RESAMPLE_SEED = 0
STRETCHED_COLUMNS = {"fare": 2, "tips": 2, "trip_miles": 2, "trip_seconds": 0}  # column -> decimals
SECONDS_PER_DAY = 86_400


def resampled(data_root: Path, rows: int, seed: int = RESAMPLE_SEED) -> str:
    """Writes `rows` trips resampled from the shared file into data_root/taxi.csv."""
    import numpy as np
    import pandas as pd

    source = shared_file(SHARED_FILE)
    trips = pd.read_csv(source, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    drawn = trips.iloc[rng.integers(0, len(trips), size=rows)].reset_index(drop=True)
    stretch = rng.lognormal(0.0, RESAMPLE_STRETCH_SIGMA, size=rows)
    for column, decimals in STRETCHED_COLUMNS.items():
        largest = trips.loc[trips[column] != "", column].astype(float).max()
        present = drawn[column] != ""
        values = drawn.loc[present, column].astype(float).to_numpy() * stretch[present.to_numpy()]
        drawn.loc[present, column] = np.char.mod(f"%.{decimals}f", np.minimum(values, largest))
    starts = drawn["trip_start_timestamp"].astype(np.int64).to_numpy(copy=True)
    starts += rng.integers(-RESAMPLE_SHIFT_DAYS, RESAMPLE_SHIFT_DAYS + 1, size=rows) * SECONDS_PER_DAY
    moved = pd.to_datetime(starts, unit="s", utc=True)
    drawn["trip_start_timestamp"] = starts.astype(str)
    drawn["trip_start_month"] = moved.month.astype(str)
    drawn["trip_start_day"] = ((moved.dayofweek + 1) % 7 + 1).astype(str)  # Sunday = 1, as in the layout
    data_root.mkdir(parents=True, exist_ok=True)
    drawn.to_csv(data_root / OUTPUT_FILE_NAME, index=False, lineterminator="\n")
    return (
        f"{rows} trips resampled from {source} "
        f"(stretch sigma {RESAMPLE_STRETCH_SIGMA}, starts moved up to {RESAMPLE_SHIFT_DAYS} days, seed {seed})"
    )
