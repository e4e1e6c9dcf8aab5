"""The generators reproduce the notes' datasets: shapes, balance, parameters, determinism."""

import csv

import numpy as np

from data import energy, synthetic


def _read(path):
    with open(path) as handle:
        return np.array([[float(v) for v in row.values()] for row in csv.DictReader(handle)])


def test_linear_data_follows_the_true_parameters(tmp_path):
    synthetic.linear_regression(tmp_path)
    table = _read(tmp_path / "linear.csv")
    assert table.shape == (synthetic.LINEAR_ROWS, 3)
    design = np.column_stack([table[:, :2], np.ones(len(table))])
    fitted, *_ = np.linalg.lstsq(design, table[:, 2], rcond=None)
    np.testing.assert_allclose(fitted, [*synthetic.LINEAR_TRUE_WEIGHTS, synthetic.LINEAR_TRUE_BIAS], atol=2e-3)


def test_huber_line_has_one_sided_outliers_at_the_right(tmp_path):
    synthetic.huber_line(tmp_path)
    x, y = _read(tmp_path / "line.csv").T
    residual = y - (synthetic.HUBER_TRUE_SLOPE * x + synthetic.HUBER_TRUE_INTERCEPT)
    outliers = residual > 1.0
    assert outliers.sum() == int(synthetic.HUBER_OUTLIER_FRACTION * synthetic.HUBER_ROWS)
    assert x[outliers].min() > synthetic.HUBER_OUTLIER_MIN_X
    assert np.abs(residual[~outliers]).max() < 5 * synthetic.HUBER_NOISE_STD


def test_planar_flower_is_the_courses_400_balanced_points():
    points, labels = synthetic.planar_points()
    assert points.shape == (400, 2) and np.bincount(labels).tolist() == [200, 200]
    again, _ = synthetic.planar_points()
    np.testing.assert_array_equal(points, again)
    assert np.abs(points).max() < synthetic.PLANAR_PETAL_RADIUS + 1


def test_energy_stand_in_has_the_enb2012_shape(tmp_path):
    energy.generated(tmp_path)
    table = _read(tmp_path / energy.OUTPUT_FILE_NAME)
    assert table.shape == (energy.ROWS, len(energy.FEATURE_COLUMNS) + len(energy.TARGET_COLUMNS))
    assert sorted(set(table[:, 4])) == [3.5, 7.0] and sorted(set(table[:, 5])) == [2, 3, 4, 5]


def test_unchanged_generation_does_not_touch_the_file(tmp_path):
    synthetic.planar_flower(tmp_path)
    before = (tmp_path / "flower.csv").stat().st_mtime_ns
    synthetic.planar_flower(tmp_path)
    assert (tmp_path / "flower.csv").stat().st_mtime_ns == before
