"""UCI Energy Efficiency (ENB2012): 768 simulated buildings, 8 features, 2 targets.

Y1 is the heating load and Y2 the cooling load (kWh/m^2). `download` reads the canonical
spreadsheet; `generated` builds an offline stand-in with the same shape and the same
design grid (12 building shapes x 4 orientations x 16 glazing settings), whose loads come
from a smooth function of the features plus noise. It exercises the pipeline, not the
physics.
"""

import itertools
from pathlib import Path

import numpy as np

from data.download import RemoteFile, fetch
from data.synthetic import SEED, write_csv

FEATURE_COLUMNS = ("X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8")
FEATURE_NAMES = (
    "relative compactness", "surface area", "wall area", "roof area",
    "overall height", "orientation", "glazing area", "glazing area distribution",
)
TARGET_COLUMNS = ("Y1", "Y2")
ROWS = 768
SPREADSHEET = RemoteFile(
    name="ENB2012_data.xlsx",
    url="https://archive.ics.uci.edu/ml/machine-learning-databases/00242/ENB2012_data.xlsx",
    sha256=None,  # UCI publishes none: the first download's checksum is recorded and enforced
)
OUTPUT_FILE_NAME = "energy.csv"

# The 12 building shapes of the study: (compactness, surface, wall, roof, height).
SHAPES = (
    (0.98, 514.5, 294.0, 110.25, 7.0), (0.90, 563.5, 318.5, 122.5, 7.0), (0.86, 588.0, 294.0, 147.0, 7.0),
    (0.82, 612.5, 318.5, 147.0, 7.0), (0.79, 637.0, 343.0, 147.0, 7.0), (0.76, 661.5, 416.5, 122.5, 7.0),
    (0.74, 686.0, 245.0, 220.5, 3.5), (0.71, 710.5, 269.5, 220.5, 3.5), (0.69, 735.0, 294.0, 220.5, 3.5),
    (0.66, 759.5, 318.5, 220.5, 3.5), (0.64, 784.0, 343.0, 220.5, 3.5), (0.62, 808.5, 367.5, 220.5, 3.5),
)
ORIENTATIONS = (2, 3, 4, 5)
GLAZING = ((0.0, 0),) + tuple(itertools.product((0.10, 0.25, 0.40), (1, 2, 3, 4, 5)))


def generated(data_root: Path) -> str:
    rng = np.random.default_rng(SEED)
    rows = []
    for (compactness, surface, wall, roof, height), orientation, (glazing, distribution) in itertools.product(
        SHAPES, ORIENTATIONS, GLAZING
    ):
        heating = 4.0 + 4.4 * height + 20.0 * glazing + 8.0 * compactness - 0.01 * (roof - 110.0)
        cooling = 0.85 * heating + 6.0 + 4.0 * glazing * (1 + 0.1 * distribution) + 0.2 * (orientation - 3.5)
        heating += rng.normal(0.0, 0.5)
        cooling += rng.normal(0.0, 0.8)
        rows.append((compactness, surface, wall, roof, height, orientation, glazing, distribution, heating, cooling))
    count = write_csv(data_root / OUTPUT_FILE_NAME, FEATURE_COLUMNS + TARGET_COLUMNS, rows)
    return f"generated {count} rows on the ENB2012 design grid (offline stand-in), seed {SEED}"


def downloaded(data_root: Path) -> str:
    """The real dataset, read from the cached canonical spreadsheet."""
    import pandas as pd

    path = fetch(SPREADSHEET)
    table = pd.read_excel(path).dropna(how="all")  # the sheet carries empty trailing rows
    missing = [c for c in FEATURE_COLUMNS + TARGET_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: expected columns {list(FEATURE_COLUMNS + TARGET_COLUMNS)}, missing {missing}")
    table = table[list(FEATURE_COLUMNS + TARGET_COLUMNS)]
    count = write_csv(data_root / OUTPUT_FILE_NAME, table.columns, table.itertuples(index=False))
    return f"{SPREADSHEET.url} ({count} rows)"
