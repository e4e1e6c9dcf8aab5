"""count_duplicates: exact repeats across a split's gzipped TFRecord files."""

import tensorflow as tf

from components.data_validation import count_duplicates


def write_records(path, records) -> None:
    with tf.io.TFRecordWriter(str(path), options="GZIP") as writer:
        for record in records:
            writer.write(record)


def test_repeats_are_counted_across_files_and_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("components.data_validation.DUPLICATE_COUNT_BATCH", 2)
    write_records(tmp_path / "data_tfrecord-00000-of-00002.gz", [b"a", b"b", b"a"])
    write_records(tmp_path / "data_tfrecord-00001-of-00002.gz", [b"c", b"a", b"ab", b"b"])
    assert count_duplicates(str(tmp_path)) == (3, 7)


def test_an_empty_split_has_no_duplicates(tmp_path):
    write_records(tmp_path / "data_tfrecord-00000-of-00001.gz", [])
    assert count_duplicates(str(tmp_path)) == (0, 0)
