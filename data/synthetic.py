"""Datasets generated offline, exactly as the study notes generate them.

Each writer produces a CSV for CsvExampleGen, deterministically (fixed seeds), and
rewrites it only when its content changes. The generating parameters are constants here,
so the models' reports can compare what they learned with the truth.
"""

import csv
import io
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from data.files import write_if_changed

# D2L "concise linear regression" (notes L9-23): y = Xw + b + N(0, 0.01^2), 1000 x 2.
LINEAR_TRUE_WEIGHTS = (2.0, -3.4)
LINEAR_TRUE_BIAS = 4.2
LINEAR_NOISE_STD = 0.01
LINEAR_ROWS = 1000
SEED = 0


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Writes rows (floats with full precision) if the content changed; returns the row count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in row)
        count += 1
    write_if_changed(path, out.getvalue().encode())
    return count


def linear_regression(data_root: Path) -> str:
    rng = np.random.default_rng(SEED)
    features = rng.normal(0.0, 1.0, size=(LINEAR_ROWS, len(LINEAR_TRUE_WEIGHTS)))
    labels = features @ np.array(LINEAR_TRUE_WEIGHTS) + LINEAR_TRUE_BIAS
    labels += rng.normal(0.0, LINEAR_NOISE_STD, size=LINEAR_ROWS)
    rows = write_csv(data_root / "linear.csv", ("x1", "x2", "y"), np.column_stack([features, labels]))
    return (
        f"generated {rows} rows, y = {LINEAR_TRUE_WEIGHTS[0]}*x1 + {LINEAR_TRUE_WEIGHTS[1]}*x2 "
        f"+ {LINEAR_TRUE_BIAS} + N(0, {LINEAR_NOISE_STD}^2), seed {SEED}"
    )


# TF Serving hello world (notes L7624): y = 2x - 1; here 300 points with injected outliers.
HUBER_TRUE_SLOPE = 2.0
HUBER_TRUE_INTERCEPT = -1.0
HUBER_ROWS = 300
HUBER_NOISE_STD = 0.1
HUBER_OUTLIER_FRACTION = 0.05
# Outliers sit at the right end and all lie above the line, so they pull an MSE fit's
# slope up and its intercept down; a Huber fit barely moves.
HUBER_OUTLIER_MIN_X = 1.0
HUBER_OUTLIER_SHIFT = (15.0, 25.0)


def huber_line(data_root: Path) -> str:
    rng = np.random.default_rng(SEED)
    x = rng.uniform(-5.0, 5.0, size=HUBER_ROWS)
    y = HUBER_TRUE_SLOPE * x + HUBER_TRUE_INTERCEPT + rng.normal(0.0, HUBER_NOISE_STD, size=HUBER_ROWS)
    candidates = np.flatnonzero(x > HUBER_OUTLIER_MIN_X)
    outliers = rng.choice(candidates, size=int(HUBER_OUTLIER_FRACTION * HUBER_ROWS), replace=False)
    y[outliers] += rng.uniform(*HUBER_OUTLIER_SHIFT, size=outliers.size)
    rows = write_csv(data_root / "line.csv", ("x", "y"), np.column_stack([x, y]))
    return (
        f"generated {rows} rows, y = {HUBER_TRUE_SLOPE}x {HUBER_TRUE_INTERCEPT:+} + N(0, {HUBER_NOISE_STD}^2), "
        f"{outliers.size} outliers shifted up by {HUBER_OUTLIER_SHIFT[0]:g}-{HUBER_OUTLIER_SHIFT[1]:g}, seed {SEED}"
    )


# Coursera DL1 week 3 `load_planar_dataset` (catalogue section 16): 400 points, 2 classes,
# a 4-petal "flower", generated with the legacy global seed 1 exactly as the course does.
PLANAR_ROWS = 400
PLANAR_SEED = 1
PLANAR_PETAL_RADIUS = 4


def planar_points() -> tuple[np.ndarray, np.ndarray]:
    """(X of shape (400, 2), labels of shape (400,)), the course's draws in its order."""
    rng = np.random.RandomState(PLANAR_SEED)
    per_class = PLANAR_ROWS // 2
    points = np.zeros((PLANAR_ROWS, 2))
    labels = np.zeros(PLANAR_ROWS, dtype=np.int64)
    for label in range(2):
        rows = range(per_class * label, per_class * (label + 1))
        theta = np.linspace(label * 3.12, (label + 1) * 3.12, per_class) + rng.randn(per_class) * 0.2
        radius = PLANAR_PETAL_RADIUS * np.sin(4 * theta) + rng.randn(per_class) * 0.2
        points[rows] = np.c_[radius * np.sin(theta), radius * np.cos(theta)]
        labels[rows] = label
    return points, labels


def planar_flower(data_root: Path) -> str:
    points, labels = planar_points()
    rows = write_csv(
        data_root / "flower.csv", ("x1", "x2", "label"), ((x1, x2, int(y)) for (x1, x2), y in zip(points, labels))
    )
    return f"generated {rows} points of the planar 'flower' (Coursera load_planar_dataset, seed {PLANAR_SEED})"
