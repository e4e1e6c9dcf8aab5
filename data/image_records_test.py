"""JPEG records of an image folder: every JPEG of every class folder, labelled by sorted class."""

import pytest

from data import image_records
from data.inputs import read_tfrecords


def test_folder_examples_take_jpegs_in_order_labelled_by_sorted_class(tmp_path):
    import tensorflow as tf

    train, validation = tmp_path / "train", tmp_path / "validation"
    for folder, name, file_name in [
        (train, "dogs", "b.jpg"), (train, "dogs", "a.JPEG"), (train, "dogs", "notes.txt"),
        (train, "cats", "c.jpg"), (validation, "cats", "d.jpeg"),
    ]:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / file_name).write_bytes(file_name.encode())
    count, classes = image_records.image_folder_examples([train, validation], tmp_path / "out")
    assert (count, classes) == (4, ("cats", "dogs"))
    found = []
    for record in read_tfrecords(tmp_path / "out" / image_records.OUTPUT_FILE_NAME):
        feature = tf.train.Example.FromString(record).features.feature
        found.append((feature[image_records.JPEG_KEY].bytes_list.value[0], feature[image_records.LABEL_KEY].int64_list.value[0]))
    assert found == [(b"c.jpg", 0), (b"a.JPEG", 1), (b"b.jpg", 1), (b"d.jpeg", 0)]


def test_folder_examples_refuse_a_folder_without_classes(tmp_path):
    with pytest.raises(ValueError, match="no class sub-folders"):
        image_records.image_folder_examples([tmp_path], tmp_path / "out")


def test_pixel_records_parse_to_the_examples_tf_builds():
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    # More rows than one encoding chunk; values on both sides of the one/two-byte varint edge.
    images = rng.integers(0, 256, size=(image_records.ENCODING_CHUNK + 3, 2, 3), dtype=np.uint8)
    images[0] = [[0, 127, 128], [255, 1, 200]]
    masks = rng.integers(0, 256, size=(len(images), 4), dtype=np.uint8)
    labels = [0, 9, 300, -1] + [5] * (len(images) - 4)
    records = image_records.pixel_records({"image": images, "mask": masks}, "label", labels)
    assert len(records) == len(images)
    for image, mask, label, record in zip(images.reshape(len(images), -1), masks, labels, records):
        expected = tf.train.Example()
        expected.features.feature["image"].int64_list.value.extend(image.tolist())
        expected.features.feature["mask"].int64_list.value.extend(mask.tolist())
        expected.features.feature["label"].int64_list.value.append(label)
        assert tf.train.Example.FromString(record) == expected


def test_pixel_records_refuse_values_that_are_not_bytes():
    import numpy as np

    with pytest.raises(ValueError, match="'image' must hold uint8 values, not int64"):
        image_records.pixel_records({"image": np.zeros((1, 2), dtype=np.int64)}, "label", [0])
