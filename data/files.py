"""File helpers shared by every dataset writer."""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable

from data.inputs import tfrecord_bytes


def sha256_of(path: Path) -> str:
    """Returns the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_if_changed(path: Path, content: bytes) -> bool:
    """Writes `content` atomically, but only when it differs from what is there.

    ExampleGen fingerprints its input by size and modification time, so rewriting an
    identical file would needlessly invalidate the cache of every downstream node.
    Returns True when the file was (re)written.
    """
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True


def write_tfrecords_if_changed(path: Path, records: Iterable[bytes]) -> bool:
    """Writes serialized records (tf.Examples) as an uncompressed TFRecord file, through
    `write_if_changed`: atomically, and only when the bytes differ. The framing is
    `data.inputs.tfrecord_bytes`, byte for byte what `tf.io.TFRecordWriter` writes, so
    no TensorFlow is needed here. Returns True when the file was (re)written.
    """
    return write_if_changed(path, tfrecord_bytes(records))


def data_rows(csv_content: bytes) -> int:
    """Rows of a CSV file's content, not counting the header line."""
    return csv_content.count(b"\n") - 1
