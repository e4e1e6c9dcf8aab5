"""Image writers: IDX parsing and the offline digits stand-in."""

import gzip

import numpy as np

from data import images


def test_read_idx_parses_the_header_and_pixels(tmp_path):
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in pixels.shape)
    path = tmp_path / "images.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(header + pixels.tobytes())
    np.testing.assert_array_equal(images.read_idx(path), pixels)


def test_nearest_resize_keeps_blocks():
    small = np.array([[[1, 2], [3, 4]]], dtype=np.uint8)
    np.testing.assert_array_equal(images.resize_nearest(small, 4)[0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_digits_offline_writes_28x28_images_with_labels(tmp_path):
    import tensorflow as tf

    assert "1797 images" in images.digits_offline(tmp_path)
    record = next(iter(tf.data.TFRecordDataset(str(tmp_path / images.OUTPUT_FILE_NAME))))
    example = tf.train.Example.FromString(record.numpy())
    pixels = example.features.feature[images.IMAGE_KEY].int64_list.value
    assert len(pixels) == 28 * 28 and 0 <= min(pixels) and max(pixels) <= 255
    assert example.features.feature[images.LABEL_KEY].int64_list.value[0] in range(10)
