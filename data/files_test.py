"""write_tfrecords_if_changed: TensorFlow's own framing, written only when the bytes change."""

import os

from data import files


def test_tfrecords_match_tensorflows_writer_and_read_back(tmp_path):
    import tensorflow as tf

    records = [b"", b"one", bytes(range(256)) * 40]
    with tf.io.TFRecordWriter(str(tmp_path / "by_tf.tfrecord")) as writer:
        for record in records:
            writer.write(record)
    assert files.write_tfrecords_if_changed(tmp_path / "out" / "ours.tfrecord", iter(records))
    ours = (tmp_path / "out" / "ours.tfrecord").read_bytes()
    assert ours == (tmp_path / "by_tf.tfrecord").read_bytes()
    assert [r.numpy() for r in tf.data.TFRecordDataset(str(tmp_path / "out" / "ours.tfrecord"))] == records


def test_tfrecords_are_rewritten_only_when_they_change_and_leave_no_staging_file(tmp_path):
    path = tmp_path / "data.tfrecord"
    assert files.write_tfrecords_if_changed(path, [b"a", b"b"])
    os.utime(path, ns=(1, 1))
    assert not files.write_tfrecords_if_changed(path, [b"a", b"b"])
    assert path.stat().st_mtime_ns == 1
    assert files.write_tfrecords_if_changed(path, [b"a", b"c"])
    assert path.stat().st_mtime_ns != 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.tfrecord"]
