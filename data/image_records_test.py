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
