"""Fashion-MNIST's writers: IDX parsing and the offline digits stand-in."""

import gzip

import numpy as np

from data import fashion_mnist, image_records


def test_read_idx_parses_the_header_and_pixels(tmp_path):
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in pixels.shape)
    path = tmp_path / "images.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(header + pixels.tobytes())
    np.testing.assert_array_equal(fashion_mnist.read_idx(path), pixels)


def test_nearest_resize_keeps_blocks():
    small = np.array([[[1, 2], [3, 4]]], dtype=np.uint8)
    np.testing.assert_array_equal(fashion_mnist.resize_nearest(small, 4)[0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_digits_offline_writes_28x28_images_with_labels(tmp_path):
    import tensorflow as tf

    assert "1797 images" in fashion_mnist.digits_offline(tmp_path)
    record = next(iter(tf.data.TFRecordDataset(str(tmp_path / image_records.OUTPUT_FILE_NAME))))
    example = tf.train.Example.FromString(record.numpy())
    pixels = example.features.feature[image_records.IMAGE_KEY].int64_list.value
    assert len(pixels) == 28 * 28 and 0 <= min(pixels) and max(pixels) <= 255
    assert example.features.feature[image_records.LABEL_KEY].int64_list.value[0] in range(10)
